"""Full text: an entry's page fetched, extracted, stored, and served from the store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kabar.core.article.document import Figure, Paragraph, plain
from kabar.core.config.profile import Profile
from kabar.core.config.settings import Config, FeedConfig
from kabar.core.feeds.refresh import refresh_feeds, refresh_sync
from kabar.core.library import Library
from kabar.core.library.fulltext import wants_fetch
from kabar.core.store import EntryQuery
from kabar.demo import demo_profile
from kabar.demo.server import DemoServer
from kabar.ui.app import make_app
from kabar.ui.screens.main import MainScreen
from tests.conftest import harbour_entry


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[tuple[DemoServer, Profile]]:
    with DemoServer() as server:
        profile = demo_profile(tmp_path / "home", server)
        refresh_sync(profile.paths.database, profile.config)
        yield server, profile


def test_teaser_entry_is_fetched_extracted_and_stored(demo: tuple[DemoServer, Profile]) -> None:
    server, profile = demo
    with profile.open_store() as store:
        entry_id = harbour_entry(store, "Harbour Academy crews")
        detail = store.get_entry(entry_id)
        assert detail is not None and wants_fetch(detail, profile.config)
    with Library(profile.paths, profile.config) as library:
        article = library.fetch_full_text(entry_id)
    paragraphs = [plain(b.spans) for b in article.blocks if isinstance(b, Paragraph)]
    assert any(p.startswith("Coach Dominic Reskelly") for p in paragraphs)
    (figure,) = [b for b in article.blocks if isinstance(b, Figure)]
    assert (
        plain(figure.caption) == "The academy’s under-16 four on the approach to the finish line."
    )
    assert figure.credit == "Photo: Harbour Academy Rowing Club"
    assert figure.src == server.url("img/rowing-eight.png")
    assert not any("finish line" in p for p in paragraphs)  # the caption is not body text
    with profile.open_store() as store:
        detail = store.get_entry(entry_id)
        assert detail is not None and detail.full_text is not None
        assert not wants_fetch(detail, profile.config)  # served from the store from now on


def test_second_fetch_is_conditional(demo: tuple[DemoServer, Profile]) -> None:
    _, profile = demo
    with profile.open_store() as store:
        entry_id = harbour_entry(store, "Harbour Academy crews")
    with Library(profile.paths, profile.config) as library:
        first = library.fetch_full_text(entry_id)
        etag, _ = library.store.article_validators(entry_id)
        assert etag
        again = library.fetch_full_text(entry_id)
    assert again.to_json() == first.to_json()


def test_full_text_modes(demo: tuple[DemoServer, Profile]) -> None:
    _, profile = demo
    with profile.open_store() as store:
        teaser = store.get_entry(harbour_entry(store, "Harbour Academy crews"))
        atom = next(f for f in store.list_feeds() if f.kind == "atom")
        full = store.get_entry(
            next(
                r.id
                for r in store.list_entries(EntryQuery(feed_id=atom.id))
                if r.title == "A calm prompt"
            )
        )
    assert teaser is not None and full is not None
    assert wants_fetch(teaser, Config()) and not wants_fetch(full, Config())
    never = Config(feeds={teaser.feed_url: FeedConfig(full_text="never")})
    always = Config(feeds={full.feed_url: FeedConfig(full_text="always")})
    assert not wants_fetch(teaser, never)
    assert wants_fetch(full, always)


async def test_tui_opens_full_text_and_keeps_it_offline(tmp_path: Path) -> None:
    home = tmp_path / "home"
    with DemoServer() as server:
        profile = demo_profile(home, server)
        await refresh_feeds(profile.paths.database, profile.config)
        app = make_app(profile, refresh_on_start=False)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = app.screen
            assert isinstance(screen, MainScreen)
            await pilot.pause()
            with profile.open_store() as store:
                entry_id = harbour_entry(store, "Harbour Academy crews")
                index = store.view_position(EntryQuery(), entry_id)
            assert index is not None
            screen.headlines.cursor = index
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            shown = screen.article.plain_text(100)
            assert "Coach Dominic Reskelly" in shown
            assert "▣ Image 1" in shown
            assert "The academy’s under-16 four on the approach to the finish line." in shown
    # The server is gone: a new session shows the stored full text.
    app = make_app(profile, refresh_on_start=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await pilot.pause()
        screen.headlines.cursor = index
        await pilot.press("enter")
        await pilot.pause()
        shown = screen.article.plain_text(100)
        assert "Fetching" not in shown
        assert "Coach Dominic Reskelly" in shown
        assert "The academy’s under-16 four on the approach to the finish line." in shown


async def test_tui_without_network_says_the_full_text_needs_it(tmp_path: Path) -> None:
    home = tmp_path / "home"
    with DemoServer() as server:
        profile = demo_profile(home, server)
        await refresh_feeds(profile.paths.database, profile.config)
    app = make_app(profile, refresh_on_start=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await pilot.pause()
        with profile.open_store() as store:
            index = store.view_position(EntryQuery(), harbour_entry(store, "Harbour Academy"))
        assert index is not None
        screen.headlines.cursor = index
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = screen.article.plain_text(100)
        assert "the full article needs the network" in shown
        assert "Harbour Academy" in shown  # the feed's own teaser is still shown


def test_saving_fetches_the_full_text_first(demo: tuple[DemoServer, Profile]) -> None:
    _, profile = demo
    with profile.open_store() as store:
        entry_id = harbour_entry(store, "Winter ferry")
    with Library(profile.paths, profile.config) as library:
        result = library.save(entry_id)
    assert (result.saved, result.full_text, result.warning) == (True, True, "")
    with profile.open_store() as store:
        detail = store.get_entry(entry_id)
        assert detail is not None and detail.row.saved and detail.full_text


def test_saving_offline_keeps_the_feed_text_and_says_so(tmp_path: Path) -> None:
    with DemoServer() as server:
        profile = demo_profile(tmp_path / "home", server)
        refresh_sync(profile.paths.database, profile.config)
    with profile.open_store() as store:
        entry_id = harbour_entry(store, "Winter ferry")
    with Library(profile.paths, profile.config) as library:
        result = library.save(entry_id)
    assert result.saved and not result.full_text
    assert result.warning.startswith("saved with the feed's text only: cannot connect")
    with profile.open_store() as store:
        assert store.get_entry(entry_id).row.saved  # type: ignore[union-attr]
