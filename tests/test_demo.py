"""The bundled demo: its server, its corpus and the real refresh path over it."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kabar.core.article.entryarticle import entry_article
from kabar.core.feeds.refresh import Outcome, refresh_sync
from kabar.core.store import EntryQuery
from kabar.demo import DEMO_FEEDS, demo_profile
from kabar.demo.server import DemoServer


def test_demo_refresh_reads_every_feed(tmp_path: Path) -> None:
    with DemoServer() as server:
        profile = demo_profile(tmp_path / "demo", server)
        summary = refresh_sync(profile.paths.database, profile.config)
        assert [r.outcome for r in summary.results] == [Outcome.OK] * len(DEMO_FEEDS)
        with profile.open_store() as store:
            feeds = store.list_feeds()
            kinds = {f.kind for f in feeds}
            assert {"rss", "atom", "json"} <= kinds
            assert store.count_entries() >= 30
            nusantara = next(f for f in feeds if f.kind == "json")
            assert nusantara.title == "Kabar Nusantara"
            entries = store.list_entries(EntryQuery(feed_id=nusantara.id))
            articles = [entry_article(store.get_entry(e.id)) for e in entries]  # type: ignore[arg-type]
            assert any(a.figures() and a.figures()[0].caption for a in articles)
        again = refresh_sync(profile.paths.database, profile.config)
        assert [r.outcome for r in again.results] == [Outcome.NOT_MODIFIED] * len(DEMO_FEEDS)


def test_demo_server_substitutes_its_base_url_and_refuses_escapes() -> None:
    with DemoServer() as server:
        data, content_type = server.read("feeds/harbour.xml")  # type: ignore[misc]
        assert b"{{BASE}}" not in data and server.base_url.encode() in data
        assert content_type.startswith("application/rss+xml")
        assert server.read("../__init__.py") is None
        assert server.read("feeds/.hidden") is None
        assert server.read("/") is not None


@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGTERM])
def test_demo_removes_its_profile_when_the_terminal_closes(tmp_path: Path, signum: int) -> None:
    """Closing the terminal (SIGHUP) or a kill (SIGTERM) cleans up like `q` does."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp), "TERM": "xterm-256color"}
    controller, terminal = os.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "kabar.cli.main", "--demo"],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        env=env,
        start_new_session=True,
    )
    os.close(terminal)
    try:
        # the reader is up once the demo's database exists (generous: a loaded machine)
        deadline = time.monotonic() + 60
        while not list(temp.glob("kabar-demo-*/**/*.db")) and time.monotonic() < deadline:
            _drain(controller)
            time.sleep(0.1)
        assert list(temp.glob("kabar-demo-*")), "the demo did not start"
        process.send_signal(signum)
        deadline = time.monotonic() + 60
        while process.poll() is None and time.monotonic() < deadline:
            _drain(controller)
            time.sleep(0.1)
        assert process.poll() is not None, "the demo did not exit"
        assert list(temp.iterdir()) == []
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        os.close(controller)


def _drain(fd: int) -> None:
    """Read what the reader drew, so it never blocks on a full terminal buffer."""
    while select.select([fd], [], [], 0)[0]:
        try:
            if not os.read(fd, 65536):
                return
        except OSError:
            return
