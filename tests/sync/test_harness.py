"""The FreshRSS harness itself: the server is up, subscribed to the fixture feeds, and
has fetched them; each test starts from that state."""

from __future__ import annotations

from kabar.core.sync.client import READ, READING_LIST
from tests.sync.conftest import FOLDERS, ServerSide


def test_freshrss_serves_the_fixture_feeds(server_side: ServerSide) -> None:
    subs = server_side.admin.subscriptions()
    assert sorted(s.url for s in subs) == sorted(server_side.feeds.url(i) for i in FOLDERS)
    assert {s.folder for s in subs} == set(FOLDERS.values())
    assert len(server_side.admin.item_ids(READING_LIST, exclude=READ)) == 12


def test_each_test_starts_from_the_snapshot(server_side: ServerSide) -> None:
    ids = server_side.admin.item_ids(READING_LIST)
    server_side.admin.edit_tag(ids, add=READ)
    assert server_side.admin.item_ids(READING_LIST, exclude=READ) == []
    server_side.freshrss.restore()
    assert len(server_side.admin.item_ids(READING_LIST, exclude=READ)) == 12
