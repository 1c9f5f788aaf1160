"""What the Library holds open: one SQLite connection per thread, one HTTP client, and
the [sync] account (its login kept between syncs: `syncaccount`).

SQLite lets a connection be used (and closed) only by the thread that opened it, so each
thread gets its own, opened on first use; a worker thread that is done closes its own
(`end_thread`). The HTTP client lives on an event-loop thread of its own (`FetchSession`)
and is shared by every thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import suppress
from typing import TYPE_CHECKING

from kabar.core.config.paths import Paths
from kabar.core.config.settings import Config
from kabar.core.store import Store

if TYPE_CHECKING:
    from kabar.core.feeds.fetch.httpsession import FetchSession
    from kabar.core.library.syncaccount import SyncAccount


class Connections:
    """A profile's open store connections and HTTP client; `config` is read only when a
    first connection or the client needs it (a broken config must not stop `recover`)."""

    def __init__(self, paths: Paths, config: Callable[[], Config]) -> None:
        self.paths = paths
        self._config = config
        self._local = threading.local()
        self.stores: list[Store] = []  # every thread's connection still open
        self._lock = threading.Lock()
        self._prepared = False
        self._web: FetchSession | None = None
        self._account: SyncAccount | None = None

    def store(self) -> Store:
        """This thread's connection, opened on first use. The first one opened applies the
        config's per-feed settings (and leaves sync when [sync] is gone)."""
        store: Store | None = getattr(self._local, "store", None)
        if store is None:
            self.paths.ensure()
            store = Store(self.paths.database)
            with self._lock:
                prepare, self._prepared = not self._prepared, True
                self.stores.append(store)
            if prepare:
                try:
                    config = self._config()
                    store.apply_feed_settings(config.feeds)
                    if config.sync is None and store.sync_state():
                        store.detach_sync()  # the [sync] table is gone: back to local feeds
                except BaseException:  # a broken config: the next connection tries again
                    with self._lock:
                        self._prepared = False
                        self.stores.remove(store)
                    store.close()
                    raise
            self._local.store = store
        return store

    def web(self) -> FetchSession:
        """The one HTTP client (made on first use)."""
        with self._lock:
            if self._web is None:
                from kabar.core.feeds.fetch import limits_from
                from kabar.core.feeds.fetch.httpsession import FetchSession

                self._web = FetchSession(limits_from(self._config()))
            return self._web

    def sync_account(self) -> SyncAccount:
        """The [sync] account (made on first use); ConfigError without a [sync] table."""
        from kabar.core.errors import ConfigError
        from kabar.core.library.syncaccount import SyncAccount

        with self._lock:
            if self._account is None:
                config = self._config()
                if config.sync is None:
                    raise ConfigError("no [sync] table in the config")
                self._account = SyncAccount(self.paths.database, config, store=self.store)
            return self._account

    def end_thread(self) -> None:
        """Close this thread's connection, if it has one."""
        store: Store | None = getattr(self._local, "store", None)
        if store is None:
            return
        self._local.store = None
        with self._lock:
            self.stores = [s for s in self.stores if s is not store]
        store.close()

    def close(self) -> None:
        """Close the HTTP client and the connections (another thread's connection is closed
        by that thread's end, as SQLite allows only its own thread to close it)."""
        web, self._web = self._web, None
        if web is not None:
            web.close()
        account, self._account = self._account, None
        if account is not None:
            account.close()
        with self._lock:
            stores, self.stores = self.stores, []
        mine = getattr(self._local, "store", None)
        self._local = threading.local()
        for store in stores:
            if store is mine:
                store.close()
            else:
                with suppress(Exception):
                    store.close()
