"""Crashes, damaged files and two processes at once: nothing saved is lost."""

from __future__ import annotations

import multiprocessing
import random
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from kabar.cli.main import main
from kabar.core.article.document import Article
from kabar.core.config.profile import Profile
from kabar.core.config.settings import Config
from kabar.core.feeds.refresh import Outcome, refresh_sync
from kabar.core.library import Library
from kabar.core.library.recovery import check_database, recover_database
from kabar.core.store import EntryQuery, Store
from tests.loopback import LoopbackServer, Reply, Request

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 200


def growing_feed(server: LoopbackServer, name: str) -> None:
    """A feed that gains an item on every request, so every refresh writes."""
    counter = {"n": 29}
    lock = threading.Lock()

    def route(request: Request) -> Reply:
        with lock:
            counter["n"] += 1
            n = counter["n"]
        items = "".join(
            f"<item><title>{name} item {i}</title><link>{server.url(f'/{name}/{i}')}</link>"
            f"<description>Teaser {i}…</description></item>"
            for i in range(max(0, n - 30), n)
        )
        body = f'<rss version="2.0"><channel><title>{name}</title>{items}</channel></rss>'
        return Reply(200, body.encode(), {"Content-Type": "application/rss+xml"})

    server.route(f"/{name}.xml", route)


def article_page(server: LoopbackServer, path: str, title: str) -> None:
    body = (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        + f"<p>{title} is a long story about the harbour, told in full sentences. " * 12
        + '</p><figure><img src="/pic.png"><figcaption>The picture</figcaption></figure>'
        + "<p>And a second paragraph follows, with more words about the harbour town. " * 6
        + "</p></article></body></html>"
    )
    server.route(path, Reply(200, body.encode(), {"Content-Type": "text/html"}))


def saved_setup(server: LoopbackServer, profile: Profile, feeds: int = 6) -> list[int]:
    server.route("/pic.png", Reply(200, PNG, {"Content-Type": "image/png"}))
    with profile.open_store() as store:
        for n in range(feeds):
            growing_feed(server, f"f{n}")
            store.add_feed(server.url(f"/f{n}.xml"))
    refresh_sync(profile.paths.database, profile.config)
    with profile.open_store() as store:
        rows = store.list_entries(limit=3)
    with Library(profile.paths, profile.config) as library:
        for row in rows:
            article_page(server, row.link.removeprefix(server.base), row.title)
            library.save(row.id)
    return [row.id for row in rows]


def assert_saved_complete(db: Path, saved: list[int]) -> None:
    with Store(db) as store:
        for entry_id in saved:
            detail = store.get_entry(entry_id)
            assert detail is not None and detail.row.saved
            assert detail.full_text is not None
            article = Article.loads(detail.full_text)
            assert article.figures()[0].caption[0].text == "The picture"
            images = store.article_images(entry_id)
            assert images and all(path.read_bytes() == PNG for path in images.values())


def test_kill_minus_nine_at_random_moments(server: LoopbackServer, profile: Profile) -> None:
    from tests import crashloop

    saved = saved_setup(server, profile)
    db = profile.paths.database
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(
        ["tests.crashloop", "kabar.core.feeds.refresh", "kabar.core.library.saving"]
    )
    rng = random.Random(2026)
    for _ in range(50):
        child = ctx.Process(target=crashloop.refresh_forever, args=(profile.paths, saved))
        child.start()
        time.sleep(rng.uniform(0.02, 0.4))
        child.kill()
        child.join()
        assert check_database(db) == []
        assert_saved_complete(db, saved)
    # and the next start works
    summary = refresh_sync(db, Config())
    assert all(r.outcome is Outcome.OK for r in summary.results)


def test_two_processes_refresh_the_same_database(server: LoopbackServer, profile: Profile) -> None:
    saved = saved_setup(server, profile, feeds=4)
    db = profile.paths.database
    results: list[int] = []

    def refresh() -> None:
        summary = refresh_sync(db, Config())
        results.append(summary.count(Outcome.OK))

    ctx = multiprocessing.get_context("forkserver")
    workers = [ctx.Process(target=refresh_sync, args=(db, Config())) for _ in range(2)]
    for worker in workers:
        worker.start()
    refresh()
    for worker in workers:
        worker.join()
        assert worker.exitcode == 0
    assert results == [4]
    assert check_database(db) == []
    assert_saved_complete(db, saved)


def test_a_file_that_is_not_a_database(
    profile: Profile, capsys: pytest.CaptureFixture[str]
) -> None:
    profile.paths.ensure()
    profile.paths.database.write_bytes(b"garbage" * 1000)
    assert main(["feeds"]) == 2
    err = capsys.readouterr().err
    assert "is damaged" in err and "kabar recover" in err and err.count("\n") == 1
    assert main(["recover"]) == 0
    assert "The damaged database is kept at" in capsys.readouterr().out
    assert main(["feeds"]) == 0
    assert list(profile.paths.data_dir.glob("kabar.db.damaged-*"))


def test_recover_keeps_readable_rows_and_restores_saved_articles(
    server: LoopbackServer, profile: Profile
) -> None:
    saved = saved_setup(server, profile)
    db = profile.paths.database
    with Store(db) as store:
        titles = {store.get_entry(i).row.title for i in saved}  # type: ignore[union-attr]
        total = store.count_entries()
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    # damage some of the pages that hold entry rows (found with SQLite's dbstat table)
    with sqlite3.connect(db) as conn:
        pages = [
            r[0]
            for r in conn.execute(
                "SELECT pageno FROM dbstat WHERE name = 'entries' AND pagetype = 'leaf'"
            )
        ]
    assert len(pages) >= 2
    data = bytearray(db.read_bytes())
    for pageno in pages[::2]:
        start = (pageno - 1) * 4096
        data[start : start + 12] = b"\xff" * 12
    db.write_bytes(bytes(data))
    assert check_database(db) != []
    report = recover_database(db)
    assert check_database(db) == []
    with Store(db) as store:
        kept = store.list_entries(EntryQuery(saved_only=True))
        assert {r.title for r in kept} == titles
        for row in kept:
            assert store.get_entry(row.id).full_text  # type: ignore[union-attr]
        assert store.count_entries() <= total
    assert report.damaged_copy is not None and report.damaged_copy.exists()
    assert report.counts.copied["feeds"] == 6 and report.counts.copied["entries"] > 0
    assert "entries" in report.counts.damaged


def test_database_errors_in_use_give_a_clear_message(
    profile: Profile, capsys: pytest.CaptureFixture[str]
) -> None:
    with profile.open_store():
        pass
    with sqlite3.connect(profile.paths.database) as conn:
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute("UPDATE sqlite_master SET sql = 'garbage' WHERE name = 'entries'")
    code = main(["entries"])
    err = capsys.readouterr().err
    assert code in (2, 3) and "kabar recover" in err
