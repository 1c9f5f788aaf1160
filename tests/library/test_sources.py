"""The source seam: the Library's refresh runs the sources the config names."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from kabar.core.config.paths import default_paths
from kabar.core.config.settings import Config, config_from_dict
from kabar.core.feeds.refresh import Outcome, ProgressCallback, RefreshSummary
from kabar.core.library import (
    GReaderSync,
    HttpFeeds,
    Library,
    Source,
    SourceReport,
    sources_for,
)
from tests.loopback import LoopbackServer, Reply

SYNC = {"kind": "greader", "url": "", "username": "ana"}


def test_sources_follow_the_config() -> None:
    (local,) = sources_for(Config())
    assert isinstance(local, HttpFeeds) and not local.only_local
    synced, own = sources_for(config_from_dict({"sync": {**SYNC, "url": "http://127.0.0.1:9/"}}))
    assert isinstance(synced, GReaderSync)
    assert isinstance(own, HttpFeeds) and own.only_local


class Recording:
    """A source of its own: what a new kind of source plugs in as."""

    name = "recording"

    def __init__(self) -> None:
        self.calls: list[tuple[list[str] | None, bool]] = []

    def refresh(
        self,
        library: Library,
        urls: Sequence[str] | None,
        *,
        force: bool,
        jobs: int | None,
        on_progress: ProgressCallback | None,
        processes: int | None,
        on_synced: Callable[[int, int], None] | None = None,
    ) -> SourceReport:
        self.calls.append((None if urls is None else list(urls), force))
        return SourceReport(self.name, RefreshSummary())


def test_a_source_plugs_in_without_the_face_knowing(kabar_home: Path) -> None:
    source = Recording()
    sources: list[Source] = [source]
    with Library(default_paths(), Config(), sources) as library:
        done = library.refresh(["http://127.0.0.1:9/a.xml"], force=False)
    assert source.calls == [(["http://127.0.0.1:9/a.xml"], False)]
    assert done.summary is not None and done.synced is None
    assert done.upkeep is not None and done.upkeep.removed == 0


def test_a_failing_sync_is_reported_and_own_feeds_still_refresh(
    kabar_home: Path, server: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KABAR_SYNC_PASSWORD", "secret")
    feed = b"<rss version='2.0'><channel><title>Own</title><item><title>a</title></item>"
    feed += b"</channel></rss>"
    server.route("/own.xml", Reply(200, feed, {"Content-Type": "application/rss+xml"}))
    server.route("/api/greader.php/accounts/ClientLogin", Reply(200, b"<html>a login page</html>"))
    with Library(default_paths(), Config()) as library:  # added before sync was set up
        library.subscribe([server.url("/own.xml")], fetch=False)
    config = config_from_dict({"sync": {**SYNC, "url": server.url("/api/greader.php")}})
    with Library(default_paths(), config) as library:
        done = library.refresh()
        assert done.synced is not None and done.synced.error
        assert "secret" not in done.synced.line()
        assert done.summary is not None
        assert [(r.url, r.outcome) for r in done.summary.results] == [
            (server.url("/own.xml"), Outcome.OK)
        ]
        assert library.refresh_count() == 1
