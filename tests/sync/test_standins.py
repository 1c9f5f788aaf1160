"""Whole syncs against stand-ins for Miniflux and Inoreader (`standin`), the servers that
cannot run here: their quirks documented there, and Kabar's answers to them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kabar.cli.main import main
from kabar.core.config.profile import load_profile
from kabar.core.store import EntryQuery
from kabar.core.sync import SyncSummary, sync
from tests.sync.standin import APP, PASSWORD, USER, StandIn

NEWS, TECH = "http://news.example/feed.xml", "http://tech.example/rss"


@pytest.fixture(params=["miniflux", "inoreader"])
def standin(request: pytest.FixtureRequest) -> Iterator[StandIn]:
    server = StandIn(request.param)
    server.add_feed(NEWS, "News", "World", 3)  # items 1000-1002
    server.add_feed(TECH, "Tech", "Tech", 2)  # items 1003-1004
    server.items[1001].read = True
    server.items[1003].starred = True
    yield server
    server.close()


@pytest.fixture
def standin_home(
    kabar_home: Path, standin: StandIn, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    app = f'app_id = "{APP[0]}"\napp_key = "{APP[1]}"\n' if standin.flavour == "inoreader" else ""
    (kabar_home / "config").mkdir(parents=True, exist_ok=True)
    (kabar_home / "config" / "config.toml").write_text(
        f'[sync]\nkind = "greader"\nurl = "{standin.base}"\nusername = "{USER}"\n{app}',
        encoding="utf-8",
    )
    monkeypatch.setenv("KABAR_SYNC_PASSWORD", PASSWORD)
    yield kabar_home


def run() -> SyncSummary:
    profile = load_profile()
    return sync(profile.paths.database, profile.config)


def states() -> dict[str, tuple[bool, bool]]:
    """Title -> (read, saved) of every entry Kabar has."""
    with load_profile().open_store() as store:
        rows = store.list_entries(EntryQuery(), limit=1000)
        return {r.title: (r.read, r.saved) for r in rows}


def entry_id(title: str) -> int:
    with load_profile().open_store() as store:
        return next(r.id for r in store.list_entries(EntryQuery(), limit=1000) if r.title == title)


def test_a_two_way_sync(standin: StandIn, standin_home: Path) -> None:
    summary = run()
    assert summary.error == ""
    assert states() == {
        "News story 0": (False, False),
        "News story 1": (True, False),
        "News story 2": (False, False),
        "Tech story 0": (False, True),
        "Tech story 1": (False, False),
    }
    with load_profile().open_store() as store:
        assert {f.url: f.folder for f in store.list_feeds()} == {NEWS: "World", TECH: "Tech"}
        store.set_read([entry_id("News story 0")])
        store.set_saved([entry_id("Tech story 1")])
    standin.items[1002].read = True  # elsewhere, meanwhile
    standin.items[1003].starred = False
    assert run().error == ""
    assert standin.items[1000].read and standin.items[1004].starred  # Kabar's, sent
    assert states()["News story 2"] == (True, False)  # the server's, received
    assert states()["Tech story 0"] == (False, False)
    if standin.flavour == "miniflux":  # every POST carried T, or it would have been refused
        assert ("POST", "/reader/api/0/stream/items/contents") in standin.calls


def test_an_item_published_long_ago_but_new_on_the_server_arrives_while_unread(
    standin: StandIn, standin_home: Path
) -> None:
    """Miniflux's `ot` filters on the published time: an old story that a feed only now
    carries is outside the window, but the unread list brings it."""
    assert run().error == ""
    standin.add_feed("http://old.example/feed.xml", "Old", "World", 1, first=100)
    standin.items[1105].published = 1_000_000_000  # 2001
    assert run().error == ""
    assert states()["Old story 0"] == (False, False)


def test_a_saved_item_the_server_purged_stays_saved_and_the_sync_goes_on(
    standin: StandIn, standin_home: Path
) -> None:
    """Miniflux answers 400 to stream/items/contents when none of the ids exists."""
    assert run().error == ""
    del standin.items[1003]  # unstarred elsewhere, then purged by the server
    summary = run()
    assert summary.error == ""
    assert states()["Tech story 0"] == (True, True)  # read (gone from the unread list), kept


def test_a_wrong_password_is_one_line_without_it(
    standin: StandIn, standin_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KABAR_SYNC_PASSWORD", "not-the-password")
    error = run().error
    assert "refused the login" in error and "\n" not in error
    assert "not-the-password" not in error


def test_add_and_move_go_to_the_server(
    standin: StandIn, standin_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A move sends `a` and `r`: Miniflux (one category) moves on `a` and ignores `r`,
    Inoreader (several labels) needs the `r` to leave the old one."""
    assert main(["refresh", "-q"]) == 0
    assert main(["add", "http://new.example/feed.xml", "--folder", "Later"]) == 0
    assert main(["add", TECH, "--folder", "Later"]) == 0
    labels = {f.url: f.labels for f in standin.feeds.values()}
    assert labels["http://new.example/feed.xml"] == ["Later"]
    assert labels[TECH] == ["Later"]
    assert "Feed at http://new.example/feed.xml story 0" in states()


