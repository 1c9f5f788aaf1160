"""fastdates.parse_date gives what feedparser's _parse_date + calendar.timegm give.

RFC 822 and W3C-DTF strings are generated field by field, valid and invalid (day 31 in
April, hour 24, odd zones), in the spellings the fast regexes take and in ones they must
leave to feedparser.
"""

from __future__ import annotations

import calendar

import pytest
from feedparser.datetimes import _parse_date
from hypothesis import given, settings
from hypothesis import strategies as st

from kabar.core.feeds.parse.fastdates import parse_date

DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "Monday", "sat", ""]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
ZONES = [
    "+0000",
    "-0500",
    "+05:30",
    "GMT",
    "UT",
    "UTC",
    "Z",
    "EST",
    "PDT",
    "CEST",
    "+1400",
    "-2359",
]


def feedparser_date(value: str) -> float | None:
    parsed = _parse_date(value)
    return None if parsed is None else float(calendar.timegm(parsed))


@settings(max_examples=500, deadline=None)
@given(
    st.sampled_from(DAYS),
    st.integers(0, 32),
    st.sampled_from([*MONTHS, "March", "mar"]),
    st.sampled_from([1899, 1970, 1999, 2024, 2025, 25, 99, 9001]),
    st.integers(0, 25),
    st.integers(0, 61),
    st.one_of(st.none(), st.integers(0, 61)),
    st.sampled_from(ZONES),
)
def test_rfc822(
    day_name: str, day: int, month: str, year: int, hour: int, minute: int,
    second: int | None, zone: str,
) -> None:  # fmt: skip
    time_part = f"{hour:02d}:{minute:02d}" + ("" if second is None else f":{second:02d}")
    prefix = f"{day_name}, " if day_name else ""
    value = f"{prefix}{day:02d} {month} {year} {time_part} {zone}"
    assert parse_date(value) == feedparser_date(value)


@settings(max_examples=500, deadline=None)
@given(
    st.integers(990, 9100),
    st.integers(0, 13),
    st.integers(0, 32),
    st.sampled_from(["T", "t", " "]),
    st.integers(0, 25),
    st.integers(0, 61),
    st.sampled_from(["", ":07", ":59.999", ":60"]),
    st.sampled_from(["", "Z", "z", "+07:00", "-03:30", "+0700", "+14:00"]),
)
def test_w3dtf(
    year: int, month: int, day: int, sep: str, hour: int, minute: int, seconds: str, zone: str
) -> None:
    value = f"{year:04d}-{month:02d}-{day:02d}{sep}{hour:02d}:{minute:02d}{seconds}{zone}"
    assert parse_date(value) == feedparser_date(value)


@pytest.mark.parametrize(
    "value",
    [
        "", "not a date", "2025-03-01", "2025-03", "20250301T070000Z", "Sat Mar  1 07:00:00 2025",
        "Thu, 01 Jan 1970 00:00:00 GMT", "1970-01-01T00:00:00Z", "Sat, 01 Mar 2025 07:00:00",
        "01 Mar 2025", "Sat, 29 Feb 2025 07:00:00 +0000", "Sat, 29 Feb 2024 07:00:00 +0000",
    ],
)  # fmt: skip
def test_other_spellings(value: str) -> None:
    assert parse_date(value) == feedparser_date(value)
