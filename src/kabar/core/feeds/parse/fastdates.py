"""feedparser's date parsing, with the two formats almost every feed uses done directly.

feedparser tries nine date handlers in turn (W3C-DTF first, then RFC 822, ...), each one
splitting and re-splitting the string. RFC 3339 timestamps (Atom, dc:date) and RFC 822 dates
(RSS pubDate) in their usual spelling are matched here by one regex and converted with the
same arithmetic feedparser uses, quirks included; every other spelling, and every value that
fails validation, is handed to feedparser's own `_parse_date`, so the answer never differs.
"""

from __future__ import annotations

import calendar
import re

from kabar.core.feeds.parse.dates import register_unix_dates
from kabar.core.feeds.parse.fpgate import _parse_date

register_unix_dates()

# What _parse_date_w3dtf reads as `YYYY-MM-DDTHH:MM[:SS[.fff]][Z|+HH:MM]`. Any other
# spelling (no seconds separator, +HHMM, which it misreads, ...) takes the slow road.
_W3DTF = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?([Zz]|[+-]\d{2}:\d{2})?\Z"
)
_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
# RFC 822 as _parse_date_rfc822 reads it, on the lowercased string. W3-DTF, which feedparser
# tries first, rejects all of these (the first token is a day name or a 1-2 digit day).
_RFC822 = re.compile(
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?"
    r"(\d{1,2})\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\s+(\d{4})\s+"
    r"(\d{2}):(\d{2})(?::(\d{2}))?\s+"
    r"([+-]\d{2}:?\d{2}|gmt|ut|utc|z|est|edt|cst|cdt|mst|mdt|pst|pdt)\Z"
)
_ZONES = {
    "gmt": 0, "ut": 0, "utc": 0, "z": 0, "est": -5, "edt": -4, "cst": -6, "cdt": -5,
    "mst": -7, "mdt": -6, "pst": -8, "pdt": -7,
}  # fmt: skip


def parse_date(value: str) -> float | None:
    """Unix seconds (UTC) for a feed date, exactly as feedparser + kabar's xmlfeed read it."""
    if not value:
        return None
    stamp = _w3dtf(value)
    if stamp is None:
        stamp = _rfc822(value)
    if stamp is not None:
        return stamp
    parsed = _parse_date(value)
    if parsed is None:
        return None
    try:
        return float(calendar.timegm(parsed))
    except (OverflowError, ValueError, TypeError):
        return None


def _w3dtf(value: str) -> float | None:
    match = _W3DTF.match(value)
    if match is None:
        return None
    year, month, day, hour, minute, second, zone = match.groups()
    offset = 0
    if zone and zone[0] in "+-":
        offset = int(zone[1:3]) * 3600 + int(zone[4:]) * 60
        if zone[0] == "-":
            offset = -offset
    return _stamp(int(year), int(month), int(day), int(hour), int(minute), int(second or 0), offset)


def _rfc822(value: str) -> float | None:
    match = _RFC822.match(value.lower())
    if match is None:
        return None
    day, month, year, hour, minute, second, zone = match.groups()
    if zone[0] in "+-":
        hours = int(zone[1:3])
        minutes = int(zone[4:] if ":" in zone else zone[3:])
        offset = hours * 3600 + minutes * 60
        if zone[0] == "-":
            offset = -offset
    else:
        offset = _ZONES[zone] * 3600
    return _stamp(
        int(year), _MONTHS[month], int(day), int(hour), int(minute), int(second or 0), offset
    )


_DAYS_IN_MONTH = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _stamp(
    year: int, month: int, day: int, hour: int, minute: int, second: int, offset: int
) -> float | None:
    """UTC seconds, or None to let feedparser decide (invalid fields, far-off years).

    The checks are datetime()'s, which is what makes feedparser's handlers give up; the
    arithmetic is calendar.timegm's, without building the objects.
    """
    if not 1000 <= year <= 9000 or not 1 <= month <= 12 or hour > 23 or minute > 59:
        return None
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    if not 1 <= day <= (29 if month == 2 and leap else _DAYS_IN_MONTH[month]) or second > 59:
        return None
    # days since 1970-01-01 (Howard Hinnant's days_from_civil)
    y = year - (month <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    days = era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468
    return float(days * 86400 + hour * 3600 + minute * 60 + second - offset)
