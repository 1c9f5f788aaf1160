"""Shared fixtures. Every test runs on its own KABAR_HOME: the developer's real config and
data are never touched."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kabar.core.config.profile import Profile, load_profile
from kabar.core.store import EntryQuery, Store
from tests.loopback import LoopbackServer

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def kabar_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "kabar-home"
    monkeypatch.setenv("KABAR_HOME", str(home))
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, str(tmp_path / "xdg-must-not-be-used" / name))
    return home


@pytest.fixture
def profile(kabar_home: Path) -> Profile:
    return load_profile()


@pytest.fixture
def store(profile: Profile) -> Iterator[Store]:
    with profile.open_store() as store:
        yield store


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    srv = LoopbackServer()
    yield srv
    srv.close()


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def harbour_entry(store: Store, title_start: str) -> int:
    """The id of a Harbour Town Chronicle entry (the demo's summary-only RSS feed)."""
    feed = next(f for f in store.list_feeds() if f.title == "The Harbour Town Chronicle")
    rows = store.list_entries(EntryQuery(feed_id=feed.id))
    return next(r.id for r in rows if r.title.startswith(title_start))
