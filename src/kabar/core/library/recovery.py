"""Checking and recovering a damaged database, without ever making things worse.

`check_database` runs SQLite's integrity check on a read-only connection; a full disk, a
read-only folder or a lock are reported as what they are, never as damage.

`recover_database` never touches the original until the new database is complete:

1. the original (with its WAL) gets a second name, `kabar.db.damaged-<time>` (a hard link,
   so it costs no space; a copy where links are not possible);
2. a new database is built in `.kabar.db.recovering` beside it (see `rebuild`), written
   out as one file and synced;
3. the original's WAL names are removed (the damaged copy keeps them) and the new file is
   renamed over `kabar.db`, then the folder is synced.

A crash at any moment leaves `kabar.db` as it was or the complete new one; a full disk or
a read-only folder stops it before anything changed. Leftovers of an interrupted run are
removed by the next one.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kabar.core.errors import DiskFullError, database_error, is_damage, is_read_only
from kabar.core.library.rebuild import TABLES, RebuildCounts, crash_point, fill
from kabar.core.store import Store

if TYPE_CHECKING:
    from kabar.core.library.library import Library

log = logging.getLogger(__name__)
SPARE = 8 << 20  # free space wanted beyond the size of the new database


@dataclass(slots=True)
class RecoveryReport:
    damaged_copy: Path | None
    counts: RebuildCounts = field(default_factory=RebuildCounts)

    def lines(self) -> list[str]:
        out = []
        if self.damaged_copy is not None:
            out.append(f"The damaged database is kept at {self.damaged_copy}.")
        counts = self.counts
        for table in TABLES:
            problems = table in counts.damaged or counts.orphaned.get(table)
            if not counts.rows(table) and not problems:
                continue
            line = f"{table}: {counts.rows(table)} rows recovered"
            if counts.salvaged.get(table):
                line += f" ({counts.salvaged[table]} read from pages SQLite could not read)"
            if counts.unreadable.get(table):
                line += f", {counts.unreadable[table]} unreadable"
            elif table in counts.damaged:
                line += ", part of the table was unreadable"
            if counts.orphaned.get(table):
                line += f", {counts.orphaned[table]} left out (their feed or entry was lost)"
            out.append(line)
        if counts.adopted:
            out.append(
                f"{counts.adopted} saved entries whose feed was lost are kept under "
                '"Recovered saved entries".'
            )
        if counts.restored_saved:
            out.append(f"{counts.restored_saved} saved articles restored from their copies.")
        return out


def check_database(path: Path) -> list[str]:
    """Problems SQLite finds in the file ([] when it is sound). Raises a StoreError (disk
    full, read-only, locked) when the check could not run for a reason that is not damage."""
    try:
        conn = _connect_read_only(path)
        try:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        if not is_damage(exc):
            raise database_error(str(path), exc) from exc
        return [str(exc)]
    problems = [str(r[0]) for r in rows]
    return [] if problems == ["ok"] else problems


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """Read-only; in a read-only folder (where SQLite cannot make its WAL index) the file
    is opened as immutable, which is true there: nobody can change it."""
    writable = os.access(path.parent, os.W_OK)
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro{'' if writable else '&immutable=1'}", uri=True)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        conn.close()
        if not is_read_only(exc) and "unable to open" not in str(exc):
            raise
        conn = sqlite3.connect(f"{path.as_uri()}?immutable=1", uri=True)
    return conn


def recover_profile(library: Library) -> RecoveryReport:
    """`Library.recover`: the profile's database rebuilt (or restored from its copies)."""
    from kabar.core.errors import KabarError
    from kabar.core.library.savedcopies import read_copies

    path = library.paths.database
    if not path.exists() and not read_copies(path.parent):
        raise KabarError(f"no database at {path}")
    library.close()  # recovery replaces the file: no connection of ours may hold it
    return recover_database(path)


def recover_database(path: Path) -> RecoveryReport:
    """Rebuild the database at `path` from what can be read of it and the saved copies.
    Raises DiskFullError or ReadOnlyError, with nothing changed, when it cannot be done."""
    building = path.with_name(f".{path.name}.recovering")
    _remove_files(building)  # a crashed run's leftovers
    _check_space(path)
    aside: Path | None = None
    detached = False  # once the original's WAL names are gone, its only WAL is the aside's
    try:
        aside = _keep_aside(path)
        crash_point("kept")
        report = RecoveryReport(aside)
        with Store(building) as store:
            report.counts = fill(store, aside, path.parent)
            crash_point("filled")
            store.conn.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        _sync(building)
        crash_point("built")
        detached = True
        for suffix in ("-wal", "-shm"):  # the damaged copy keeps them
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.replace(building, path)
        _sync(path.parent)
        crash_point("swapped")
    except BaseException as exc:
        if not detached and aside is not None:  # nothing changed: no second name either
            _remove_files(aside)
        if isinstance(exc, (OSError, sqlite3.DatabaseError)):
            raise database_error(str(path), exc) from exc
        raise
    finally:
        _remove_files(building)
        if aside is not None:  # what reading it made beside it
            Path(f"{aside}-shm").unlink(missing_ok=True)
            if _size(Path(f"{aside}-wal")) == 0:
                Path(f"{aside}-wal").unlink(missing_ok=True)
    return report


def _keep_aside(path: Path) -> Path | None:
    """Give the original a second name (with its WAL); None when there is nothing in it."""
    wal = Path(f"{path}-wal")
    if _size(path) == 0 and _size(wal) == 0:
        return None
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    number = 1
    while aside.exists():
        number += 1
        aside = path.with_name(f"{path.name}.damaged-{stamp}-{number}")
    for source, target in ((path, aside), (wal, Path(f"{aside}-wal"))):
        if source.exists():
            _link_or_copy(source, target)
    _sync(path.parent)
    return aside


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
        return
    except OSError as exc:
        if is_read_only(exc) and not os.access(source.parent, os.W_OK):
            raise
    partial = target.with_name(f".{target.name}.copying")  # never a half copy under the name
    try:
        shutil.copyfile(source, partial)
        _sync(partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def _check_space(path: Path) -> None:
    """Refuse to start without room for the new database (and a copy, if links fail)."""
    size = _size(path) + _size(Path(f"{path}-wal"))
    try:
        free = shutil.disk_usage(path.parent).free
    except OSError:
        return
    if free < size + SPARE:
        raise DiskFullError(
            f"the disk is full: recovering {path} needs about {(size + SPARE) / 1e6:.0f} MB "
            f"free beside it, and {free / 1e6:.0f} MB are. Nothing was changed; free some "
            "space and run `kabar recover` again."
        )


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _sync(path: Path) -> None:
    """fsync a file or a folder (a folder: so that a rename in it is on disk)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_files(base: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{base}{suffix}").unlink(missing_ok=True)
