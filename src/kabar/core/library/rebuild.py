"""Filling a fresh database from a damaged one: every row that can be read, then the saved
articles from their second copies.

Rows come first through SQLite, table by table and, when a table is damaged, in small
batches and then one by one, so one bad page costs only its own rows. When SQLite cannot
read the file at all or left parts out, the pages are read directly (see `salvage`) and
every row found that is not already in is added. Saved articles the file could not give
back come from their second copies (see `savedcopies`).
"""

from __future__ import annotations

import logging
import os
import signal
import sqlite3
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from kabar.core.feeds.parse.dates import parse_date
from kabar.core.library.salvage import SHAPES, salvage
from kabar.core.library.savedcopies import read_copies
from kabar.core.models import FeedUpdate, ParsedEntry, ParsedFeed
from kabar.core.store import Store

log = logging.getLogger(__name__)
# Tests only: the process kills itself (SIGKILL) when it reaches the stage named here.
CRASH_VARIABLE = "KABAR_TEST_CRASH_AT"
BATCH = 200
LOST_FEED = "kabar:lost-feed-"  # the address of a stand-in for a feed row that was lost
LOST_NOTE = "recovered: this feed's own row was lost; its saved entries are kept here"
# Copy order matters: parents before children.
# The sync tables keep the durable queue of changes not yet sent: a recover keeps them too.
TABLES = (
    "feeds",
    "entries",
    "articles",
    "images",
    "article_images",
    "purged",
    "meta",
    "sync_items",
    "sync_queue",
    "sync_state",
)


@dataclass(slots=True)
class RebuildCounts:
    copied: dict[str, int] = field(default_factory=dict)  # read through SQLite
    salvaged: dict[str, int] = field(default_factory=dict)  # read from the pages
    unreadable: dict[str, int] = field(default_factory=dict)
    damaged: set[str] = field(default_factory=set)
    orphaned: dict[str, int] = field(default_factory=dict)  # rows whose parent row was lost
    restored_saved: int = 0
    adopted: int = 0  # saved entries kept under a stand-in for their lost feed

    def rows(self, table: str) -> int:
        return self.copied.get(table, 0) + self.salvaged.get(table, 0)


def fill(store: Store, source: Path | None, data_dir: Path) -> RebuildCounts:
    """Copy into `store` what can be read from `source` (None: nothing), then the copies."""
    counts = RebuildCounts()
    old = None if source is None else open_read_only(source)
    try:
        if old is not None:
            for table in TABLES:
                _copy_table(old, store.conn, table, counts)
                crash_point("copying")
        missing = [t for t in TABLES if t not in counts.copied]
        if source is not None and (old is None or counts.damaged or counts.unreadable or missing):
            _add_salvaged(store.conn, source, counts)
            if old is not None:  # rows left out for want of a parent the pages gave back
                for table in [t for t in TABLES if counts.orphaned.pop(t, 0)]:
                    _copy_table(old, store.conn, table, counts)
    finally:
        if old is not None:
            old.close()
    store.conn.execute("UPDATE entries SET indexed = 0")
    counts.restored_saved = restore_copies(store, data_dir)
    return counts


def crash_point(stage: str) -> None:
    if os.environ.get(CRASH_VARIABLE) == stage:
        os.kill(os.getpid(), signal.SIGKILL)


def open_read_only(path: Path) -> sqlite3.Connection | None:
    """A read-only connection to the file, or None when SQLite cannot read it at all."""
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    except sqlite3.DatabaseError as exc:
        log.error("recover: %s cannot be opened: %s", path, exc)
        return None
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        log.error("recover: %s is unreadable through SQLite: %s", path, exc)
        conn.close()
        return None
    return conn


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    try:
        return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
    except sqlite3.DatabaseError:
        return []


