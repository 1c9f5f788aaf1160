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
        known = {
            key: (fingerprint, first_seen)
            for key, fingerprint, first_seen in conn.execute(
                "SELECT key, fingerprint, first_seen FROM entries WHERE feed_id = ?", (feed_id,)
            )
        }
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
            if old is not None and old[0] == fingerprint:
                continue
            first_seen = now if old is None else old[1]
            published = _not_future(entry.published, now, first_seen)
            values = (
                fingerprint,
                entry.title,
                entry.link,
                entry.author,
                published,
                _not_future(entry.updated, now, first_seen),
                entry.summary,
                entry.content,
                _enclosures_json(entry.enclosures),
            )
            if old is None:
                # Undated entries sort in document order just below "now".
                sort_date = published if published is not None else now - index
                inserts.append((feed_id, key, *values, sort_date, now))
            else:
                changes.append((*values, published, feed_id, key))
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
        # Entries stored with a future date before dates were clamped: the index on
        # (feed_id, sort_date) makes this a no-op lookup when there are none.
        conn.execute(
            "UPDATE entries SET sort_date = first_seen, published = first_seen "
            "WHERE feed_id = ? AND sort_date > ?",
            (feed_id, now + FUTURE_TOLERANCE),
        )
        return StoredCounts(new=len(inserts), updated=len(changes))


# How far ahead of our clock a feed's date may be before we stop believing it: a day covers
# clock skew and a publisher's wrong time zone, not a post dated 2099 or 9999.
FUTURE_TOLERANCE = 86_400.0


def _not_future(date: float | None, now: float, first_seen: float) -> float | None:
    """A date, or the time we first saw the entry when the date is in the future.

    A future date would pin the entry to the top of every list for years.
    """
    if date is not None and date > now + FUTURE_TOLERANCE:
        return first_seen
    return date


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
