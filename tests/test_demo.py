"""The bundled demo: its server, its corpus and the real refresh path over it."""

from __future__ import annotations

from pathlib import Path

from kabar.core.reading import entry_article
from kabar.core.refresh import Outcome, refresh_sync
from kabar.core.store import EntryFilter
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
            entries = store.list_entries(EntryFilter(feed_id=nusantara.id))
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
