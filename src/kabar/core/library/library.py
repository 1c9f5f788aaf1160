"""The Library: one object that owns a profile's store connections and HTTP client, and
offers the operations a face (the CLI, the reader) needs, each one call.

The operations delegate to the core functions that do the work (refresh, discovery,
saving, full text, retention, recovery); the Library only decides which store and which
client they use. So a face never opens a store, never passes a database path, and never
knows whether entries come from local feeds or a sync server (`sources`).

Threads: each thread gets its own SQLite connection (`store`), opened on first use; the
HTTP client lives on one event-loop thread of its own (`FetchSession`) and is shared by
every thread. Close the Library (or use it as a context manager) to close both.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import suppress
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from kabar.core.config.paths import Paths, default_paths
from kabar.core.config.settings import Config, load_config, normal_url
from kabar.core.errors import KabarError
from kabar.core.feeds.urls import shown
from kabar.core.library.outcomes import ExportItem, Refreshed, SyncStanding
from kabar.core.models import EntryDetail, EntryRow, FeedRow
from kabar.core.store import EntryQuery, Store

if TYPE_CHECKING:
    from collections.abc import Mapping

    from kabar.core.article.document import Article
    from kabar.core.article.picturedata import PictureSource
    from kabar.core.feeds.discovery import FeedCandidate
    from kabar.core.feeds.fetch.httpsession import FetchSession
    from kabar.core.feeds.refresh import ProgressCallback, RefreshSummary
    from kabar.core.library.imagecache import ImageCache
    from kabar.core.library.recovery import RecoveryReport
    from kabar.core.library.retention import CleanupResult
    from kabar.core.library.saving import SaveResult
    from kabar.core.library.sources import Source
    from kabar.core.library.subscribing import Subscribed
    from kabar.core.library.upkeep import Upkeep
    from kabar.core.store.navigation import ViewQuery
    from kabar.core.sync import SyncSummary
    from kabar.core.sync.subscriptions import Subscribed as ServerSubscribed


class Library:
    """A profile's data and the operations on it (see the module docstring).

    `sources` replaces the ones the config names (`sources.sources_for`): for a test, or a
    face that brings its own."""

    def __init__(
        self, paths: Paths, config: Config | None = None, sources: Sequence[Source] | None = None
    ) -> None:
        self.paths = paths
        self._config = config
        self._sources = list(sources) if sources is not None else None
        self._local = threading.local()
        self._stores: list[Store] = []
        self._lock = threading.Lock()
        self._prepared = False
        self._web: FetchSession | None = None
        self._undo: list[int] = []

    @classmethod
    def open(cls, environ: Mapping[str, str] | None = None) -> Library:
        """The profile the environment names (KABAR_HOME or the usual folders)."""
        return cls(default_paths(environ))

    # -- what it owns ------------------------------------------------------------------------
    @property
    def config(self) -> Config:
        """The profile's config, read on first use (`check` and `recover` never need it, so
        a broken config file does not stop them)."""
        if self._config is None:
            self._config = load_config(self.paths.config_file)
        return self._config

    @property
    def database(self) -> Path:
        """The database file (for messages: operations go through the Library)."""
        return self.paths.database

    @property
    def syncing(self) -> bool:
        """Whether a [sync] account is configured (the server owns the subscriptions)."""
        return self.config.sync is not None

    @property
    def store(self) -> Store:
        """This thread's connection, opened on first use. The first one the Library opens
        applies the config's per-feed settings (and leaves sync when [sync] is gone)."""
        store: Store | None = getattr(self._local, "store", None)
        if store is None:
            self.paths.ensure()
            store = Store(self.paths.database)
            with self._lock:
                prepare, self._prepared = not self._prepared, True
                self._stores.append(store)
            if prepare:
                store.apply_feed_settings(self.config.feeds)
                if self.config.sync is None and store.sync_state():
                    store.detach_sync()  # the [sync] table is gone: back to local feeds
            self._local.store = store
        return store

    @property
    def web(self) -> FetchSession:
        """The one HTTP client of the Library (made on first use)."""
        with self._lock:
            if self._web is None:
                from kabar.core.feeds.fetch import limits_from
                from kabar.core.feeds.fetch.httpsession import FetchSession

                self._web = FetchSession(limits_from(self.config))
            return self._web

    def close(self) -> None:
        """Close the HTTP client and the store connections (another thread's connection is
        closed by that thread's end, as SQLite allows only its own thread to close it)."""
        web, self._web = self._web, None
        if web is not None:
            web.close()
        with self._lock:
            stores, self._stores = self._stores, []
        mine = getattr(self._local, "store", None)
        self._local = threading.local()
        for store in stores:
            if store is mine:
                store.close()
            else:
                with suppress(Exception):
                    store.close()

    def end_thread(self) -> None:
        """Close this thread's connection, if it has one: a worker thread that is done
        (else each short-lived thread would leave a connection open until `close`)."""
        store: Store | None = getattr(self._local, "store", None)
        if store is None:
            return
        self._local.store = None
        with self._lock:
            self._stores = [s for s in self._stores if s is not store]
        store.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- feeds -------------------------------------------------------------------------------
    def feeds(self, counts: bool = True) -> list[FeedRow]:
        """Every subscribed feed, with unread and total counts unless `counts=False`."""
        return self.store.list_feeds(counts=counts)

    def find_feed(self, url: str) -> FeedRow | None:
        """The feed subscribed at `url`, in any spelling of it."""
        return self.store.feed_by_url(url) or self.store.feed_by_url(normal_url(url))

    def subscribed_urls(self, spellings: Sequence[str]) -> list[str]:
        """The stored URL of each feed named (any spelling); KabarError names the unknown."""
        known = {f.url for f in self.feeds(counts=False)}
        spelled = {normal_url(url): url for url in known}
        urls = [u if u in known else spelled.get(normal_url(u), "") for u in spellings]
        unknown = [shown(u) for u, stored in zip(spellings, urls, strict=True) if not stored]
        if unknown:
            raise KabarError(f"not subscribed: {', '.join(unknown)} (add it with `kabar add`)")
        return urls

    def new_urls(self, urls: Sequence[str]) -> list[str]:
        """Those of `urls` (stored spellings) that are not subscribed yet."""
        return [url for url in urls if self.store.feed_by_url(url) is None]

    def discover(self, url: str) -> list[FeedCandidate]:
        """The feeds at `url`, best first, each fetched and parsed (kept for `subscribe`)."""
        from kabar.core.feeds.discovery import discover_sync

        return discover_sync(url, self.config, self.web)

    def subscribe(
        self, feeds: Sequence[FeedCandidate | str], folder: str = "", *, fetch: bool = True
    ) -> Subscribed:
        """Add feeds. A candidate from `discover` is stored with the feed it fetched as its
        first update (no second fetch); a bare URL is fetched now unless `fetch=False`."""
        from kabar.core.library.subscribing import subscribe

        return subscribe(self, feeds, folder, fetch=fetch)

    def subscribe_on_server(
        self, feeds: Sequence[tuple[str, str]], *, moves: bool = False
    ) -> tuple[ServerSubscribed, SyncSummary | None]:
        """Subscribe on the sync server (it finds a site's feed itself), then sync. With
        `moves`, a feed already synced is moved to the folder asked for, on the server.
        Returns what the server did and the sync's summary (None when nothing changed)."""
        from kabar.core.sync import sync
        from kabar.core.sync.subscriptions import subscribe

        known: dict[str, tuple[str, str]] = {}
        if moves:
            known = {f.url: (f.stream_id, f.folder) for f in self.feeds(False) if f.stream_id}
        done = subscribe(self.config, feeds, known)
        synced = sync(self.paths.database, self.config) if done.added or done.moved else None
        return done, synced

    def move_feed(self, feed: FeedRow, folder: str) -> None:
        """List a feed Kabar fetches itself under another folder."""
        self.store.set_feed_folder(feed.id, folder)

    def unsubscribe(self, feed: FeedRow) -> int:
        """Remove a feed (on the sync server first, which may fail); returns how many of its
        saved entries stay, under Saved."""
        if feed.stream_id and self.syncing:
            from kabar.core.sync.subscriptions import unsubscribe

            unsubscribe(self.config, feed.stream_id)
        return self.store.remove_feed(feed.url)

    def import_feeds(self, feeds: Sequence[tuple[str, str, str, str]]) -> int:
        """Add (url, title, folder, site) feeds not subscribed yet, all in one transaction
        (a full disk adds none); returns how many were added."""
        store = self.store
        return store.add_feeds([f for f in feeds if store.feed_by_url(f[0]) is None])

    def export_opml(self, warn: Callable[[str], None] | None = None) -> str:
        """The subscriptions as an OPML document. With a sync account, the server's list as
        it is now (one outline per label) beside the feeds Kabar fetches itself; when the
        server cannot be reached, the synced feeds as of the last sync, and `warn` says so."""
        from kabar.core.feeds.opml import OpmlFeed, export_opml

        rows = self.feeds(False)
        own = [OpmlFeed(f.url, f.display_title, f.folder, f.site_url) for f in rows]
        if not self.syncing:
            return export_opml(own)
        from kabar.core.sync.subscriptions import server_subscriptions

        local = [f for f, row in zip(own, rows, strict=True) if not row.stream_id]
        try:
            subs = server_subscriptions(self.config)
        except KabarError as exc:  # unreachable, refused, or no password at hand
            if warn is not None:
                warn(f"{exc}; exporting the subscriptions as of the last sync")
            synced = [f for f, row in zip(own, rows, strict=True) if row.stream_id]
            return export_opml(synced + local)
        titles = {f.url: f.display_title for f in rows}  # a title given in Kabar's config
        server = [
            OpmlFeed(s.url, titles.get(s.url) or s.title, label, s.site_url)
            for s in subs
            for label in (s.labels or [""])
        ]
        return export_opml(server + local)

    @property
    def image_cache(self) -> ImageCache:
        """The profile's picture cache: the reader fills it, a save takes from it."""
        from kabar.core.library.imagecache import ImageCache

        cap = self.config.network.image_cache_bytes
        return ImageCache.in_cache_dir(self.paths.cache_dir, cap)

    def picture_source(self) -> PictureSource:
        """Where an article's pictures come from: saved files, the image cache, the web."""
        from kabar.core.article.picturedata import PictureSource

        cache = self.image_cache
        database = self.paths.database
        return PictureSource(database if database.exists() else None, cache, self.config)

    # -- refreshing --------------------------------------------------------------------------
    def refresh(
        self,
        urls: Sequence[str] | None = None,
        *,
        force: bool = True,
        jobs: int | None = None,
        on_progress: ProgressCallback | None = None,
        processes: int | None = 1,
        upkeep: bool = True,
    ) -> Refreshed:
        """Bring the store up to date from every source the config names (local feeds, a
        sync account), then the upkeep (retention limits, prefetch) unless `upkeep=False`.

        `processes=None` lets a big local refresh fork one process per core (only safe in a
        process with no other threads: the CLI)."""
        from kabar.core.library.sources import sources_for

        done = Refreshed()
        sources = self._sources if self._sources is not None else sources_for(self.config)
        for source in sources:
            report = source.refresh(
                self,
                urls,
                force=force,
                jobs=jobs,
                on_progress=on_progress,
                processes=processes,
            )
            done.summary = report.summary or done.summary
            done.synced = report.synced or done.synced
        if upkeep:
            done.upkeep = self.upkeep(done.summary)
        return done

    def refresh_count(self, urls: Sequence[str] | None = None) -> int:
        """How many feeds `refresh(urls)` fetches itself (where a progress bar starts)."""
        if self.syncing:
            local = self.store.local_feed_urls()
            return len([u for u in (urls or local) if u in local])
        return len(set(urls)) if urls else len(self.feeds(counts=False))

    def upkeep(self, summary: RefreshSummary | None = None) -> Upkeep:
        """Retention limits, then (when enabled and online) prefetch for offline reading."""
        from kabar.core.feeds.refresh import RefreshSummary
        from kabar.core.library.upkeep import after_refresh

        return after_refresh(self.store, self.config, summary or RefreshSummary())

    def queued_changes(self) -> int:
        """Changes waiting for the next sync."""
        return self.store.queue_length()

    def sync_standing(self) -> SyncStanding | None:
        """The [sync] account's state from the store, as the last sync left it (None
        without [sync]). Reads only the store: the reader shows it before any network."""
        if self.config.sync is None:
            return None
        from kabar.core.sync.account import account_name

        state = self.store.sync_state()
        last = state.get("last_sync", "")
        return SyncStanding(
            account=state.get("account") or account_name(self.config.sync),
            last_sync=float(last) if last.replace(".", "", 1).isdigit() else None,
            last_error=state.get("last_error", ""),
            queued=self.queued_changes(),
        )

    # -- entries -----------------------------------------------------------------------------
    def entries(
        self,
        *,
        unread: bool = False,
        saved: bool = False,
        feed: FeedRow | None = None,
        limit: int = 0,
    ) -> list[EntryRow]:
        """Entries, newest first; `limit=0` means all of them."""
        feed_id = None if feed is None else feed.id
        flt = EntryQuery(feed_id, unread_only=unread, saved_only=saved)
        return self.store.list_entries(flt, limit=limit or self.store.count_entries(flt) or 1)

    def search(self, query: str, limit: int = 200, *, catch_up: bool = True) -> list[EntryRow]:
        """Entries matching a query, best first; the index catches up first unless
        `catch_up=False` (the reader keeps it caught up in a worker of its own: `index`)."""
        if catch_up:
            self.index()
        return self.store.search(query, limit=limit)

    def index(self) -> int:
        """Bring the search index up to date; returns how many entries it added."""
        return self.store.index_all()

    def feed_urls(self, entries: Sequence[EntryRow]) -> dict[int, str]:
        """The feed URL of each entry's feed, removed feeds and the saved-pages row included."""
        rows = (self.store.feed_by_id(feed_id) for feed_id in {e.feed_id for e in entries})
        return {row.id: row.url for row in rows if row is not None}

    def entry(self, entry_id: int) -> EntryDetail | None:
        """An entry with everything the reader shows of it (None when it is gone)."""
        return self.store.get_entry(entry_id)

    def article(self, detail: EntryDetail) -> Article:
        """The article to show for an entry: its full text when fetched, else the feed's."""
        from kabar.core.article.entryarticle import entry_article

        return entry_article(detail)

    def wants_full_text(self, detail: EntryDetail) -> bool:
        """Whether opening this entry should fetch its page (the feed's full_text mode)."""
        from kabar.core.library.fulltext import wants_fetch

        return wants_fetch(detail, self.config)

    def fetch_full_text(self, entry_id: int) -> Article:
        """Fetch, extract and keep an entry's page (KabarError says why it failed)."""
        from kabar.core.library.fulltext import fetch_entry_text

        return fetch_entry_text(self.store, self.config, entry_id, self.web)

    def read_url(self, url: str) -> Article:
        """Fetch and extract any web page."""
        from kabar.core.library.fulltext import read_url

        return read_url(url, self.config, self.web)

    def stored_copy(self, url: str) -> Article | None:
        """What the store holds of this page: a saved entry's article first, then any entry
        whose full text was fetched, then the feed's own text of the entry."""
        if not self.paths.database.exists():
            return None
        store = self.store
        details = [store.get_entry(entry_id) for entry_id, _ in store.entries_with_link(url)]
        found = [d for d in details if d is not None]
        if not found:
            return None
        return self.article(max(found, key=lambda d: (d.row.saved, d.full_text is not None)))

    def articles(self, *, saved_only: bool) -> Iterator[ExportItem]:
        """Every article (or every saved one) with its stored images, for an export."""
        flt = EntryQuery(saved_only=saved_only)
        store = self.store
        for row in store.list_entries(flt, limit=max(1, store.count_entries(flt))):
            detail = store.get_entry(row.id)
            if detail is not None:
                yield ExportItem(row, self.article(detail), store.article_images(row.id))

    # -- keeping -----------------------------------------------------------------------------
    def save(self, entry_id: int) -> SaveResult:
        """Save an entry for good: its full text, then its images, on one HTTP client."""
        from kabar.core.library.saving import keep_entry

        return keep_entry(self.store, self.config, entry_id, self.web, self.image_cache)

    def unsave(self, entry_id: int) -> None:
        """Unsave an entry and drop its second copy."""
        from kabar.core.library.saving import unkeep_entry

        unkeep_entry(self.store, entry_id)

    def save_url(self, url: str) -> SaveResult:
        """Save any web page (the entry that already is it, when a feed has it)."""
        from kabar.core.library.saving import keep_url

        return keep_url(self.store, self.config, url, self.web, self.image_cache)

    # -- marking -----------------------------------------------------------------------------
    def mark(self, entry_ids: Sequence[int], state: str) -> None:
        """Set read, unread, saved or unsaved (queued for the sync server in the same
        transaction); KabarError names ids that are not in the store, and nothing changes."""
        from kabar.core.library.entrymarks import mark

        mark(self.store, entry_ids, state)

    def set_read(self, entry_ids: Sequence[int], read: bool = True) -> None:
        self.store.set_read(entry_ids, read)

    def set_saved(self, entry_ids: Sequence[int], saved: bool = True) -> None:
        self.store.set_saved(entry_ids, saved)

    def mark_all_read(self, view: ViewQuery | Sequence[int]) -> list[int]:
        """Mark a view's unread entries (or those of the ids given that are unread) read;
        returns them, and remembers them for `undo_mark_all_read`."""
        from kabar.core.library.entrymarks import mark_all_read

        ids = mark_all_read(self.store, view)
        self._undo = ids or self._undo
        return ids

    def undo_mark_all_read(self) -> list[int]:
        """Mark the entries of the last mark-all-read unread again (once); returns them."""
        ids, self._undo = self._undo, []
        self.store.set_read(ids, False)
        return ids

    # -- the database ------------------------------------------------------------------------
    def vacuum(self) -> tuple[CleanupResult, int, int]:
        """Retention clean-up, then compact the database: (result, bytes before, after).
        Refused up front, before anything changes, when the disk cannot hold a copy."""
        from kabar.core.library.retention import vacuum
        from kabar.core.library.space import room_to_vacuum

        self.paths.ensure()
        room_to_vacuum(self.paths.database)
        return vacuum(self.store, self.config)

    def check(self) -> list[str]:
        """The problems an integrity check finds in the database (empty: it is sound)."""
        from kabar.core.library.recovery import check_database

        return check_database(self.paths.database)

    def emptied_copies(self) -> int:
        """Saved copies beside a database that was emptied (0 bytes): they can restore it."""
        from kabar.core.emptied import emptied_with_copies

        return emptied_with_copies(self.paths.database)

    def recover(self) -> RecoveryReport:
        """Rebuild a damaged database from what can be read, saved articles first."""
        from kabar.core.library.recovery import recover_database
        from kabar.core.library.savedcopies import read_copies

        path = self.paths.database
        if not path.exists() and not read_copies(path.parent):
            raise KabarError(f"no database at {path}")
        self.close()  # recovery replaces the file: no connection of ours may hold it
        return recover_database(path)
