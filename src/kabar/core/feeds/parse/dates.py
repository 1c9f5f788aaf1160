"""Date parsing shared by the JSON parsers (feedparser does its own for XML), and the
one spelling we teach feedparser: a bare number, which some feeds use for a Unix time."""

from __future__ import annotations

import math
import re
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import feedparser

# 9-10 digits are seconds since 1970 (1973-2286), 12-13 milliseconds. Eight digits stay
# what feedparser reads them as (YYYYMMDD).
_UNIX_SECONDS = re.compile(r"\s*(\d{9,10}|\d{12,13})(?:\.\d+)?\s*\Z")
_registered = False


def unix_time(value: str) -> float | None:
    """Unix seconds from a date written as a bare number, or None for any other text."""
    match = _UNIX_SECONDS.match(value)
    if match is None:
        return None
    digits = match.group(1)
    return float(digits) / 1000 if len(digits) > 10 else float(digits)


def _feedparser_unix_time(value: str) -> time.struct_time | None:
    stamp = unix_time(value)
    return time.gmtime(stamp) if stamp is not None else None


def register_unix_dates() -> None:
    """Make feedparser read a bare-number date (`1736157600`) as a Unix time.

    Its own handlers read those digits as the year 1736. Both XML paths (feedparser and
    the fast path, which hands unusual spellings to feedparser's `_parse_date`) see it.
    """
    global _registered
    if not _registered:
        feedparser.registerDateHandler(_feedparser_unix_time)
        _registered = True


def parse_date(value: object) -> float | None:
    """Unix seconds (UTC) from an RFC 3339 / ISO 8601 or RFC 822 date, or None.

    A bare number (a JSON number, or digits in a string) is a Unix time in seconds or
    milliseconds.
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return unix_time(str(int(value))) if math.isfinite(value) and value > 0 else None
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    stamp = unix_time(text)
    if stamp is not None:
        return stamp
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        return parsed.timestamp()
    except (OverflowError, OSError, ValueError):
        return None