def _copy_table(
    old: sqlite3.Connection, new: sqlite3.Connection, table: str, counts: RebuildCounts
) -> None:
    columns = [c for c in _columns(old, table) if c in set(_columns(new, table))]
    if not columns:
        return
    names = ", ".join(columns)
    insert = f"INSERT OR IGNORE INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})"
    copied = failed = 0
    new.execute("BEGIN")
    for row in _rows(old, table, names, counts):
        try:
            copied += new.execute(insert, row).rowcount
        except sqlite3.IntegrityError:
            if _adopt(new, table, dict(zip(columns, row, strict=True))):
                copied += new.execute(insert, row).rowcount
                counts.adopted += 1
            else:
                failed += 1
    new.execute("COMMIT")
    counts.copied[table] = counts.copied.get(table, 0) + copied
    if failed:
        counts.orphaned[table] = failed


def _rows(
    old: sqlite3.Connection, table: str, names: str, counts: RebuildCounts
) -> Iterator[tuple[object, ...]]:
    """Every readable row: all at once when the table is sound, else by rowid, in batches
    and then one by one, so a damaged page costs only its own rows."""
    try:
        yield from old.execute(f"SELECT {names} FROM {table}").fetchall()
        return
    except sqlite3.DatabaseError:
        counts.damaged.add(table)
    if not _has_rowid(old, table):
        return
    order = "ORDER BY saved DESC, rowid" if table == "entries" else "ORDER BY rowid"
    try:
        ids = [r[0] for r in old.execute(f"SELECT rowid FROM {table} {order}")]
        known = True
    except sqlite3.DatabaseError:
        ids, known = list(range(1, _max_rowid(old, table) + 1)), False
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        marks = ", ".join("?" * len(chunk))
        try:
            yield from old.execute(
                f"SELECT {names} FROM {table} WHERE rowid IN ({marks})", chunk
            ).fetchall()
            continue
        except sqlite3.DatabaseError:
            pass
        for rowid in chunk:
            try:
                yield from old.execute(
                    f"SELECT {names} FROM {table} WHERE rowid = ?", (rowid,)
                ).fetchall()
            except sqlite3.DatabaseError:
                if known:  # without a list of rowids, a miss may be no row at all
                    counts.unreadable[table] = counts.unreadable.get(table, 0) + 1


def _has_rowid(old: sqlite3.Connection, table: str) -> bool:
    try:
        sql = old.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    except sqlite3.DatabaseError:
        return False
    return sql is not None and "WITHOUT ROWID" not in str(sql[0]).upper()


def _max_rowid(old: sqlite3.Connection, table: str) -> int:
    """The highest rowid, or a bound on it when the table's last page is damaged too."""
    try:
        return int(old.execute(f"SELECT max(rowid) FROM {table}").fetchone()[0] or 0)
    except sqlite3.DatabaseError:
        pages = int(old.execute("PRAGMA page_count").fetchone()[0])
        return min(5_000_000, max(10_000, pages * 200))


def _add_salvaged(new: sqlite3.Connection, source: Path, counts: RebuildCounts) -> None:
    """Rows read from the file's pages that SQLite could not give: added unless a row with
    the same key is in already (what SQLite read wins)."""
    found = salvage(source)
    log.info("recover: pages read directly: %s", {t: len(r) for t, r in found.rows.items()})
    for table in TABLES:
        if table not in SHAPES:
            continue
        added = failed = 0
        new.execute("BEGIN")
        for record in found.records(table):
            names = ", ".join(record)
            marks = ", ".join("?" * len(record))
            insert = f"INSERT OR IGNORE INTO {table} ({names}) VALUES ({marks})"
            try:
                added += new.execute(insert, list(record.values())).rowcount
            except sqlite3.IntegrityError:  # its feed or entry was lost
                if _adopt(new, table, record):
                    added += new.execute(insert, list(record.values())).rowcount
                    counts.adopted += 1
                else:
                    failed += 1
        new.execute("COMMIT")
        crash_point("copying")
        if added:
            counts.salvaged[table] = added
        if failed:
            counts.orphaned[table] = counts.orphaned.get(table, 0) + failed


