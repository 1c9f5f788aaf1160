"""One sync with a Google Reader API server, in the order its maintainers recommend.

FreshRSS's "Synchronisation recommendation" (FreshRSS#2566) and BazQux's API notes: ids
first, contents only for ids not stored yet, and the unread and starred id lists to
reconcile state; no per-feed requests. A sync that changed nothing costs five requests:
login, subscription/list, unread ids, starred ids, ids crawled since the last sync.

1. Send the queued local changes (edit-tag, batched); drop them once the server said OK.
   They go first, so the lists asked for next already include them.
2. subscription/list: feeds and folders (labels) as the server has them; a synced feed
   the config puts in another folder is moved there on the server first.
3. Unread ids (reading-list minus read), starred ids, and ids crawled since the last
   sync (`ot`; the newest `FIRST_SYNC_LIMIT` on a first sync), continuations followed.
   Steps 2 and 3 go out at once, from a few threads over the one client (after the
   login), while the store reads its own state: a sync waits for the slowest request,
   not for the sum of them, and parses one answer while the server writes the next.
4. stream/items/contents for the ids not stored, in batches, each stored in its own
   transaction with its id map, so an interrupted sync keeps what it stored and the next
   one neither loses nor duplicates anything. In `kabar refresh` two batches are asked
   for while one is parsed and stored, so the server never waits for Kabar to ask (not
   in the reader, where it would slow the keys: see `_store_new`).
5. Read/saved of every stored item from the two lists, except items with a change queued
   here since step 1: a queued local change wins over the server state it was based on;
   otherwise the server wins. An item the server no longer has (purged) is in neither
   list: it becomes read, and stays saved if it was (a saved item missing from the
   starred list is looked up, one contents request, to tell a purge from an unstar);
   then retention treats it as any other entry.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing, contextmanager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import TypeVar

from kabar.core.config.settings import Config, FeedConfig
from kabar.core.store import Store
from kabar.core.store.syncing import NewEntry, SyncedStates
from kabar.core.sync.account import account_name
from kabar.core.sync.client import (
    CONTENTS_BATCH,
    READ,
    READING_LIST,
    STARRED,
    AuthError,
    GReaderClient,
    SyncError,
    SyncStopped,
)
from kabar.core.sync.items import Subscription, SyncItem, stream_url

log = logging.getLogger("kabar.sync")

StoredCallback = Callable[[int, int], None]  # items fetched and stored so far, of how many

FIRST_SYNC_LIMIT = 5_000  # read items fetched on a first sync (unread and starred: all)
CRAWL_MARGIN = 120  # seconds of overlap between two syncs' `ot` windows (clock skew)


@dataclass(slots=True)
class SyncSummary:
    account: str
    feeds: int = 0
    new: int = 0  # entries stored
    sent: int = 0  # queued local changes sent
    changed: int = 0  # entries whose read/saved state the server changed
    removed_feeds: int = 0
    requests: int = 0
    elapsed: float = 0.0
    error: str = ""

    def line(self) -> str:
        if self.error:
            return f"Sync {self.account} failed: {self.error}"
        return (
            f"Synced {self.account}: {self.feeds} feeds, {self.new} new entries, "
            f"{self.changed} changed, {self.sent} changes sent in {self.elapsed:.1f} s"
        )


def sync(
    target: Store | Path | str,
    config: Config,
    *,
    first_limit: int = FIRST_SYNC_LIMIT,
    client: GReaderClient | None = None,
    on_stored: StoredCallback | None = None,
) -> SyncSummary:
    """Synchronise a store (the Library's connection of this thread, or the database at a
    path, opened for this sync) with the config's [sync] account.

    Never raises for a server problem: the summary's `error` says it in one line, and the
    store keeps its state and its queue. A missing password raises ConfigError. A `client`
    given (the reader keeps one between syncs, logged in) is used and left open.
    `on_stored(done, total)` is called after each contents batch is stored (the reader
    shows a first sync's progress).
    """
    settings = config.sync
    if settings is None:
        raise SyncError("no [sync] table in the config")
    account = account_name(settings)
    summary = SyncSummary(account)
    started_wall, started = time.time(), time.monotonic()
    with _opened(target) as store:
        state = store.sync_state()
        if state.get("account", account) != account:
            store.detach_sync()  # another account: start again from its subscriptions
            state = {}
        owned = client is None
        if client is None:
            from kabar.core.sync.subscriptions import client_for

            client = client_for(config)
        before = client.requests
        try:
            since = float(state.get("since") or 0)
            _sync(store, client, summary, since, first_limit, config.feeds, on_stored)
            store.set_sync_state(
                {
                    "account": account,
                    "since": f"{started_wall:.0f}",
                    "last_sync": f"{time.time():.0f}",
                    "last_error": "",
                }
            )
        except SyncStopped as exc:  # stopped from this side: not the server's error
            summary.error = str(exc)
        except SyncError as exc:
            summary.error = str(exc)
            store.set_sync_state({"account": account, "last_error": summary.error})
        finally:
            summary.requests = client.requests - before
            if owned:
                client.close()
    summary.elapsed = time.monotonic() - started
    return summary


@contextmanager
def _opened(target: Store | Path | str) -> Iterator[Store]:
    """The store given, left open; or the database at a path, closed after the sync."""
    if isinstance(target, Store):
        yield target
        return
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    with Store(target) as store:
        yield store


def _sync(
    store: Store,
    client: GReaderClient,
    summary: SyncSummary,
    since: float,
    first_limit: int,
    feed_settings: Mapping[str, FeedConfig],
    on_stored: StoredCallback | None = None,
) -> None:
    summary.sent = send_queue(store, client)
    client.ensure_login()  # once, before the requests that go out together
    pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="kabar-sync")
    try:
        subs_job = pool.submit(client.subscriptions)
        unread_job = pool.submit(client.item_ids, READING_LIST, exclude=READ)
        starred_job = pool.submit(client.item_ids, STARRED)
        if since:
            recent_job = pool.submit(client.item_ids, READING_LIST, since=int(since) - CRAWL_MARGIN)
        else:
            recent_job = pool.submit(client.item_ids, READING_LIST, limit=first_limit)
        local = store.synced_states()  # after the queue was sent, while the lists travel
        purged = store.purged_items()
        subs = _apply_folders(client, subs_job.result(), feed_settings)
        feeds, summary.removed_feeds = store.set_synced_feeds(
            (s.stream_id, s.url, s.title, s.site_url, s.folder) for s in subs
        )
        summary.feeds = len(feeds)
        unread = set(unread_job.result())
        starred = set(starred_job.result())
        recent = recent_job.result()
    except BaseException:  # an error or Ctrl-C: say so now, not after the other lists
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    wanted = (unread | starred).union(recent)
    wanted -= local.known
    wanted -= purged
    wanted_ids = sorted(wanted, reverse=True)
    _store_new(store, client, summary, wanted_ids, dict(feeds), unread, starred, on_stored)
    summary.changed = _reconcile(store, client, local, unread, starred)


def _apply_folders(
    client: GReaderClient, subs: list[Subscription], feed_settings: Mapping[str, FeedConfig]
) -> list[Subscription]:
    """A folder the config gives a synced feed is set on the server."""
    for sub in subs:
        setting = feed_settings.get(sub.url)
        if setting is not None and setting.folder and setting.folder != sub.folder:
            try:
                client.edit_subscription(sub.stream_id, "edit", folder=setting.folder,
                                         leave=sub.folder)  # fmt: skip
            except AuthError:
                raise
            except SyncError as exc:  # the server's folder stays; the sync goes on
                log.warning("could not move %s to %s: %s", sub.url, setting.folder, exc)
                continue
            sub.folder = setting.folder
    return subs


def _store_new(
    store: Store,
    client: GReaderClient,
    summary: SyncSummary,
    wanted: list[int],
    feeds: dict[str, int],
    unread: set[int],
    starred: set[int],
    on_stored: StoredCallback | None = None,
) -> None:
    """Fetch and store the items not stored yet, batch by batch, saying after each one how
    far it got (`on_stored`).

    On the main thread (`kabar refresh`), two contents requests are in flight
    (`fetch_ahead`) while this thread parses and stores: the server answers the next
    batch meanwhile. A sync in the reader runs in a worker beside the UI thread, and asks
    for one batch at a time: keys pressed while `R` synchronised 15,000 items
    (bench/sync.py's keys phase) answered at a p90 of 21-28 ms that way (5 runs), and of
    35-76 ms with two requests in flight (4 runs, one key at 188 ms), for a sync of 1.5-1.9
    s instead of 2.0-2.4 s. The keys come first."""
    jobs = [wanted[i : i + CONTENTS_BATCH] for i in range(0, len(wanted), CONTENTS_BATCH)]
    if threading.current_thread() is threading.main_thread():
        answers = fetch_ahead(client.contents_answer, jobs)
    else:  # the reader: one batch at a time
        answers = (client.contents_answer(ids) for ids in jobs)
    done = 0
    with closing(answers):  # an error cancels the requests not started
        for ids, answer in zip(jobs, answers, strict=True):
            # The batch's items are a temporary: freed before the next answer is decoded.
            _store_batch(store, client.items_in(answer), summary, feeds, unread, starred)
            done += len(ids)
            if on_stored is not None:
                on_stored(done, len(wanted))


def _store_batch(
    store: Store,
    batch: list[SyncItem],
    summary: SyncSummary,
    feeds: dict[str, int],
    unread: set[int],
    starred: set[int],
) -> None:
    """Store one contents batch. A starred item of a feed not subscribed (some servers
    keep those after the feed is gone) goes to a removed feed of its own, so it shows as
    saved and is not asked for again at every sync; `feeds` learns that feed. Any other
    item of a feed not listed (one subscribed since the list was read) waits for the
    next sync, which lists its feed."""
    unknown = {
        item.stream_id: item for item in batch if item.stream_id not in feeds and item.id in starred
    }
    if unknown:
        feeds.update(
            store.keep_unsubscribed_feeds(
                (
                    stream,
                    _unsubscribed_url(stream, summary.account),
                    item.feed_title or stream,
                    item.site_url,
                )
                for stream, item in unknown.items()
            )
        )
    now = time.time()
    rows = [
        NewEntry(
            item_id=item.id,
            feed_id=feeds[item.stream_id],
            title=item.entry.title,
            link=item.entry.link,
            author=item.entry.author,
            published=item.entry.published,
            content=item.entry.content,
            enclosures=item.entry.enclosures,
            read=item.id not in unread,
            saved=item.id in starred,
        )
        for item in batch
        if item.stream_id in feeds
    ]
    summary.new += store.add_synced_entries(rows, now)


def _unsubscribed_url(stream: str, account: str) -> str:
    """The URL a feed no longer subscribed is kept under: its own when the stream id holds
    it (Inoreader's `feed/<url>`), else one of this account's (FreshRSS's `feed/12` is
    another feed on another server)."""
    url = stream_url(stream)
    return url if url.startswith(("http://", "https://")) else f"greader://{account}/{stream}"


def _reconcile(
    store: Store, client: GReaderClient, local: SyncedStates, unread: set[int], starred: set[int]
) -> int:
    """Read/saved from the server's lists. A saved item missing from the starred list was
    unstarred elsewhere, or the server purged it: ask for those items; the ones it no
    longer has stay saved here."""
    leaving = sorted(local.saved - starred)
    still: set[int] = set()
    for start in range(0, len(leaving), CONTENTS_BATCH):
        try:
            ids = leaving[start : start + CONTENTS_BATCH]
            still |= {item.id for found in client.contents(ids) for item in found}
        except SyncError as exc:  # Miniflux answers 400 when none of the ids exists
            if exc.status != 400:
                raise
    return store.apply_server_states(unread, starred, set(leaving) - still, local)


J = TypeVar("J")
R = TypeVar("R")


def fetch_ahead(
    fetch: Callable[[J], R], jobs: Iterable[J], in_flight: int = 2
) -> Generator[R, None, None]:
    """`fetch(job)` of each job, yielded in order, with up to `in_flight` calls running
    on threads meanwhile. Two contents requests in flight keep the server busy while
    this thread parses and stores: it answers the second while Kabar reads the first.
    With one request at a time, the server stood idle whenever the thread receiving
    wanted the GIL back from the one storing, which cost more than the server's own
    time. An error is raised at its job, after the results before it; a caller that
    stops early cancels the jobs not started. A request under way ends on its own: the
    threads are daemons (as a ThreadPoolExecutor's are not), so a process never waits
    at exit for an answer nobody will read."""
    todo: queue.SimpleQueue[tuple[Future[R], J] | None] = queue.SimpleQueue()

    def work() -> None:
        while (task := todo.get()) is not None:
            future, job = task
            if future.set_running_or_notify_cancel():
                try:
                    future.set_result(fetch(job))
                except BaseException as exc:  # raised in the caller's thread, at its job
                    future.set_exception(exc)

    for _ in range(in_flight):
        threading.Thread(target=work, name="kabar-contents", daemon=True).start()
    window: deque[Future[R]] = deque()

    def submit(job: J) -> None:
        future: Future[R] = Future()
        window.append(future)
        todo.put((future, job))

    pending = iter(jobs)
    try:
        for job in islice(pending, in_flight + 1):
            submit(job)
        while window:
            result = window.popleft().result()
            for job in islice(pending, 1):
                submit(job)
            yield result
    finally:
        for future in window:
            future.cancel()
        for _ in range(in_flight):
            todo.put(None)


def send_queue(store: Store, client: GReaderClient) -> int:
    """Send the queued read/saved changes, one edit-tag batch per kind of change; the
    queue rows are dropped only once every batch was accepted (resending is harmless)."""
    changes, top = store.queued_changes()
    if not changes:
        return 0
    groups: dict[tuple[str, bool], list[int]] = {}
    for change in changes:
        groups.setdefault((change.field, change.value), []).append(change.item_id)
    for (field, value), ids in sorted(groups.items()):
        tag = READ if field == "read" else STARRED
        if value:
            client.edit_tag(ids, add=tag)
        else:
            client.edit_tag(ids, remove=tag)
    store.drop_queued(top)
    return len(changes)
