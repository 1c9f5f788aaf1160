"""Writing refresh results: many feeds in one transaction, unchanged entries untouched."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from kabar.core.models import Enclosure, FeedUpdate, ParsedEntry
from kabar.core.store.base import StoreBase


@dataclass(slots=True)
class StoredCounts:
    new: int = 0
    updated: int = 0


class UpdateWriter(StoreBase):
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
        # Entries removed by retention stay removed, even while the feed still lists them.
        purged = {
            k for (k,) in conn.execute("SELECT key FROM purged WHERE feed_id = ?", (feed_id,))
        }
        inserts: list[tuple[object, ...]] = []
        changes: list[tuple[object, ...]] = []
        seen: set[str] = set()
        for index, entry in enumerate(entries):
            key = entry.identity()
            if key in seen or key in purged:
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
                # a date the entry's page gave (date_undated_entry) stays until the feed has one
                "published = COALESCE(?, published), updated = ?, summary = ?, content = ?, "
                "enclosures = ?, "
                "sort_date = COALESCE(?, sort_date), indexed = 0 WHERE feed_id = ? AND key = ?",
                changes,
            )
        return StoredCounts(new=len(inserts), updated=len(changes))


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
