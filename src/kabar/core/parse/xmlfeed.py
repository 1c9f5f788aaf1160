"""RSS and Atom through feedparser, mapped onto our `ParsedFeed`.

feedparser is the reference for what an XML feed means; this module only chooses which of
its fields we keep, makes dates Unix seconds and cleans every string. Before feedparser sees
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
from kabar.core.htmlparts import strip_tags, without_data_images
from kabar.core.models import Enclosure, ParsedEntry, ParsedFeed
from kabar.core.parse.dates import register_unix_dates
from kabar.core.textsafety import clean_line, clean_text, safe_link

register_unix_dates()
_DOCTYPE = re.compile(rb"<!DOCTYPE(?:[^\[>]*\[.*?\]\s*>|[^>]*>)", re.I | re.S)
_HTML_START = re.compile(rb"\s*(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html)", re.I | re.S)
_KINDS = {"rss090": "rdf", "rss10": "rdf", "atom": "atom", "rss": "rss", "cdf": "rss"}


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
    kind = next((k for prefix, k in _KINDS.items() if version.startswith(prefix)), "rss")
    return ParsedFeed(
        kind=kind,
        title=_text_field(feed, "title"),
        link=safe_link(feed.get("link", "")),
        description=_text_field(feed, "subtitle"),
        language=clean_line(feed.get("language", "")),
        ttl_minutes=_int_or_none(feed.get("ttl")),
        entries=[_entry(e) for e in parsed.entries],
    )


def _entry(entry: Any) -> ParsedEntry:
    content = ""
    contents = entry.get("content") or []
    if contents:
        html_parts = [c for c in contents if "html" in (c.get("type") or "")] or contents
        content = max((c.get("value") or "" for c in html_parts), key=len)
    summary = entry.get("summary", "") or ""
    author = author_name(entry.get("author", "")) or (entry.get("author_detail") or {}).get("name")
    return ParsedEntry(
        guid=clean_line(entry.get("id", "")),
        link=safe_link(entry.get("link", "")),
        title=_text_field(entry, "title"),
        author=clean_line(author),
        published=_timestamp(entry.get("published_parsed") or entry.get("updated_parsed")),
        updated=_timestamp(entry.get("updated_parsed")),
        summary=clean_text(without_data_images(summary), keep_newlines=True),
        content=clean_text(without_data_images(content), keep_newlines=True),
        enclosures=_enclosures(entry),
        tags=[clean_line(t.get("term", "")) for t in entry.get("tags") or [] if t.get("term")],
    )


_EMAIL_NAME = re.compile(r"^\s*\S+@\S+\s*\((?P<name>[^)]*)\)\s*$")
_NAME_EMAIL = re.compile(r"^\s*(?P<name>[^<]*?)\s*<[^>]*@[^>]*>\s*$")


def author_name(value: str) -> str:
    """The name in an RSS author field: "desk@x.org (Tom Reed)" and "Tom Reed <desk@x.org>"
    both give "Tom Reed". (feedparser's own author_detail garbles the first form.)"""
    value = clean_line(value)
    match = _EMAIL_NAME.match(value) or _NAME_EMAIL.match(value)
    if match and match.group("name").strip():
        return match.group("name").strip()
    return value


def _text_field(obj: Any, name: str) -> str:
    value = obj.get(name, "") or ""
    detail = obj.get(f"{name}_detail") or {}
    if "html" in (detail.get("type") or ""):
        return strip_tags(value)
    return clean_line(value)


def _timestamp(value: time.struct_time | None) -> float | None:
    if value is None:
        return None
    try:
        return float(calendar.timegm(value))
    except (OverflowError, ValueError, TypeError):
        return None


def _int_or_none(value: object) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _enclosures(entry: Any) -> list[Enclosure]:
    found: dict[str, Enclosure] = {}
    credits = [clean_line(c.get("content", "")) for c in entry.get("media_credit") or []]
    for media in entry.get("media_content") or []:
        link = safe_link(media.get("url", ""))
        if link:
            found[link] = Enclosure(link, clean_line(media.get("type", "")), None)
    for enc in entry.get("enclosures") or []:
        link = safe_link(enc.get("href", ""))
        if link and link not in found:
            found[link] = Enclosure(
                link, clean_line(enc.get("type", "")), _int_or_none(enc.get("length"))
            )
    enclosures = list(found.values())
    if enclosures and credits and credits[0]:
        enclosures[0].credit = credits[0]
    return enclosures
