"""The Library's [sync] account: one sync or server change at a time, and the login kept.

Two syncs of one profile at once (the reader's `R` and an add on the server, or a cron
`kabar refresh` beside the reader) would send the same queue twice and race on the store;
nothing is corrupted (every store step is a transaction) but work is doubled and a state
read before the other sync's write can be stored after it. So every sync and every change
of the server's subscriptions holds the profile's sync lock: a lock file beside the
database, locked with `flock`, which excludes other threads (each takes its own file
description) and other processes alike, and is let go by the kernel when a process dies
(kill -9 leaves no stale lock). A second one waits for the first, up to `SYNC_WAIT`.

The client (its Auth and action tokens, in memory only, never on disk) is kept between
syncs: ClientLogin checks a password hash on the server (35-60 ms on FreshRSS) and an
expired token is renewed by the client on a 401. After a failed sync the client is
dropped, so the next one reads the password again (it may have been fixed meanwhile).
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from kabar.core.errors import KabarError

if TYPE_CHECKING:
    from kabar.core.config.settings import Config
    from kabar.core.store import Store
    from kabar.core.sync import SyncSummary
    from kabar.core.sync.client import GReaderClient
    from kabar.core.sync.syncer import StoredCallback

log = logging.getLogger(__name__)

SYNC_WAIT = 300.0  # seconds a sync waits for one already running before it gives up
POLL = 0.05  # seconds between two tries of a lock that is held
CLOSING = "Kabar is closing: the sync was not started"


class SyncBusy(KabarError):
    """Another sync of this profile held the lock for longer than we would wait."""

    title = "Sync busy"


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".sync-lock")


def _try_lock(fd: int) -> bool:
    """Take the lock on `fd` without waiting; False when another holder has it."""
    if sys.platform == "win32":  # a byte-range lock on the first byte instead
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _first_try(database: Path) -> tuple[int | None, bool]:
    """The lock file's descriptor (None: syncing without a lock, as where no lock file can
    be made or the file system has no locks) and whether the lock was taken at once."""
    try:
        database.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock_path(database), os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        log.warning("syncing without the sync lock: %s", exc)
        return None, False
    try:
        return fd, _try_lock(fd)
    except OSError as exc:  # BlockingIOError means "held"; anything else: no locks here
        os.close(fd)
        log.warning("syncing without the sync lock: %s", exc)
        return None, False


@contextmanager
def sync_lock(
    database: Path,
    *,
    wait: float = SYNC_WAIT,
    on_wait: Callable[[], None] | None = None,
    cancelled: threading.Event | None = None,
) -> Iterator[None]:
    """Hold the profile's sync lock. When another holder has it, `on_wait` is called once
    and the lock is tried again until `wait` seconds have passed (then SyncBusy), or until
    `cancelled` is set (SyncBusy too). A folder where no lock file can be made, or a file
    system without locks, means syncing without the lock (as before there was one)."""
    fd, locked = _first_try(database)
    if fd is None:
        yield
        return
    try:
        deadline = time.monotonic() + wait
        told = False
        while not locked:
            if cancelled is not None and cancelled.is_set():
                raise SyncBusy(CLOSING)
            if not told and on_wait is not None:
                on_wait()
                told = True
            if time.monotonic() >= deadline:
                raise SyncBusy(
                    "another sync of this profile is still running; "
                    "this one gave up waiting (the next one will catch up)"
                )
            time.sleep(POLL)
            locked = _try_lock(fd)
        yield
    finally:
        os.close(fd)  # closing the file lets the lock go


class SyncAccount:
    """A profile's [sync] account, as the Library uses it (see the module docstring).

    `on_wait` is called (from the syncing thread) when a sync has to wait for another:
    the CLI says so in one line, the reader in its status line."""

    def __init__(
        self,
        database: Path,
        config: Config,
        *,
        wait: float = SYNC_WAIT,
        store: Callable[[], Store] | None = None,
    ) -> None:
        self.database = database
        self.store = store  # the calling thread's connection (the Library's); else opened
        self.config = config
        self.wait = wait
        self.on_wait: Callable[[], None] | None = None
        self._client: GReaderClient | None = None
        self._lock = threading.Lock()
        self._closing = threading.Event()  # `close` was called: start nothing more
        self.logins = 0  # clients made (each logs in on its first request): for tests

    @property
    def name(self) -> str:
        from kabar.core.sync.account import account_name

        assert self.config.sync is not None
        return account_name(self.config.sync)

    @contextmanager
    def exclusive(self) -> Iterator[GReaderClient]:
        """Hold the sync lock and lend the kept client (made, and the password read, on
        first use). A failure inside drops the client: the next use logs in afresh. After
        `close`, nothing starts (SyncBusy) and what is running ends at its next request."""
        with sync_lock(
            self.database, wait=self.wait, on_wait=self.on_wait, cancelled=self._closing
        ):
            while not self._lock.acquire(timeout=POLL):
                if self._closing.is_set():
                    raise SyncBusy(CLOSING)
            try:
                if self._closing.is_set():
                    raise SyncBusy(CLOSING)
                if self._client is None:
                    from kabar.core.sync.subscriptions import client_for

                    self._client = client_for(self.config)
                    self.logins += 1
                yield self._client
            except BaseException:
                self._forget()
                raise
            finally:
                if self._closing.is_set():
                    self._forget()
                self._lock.release()

    def sync(self, on_stored: StoredCallback | None = None) -> SyncSummary:
        """One sync, after any running one; a sync that waited too long is a summary with
        its error, as any other failed sync. `on_stored(done, total)`: see `sync`."""
        from kabar.core.sync import SyncSummary

        try:
            with self.exclusive() as client:
                return self.sync_held(client, on_stored)
        except SyncBusy as exc:
            return SyncSummary(self.name, error=str(exc))

    def sync_held(
        self, client: GReaderClient, on_stored: StoredCallback | None = None
    ) -> SyncSummary:
        """A sync inside `exclusive` (after a change of the server's subscriptions)."""
        from kabar.core.sync import sync

        target = self.store() if self.store is not None else self.database
        summary = sync(target, self.config, client=client, on_stored=on_stored)
        if summary.error:
            self._forget()
        return summary

    def _forget(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            client.close()

    def drop_login(self) -> None:
        """Forget the login (the next sync reads the password and logs in again), after any
        running sync: what a restart does."""
        with self._lock:
            self._forget()

    def close(self) -> None:
        """Drop the login, never waiting for a running sync: it is told to stop (at its next
        request) and drops the client itself when it ends; a waiting one gives up."""
        self._closing.set()
        client = self._client
        if client is not None:
            client.stop()
        if self._lock.acquire(blocking=False):
            try:
                self._forget()
            finally:
                self._lock.release()
