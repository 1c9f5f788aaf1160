"""The Store: one SQLite connection and the queries Kabar needs.

One Store (one connection) per thread. Writes happen in short explicit transactions; a
refresh writes all its feeds in one batch so SQLite syncs once, not once per entry. WAL
mode lets the TUI keep reading while a refresh writes.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kabar.core.errors import StoreError
from kabar.core.models import (
    Enclosure,
    EntryDetail,
    EntryRow,
    FeedRow,
    FeedUpdate,
    ParsedEntry,
)
from kabar.core.store.migrations import migrate

_FEED_COLUMNS = (
    "f.id, f.url, f.title, f.site_url, f.folder, f.kind, f.last_error, f.last_fetched, "
    "f.disabled, f.etag, f.last_modified, f.next_fetch, f.min_interval"
)
_ENTRY_COLUMNS = (
    "e.id, e.feed_id, f.title, e.title, e.link, e.author, e.published, e.sort_date, e.read, e.saved"
)


@dataclass(slots=True)
class EntryFilter:
    """Which entries a list shows."""

    feed_id: int | None = None
    folder: str | None = None
    unread_only: bool = False
    saved_only: bool = False


@dataclass(slots=True)
class StoredCounts:
    new: int = 0
    updated: int = 0


def open_store(path: Path | str) -> Store:
    """Open (creating and migrating as needed) the database at `path`."""
    return Store(path)


class Store:
    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        try:
            self.conn = sqlite3.connect(self.path, timeout=15.0, isolation_level=None)
            self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = NORMAL")
            self.conn.execute("PRAGMA foreign_keys = ON")
            migrate(self.conn)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open the database {self.path}: {exc}") from exc

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction taken up front (BEGIN IMMEDIATE), so it never fails half-way
        on a lock upgrade."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # -- feeds -------------------------------------------------------------------------------
    def add_feed(self, url: str, title: str = "", folder: str = "", site_url: str = "") -> FeedRow:
        """Add a feed, or bring back one that was removed; an existing feed is returned as is."""
        now = time.time()
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO feeds (url, title, folder, site_url, added) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (url) DO UPDATE SET removed = NULL WHERE removed IS NOT NULL",
                (url, title, folder, site_url, now),
            )
        feed = self.feed_by_url(url)
        assert feed is not None
        return feed

    def remove_feed(self, url: str) -> int:
        """Remove a feed; returns how many saved entries were kept.

        Saved entries are never deleted with their feed: a feed with saved entries is only
        marked removed (hidden, not refreshed) and loses its unsaved entries.
        """
        feed = self.feed_by_url(url)
        if feed is None:
            raise StoreError(f"no feed with URL {url}")
        with self.transaction() as conn:
            saved = conn.execute(
                "SELECT count(*) FROM entries WHERE feed_id = ? AND saved = 1", (feed.id,)
            ).fetchone()[0]
            if saved:
                conn.execute("DELETE FROM entries WHERE feed_id = ? AND saved = 0", (feed.id,))
                conn.execute("UPDATE feeds SET removed = ? WHERE id = ?", (time.time(), feed.id))
            else:
                conn.execute("DELETE FROM feeds WHERE id = ?", (feed.id,))
        return int(saved)

    def feed_by_url(self, url: str) -> FeedRow | None:
        rows = self._feeds("WHERE f.url = ? AND f.removed IS NULL", (url,))
        return rows[0] if rows else None

    def feed_by_id(self, feed_id: int) -> FeedRow | None:
        rows = self._feeds("WHERE f.id = ?", (feed_id,))
        return rows[0] if rows else None

    def list_feeds(self, urls: Sequence[str] | None = None) -> list[FeedRow]:
        """Active feeds with unread and total counts, by folder then title."""
        if urls:
            marks = ",".join("?" * len(urls))
            return self._feeds(f"WHERE f.removed IS NULL AND f.url IN ({marks})", tuple(urls))
        return self._feeds("WHERE f.removed IS NULL", ())

    def _feeds(self, where: str, params: tuple[object, ...]) -> list[FeedRow]:
        sql = (
            f"SELECT {_FEED_COLUMNS}, COALESCE(c.unread, 0), COALESCE(c.total, 0) FROM feeds f "
            "LEFT JOIN (SELECT feed_id, sum(read = 0) AS unread, count(*) AS total "
            "FROM entries GROUP BY feed_id) c ON c.feed_id = f.id "
            f"{where} ORDER BY f.folder, lower(CASE f.title WHEN '' THEN f.url ELSE f.title END)"
        )
        return [
            FeedRow(
                id=r[0],
                url=r[1],
                title=r[2],
                site_url=r[3],
                folder=r[4],
                kind=r[5],
                last_error=r[6],
                last_fetched=r[7],
                disabled=r[8],
                etag=r[9],
                last_modified=r[10],
                next_fetch=r[11],
                min_interval=r[12],
                unread=r[13],
                total=r[14],
            )
            for r in self.conn.execute(sql, params)
        ]

    def set_feed_folder(self, feed_id: int, folder: str) -> None:
        with self.transaction() as conn:
            conn.execute("UPDATE feeds SET folder = ? WHERE id = ?", (folder, feed_id))

    # -- refresh results ---------------------------------------------------------------------
    def apply_updates(self, updates: Iterable[FeedUpdate]) -> dict[int, StoredCounts]:
        """Write the outcome of a refresh for many feeds in one transaction."""
        counts: dict[int, StoredCounts] = {}
        with self.transaction() as conn:
            for update in updates:
                counts[update.feed_id] = self._apply_update(conn, update)
        return counts

    def _apply_update(self, conn: sqlite3.Connection, up: FeedUpdate) -> StoredCounts:
        if up.error:
            conn.execute(
                "UPDATE feeds SET last_fetched = ?, last_status = ?, last_error = ?, "
                "error_count = error_count + 1, next_fetch = ?, disabled = ? WHERE id = ?",
                (up.fetched_at, up.status, up.error, up.next_fetch, up.disabled, up.feed_id),
            )
            return StoredCounts()
        conn.execute(
            "UPDATE feeds SET last_fetched = ?, last_status = ?, last_error = '', error_count = 0, "
            "next_fetch = ?, etag = COALESCE(?, etag), last_modified = COALESCE(?, last_modified) "
            "WHERE id = ?",
            (up.fetched_at, up.status, up.next_fetch, up.etag, up.last_modified, up.feed_id),
        )
        if up.new_url:
            conn.execute(
                "UPDATE OR IGNORE feeds SET url = ? WHERE id = ?", (up.new_url, up.feed_id)
            )
        if up.parsed is None:
            return StoredCounts()
        feed = up.parsed
        conn.execute(
            "UPDATE feeds SET title = CASE WHEN ? != '' THEN ? ELSE title END, "
            "site_url = CASE WHEN ? != '' THEN ? ELSE site_url END, kind = ?, min_interval = ? "
            "WHERE id = ?",
            (
                feed.title,
                feed.title,
                feed.link,
                feed.link,
                feed.kind,
                (feed.ttl_minutes or 0) * 60.0,
                up.feed_id,
            ),
        )
        return self._store_entries(conn, up.feed_id, feed.entries, up.fetched_at)

    def _store_entries(
        self, conn: sqlite3.Connection, feed_id: int, entries: list[ParsedEntry], now: float
    ) -> StoredCounts:
        known = dict(
            conn.execute("SELECT key, fingerprint FROM entries WHERE feed_id = ?", (feed_id,))
        )
        inserts: list[tuple[object, ...]] = []
        changes: list[tuple[object, ...]] = []
        seen: set[str] = set()
        for index, entry in enumerate(entries):
            key = entry.identity()
            if key in seen:
                continue  # the same entry twice in one document: the first one wins
            seen.add(key)
            fingerprint = entry.fingerprint()
            old = known.get(key)
            if old == fingerprint:
                continue
            values = (
                fingerprint,
                entry.title,
                entry.link,
                entry.author,
                entry.published,
                entry.updated,
                entry.summary,
                entry.content,
                _enclosures_json(entry.enclosures),
            )
            if old is None:
                # Undated entries sort in document order just below "now".
                sort_date = entry.published if entry.published is not None else now - index
                inserts.append((feed_id, key, *values, sort_date, now))
            else:
                changes.append((*values, entry.published, feed_id, key))
        if inserts:
            conn.executemany(
                "INSERT INTO entries (feed_id, key, fingerprint, title, link, author, published, "
                "updated, summary, content, enclosures, sort_date, first_seen) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                inserts,
            )
        if changes:
            conn.executemany(
                "UPDATE entries SET fingerprint = ?, title = ?, link = ?, author = ?, "
                "published = ?, updated = ?, summary = ?, content = ?, enclosures = ?, "
                "sort_date = COALESCE(?, sort_date) WHERE feed_id = ? AND key = ?",
                changes,
            )
        return StoredCounts(new=len(inserts), updated=len(changes))

    # -- entries -----------------------------------------------------------------------------
    def list_entries(
        self, flt: EntryFilter | None = None, limit: int = 500, offset: int = 0
    ) -> list[EntryRow]:
        where, params = _entry_where(flt or EntryFilter())
        sql = (
            f"SELECT {_ENTRY_COLUMNS} FROM entries e JOIN feeds f ON f.id = e.feed_id {where} "
            "ORDER BY e.sort_date DESC, e.id DESC LIMIT ? OFFSET ?"
        )
        return [_entry_row(r) for r in self.conn.execute(sql, (*params, limit, offset))]

    def count_entries(self, flt: EntryFilter | None = None) -> int:
        where, params = _entry_where(flt or EntryFilter())
        sql = f"SELECT count(*) FROM entries e JOIN feeds f ON f.id = e.feed_id {where}"
        return int(self.conn.execute(sql, params).fetchone()[0])

    def entry_position(self, flt: EntryFilter, entry_id: int) -> int | None:
        """Where an entry now sits in a view (None when the view no longer shows it)."""
        where, params = _entry_where(flt)
        found = self.conn.execute(
            f"SELECT e.sort_date FROM entries e JOIN feeds f ON f.id = e.feed_id {where} "
            "AND e.id = ?",
            (*params, entry_id),
        ).fetchone()
        if found is None:
            return None
        before = self.conn.execute(
            f"SELECT count(*) FROM entries e JOIN feeds f ON f.id = e.feed_id {where} "
            "AND (e.sort_date > ? OR (e.sort_date = ? AND e.id > ?))",
            (*params, found[0], found[0], entry_id),
        ).fetchone()[0]
        return int(before)

    def get_entry(self, entry_id: int) -> EntryDetail | None:
        row = self.conn.execute(
            f"SELECT {_ENTRY_COLUMNS}, f.url, e.summary, e.content, e.enclosures, a.document "
            "FROM entries e JOIN feeds f ON f.id = e.feed_id "
            "LEFT JOIN articles a ON a.entry_id = e.id WHERE e.id = ?",
            (entry_id,),
        ).fetchone()
        if row is None:
            return None
        return EntryDetail(
            row=_entry_row(row[:10]),
            feed_url=row[10],
            summary=row[11],
            content=row[12],
            enclosures=[Enclosure(**e) for e in json.loads(row[13] or "[]")],
            full_text=row[14],
        )

    def set_read(self, entry_ids: Sequence[int], read: bool = True) -> None:
        self._set_flag("read", entry_ids, read)

    def set_saved(self, entry_ids: Sequence[int], saved: bool = True) -> None:
        self._set_flag("saved", entry_ids, saved)

    def _set_flag(self, column: str, entry_ids: Sequence[int], value: bool) -> None:
        with self.transaction() as conn:
            conn.executemany(
                f"UPDATE entries SET {column} = ? WHERE id = ?",
                [(int(value), entry_id) for entry_id in entry_ids],
            )

    def mark_all_read(self, flt: EntryFilter) -> list[int]:
        """Mark every unread entry matching `flt` read; returns their ids (for undo)."""
        where, params = _entry_where(EntryFilter(flt.feed_id, flt.folder, True, flt.saved_only))
        ids = [
            r[0]
            for r in self.conn.execute(
                f"SELECT e.id FROM entries e JOIN feeds f ON f.id = e.feed_id {where}", params
            )
        ]
        self.set_read(ids, True)
        return ids

    # -- extracted articles ------------------------------------------------------------------
    def store_article(
        self,
        entry_id: int,
        url: str,
        document: str,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO articles (entry_id, url, document, fetched, etag, "
                "last_modified) VALUES (?, ?, ?, ?, ?, ?)",
                (entry_id, url, document, time.time(), etag, last_modified),
            )

    def article(self, entry_id: int) -> str | None:
        row = self.conn.execute(
            "SELECT document FROM articles WHERE entry_id = ?", (entry_id,)
        ).fetchone()
        return None if row is None else str(row[0])


def _entry_where(flt: EntryFilter) -> tuple[str, tuple[object, ...]]:
    clauses = ["(f.removed IS NULL OR e.saved = 1)"]
    params: list[object] = []
    if flt.feed_id is not None:
        clauses.append("e.feed_id = ?")
        params.append(flt.feed_id)
    if flt.folder is not None:
        clauses.append("f.folder = ?")
        params.append(flt.folder)
    if flt.unread_only:
        clauses.append("e.read = 0")
    if flt.saved_only:
        clauses.append("e.saved = 1")
    return "WHERE " + " AND ".join(clauses), tuple(params)


def _entry_row(r: Sequence[object]) -> EntryRow:
    return EntryRow(
        id=int(r[0]),  # type: ignore[call-overload]
        feed_id=int(r[1]),  # type: ignore[call-overload]
        feed_title=str(r[2]),
        title=str(r[3]),
        link=str(r[4]),
        author=str(r[5]),
        published=r[6],  # type: ignore[arg-type]
        sort_date=float(r[7]),  # type: ignore[arg-type]
        read=bool(r[8]),
        saved=bool(r[9]),
    )


def _enclosures_json(enclosures: list[Enclosure]) -> str:
    if not enclosures:
        return "[]"
    return json.dumps(
        [
            {
                "url": e.url,
                "type": e.type,
                "length": e.length,
                "caption": e.caption,
                "credit": e.credit,
            }
            for e in enclosures
        ],
        ensure_ascii=False,
    )
