"""Kabar's exception hierarchy: every error a user can see says what happened in one line.

Each class has a `title` for notifications; the message itself names the thing that failed
(a feed URL, a config key) and, where there is one, what to do about it.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path


class KabarError(Exception):
    """Base of all errors Kabar reports to the user instead of a traceback."""

    title = "Kabar error"


class ConfigError(KabarError):
    title = "Configuration error"


class StoreError(KabarError):
    title = "Database error"


class FetchError(KabarError):
    """A request failed: network, HTTP status, size or time limit."""

    title = "Fetch failed"

    def __init__(
        self, message: str, *, status: int | None = None, unreachable: bool = False
    ) -> None:
        super().__init__(message)
        self.status = status
        # True only when the network itself looks down (DNS failure, no route): a refresh
        # where every feed fails this way says "offline" once instead of listing them.
        self.unreachable = unreachable


class FeedParseError(KabarError):
    title = "Not a readable feed"


class ExtractError(KabarError):
    title = "Could not extract the article"


class OpmlError(KabarError):
    title = "Not a readable OPML file"


class DiskFullError(StoreError):
    """The disk (or the file size limit) is full: nothing is damaged, nothing was changed."""

    title = "Disk full"


class ReadOnlyError(StoreError):
    """Kabar's data folder cannot be written: reading works, changes cannot be kept."""

    title = "Read-only folder"


# SQLite's primary result codes (the low byte of an extended code).
_SQLITE_READONLY, _SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_FULL = 8, 10, 11, 13
_SQLITE_CANTOPEN, _SQLITE_NOTADB = 14, 26
LOW_SPACE = 4 << 20  # below this many free bytes, an I/O error is taken for a full disk
_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_READ_ONLY_ERRNOS = {errno.EROFS, errno.EACCES, errno.EPERM}


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception and the ones it was raised from or during."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _sqlite_code(exc: BaseException) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(exc, sqlite3.Error) and isinstance(code, int) else None


def is_disk_full(exc: BaseException, path: str | Path | None = None) -> bool:
    """SQLite's SQLITE_FULL or an OS "no space left" (or quota, or file size limit).

    SQLite reports some writes on a full disk (growing its shared-memory file, a write past
    a file size limit) as a plain "disk I/O error"; with `path`, such an error counts as a
    full disk when the folder of `path` has almost no space left or a size limit is set.
    """
    for item in _chain(exc):
        if isinstance(item, OSError) and item.errno in _FULL_ERRNOS:
            return True
        if _sqlite_code(item) == _SQLITE_FULL or "database or disk is full" in str(item):
            return True
    io_error = any(_sqlite_code(item) == _SQLITE_IOERR for item in _chain(exc))
    return path is not None and io_error and _space_is_short(Path(path))


def _read_only_folder(path: str) -> bool:
    folder = Path(path).parent
    return folder.is_dir() and not os.access(folder, os.W_OK)


def _space_is_short(path: Path) -> bool:
    import resource  # POSIX only, like the file size limit it reads

    soft, _ = resource.getrlimit(resource.RLIMIT_FSIZE)
    if soft != resource.RLIM_INFINITY:
        return True
    folder = path if path.is_dir() else path.parent
    try:
        return shutil.disk_usage(folder).free < LOW_SPACE
    except OSError:
        return False


def is_read_only(exc: BaseException) -> bool:
    """A write refused because the file or its folder is read-only (or not ours)."""
    for item in _chain(exc):
        if isinstance(item, OSError) and item.errno in _READ_ONLY_ERRNOS:
            return True
        if _sqlite_code(item) == _SQLITE_READONLY or "readonly database" in str(item):
            return True
    return False


def is_damage(exc: BaseException) -> bool:
    """Only SQLITE_CORRUPT and SQLITE_NOTADB mean the file is damaged; a full disk, a
    read-only folder or a lock do not, and must never lead to `kabar recover`."""
    if is_disk_full(exc) or is_read_only(exc):
        return False  # "disk I/O error" is not damage either
    for item in _chain(exc):
        if _sqlite_code(item) in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
            return True
        text = str(item)
        if "malformed" in text or "not a database" in text:
            return True
    return False


def disk_full_message(path: str, exc: BaseException) -> str:
    return (
        f"the disk is full ({exc}): {path} was left as it was, not damaged. "
        "Free some space and try again."
    )


def read_only_message(path: str, exc: BaseException) -> str:
    return (
        f"the folder of {path} is read-only ({exc}): Kabar can read it but cannot keep "
        "changes there; nothing is damaged. Make it writable, or set KABAR_HOME elsewhere."
    )


def damaged_message(path: str, exc: BaseException) -> str:
    """What to say when SQLite finds the database damaged."""
    return (
        f"the database {path} is damaged ({exc}). Run `kabar recover` to rebuild it from "
        "what can be read, saved articles first; the damaged file is kept."
    )


def database_error(path: str, exc: BaseException) -> StoreError:
    """The one-line error for a failure of the database at `path`, by its cause: only real
    damage advises `kabar recover`."""
    if is_disk_full(exc, path):
        return DiskFullError(disk_full_message(path, exc))
    if is_read_only(exc) or (_sqlite_code(exc) == _SQLITE_CANTOPEN and _read_only_folder(path)):
        return ReadOnlyError(read_only_message(path, exc))
    if is_damage(exc):
        return StoreError(damaged_message(path, exc))
    if any(_sqlite_code(item) == _SQLITE_IOERR for item in _chain(exc)):
        return StoreError(
            f"cannot read or write the database {path} ({exc}); `kabar check` tells whether "
            "the file is damaged."
        )
    return StoreError(f"cannot use the database {path}: {exc}")


def database_problem(path: str, error: BaseException) -> StoreError | None:
    """The StoreError to show for an error that came from the database or the disk under
    it (None for anything else: a bug, a network error)."""
    if isinstance(error, StoreError):
        return error
    if isinstance(error, sqlite3.DatabaseError) or (
        isinstance(error, OSError) and (is_disk_full(error) or is_read_only(error))
    ):
        return database_error(path, error)
    return None
