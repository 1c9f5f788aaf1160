"""RSS and Atom through feedparser, mapped onto our `ParsedFeed`.

feedparser is the reference for what an XML feed means; this module makes its dates Unix
seconds and hands its dicts to `mapping` (shared with the fast path), which chooses the
fields we keep and cleans every string. Before feedparser sees
the bytes, any DOCTYPE is removed: feeds never need one, and its internal subset is how
entity-expansion bombs and external entities get in.
"""

from __future__ import annotations

import calendar
import io
import re
import time
from typing import Any

import feedparser

from kabar.core.errors import FeedParseError
from kabar.core.feeds.parse.dates import register_unix_dates
from kabar.core.feeds.parse.mapping import author_name, merge_enclosures, parsed_entry, parsed_feed
from kabar.core.models import Enclosure, ParsedEntry, ParsedFeed
from kabar.core.textsafety import clean_line, safe_link

__all__ = ["author_name", "fix_char_refs", "parse_xml_feed", "strip_doctype"]

register_unix_dates()
_DOCTYPE = re.compile(rb"<!DOCTYPE(?:[^\[>]*\[.*?\]\s*>|[^>]*>)", re.I | re.S)
_HTML_START = re.compile(rb"\s*(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html)", re.I | re.S)


# What may come before a DOCTYPE: a BOM, white space, the XML declaration and other
# processing instructions, comments (and stray text, which feedparser's loose parser skips).
_PROLOG_ITEM = re.compile(rb"<\?.*?\?>|<!--.*?-->|[^<]+", re.S)


def strip_doctype(data: bytes) -> bytes:
    """Remove a DOCTYPE declaration and its internal subset from the document's prolog.

    Only from the prolog: a `<!DOCTYPE` inside a comment there, or in the body (inside
    CDATA, say), is text, not markup.
    """
    head = data[:65536]
    if b"<!DOCTYPE" not in head.upper() and b"<!doctype" not in head:
        return data
    pos = 0
    while (item := _PROLOG_ITEM.match(data, pos)) is not None:
        pos = item.end()
    match = _DOCTYPE.match(data, pos)
    if match is None:
        return data
    return data[:pos] + data[match.end() :]


# A CDATA section (left alone: a reference there is HTML's business, as on the fast path)
# or a character reference.
_CHAR_REF = re.compile(rb"<!\[CDATA\[.*?(?:\]\]>|\Z)|&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));", re.S)


def _fix_char_ref(match: re.Match[bytes]) -> bytes:
    hexa, decimal = match.groups()
    if hexa is None and decimal is None:
        return match.group()
    digits = (hexa or decimal).lstrip(b"0")
    if len(digits) > 8:  # past U+10FFFF whatever the base; int() of huge digit runs is slow
        return b"&#xFFFD;"
    code = int(digits or b"0", 16 if hexa else 10)
    if code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0x10FFFF:
        return match.group()
    if code < 0x20:
        # A control character XML forbids: as a raw byte, clean_text later removes it
        # together with the escape sequence it may start (ESC ] 52 ; ... BEL).
        return bytes([code])
    return b"&#xFFFD;"  # a surrogate or past U+10FFFF: not a character at all


def fix_char_refs(data: bytes) -> bytes:
    """Replace character references XML does not allow.

    feedparser raises on `&#xD800;` or `&#x110000;` instead of reading the rest of the
    feed; one bad reference should cost one character, not the whole feed.
    """
    if b"&#" not in data:
        return data
    return _CHAR_REF.sub(_fix_char_ref, data)


def parse_xml_feed(data: bytes, url: str = "", content_type: str = "") -> ParsedFeed:
    headers = {"content-location": url} if url else {}
    if content_type:
        headers["content-type"] = content_type
    try:
        # A file object, never the bytes themselves: given bytes or a string, feedparser
        # first tries them as a file path or URL, so a body of "/etc/passwd", a local feed's
        # path or "/dev/zero" would be opened (or a URL fetched) on the server's say-so.
        document = io.BytesIO(fix_char_refs(strip_doctype(data)))
        parsed = feedparser.parse(document, response_headers=headers)
    except Exception as exc:  # feedparser raises assorted errors on hostile input
        raise FeedParseError(f"could not parse the feed: {exc.__class__.__name__}: {exc}") from exc
    version = parsed.get("version") or ""
    feed = parsed.get("feed") or {}
    if not version and not parsed.entries:
        if _HTML_START.match(data[:512]):
            raise FeedParseError("this is a web page, not a feed (add the site to find its feeds)")
        reason = parsed.get("bozo_exception")
        detail = f" ({clean_line(str(reason))})" if reason else ""
        raise FeedParseError(f"not an RSS, Atom or JSON feed{detail}")
    return parsed_feed(
        version,
        feed,
        _type(feed, "title"),
        _type(feed, "subtitle"),
        [_entry(e) for e in parsed.entries],
    )


def _entry(entry: Any) -> ParsedEntry:
    contents = [(c.get("type"), c.get("value")) for c in entry.get("content") or []]
    return parsed_entry(
        entry,
        title_type=_type(entry, "title"),
        contents=contents,
        published=_timestamp(entry.get("published_parsed") or entry.get("updated_parsed")),
        updated=_timestamp(entry.get("updated_parsed")),
        enclosures=_enclosures(entry),
    )


def _type(obj: Any, name: str) -> str:
    """The content type feedparser gives a field (`title_detail.type`)."""
    return str((obj.get(f"{name}_detail") or {}).get("type") or "")


def _timestamp(value: time.struct_time | None) -> float | None:
    if value is None:
        return None
    try:
        return float(calendar.timegm(value))
    except (OverflowError, ValueError, TypeError):
        return None


def _enclosures(entry: Any) -> list[Enclosure]:
    """mapping.merge_enclosures; feedparser gives the first media:credit to the first one."""
    media = [
        Enclosure(safe_link(m.get("url", "")), clean_line(m.get("type", "")), None)
        for m in entry.get("media_content") or []
    ]
    enclosures = merge_enclosures(media, entry.get("enclosures") or [])
    credits = [clean_line(c.get("content", "")) for c in entry.get("media_credit") or []]
    if enclosures and credits and credits[0]:
        enclosures[0].credit = credits[0]
    return enclosures
