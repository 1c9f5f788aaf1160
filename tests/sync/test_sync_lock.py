"""One sync of a profile at a time, across processes: a second `kabar refresh` waits for
the first (saying so in one line), a sync killed with -9 lets the lock go, the queue is
sent once and nothing is stored twice; a sync that waited too long is one line."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO

import pytest

from kabar.cli.main import main
from kabar.cli.refreshing import WAITING
from kabar.core.config.profile import load_profile
from kabar.core.config.settings import load_config
from kabar.core.library.syncaccount import CLOSING, SyncAccount, sync_lock
from kabar.core.store import EntryQuery
from kabar.core.sync.client import READ, READING_LIST
from tests.sync.conftest import ServerSide
from tests.sync.fakes import FaultyProxy, Hold


def lines_of(stream: IO[str]) -> queue.Queue[str]:
    """The lines a child writes, as they come (read by a thread: never blocks the test)."""
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        for line in stream:
            lines.put(line.rstrip("\n"))

    threading.Thread(target=read, daemon=True).start()
    return lines


def refresh_process() -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "kabar", "refresh"],
        env={**os.environ},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def marked_two_read() -> None:
    """A first sync, then two entries read in Kabar: two changes queued for the server."""
    assert main(["refresh", "-q"]) == 0
    with load_profile().open_store() as store:
        store.set_read([r.id for r in store.list_entries(EntryQuery(), limit=2)])
        assert store.queue_length() == 2


def stored() -> tuple[int, int, int]:
    """Entries, distinct (feed, title) pairs, and the queue's length."""
    with load_profile().open_store() as store:
        rows = store.list_entries(EntryQuery(), limit=10_000)
        return len(rows), len({(r.feed_id, r.title) for r in rows}), store.queue_length()


@pytest.mark.parametrize("first_ends", ["normally", "killed with -9"])
def test_a_second_refresh_waits_for_the_running_sync(
    server_side: ServerSide, proxy: FaultyProxy, proxied_home: Path, first_ends: str
) -> None:
    marked_two_read()  # (one login: the first of three)
    hold = Hold(proxy, "subscription/list")
    first = refresh_process()
    second: subprocess.Popen[str] | None = None
    try:
        assert hold.reached.wait(60), "the first sync never reached the server"
        second = refresh_process()
        assert second.stderr is not None
        assert lines_of(second.stderr).get(timeout=60) == WAITING
        assert proxy.count("accounts/ClientLogin") == 2  # the first's; the second sent none
        if first_ends == "killed with -9":
            first.kill()  # its lock goes with it: the kernel lets a dead process's go
            first.wait(10)
        hold.release()
        out, _ = second.communicate(timeout=60)
        assert second.returncode == 0
        assert out.startswith("Synced kabar@127.0.0.1:")
        if first_ends == "normally":
            assert first.wait(60) == 0
    finally:
        hold.release()
        for child in (first, second):
            if child is not None and child.poll() is None:
                child.kill()
                child.wait(10)
    if first_ends == "normally":  # (a killed sync's held request may still be answered)
        # The two syncs never overlapped at the server: the second logged in alone, and no
        # more requests were in flight than one sync's own concurrent lists (4).
        assert [c.alongside for c in proxy.calls if c.path.endswith("ClientLogin")] == [0] * 3
        assert proxy.most_in_flight <= 4
    assert stored() == (12, 12, 0)  # nothing stored twice; the queue sent and dropped
    assert len(server_side.admin.item_ids(READING_LIST, exclude=READ)) == 10


def test_a_sync_that_waited_too_long_is_one_line_and_touches_nothing(
    kabar_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No server at all: the lock is taken before any network (and the password)."""
    config_file = kabar_home / "config.toml"
    kabar_home.mkdir(parents=True, exist_ok=True)
    config_file.write_text(
        '[sync]\nkind = "greader"\nurl = "http://127.0.0.1:9/api/greader.php"\n'
        'username = "alice"\n',
        encoding="utf-8",
    )
    monkeypatch.delenv("KABAR_SYNC_PASSWORD", raising=False)
    database = kabar_home / "kabar.db"
    account = SyncAccount(database, load_config(config_file), wait=0.0)
    waited: list[str] = []
    account.on_wait = lambda: waited.append("told")
    with sync_lock(database):  # another sync holds it (another thread, another file)
        summary = account.sync()
    assert waited == ["told"]  # said once
    assert summary.error.startswith("another sync of this profile is still running")
    assert summary.line().count("\n") == 0 and summary.account == "alice@127.0.0.1:9"
    assert account.logins == 0  # never got as far as a login
    with sync_lock(database, wait=0.0):  # let go: free for the next one
        pass


def test_closing_never_waits_for_a_sync_it_stops_the_running_one_and_the_waiting_one(
    server_side: ServerSide, proxy: FaultyProxy, proxied_home: Path
) -> None:
    """The reader quitting during a sync: `close` returns at once, the running sync ends at
    its next request without recording an error, and a sync waiting for the lock gives up."""
    profile = load_profile()
    database = profile.paths.database
    running = SyncAccount(database, profile.config)
    waiting = SyncAccount(database, profile.config)
    hold = Hold(proxy, "subscription/list")
    results: dict[str, str] = {}

    def sync(name: str, account: SyncAccount) -> None:
        results[name] = account.sync().error

    first = threading.Thread(target=sync, args=("running", running))
    first.start()
    assert hold.reached.wait(60), "the sync never reached the server"
    second = threading.Thread(target=sync, args=("waiting", waiting))
    second.start()
    waiting.close()
    second.join(10)
    assert not second.is_alive() and results["waiting"] == CLOSING
    running.close()  # returns although the sync holds its lock and a request is held
    assert first.is_alive()
    hold.release()
    first.join(60)
    assert not first.is_alive()
    assert results["running"] == "the sync was stopped: Kabar is closing"
    with profile.open_store() as store:
        assert store.sync_state().get("last_error", "") == ""  # not the server's error
    assert running.logins == 1 and waiting.logins == 0


def test_where_no_lock_file_can_be_made_the_sync_goes_on_without_the_lock(
    tmp_path: Path,
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the profile's folder would be", encoding="utf-8")
    entered = []
    with sync_lock(blocker / "kabar.db", wait=0.0):
        entered.append(True)
    assert entered == [True]
    assert not (tmp_path / "not-a-folder" / "kabar.db.sync-lock").exists()
