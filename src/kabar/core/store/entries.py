"""Entry queries: the headline lists, one entry, read and saved flags."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass

from kabar.core.links import link_key, link_probe
from kabar.core.models import PAGES_FEED_URL, Enclosure, EntryDetail, EntryRow
from kabar.core.store.base import StoreBase

ENTRY_COLUMNS = (
    "e.id, e.feed_id, COALESCE(NULLIF(f.custom_title, ''), f.title), e.title, e.link, "
    "e.author, e.published, e.sort_date, e.read, e.saved"
)


@dataclass(slots=True)
class EntryFilter:
    """Which entries a list shows."""

    feed_id: int | None = None
    folder: str | None = None
    unread_only: bool = False
    saved_only: bool = False


class EntryQueries(StoreBase):
    def list_entries(
        self, flt: EntryFilter | None = None, limit: int = 500, offset: int = 0
    ) -> list[EntryRow]:
        where, params = _entry_where(flt or EntryFilter())
        sql = (
            f"SELECT {ENTRY_COLUMNS} FROM entries e JOIN feeds f ON f.id = e.feed_id {where} "
            "ORDER BY e.sort_date DESC, e.id DESC LIMIT ? OFFSET ?"
        )
        return [entry_row(r) for r in self.conn.execute(sql, (*params, limit, offset))]

    def count_entries(self, flt: EntryFilter | None = None) -> int:
        where, params = _entry_where(flt or EntryFilter())
        sql = f"SELECT count(*) FROM entries e JOIN feeds f ON f.id = e.feed_id {where}"
        return int(self.conn.execute(sql, params).fetchone()[0])

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


def entry_row(r: Sequence[object]) -> EntryRow:
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
