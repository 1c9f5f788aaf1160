"""Fixtures for the sync tests: a real FreshRSS (once per session) and fixture feeds.

Without PHP or ../shared/servers these tests skip with the reason; under CI=true they fail
instead, so CI cannot go green without running them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from kabar.core.sync.client import GReaderClient
from tests.loopback import LoopbackServer
from tests.sync.fakes import FaultyProxy
from tests.sync.freshrss import API_PASSWORD, USER, FixtureFeeds, FreshRSS, missing_reason

FOLDERS = {0: "News", 1: "News", 2: "Tech"}


@dataclass
class ServerSide:
    """The FreshRSS account as another device sees it, and the feeds it fetches."""

    freshrss: FreshRSS
    feeds: FixtureFeeds
    admin: GReaderClient

    @property
    def api(self) -> str:
        return self.freshrss.api


def _need_freshrss() -> None:
    reason = missing_reason()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"FreshRSS tests must run under CI: {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="session")
def freshrss_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerSide]:
    _need_freshrss()
    feeds = FixtureFeeds(LoopbackServer())
    feeds.reset()
    server = FreshRSS(tmp_path_factory.mktemp("freshrss") / "data")
    server.start()
    admin = GReaderClient(server.api, USER, API_PASSWORD)
    try:
        admin.edit_subscription("feed/1", "unsubscribe")  # the default feed, on the internet
        done = server.php("update-user.php", "--user", USER, "--feed-ttl-default", "1")
        assert done.returncode == 0, done.stderr
        for i, folder in FOLDERS.items():
            stream = admin.quickadd(feeds.url(i))
            admin.edit_subscription(stream, "edit", folder=folder)
        server.actualize()
        server.snapshot()
        yield ServerSide(server, feeds, admin)
    finally:
        admin.close()
        server.stop()
        feeds.server.close()


@pytest.fixture
def server_side(freshrss_session: ServerSide) -> Iterator[ServerSide]:
    """The session's FreshRSS, back to its state after setup (3 feeds, 12 unread items)."""
    side = freshrss_session
    if side.freshrss.proc is None:
        side.freshrss.start()
    side.freshrss.restore()
    side.feeds.reset()
    yield side
    if side.freshrss.proc is None:  # a test stopped it: bring it back for the next one
        side.freshrss.start()


@pytest.fixture
def sync_home(kabar_home: Path, server_side: ServerSide, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A Kabar profile whose config has a [sync] table for the FreshRSS account."""
    (kabar_home / "config").mkdir(parents=True, exist_ok=True)
    (kabar_home / "config" / "config.toml").write_text(
        f'[sync]\nkind = "greader"\nurl = "{server_side.api}"\nusername = "{USER}"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("KABAR_SYNC_PASSWORD", API_PASSWORD)
    return kabar_home


@pytest.fixture
def proxy(server_side: ServerSide) -> Iterator[FaultyProxy]:
    """A proxy in front of the session's FreshRSS that misbehaves on cue (`fakes`)."""
    faulty = FaultyProxy(server_side.api)
    yield faulty
    faulty.close()


@pytest.fixture
def proxied_home(kabar_home: Path, proxy: FaultyProxy, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A Kabar profile whose [sync] account is reached through `proxy`."""
    (kabar_home / "config").mkdir(parents=True, exist_ok=True)
    (kabar_home / "config" / "config.toml").write_text(
        f'[sync]\nkind = "greader"\nurl = "{proxy.api}"\nusername = "{USER}"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("KABAR_SYNC_PASSWORD", API_PASSWORD)
    return kabar_home
