"""Checking and recovering a damaged database, saved articles first.

`check_database` runs SQLite's integrity check. `recover_database` moves the damaged file
(with its WAL) aside, never deleting it, creates a fresh database and copies into it every
row that can still be read: feeds, then saved entries, then the rest, reading in small
batches so one bad page costs only the rows on it. Saved articles the database could not
give back are restored from their second copies (see `savedcopies`).
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kabar.core.models import FeedUpdate, ParsedEntry, ParsedFeed
from kabar.core.parse.dates import parse_date
from kabar.core.savedcopies import read_copies
from kabar.core.store import Store

log = logging.getLogger(__name__)
BATCH = 200
# Copy order matters: parents before children, saved entries before the rest.
TABLES = ("feeds", "entries", "articles", "images", "article_images", "purged", "meta")


@dataclass(slots=True)
class RecoveryReport:
    damaged_copy: Path
    copied: dict[str, int] = field(default_factory=dict)
    unreadable: dict[str, int] = field(default_factory=dict)
    damaged: set[str] = field(default_factory=set)
    orphaned: dict[str, int] = field(default_factory=dict)  # rows whose parent row was lost
    restored_saved: int = 0

    def lines(self) -> list[str]:
        out = [f"The damaged database is kept at {self.damaged_copy}."]
        for table in TABLES:
            if table in self.copied:
                line = f"{table}: {self.copied[table]} rows recovered"
                if self.unreadable.get(table):
                    line += f", {self.unreadable[table]} unreadable"
                elif table in self.damaged:
                    line += ", part of the table was unreadable"
                if self.orphaned.get(table):
                    line += f", {self.orphaned[table]} left out (their feed or entry was lost)"
                out.append(line)
        if self.restored_saved:
            out.append(f"{self.restored_saved} saved articles restored from their copies.")
        return out


def check_database(path: Path) -> list[str]:
    """Problems SQLite finds in the file ([] when it is sound)."""
    try:
        conn = sqlite3.connect(path)
        try:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    problems = [str(r[0]) for r in rows]
    return [] if problems == ["ok"] else problems


def recover_database(path: Path) -> RecoveryReport:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{path}{suffix}")
        if source.exists():
            source.rename(Path(f"{aside}{suffix}"))
    report = RecoveryReport(aside)
    with Store(path) as store:
        try:
            old = sqlite3.connect(aside)
            old.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as exc:
            log.error("recover: %s is unreadable: %s", aside, exc)
            old = None
        if old is not None:
            try:
                for table in TABLES:
                    _copy_table(old, store.conn, table, report)
            finally:
                old.close()
        store.conn.execute("UPDATE entries SET indexed = 0")
        report.restored_saved = _restore_copies(store, path.parent)
    return report


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    try:
        return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
    except sqlite3.DatabaseError:
        return []


def _copy_table(
    old: sqlite3.Connection, new: sqlite3.Connection, table: str, report: RecoveryReport
) -> None:
    columns = [c for c in _columns(old, table) if c in set(_columns(new, table))]
    if not columns:
        return
    names = ", ".join(columns)
    insert = f"INSERT OR IGNORE INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})"
    copied = failed = 0
    new.execute("BEGIN")
    for row in _rows(old, table, names, report):
        try:
            new.execute(insert, row)
            copied += 1
        except sqlite3.DatabaseError:
            failed += 1
    new.execute("COMMIT")
    report.copied[table] = copied
    if failed:
        report.orphaned[table] = failed


def _rows(
    old: sqlite3.Connection, table: str, names: str, report: RecoveryReport
) -> Iterator[tuple[object, ...]]:
    """Every readable row: all at once when the table is sound, else by rowid, in batches
    and then one by one, so a damaged page costs only its own rows."""
    try:
        yield from old.execute(f"SELECT {names} FROM {table}").fetchall()
        return
    except sqlite3.DatabaseError:
        report.damaged.add(table)
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
                    report.unreadable[table] = report.unreadable.get(table, 0) + 1


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


def _restore_copies(store: Store, data_dir: Path) -> int:
    """Put back saved articles from their second copies when the database lost them."""
    restored = 0
    for copy in read_copies(data_dir):
        feed = store.feed_by_url(copy.feed_url) or store.add_feed(copy.feed_url, copy.feed_title)
        if store.entry_id(feed.id, copy.key) is not None:
            entry_id = store.entry_id(feed.id, copy.key)
            assert entry_id is not None
            if store.article(entry_id) is not None:
                store.set_saved([entry_id], True)
                continue
        else:
            entry = ParsedEntry(
                guid=copy.key,
                link=copy.link,
                title=copy.title,
                author=copy.author,
                published=parse_date(copy.published),
            )
            parsed = ParsedFeed(feed.kind or "rss", "", entries=[entry])
            store.apply_updates([FeedUpdate(feed.id, time.time(), status=None, parsed=parsed)])
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
    return restored