def test_inoreader_without_the_app_id_and_key_is_refused(
    kabar_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = StandIn("inoreader")
    try:
        (kabar_home / "config").mkdir(parents=True, exist_ok=True)
        (kabar_home / "config" / "config.toml").write_text(
            f'[sync]\nkind = "greader"\nurl = "{server.base}"\nusername = "{USER}"\n',
            encoding="utf-8",
        )
        monkeypatch.setenv("KABAR_SYNC_PASSWORD", PASSWORD)
        error = run().error
    finally:
        server.close()
    assert "refused the login" in error and "\n" not in error
    assert server.calls == [("POST", "/accounts/ClientLogin")]


def test_an_item_id_of_sixteen_decimal_digits_is_marked_on_the_right_item(
    standin: StandIn, standin_home: Path
) -> None:
    """Miniflux reads a short id of 16 characters as hexadecimal: Kabar sends the long form
    (which every server reads alike), so a large id still marks its own item."""
    standin.add_feed("http://big.example/feed.xml", "Big", "World", 1, first=10**15)
    (big,) = [i for i in standin.items if i >= 10**15]
    assert len(str(big)) == 16
    assert run().error == ""
    with load_profile().open_store() as store:
        store.set_read([entry_id("Big story 0")])
    assert run().error == ""
    assert standin.items[big].read


def test_an_item_with_a_lone_surrogate_or_a_nan_date_is_stored_and_the_sync_goes_on(
    standin: StandIn, standin_home: Path
) -> None:
    """JSON that orjson refuses is read by json, which lets through what SQLite would
    refuse: before, such an item failed the sync, and every sync after it."""
    standin.items[1002].extra = {
        "published": float("nan"),  # json.dumps writes NaN
        "content": {"content": "<p>Broken \ud800 text</p>"},  # an escaped lone surrogate
        "canonical": [{"href": "https://news.example/\udfff"}],
    }
    summary = run()
    assert (summary.error, summary.new) == ("", 5)
    with load_profile().open_store() as store:
        entry = store.get_entry(entry_id("News story 2"))
    assert entry is not None
    assert "Broken \ufffd text" in entry.content and entry.row.link.endswith("/\ufffd")
    assert entry.row.published is None and entry.row.sort_date > 1_767_000_000  # first seen


def test_starred_items_of_a_feed_no_longer_subscribed_are_saved_and_asked_for_once(
    standin: StandIn, standin_home: Path
) -> None:
    """An account's starred items can outlive their feed (Inoreader): they come as saved
    entries of a removed feed, listed with the saved ones and not as a subscription, and
    the next sync does not ask for them again."""
    standin.items[1004].starred = True
    tech = next(f.id for f in standin.feeds.values() if f.url == TECH)
    standin._edit_subscription({"s": [f"feed/{tech}"], "ac": ["unsubscribe"]})
    summary = run()
    assert summary.error == ""
    kept = {"Tech story 0": (True, True), "Tech story 1": (True, True)}  # in no unread list
    if standin.flavour == "miniflux":  # deleted with the feed
        kept = {}
    assert {t: s for t, s in states().items() if t.startswith("Tech")} == kept
    with load_profile().open_store() as store:
        assert [f.url for f in store.list_feeds()] == [NEWS]
        kept_as = [r[0] for r in store.conn.execute("SELECT url FROM feeds WHERE removed")]
        # The stand-in's stream ids are numbers, as FreshRSS's: not a URL, and not unique
        # across servers, so the removed feed is kept under a key of this account's.
        assert kept_as == ([f"greader://{USER}@{standin.base[7:]}/feed/{tech}"] if kept else [])
        saved = store.list_entries(EntryQuery(saved_only=True), limit=10)
        assert sorted((r.title, r.feed_title) for r in saved) == [
            (title, "Tech") for title in sorted(kept)
        ]
    again = run()
    assert (again.error, again.new, again.requests) == ("", 0, 5)
    if standin.flavour == "inoreader":  # unstarred elsewhere: no longer saved here
        standin.items[1003].starred = False
        assert run().error == ""
        assert "Tech story 0" not in {t for t, s in states().items() if s[1]}
