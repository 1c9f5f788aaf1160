"""Entry queries: the headline lists, one entry, read and saved flags."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence

from kabar.core.models import PAGES_FEED_URL, Enclosure, EntryDetail, EntryRow
from kabar.core.store.base import StoreBase
from kabar.core.store.linkkeys import link_key, link_probe
from kabar.core.store.query import ENTRY_COLUMNS, EntryQuery, entry_row, entry_where, order_by


class EntryQueries(StoreBase):
    def list_entries(
        self, query: EntryQuery | None = None, limit: int = 500, offset: int = 0
    ) -> list[EntryRow]:
        """The entries `query` selects, in its order (newest first by default)."""
        query = query or EntryQuery()
        where, params = entry_where(query)
        sql = (
            f"SELECT {ENTRY_COLUMNS} FROM entries e JOIN feeds f ON f.id = e.feed_id {where} "
            f"ORDER BY {order_by(query)} LIMIT ? OFFSET ?"
        )
        return [entry_row(r) for r in self.conn.execute(sql, (*params, limit, offset))]

    def count_entries(self, query: EntryQuery | None = None) -> int:
        where, params = entry_where(query or EntryQuery())
        return int(
            self.conn.execute(f"SELECT count(*) FROM entries e {where}", params).fetchone()[0]
        )

    def entry_key(self, entry_id: int) -> str | None:
        row = self.conn.execute("SELECT key FROM entries WHERE id = ?", (entry_id,)).fetchone()
        return None if row is None else str(row[0])

    def entry_id(self, feed_id: int, key: str) -> int | None:
        row = self.conn.execute(
            "SELECT id FROM entries WHERE feed_id = ? AND key = ?", (feed_id, key)
        ).fetchone()
        return None if row is None else int(row[0])

    def entries_with_link(self, url: str) -> list[tuple[int, str]]:
        """(entry id, feed URL) of the entries whose link (or guid) is this page, by
        `link_key`; entries of real feeds come first, then the newest."""
        key = link_key(url)
        rows = self.conn.execute(
            "SELECT e.id, f.url, e.link, e.key FROM entries e JOIN feeds f ON f.id = e.feed_id "
            "WHERE (f.removed IS NULL OR e.saved = 1) "
            "AND (instr(lower(e.link), ?) > 0 OR instr(lower(e.key), ?) > 0) "
            "ORDER BY f.url = ?, e.sort_date DESC",
            (link_probe(url), link_probe(url), PAGES_FEED_URL),
        )
        return [
            (int(r[0]), str(r[1]))
            for r in rows
            if link_key(r[2]) == key
            or (r[3].startswith(("http:", "https:")) and link_key(r[3]) == key)
        ]

    def get_entry(self, entry_id: int) -> EntryDetail | None:
        row = self.conn.execute(
            f"SELECT {ENTRY_COLUMNS}, f.url, e.summary, e.content, e.enclosures, a.document "
            "FROM entries e JOIN feeds f ON f.id = e.feed_id "
            "LEFT JOIN articles a ON a.entry_id = e.id WHERE e.id = ?",
            (entry_id,),
        ).fetchone()
        if row is None:
            return None
        return EntryDetail(
            row=entry_row(row[:10]),
            feed_url=row[10],
            summary=row[11],
            content=row[12],
            enclosures=[Enclosure(**e) for e in json.loads(row[13] or "[]")],
            full_text=row[14],
        )

    def fold_entry(self, duplicate_id: int, into_id: int) -> None:
        """Merge a duplicate into the entry it copies, in one transaction: the entry is
        saved, takes the duplicate's article when it has none and its stored images, and
        the duplicate goes. Nothing saved is lost, even offline."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO articles (entry_id, url, document, fetched, etag, "
                "last_modified) SELECT ?, url, document, fetched, NULL, NULL FROM articles "
                "WHERE entry_id = ?",
                (into_id, duplicate_id),
            )
            conn.execute(
                "INSERT OR IGNORE INTO article_images (entry_id, url, hash) "
                "SELECT ?, url, hash FROM article_images WHERE entry_id = ?",
                (into_id, duplicate_id),
            )
            conn.execute("UPDATE entries SET saved = 1, indexed = 0 WHERE id = ?", (into_id,))
            conn.execute("DELETE FROM entries WHERE id = ?", (duplicate_id,))

    def set_read(self, entry_ids: Sequence[int], read: bool = True) -> None:
        self._set_flag("read", entry_ids, read)

    def set_saved(self, entry_ids: Sequence[int], saved: bool = True) -> None:
        self._set_flag("saved", entry_ids, saved)

    def _set_flag(self, column: str, entry_ids: Sequence[int], value: bool) -> None:
        """Set the flag; for entries that came from a sync server, queue the change in the
        same transaction, so it reaches the server at the next sync even after a crash
        (the caller never waits for the network)."""
        rows = [(int(value), entry_id) for entry_id in entry_ids]
        now = time.time()
        with self.transaction() as conn:
            conn.executemany(f"UPDATE entries SET {column} = ? WHERE id = ?", rows)
            conn.executemany(
                "INSERT INTO sync_queue (item_id, field, value, queued) "
                "SELECT item_id, ?, ?, ? FROM sync_items WHERE entry_id = ?",
                [(column, flag, now, entry_id) for flag, entry_id in rows],
            )

    def mark_view_read(self, query: EntryQuery) -> list[int]:
        """Mark every unread entry `query` selects read; returns their ids (for undo)."""
        where, params = entry_where(query.unread())
        ids = [int(r[0]) for r in self.conn.execute(f"SELECT e.id FROM entries e {where}", params)]
        self.set_read(ids, True)
        return ids
