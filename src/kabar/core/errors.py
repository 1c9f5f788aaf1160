"""Kabar's exception hierarchy: every error a user can see says what happened in one line.

Each class has a `title` for notifications; the message itself names the thing that failed
(a feed URL, a config key) and, where there is one, what to do about it.
"""

from __future__ import annotations

import errno
import sqlite3


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


def damaged_message(path: str, exc: Exception) -> str:
    """What to say when SQLite finds the database damaged."""
    return (
        f"the database {path} is damaged ({exc}). Run `kabar recover` to rebuild it from "
        "what can be read, saved articles first; the damaged file is kept."
    )


class DiskFullError(KabarError):
    """The disk (or the user's quota) is full: nothing is damaged, something must be freed."""

    title = "Disk full"


_DISK_FULL_ERRNOS = frozenset((errno.ENOSPC, errno.EDQUOT, errno.EFBIG))


def is_disk_full(exc: BaseException) -> bool:
    """True when `exc` (or what caused it) says the disk or a size limit is full.

    SQLite reports SQLITE_FULL ("database or disk is full"); the OS ENOSPC, EDQUOT or
    EFBIG. The cause chain is followed because a failed ROLLBACK can hide the first error.
    """
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, sqlite3.Error):
            code = getattr(cause, "sqlite_errorcode", None)
            if (code is not None and code & 0xFF == sqlite3.SQLITE_FULL) or (
                "database or disk is full" in str(cause)
            ):
                return True
        if isinstance(cause, OSError) and cause.errno in _DISK_FULL_ERRNOS:
            return True
        cause = cause.__cause__ or cause.__context__
    return False