def _adopt(new: sqlite3.Connection, table: str, record: Mapping[str, object]) -> bool:
    """A saved entry whose feed row was lost is kept under a stand-in feed with the same
    id, disabled (so never refreshed) with a note saying why; a second copy, if any, later
    gives the feed its address back. Unsaved entries of a lost feed are left out."""
    feed_id = record.get("feed_id")
    if table != "entries" or record.get("saved") != 1 or not isinstance(feed_id, int):
        return False
    new.execute(
        "INSERT OR IGNORE INTO feeds (id, url, title, disabled, added) VALUES (?, ?, ?, ?, ?)",
        (feed_id, f"{LOST_FEED}{feed_id}", "Recovered saved entries", LOST_NOTE, time.time()),
    )
    return True


def _reclaim(store: Store, feed_url: str, feed_title: str, key: str) -> None:
    """Give a stand-in feed back the address of the feed a second copy names."""
    row = store.conn.execute(
        "SELECT f.id FROM entries e JOIN feeds f ON f.id = e.feed_id "
        "WHERE e.key = ? AND f.url LIKE ? LIMIT 1",
        (key, f"{LOST_FEED}%"),
    ).fetchone()
    if row is not None:
        store.conn.execute(
            "UPDATE OR IGNORE feeds SET url = ?, title = ?, disabled = '' WHERE id = ?",
            (feed_url, feed_title, row[0]),
        )


def restore_copies(store: Store, data_dir: Path) -> int:
    """Put back saved articles from their second copies when the database lost them."""
    from kabar.core.library.saving import PAGES_FEED_URL, PAGES_KIND  # saving imports the network

    restored = 0
    for copy in read_copies(data_dir):
        pages = copy.feed_url == PAGES_FEED_URL
        if store.feed_by_url(copy.feed_url) is None:
            _reclaim(store, copy.feed_url, copy.feed_title, copy.key)
        feed = store.feed_by_url(copy.feed_url) or store.add_feed(
            copy.feed_url, "Saved pages" if pages else copy.feed_title
        )
        entry_id = store.entry_id(feed.id, copy.key)
        if entry_id is not None and store.article(entry_id) is not None:
            store.set_saved([entry_id], True)
            continue
        if entry_id is None:
            store.conn.execute(  # a saved entry is never purged: a stale tombstone goes
                "DELETE FROM purged WHERE feed_id = ? AND key = ?", (feed.id, copy.key)
            )
            entry = ParsedEntry(
                guid=copy.key,
                link=copy.link,
                title=copy.title,
                author=copy.author,
                published=parse_date(copy.published),
            )
            # "Saved pages" keeps its own kind, which refresh skips: it is not a feed.
            kind = PAGES_KIND if pages else (feed.kind or "rss")
            parsed = ParsedFeed(kind, "", entries=[entry])
            status = 200 if pages else None
            store.apply_updates([FeedUpdate(feed.id, time.time(), status=status, parsed=parsed)])
            entry_id = store.entry_id(feed.id, copy.key)
            assert entry_id is not None
        store.store_article(entry_id, copy.link, copy.article.dumps())
        for url, digest in copy.images.items():
            for suffix in ("", ".jpg", ".png", ".gif", ".webp", ".avif", ".svg"):
                relpath = f"{digest[:2]}/{digest}{suffix}"
                file = store.images_dir / relpath
                if file.is_file():
                    store.add_image(entry_id, url, digest, relpath, "", file.stat().st_size)
                    break
        store.set_saved([entry_id], True)
        restored += 1
    if store.feed_by_url(PAGES_FEED_URL) is not None:  # a row salvaged from an older file
        store.conn.execute("UPDATE feeds SET kind = ? WHERE url = ?", (PAGES_KIND, PAGES_FEED_URL))
    return restored
