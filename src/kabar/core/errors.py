"""Kabar's exception hierarchy: every error a user can see says what happened in one line.

Each class has a `title` for notifications; the message itself names the thing that failed
(a feed URL, a config key) and, where there is one, what to do about it.
"""

from __future__ import annotations


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

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


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
