"""Faults between Kabar and the server: errors, HTML, half-failed batches, expired tokens,
and a sync killed half-way. A proxy in front of the real FreshRSS misbehaves on cue."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from kabar.core.config.profile import load_profile
from kabar.core.store import EntryQuery
from kabar.core.sync import client as client_module
from kabar.core.sync import sync
from kabar.core.sync.client import READ, READING_LIST, STARRED
from tests.sync.conftest import ServerSide
from tests.sync.fakes import Answer, Call, FaultyProxy
from tests.sync.freshrss import API_PASSWORD


def _run() -> str:
    profile = load_profile()
    return sync(profile.paths.database, profile.config).error


def _counts() -> tuple[int, int]:
    with load_profile().open_store() as store:
        return len(store.list_entries(EntryQuery(), limit=10_000)), store.queue_length()


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (Answer(500, b"Internal Server Error!"), "answered HTTP 500 to token"),
        (
            Answer(
                200,
                b"<!doctype html><html><body>Log in</body></html>",
                {"Content-Type": "text/html"},
            ),
            "answered HTML to token",
        ),
        (Answer(200, b"\x00\xffgarbage"), "answered something unexpected to token"),
    ],
)
def test_a_broken_answer_is_one_line_and_keeps_cache_and_queue(
    proxy: FaultyProxy, proxied_home: Path, answer: Answer, message: str
) -> None:
    assert _run() == ""
    with load_profile().open_store() as store:
        store.set_read([r.id for r in store.list_entries(EntryQuery(), limit=2)])
    # Every call but the login fails: the queued changes cannot be sent.
    proxy.fault = lambda call, seen: None if call.path.endswith("ClientLogin") else answer
    error = _run()
    assert message in error
    assert "\n" not in error and API_PASSWORD not in error
    assert _counts() == (12, 2)
    proxy.fault = lambda call, seen: None
    assert _run() == ""
    assert _counts() == (12, 0)


def _slow(pause: float, chunks: Iterable[bytes]) -> Answer:
    return Answer(200, headers={"Content-Type": "application/json"}, chunks=chunks, pause=pause)


def _endless() -> Iterator[bytes]:
    yield b'{"items": ['
    while True:
        yield b'{"id": "1", "title": "more"},' * 2000


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        # Nothing for longer than network.timeout (0.5 s).
        (_slow(2.0, [b"", b"{}"]), "did not answer in time"),
        # A byte every 0.2 s: each read is in time, the whole answer is not (10 x 0.5 s).
        (_slow(0.2, iter(lambda: b" ", None)), "did not answer in time"),
        # Without end, as fast as it can: stopped at the cap, not at the memory's end.
        (_slow(0.0, _endless()), "sent more than 2 MB to stream/items/contents"),
    ],
    ids=["silent", "trickling", "endless"],
)
def test_a_slow_or_endless_answer_is_one_line_and_the_next_sync_completes(
    proxy: FaultyProxy,
    proxied_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    answer: Answer,
    message: str,
) -> None:
    config = proxied_home / "config" / "config.toml"
    config.write_text(config.read_text() + "[network]\ntimeout = 0.5\n", encoding="utf-8")
    monkeypatch.setattr(client_module, "MAX_ANSWER_BYTES", 2 * 1024 * 1024)
    monkeypatch.setattr(client_module, "MIN_ANSWER_SECONDS", 0.0)  # 10 x 0.5 s, not 2 min
    proxy.fault = lambda call, seen: answer if call.path.endswith("items/contents") else None
    started = time.monotonic()
    error = _run()
    assert message in error and "\n" not in error
    assert time.monotonic() - started < 15  # the deadline, not the server, ended it
    assert _counts() == (0, 0)
    proxy.fault = lambda call, seen: None
    assert _run() == ""
    assert _counts() == (12, 0)


def test_a_half_failed_batch_is_sent_again_at_the_next_sync(
    server_side: ServerSide, proxy: FaultyProxy, proxied_home: Path
) -> None:
    assert _run() == ""
    with load_profile().open_store() as store:
        rows = store.list_entries(EntryQuery(), limit=3)
        store.set_read([r.id for r in rows])
        store.set_saved([rows[0].id])

    def second_edit_fails(call: Call, seen: int) -> Answer | None:
        return Answer(500) if call.path.endswith("edit-tag") and seen == 1 else None

    proxy.fault = second_edit_fails
    assert "HTTP 500 to edit-tag" in _run()
    assert _counts() == (12, 4)  # nothing dropped from the queue
    assert len(server_side.admin.item_ids(READING_LIST, exclude=READ)) == 9  # half arrived
    proxy.fault = lambda call, seen: None
    assert _run() == ""
    assert _counts() == (12, 0)
    assert len(server_side.admin.item_ids(READING_LIST, exclude=READ)) == 9
    assert len(server_side.admin.item_ids(STARRED)) == 1


def test_an_expired_action_token_is_renewed(
    server_side: ServerSide, proxy: FaultyProxy, proxied_home: Path
) -> None:
    assert _run() == ""
    with load_profile().open_store() as store:
        store.set_saved([store.list_entries(EntryQuery(), limit=1)[0].id])

    def token_expired_once(call: Call, seen: int) -> Answer | None:
        if call.path.endswith("edit-tag") and seen == 0:
            return Answer(401, b"Unauthorized!", {"Google-Bad-Token": "true"})
        return None

    proxy.fault = token_expired_once
    tokens = proxy.count("/reader/api/0/token")  # the first sync's contents POSTs used one
    assert _run() == ""
    assert proxy.count("/reader/api/0/token") == tokens + 2  # fetched, expired, fetched again
    assert len(server_side.admin.item_ids(STARRED)) == 1


def test_kill_9_during_a_sync_loses_and_duplicates_nothing(
    server_side: ServerSide, proxy: FaultyProxy, proxied_home: Path
) -> None:
    side = server_side
    assert _run() == ""
    with load_profile().open_store() as store:
        store.set_read([r.id for r in store.list_entries(EntryQuery(), limit=2)])
    for feed in range(3):
        side.feeds.add_items(feed, 96)  # 300 items: two contents batches
    side.freshrss.actualize()
    held = threading.Event()
    release = threading.Event()

    # The first batch holds the newest item. Two batches are asked for at once, and
    # either request may reach the server first: the second batch is told by its ids.
    newest = f"{max(side.admin.item_ids(READING_LIST)) & 0xFFFFFFFFFFFFFFFF:016x}".encode()

    def hold_second_batch(call: Call, seen: int) -> Answer | None:
        if call.path.endswith("stream/items/contents") and newest not in call.body:
            held.set()
            release.wait(30)
            return Answer(503)
        return None

    proxy.fault = hold_second_batch
    child = subprocess.Popen(
        [sys.executable, "-m", "kabar", "refresh", "-q"],
        env={**os.environ},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert held.wait(60), "the sync never reached its second batch"
        # The second batch is asked for while the first is stored: kill once the first
        # is in, with the second still in flight.
        deadline = time.monotonic() + 60
        while _counts()[0] < 12 + 250 and time.monotonic() < deadline:
            time.sleep(0.05)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(10)
    finally:
        release.set()
    entries, queued = _counts()
    assert entries == 12 + 250  # the first batch of new items is stored
    assert queued == 0  # the changes were sent before the kill
    assert len(side.admin.item_ids(READING_LIST, exclude=READ)) == 298
    proxy.fault = lambda call, seen: None
    assert _run() == ""
    with load_profile().open_store() as store:
        rows = store.list_entries(EntryQuery(), limit=10_000)
        assert len(rows) == 300
        assert len({(r.feed_id, r.title) for r in rows}) == 300
        assert len(store.synced_states().known) == 300
        assert sum(not r.read for r in rows) == 298
