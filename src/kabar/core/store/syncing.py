"""What a sync with a feed server keeps: feeds' stream ids, item ids, the change queue.

Synced feeds and entries live in the ordinary tables, so reading, full text, saving,
search and retention treat them as any other; `sync_items` maps a server item id to its
entry, and `sync_queue` holds the local read/saved changes not yet sent (written by
`EntryQueries._set_flag` in the same transaction as the change itself).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kabar.core.models import Enclosure
from kabar.core.store.base import StoreBase
from kabar.core.store.updates import _enclosures_json


@dataclass(slots=True)
class QueuedChange:
    item_id: int
    field: str  # "read" or "saved"
    value: bool


@dataclass(slots=True)
class SyncedStates:
    """The stored server items and their local state, as sets of item ids (what a sync
    compares with the server's unread and starred lists)."""

    known: set[int]
    unread: set[int]
    saved: set[int]


@dataclass(slots=True)
class NewEntry:
    """One server item ready to store (plain values: the store knows no sync types)."""

    item_id: int
    feed_id: int
    title: str
    link: str
    author: str
    published: float | None
    content: str
    enclosures: list[Enclosure]
    read: bool
    saved: bool


class SyncQueries(StoreBase):
    # -- account state -----------------------------------------------------------------------
    def sync_state(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT key, value FROM sync_state").fetchall())

    def set_sync_state(self, values: Mapping[str, str]) -> None:
        with self.transaction() as conn:
            conn.executemany(
                "INSERT INTO sync_state (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                list(values.items()),
            )

    # -- feeds -------------------------------------------------------------------------------
    def synced_feeds(self) -> dict[str, int]:
        """Active synced feeds: stream id -> feed id."""
        return dict(
            self.conn.execute(
                "SELECT stream_id, id FROM feeds WHERE stream_id != '' AND removed IS NULL"
            ).fetchall()
        )

    def local_feed_urls(self) -> list[str]:
        """Feeds Kabar fetches itself (not from the sync server)."""
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT url FROM feeds WHERE stream_id = '' AND removed IS NULL ORDER BY id"
            )
        ]

    def set_synced_feeds(
        self, subs: Iterable[tuple[str, str, str, str, str]]
    ) -> tuple[dict[str, int], int]:
        """Make the synced feeds exactly `subs` (stream id, url, title, site url, folder).

        A feed already here under its URL is adopted (one whose URL changed on the server
        follows it); one the server no longer lists is removed as `remove_feed` does (its
        saved entries stay). Returns stream id -> feed id and how many feeds were removed.
        """
        now = time.time()
        subs = list(subs)
        wanted = {s[0] for s in subs}
        current = {
            row[0]: row[1:]
            for row in self.conn.execute(
                "SELECT stream_id, url, title, site_url, folder FROM feeds "
                "WHERE stream_id != '' AND removed IS NULL"
            )
        }
        # Only what differs is written: a sync that changed nothing takes no write lock.
        differ = [s for s in subs if current.get(s[0]) != (s[1], s[2], s[3], s[4])]
        gone = [stream for stream in current if stream not in wanted]
        if not differ and not gone:
            return self.synced_feeds(), 0
        removed = 0
        with self.transaction() as conn:
            for stream, url, title, site, folder in differ:
                # The same subscription under a new URL (the feed moved): follow it.
                conn.execute(
                    "UPDATE OR IGNORE feeds SET url = ? WHERE stream_id = ? AND url != ?",
                    (url, stream, url),
                )
                conn.execute(
                    "INSERT INTO feeds (url, title, site_url, folder, stream_id, added) "
                    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET "
                    "title = excluded.title, site_url = excluded.site_url, "
                    "folder = excluded.folder, stream_id = excluded.stream_id, removed = NULL "
                    "WHERE (title, site_url, folder, stream_id) IS NOT "
                    "(excluded.title, excluded.site_url, excluded.folder, excluded.stream_id) "
                    "OR removed IS NOT NULL",
                    (url, title, site, folder, stream, now),
                )
            gone_ids = [
                feed_id
                for stream, feed_id in conn.execute(
                    "SELECT stream_id, id FROM feeds WHERE stream_id != '' AND removed IS NULL"
                )
                if stream not in wanted
            ]
            for feed_id in gone_ids:
                removed += 1
                saved = conn.execute(
                    "SELECT count(*) FROM entries WHERE feed_id = ? AND saved = 1", (feed_id,)
                ).fetchone()[0]
                if saved:
                    conn.execute("DELETE FROM entries WHERE feed_id = ? AND saved = 0", (feed_id,))
                    conn.execute("UPDATE feeds SET removed = ? WHERE id = ?", (now, feed_id))
                else:
                    conn.execute("DELETE FROM feeds WHERE id = ?", (feed_id,))
        return self.synced_feeds(), removed

    def keep_unsubscribed_feeds(
        self, origins: Iterable[tuple[str, str, str, str]]
    ) -> dict[str, int]:
        """Feeds for server items whose feed is not subscribed (stream id, url, title, site
        url): Inoreader and others keep the starred items of a feed unsubscribed. Each is
        kept as a removed feed, as `set_synced_feeds` keeps one the server stopped
        listing: its saved entries are listed, the rest not, and it is never fetched; a
        feed subscribed again takes it back. Returns stream id -> feed id (a URL taken by
        a feed listed or subscribed is left out: those items stay on the server)."""
        now = time.time()
        found: dict[str, int] = {}
        with self.transaction() as conn:
            for stream, url, title, site in origins:
                conn.execute(  # a removed feed of the URL is taken back (an account
                    # left and joined again); one still listed or subscribed is not
                    "INSERT INTO feeds (url, title, site_url, stream_id, added, removed) "
                    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET "
                    "stream_id = excluded.stream_id WHERE removed IS NOT NULL",
                    (url, title, site, stream, now, now),
                )
                row = conn.execute(
                    "SELECT id FROM feeds WHERE stream_id = ? ORDER BY removed IS NOT NULL LIMIT 1",
                    (stream,),
                ).fetchone()
                if row is not None:
                    found[stream] = row[0]
        return found

    # -- items -------------------------------------------------------------------------------
    def synced_states(self) -> SyncedStates:
        """Every stored item id, and those unread and saved here. Read through the partial
        indexes on read = 0 and saved = 1 (a join reading `read` from every entry row
        walks past each entry's content, four times slower at 20,000 entries)."""
        return SyncedStates(
            known={r[0] for r in self.conn.execute("SELECT item_id FROM sync_items")},
            unread={
                r[0]
                for r in self.conn.execute(
                    "SELECT s.item_id FROM entries e INDEXED BY entries_unread "
                    "CROSS JOIN sync_items s ON s.entry_id = e.id WHERE e.read = 0"
                )
            },
            saved={
                r[0]
                for r in self.conn.execute(
                    "SELECT s.item_id FROM entries e INDEXED BY entries_saved "
                    "CROSS JOIN sync_items s ON s.entry_id = e.id WHERE e.saved = 1"
                )
            },
        )

    def purged_items(self) -> set[int]:
        """Items retention removed: not fetched again while the server still lists them."""
        out = set()
        for (key,) in self.conn.execute(
            "SELECT p.key FROM purged p JOIN feeds f ON f.id = p.feed_id WHERE f.stream_id != ''"
        ):
            try:
                out.add(int(key))
            except ValueError:
                continue
        return out

    def add_synced_entries(self, entries: Iterable[NewEntry], now: float) -> int:
        """Store new server items with their entries, in one transaction; an item already
        stored (a sync cut short and repeated) is skipped, never duplicated. Two statements
        run per batch (executemany), not four per entry: a first sync stores 20,000. A
        synced entry's fingerprint is left empty: the server's item id is its key and a
        server item is never compared for changes (hashing 20,000 cost 0.1-0.2 s)."""
        rows = {e.item_id: e for e in entries}  # an item twice in one batch: stored once
        if not rows:
            return 0
        with self.transaction() as conn:
            marks = ",".join("?" * len(rows))
            for (item,) in conn.execute(
                f"SELECT item_id FROM sync_items WHERE item_id IN ({marks})", list(rows)
            ).fetchall():
                del rows[item]
            (top,) = conn.execute("SELECT coalesce(max(id), 0) FROM entries").fetchone()
            stored = conn.executemany(
                "INSERT INTO entries (feed_id, key, fingerprint, title, link, author, "
                "published, sort_date, content, enclosures, first_seen, read, saved) "
                "VALUES (?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (feed_id, key) DO NOTHING",
                [
                    (
                        e.feed_id,
                        str(e.item_id),
                        e.title,
                        e.link,
                        e.author,
                        e.published,
                        e.published if e.published is not None else now,
                        e.content,
                        _enclosures_json(e.enclosures),
                        now,
                        int(e.read),
                        int(e.saved),
                    )
                    for e in rows.values()
                ],
            )
            # Each item is linked to the entry under its key. The entries just stored are
            # the ones above the old top id (this transaction is the only writer), linked
            # in one statement; looked up one by one, the links cost a third of storing.
            linked = conn.execute(
                "INSERT OR IGNORE INTO sync_items (item_id, entry_id) "
                "SELECT CAST(key AS INTEGER), id FROM entries WHERE id > ?",
                (top,),
            ).rowcount
            if stored.rowcount < len(rows):  # some were kept from before (a saved entry
                # of an account left and joined again): linked by their keys
                linked += conn.executemany(
                    "INSERT OR IGNORE INTO sync_items (item_id, entry_id) "
                    "SELECT ?, id FROM entries WHERE feed_id = ? AND key = ?",
                    [(e.item_id, e.feed_id, str(e.item_id)) for e in rows.values()],
                ).rowcount
            return max(0, linked)

    def apply_server_states(
        self,
        unread: set[int],
        starred: set[int],
        purged_saved: set[int] | None = None,
        local: SyncedStates | None = None,
    ) -> int:
        """Set read/saved of every stored item from the server's complete unread and
        starred id lists, except items with a change still queued here: a queued local
        change wins over the server state it was based on. `purged_saved` are saved items
        the server no longer has: they stay saved. `local` is `synced_states()` taken
        after the queue was sent (items stored since then came with the server's state).
        The differences are found with set operations; only changed entries are written.
        Returns how many changed."""
        local = self.synced_states() if local is None else local
        want_saved = starred | (purged_saved or set())
        differ = ((local.unread ^ unread) | (local.saved ^ want_saved)) & local.known
        if not differ:
            return 0
        pending = {r[0] for r in self.conn.execute("SELECT DISTINCT item_id FROM sync_queue")}
        changes = [
            (int(item not in unread), int(item in want_saved), item) for item in differ - pending
        ]
        if changes:
            with self.transaction() as conn:
                # Re-check the queue inside the write lock: the reader may have just queued.
                late = {r[0] for r in conn.execute("SELECT DISTINCT item_id FROM sync_queue")}
                conn.executemany(
                    "UPDATE entries SET read = ?, saved = ? "
                    "WHERE id = (SELECT entry_id FROM sync_items WHERE item_id = ?)",
                    [c for c in changes if c[2] not in late],
                )
        return len(changes)

    # -- the queue ---------------------------------------------------------------------------
    def queued_changes(self) -> tuple[list[QueuedChange], int]:
        """The queue collapsed to the last change per item and field, and the highest
        sequence number it covers (to drop exactly those rows once the server has them)."""
        latest: dict[tuple[int, str], bool] = {}
        top = 0
        for seq, item, field, value in self.conn.execute(
            "SELECT seq, item_id, field, value FROM sync_queue ORDER BY seq"
        ):
            latest[(item, field)] = bool(value)
            top = seq
        return [QueuedChange(i, f, v) for (i, f), v in latest.items()], top

    def drop_queued(self, up_to: int) -> None:
        with self.transaction() as conn:
            conn.execute("DELETE FROM sync_queue WHERE seq <= ?", (up_to,))

    def queue_length(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM sync_queue").fetchone()[0])

    # -- leaving -----------------------------------------------------------------------------
    def detach_sync(self) -> int:
        """Turn synced feeds back into local ones (the [sync] table was removed, or the
        account changed): unsaved synced entries go (a local refresh fetches the feeds
        again), saved ones stay. Returns how many entries were kept."""
        with self.transaction() as conn:
            conn.execute(
                "DELETE FROM entries WHERE saved = 0 AND id IN (SELECT entry_id FROM sync_items)"
            )
            kept = conn.execute("SELECT count(*) FROM sync_items").fetchone()[0]
            conn.execute("DELETE FROM sync_items")
            conn.execute("DELETE FROM sync_queue")
            conn.execute("DELETE FROM sync_state")
            conn.execute(
                "DELETE FROM purged WHERE feed_id IN (SELECT id FROM feeds WHERE stream_id != '')"
            )
            conn.execute("UPDATE feeds SET stream_id = '' WHERE stream_id != ''")
        return int(kept)
