"""Saved articles, offline reading, retention, export and prefetch."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kabar.cli.main import main
from kabar.core.article.document import Figure, Paragraph, plain
from kabar.core.article.entryarticle import entry_article
from kabar.core.config.profile import Profile
from kabar.core.config.settings import Config, GeneralConfig, NetworkConfig
from kabar.core.feeds.refresh import refresh_feeds, refresh_sync
from kabar.core.library import Library
from kabar.core.library.prefetch import prefetch
from kabar.core.library.retention import cleanup
from kabar.core.models import FeedUpdate, ParsedEntry, ParsedFeed
from kabar.core.store import EntryQuery, Store
from kabar.demo import demo_profile
from kabar.demo.server import DemoServer
from kabar.render.export import export_articles
from kabar.ui.app import make_app
from kabar.ui.screens.main import MainScreen
from tests.conftest import harbour_entry
from tests.loopback import LoopbackServer, Reply

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[tuple[DemoServer, Profile]]:
    with DemoServer() as server:
        profile = demo_profile(tmp_path / "home", server)
        refresh_sync(profile.paths.database, profile.config)
        yield server, profile


async def test_saved_article_reads_complete_after_the_server_is_gone(tmp_path: Path) -> None:
    home = tmp_path / "home"
    with DemoServer() as server:
        profile = demo_profile(home, server)
        await refresh_feeds(profile.paths.database, profile.config)
        with profile.open_store() as store:
            entry_id = harbour_entry(store, "Harbour Academy crews")
        # saving is blocking core work: the TUI runs it in a worker thread
        import asyncio

        with Library(profile.paths, profile.config) as library:
            result = await asyncio.to_thread(library.save, entry_id)
        assert (result.full_text, result.images, result.warnings) == (True, 1, [])
    # The server is gone. A fresh start on the same KABAR_HOME:
    with profile.open_store() as store:
        images = store.article_images(entry_id)
        assert len(images) == 1 and all(path.is_file() for path in images.values())
        (path,) = images.values()
        assert path.read_bytes().startswith(b"\x89PNG")
        store.index_all()
        assert [r.id for r in store.search("Reskelly")] == [entry_id]
        assert [r.id for r in store.search("saved:yes rowers")] == [entry_id]
        index = store.view_position(EntryQuery(), entry_id)
    assert index is not None
    app = make_app(profile, refresh_on_start=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await pilot.pause()
        await pilot.press("g", *["j"] * index, "enter")
        await pilot.pause()
        shown = screen.article.plain_text(100)
        assert "Coach Dominic Reskelly" in shown
        assert "The academy’s under-16 four on the approach to the finish line." in shown
        assert "needs the network" not in shown


def test_save_any_web_page_and_export_it(demo: tuple[DemoServer, Profile], tmp_path: Path) -> None:
    server, profile = demo
    with Library(profile.paths, profile.config) as library:
        result = library.save_url(server.url("articles/nusantara/panen-kopi-bukit-lima.html"))
    assert result.saved and result.full_text and result.images >= 1
    with profile.open_store() as store:
        (row,) = store.list_entries(EntryQuery(saved_only=True))
        assert row.feed_title == "Kabar Nusantara"  # the demo feed's own entry, saved
        article = entry_article(store.get_entry(row.id))  # type: ignore[arg-type]
    # never refreshed: it is not a feed
    summary = refresh_sync(profile.paths.database, profile.config)
    assert all(r.url != "kabar:saved-pages" for r in summary.results)

    for fmt, suffix in (("markdown", ".md"), ("html", ".html")):
        out = tmp_path / fmt
        with Library(profile.paths, profile.config) as library:
            (written,) = export_articles(library.articles(saved_only=True), out, fmt)  # type: ignore[arg-type]
        assert written.suffix == suffix
        text = written.read_text(encoding="utf-8")
        for block in article.blocks:
            if isinstance(block, Paragraph):
                assert plain(block.spans)[:40].replace("&", "&amp;") in text or (
                    plain(block.spans)[:40] in text
                )
            if isinstance(block, Figure) and block.caption:
                caption = plain(block.caption)
                if fmt == "markdown":
                    assert f"*{caption}*" in text  # an italic caption line under the image
                else:
                    assert f"<figcaption>{caption}" in text
        files = list((out / f"{written.stem}_files").iterdir())
        assert files and all(f.read_bytes().startswith(b"\x89PNG") for f in files)
        assert f"{written.stem}_files/{files[0].name}" in text  # points at the local copy


def test_images_are_capped_checked_and_stored_once(
    server: LoopbackServer, profile: Profile, store: Store
) -> None:
    page = (
        "<html><body><article><h1>Gulls</h1>"
        + "<p>Gulls nested on the roof of the old fish market this spring. " * 8
        + "</p>"
        '<figure><img src="/a.png"><figcaption>A gull</figcaption></figure>'
        '<figure><img src="/same.png"><figcaption>Same bytes</figcaption></figure>'
        '<figure><img src="/big.png"><figcaption>Too big</figcaption></figure>'
        '<figure><img src="/fake.png"><figcaption>Not an image</figcaption></figure>'
        "<p>More text about gulls and the market, the roof and the spring. "
        * 8
        + "</p></article></body></html>"
    )
    server.route("/page", Reply(200, page.encode(), {"Content-Type": "text/html"}))
    server.route("/a.png", Reply(200, PNG, {"Content-Type": "image/png"}))
    server.route("/same.png", Reply(200, PNG, {"Content-Type": "image/png"}))
    server.route("/big.png", Reply(200, PNG + b"\0" * 5000, {"Content-Type": "image/png"}))
    server.route("/fake.png", Reply(200, b"<html>nope</html>", {"Content-Type": "image/png"}))
    config = Config(network=NetworkConfig(max_image_bytes=1000))
    with Library(profile.paths, config) as library:
        result = library.save_url(server.url("/page"))
    assert result.images == 2
    assert "2 images not kept" in result.warning
    images = store.article_images(result.entry_id)
    assert sorted(images) == [server.url("/a.png"), server.url("/same.png")]
    assert len(set(images.values())) == 1  # the same bytes stored once


def test_retention_keeps_saved_and_recent_unread(profile: Profile, store: Store) -> None:
    feed = store.add_feed("https://a.example/feed")
    now = time.time()
    day = 86400.0
    entries = [
        ParsedEntry(guid="old-read", published=now - 40 * day),
        ParsedEntry(guid="old-saved", published=now - 40 * day),
        ParsedEntry(guid="old-unread", published=now - 40 * day),
        ParsedEntry(guid="new-unread", published=now - 1 * day),
        ParsedEntry(guid="new-read", published=now - 2 * day),
    ]
    update = FeedUpdate(feed.id, now, 200, parsed=ParsedFeed("rss", "A", entries=entries))
    store.apply_updates([update])
    ids = {r[1]: r[0] for r in store.conn.execute("SELECT id, key FROM entries")}
    store.set_read([ids["old-read"], ids["new-read"]])
    store.set_saved([ids["old-saved"]])
    removed = cleanup(store, Config(general=GeneralConfig(keep_days=30)))
    left = {r[0] for r in store.conn.execute("SELECT key FROM entries")}
    assert removed.entries == 2
    assert left == {"old-saved", "new-unread", "new-read"}
    # a feed that still lists the removed entries does not bring them back
    store.apply_updates([update])
    assert {r[0] for r in store.conn.execute("SELECT key FROM entries")} == left
    # the per-feed count limit removes only read entries
    config = Config(general=GeneralConfig(max_entries_per_feed=1))
    cleanup(store, config)
    assert {r[0] for r in store.conn.execute("SELECT key FROM entries")} == {
        "old-saved",
        "new-unread",
    }


def test_removing_a_feed_keeps_saved_articles_and_their_images(
    demo: tuple[DemoServer, Profile],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, profile = demo
    monkeypatch.setenv("KABAR_HOME", str(profile.paths.data_dir.parent))
    with profile.open_store() as store:
        entry_id = harbour_entry(store, "Harbour Academy crews")
        feed_url = store.get_entry(entry_id).feed_url  # type: ignore[union-attr]
    with Library(profile.paths, profile.config) as library:
        library.save(entry_id)
    assert main(["remove", feed_url]) == 2  # not a terminal: it asks for --yes
    assert "needs confirmation" in capsys.readouterr().err
    assert main(["remove", feed_url, "--yes"]) == 0
    assert main(["vacuum"]) == 0
    with profile.open_store() as store:
        assert [r.id for r in store.list_entries(EntryQuery(saved_only=True))] == [entry_id]
        assert all(p.is_file() for p in store.article_images(entry_id).values())
        assert store.get_entry(entry_id).full_text  # type: ignore[union-attr]


def test_prefetch_respects_never_and_the_daily_cap(demo: tuple[DemoServer, Profile]) -> None:
    _, profile = demo
    config = Config(general=GeneralConfig(prefetch=True, prefetch_per_day=3))
    with profile.open_store() as store:
        assert prefetch(store, config) == 3
        assert prefetch(store, config) == 0  # today's allowance is spent
        tomorrow = time.time() + 86400
        assert prefetch(store, config, now=tomorrow) == 3
        fetched = store.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert fetched == 6


async def test_the_reader_prefetches_after_a_refresh(tmp_path: Path) -> None:
    from kabar.core.config.profile import Profile
    from kabar.core.config.settings import Config, GeneralConfig
    from kabar.core.library import Library
    from kabar.ui.app import KabarApp

    with DemoServer() as server:
        base = demo_profile(tmp_path / "home", server)
        config = Config(general=GeneralConfig(prefetch=True, prefetch_per_day=2))
        profile = Profile(base.paths, config)
        with Library(profile.paths, profile.config) as library:
            app = KabarApp(profile, library, refresh_on_start=False)
            async with app.run_test(size=(120, 40)) as pilot:
                await pilot.press("R")
                for _ in range(100):  # the worker refreshes, then prefetches
                    await pilot.pause(0.05)
                    if any("to read offline" in str(n.message) for n in app._notifications):
                        break
                await app.workers.wait_for_complete()
        with profile.open_store() as store:
            fetched = store.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        assert fetched == 2
