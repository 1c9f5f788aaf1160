"""Field-by-field comparison of the fast XML path with feedparser, minus the documented
differences (docs/parsing.md):

* <media:description> is a caption for us, not a description: the reference is feedparser's
  reading of the document without those elements, so that summary and content must agree.
* Enclosure captions and credits are ours (feedparser has no captions, and gives the first
  media:credit to the first enclosure): agreement is on url, type and length, and the
  captions have tests of their own.
"""

from __future__ import annotations

import dataclasses
import re

from kabar.core.errors import FeedParseError
from kabar.core.feeds.parse.xmlfeed import parse_xml_feed
from kabar.core.models import ParsedEntry, ParsedFeed

_MEDIA_DESCRIPTION = re.compile(
    rb"<media:description\b[^>]*/>|<media:description\b[^>]*>.*?</media:description>", re.S
)


def without_media_descriptions(data: bytes) -> bytes:
    return _MEDIA_DESCRIPTION.sub(b"", data)


def reference(data: bytes, url: str = "", content_type: str = "") -> ParsedFeed:
    """feedparser's reading (through xmlfeed), as the fast path should reproduce it."""
    return parse_xml_feed(without_media_descriptions(data), url, content_type)


def differences(expected: ParsedFeed, got: ParsedFeed) -> list[str]:
    """Human-readable field differences, ignoring enclosure captions and credits."""
    found = []
    for field in dataclasses.fields(ParsedFeed):
        if field.name == "entries":
            continue
        a, b = getattr(expected, field.name), getattr(got, field.name)
        if a != b:
            found.append(f"feed.{field.name}: {a!r} != {b!r}")
    if len(expected.entries) != len(got.entries):
        found.append(f"entry count: {len(expected.entries)} != {len(got.entries)}")
    for index, (a, b) in enumerate(zip(expected.entries, got.entries, strict=False)):
        found.extend(f"entries[{index}].{d}" for d in entry_differences(a, b))
    return found


def entry_differences(expected: ParsedEntry, got: ParsedEntry) -> list[str]:
    found = []
    for field in dataclasses.fields(ParsedEntry):
        a, b = getattr(expected, field.name), getattr(got, field.name)
        if field.name == "enclosures":
            a = [(e.url, e.type, e.length) for e in a]
            b = [(e.url, e.type, e.length) for e in b]
        if a != b:
            found.append(f"{field.name}: {a!r:.300} != {b!r:.300}")
    return found


def read_or_error(data: bytes, url: str = "", content_type: str = "") -> ParsedFeed | str:
    """parse_xml_feed's answer, or the text of the FeedParseError it raised."""
    try:
        return parse_xml_feed(data, url, content_type)
    except FeedParseError as exc:
        return f"FeedParseError: {exc}"
