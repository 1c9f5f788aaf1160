"""When may a feed be fetched again? Cache-Control, Expires, RSS <ttl> and Retry-After.

The result is a "not before" time. A forced refresh ignores it; the automatic one respects it,
so a busy reader never hammers a server more often than the server asked.
"""

from __future__ import annotations

import re
import time
from email.utils import parsedate_to_datetime

MAX_HINT = 24 * 3600  # never wait longer than a day because a server said so
_MAX_AGE = re.compile(r"max-age\s*=\s*\"?(\d+)", re.I)


def _http_date(value: str) -> float | None:
    try:
        return parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    now = time.time() if now is None else now
    value = value.strip()
    if value.isdigit():
        return float(min(int(value), MAX_HINT))
    when = _http_date(value)
    return None if when is None else max(0.0, min(when - now, MAX_HINT))


def freshness(
    cache_control: str | None,
    expires: str | None,
    date: str | None = None,
    ttl_minutes: int | None = None,
) -> float:
    """How long the response stays fresh, in seconds (0 when nothing says so)."""
    seconds = 0.0
    if cache_control:
        if re.search(r"no-cache|no-store", cache_control, re.I):
            return float(ttl_minutes * 60) if ttl_minutes else 0.0
        match = _MAX_AGE.search(cache_control)
        if match:
            seconds = float(match.group(1))
    if not seconds and expires:
        expiry = _http_date(expires)
        base = _http_date(date) if date else None
        if expiry is not None:
            seconds = max(0.0, expiry - (base if base is not None else time.time()))
    if ttl_minutes:
        seconds = max(seconds, ttl_minutes * 60.0)
    return min(seconds, MAX_HINT)
