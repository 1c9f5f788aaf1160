"""The ParsedFeed the fast XML path returns, built as xmlfeed builds it from feedparser's dicts.

The walker fills dicts shaped like feedparser's (same keys, same values); this module makes
the same choices xmlfeed.parse_xml_feed makes from them (which content wins, how the author
is named, which dates fall back to which, how enclosures are merged), so a change there
must be mirrored here: the agreement tests in tests/parse say when it is not. The text
clean-up functions are textsafety's, with shortcuts that return at once when they would not
change anything (most feed text).
"""

from __future__ import annotations

import re
from typing import Any

from kabar.core.htmlparts import strip_tags, without_data_images
from kabar.core.models import Enclosure, ParsedEntry, ParsedFeed
from kabar.core.parse.fastmedia import media_caption
from kabar.core.parse.fastwalk import Walker
from kabar.core.parse.xmlfeed import author_name
from kabar.core.textsafety import clean_line, clean_text, safe_link

_KINDS = {"rss090": "rdf", "rss10": "rdf", "atom": "atom", "rss": "rss", "cdf": "rss"}
# Characters clean_text(keep_newlines=True) would change: everything it removes or rewrites
# except the newline it keeps.
_NEEDS_CLEANING = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)
# An http(s) URL safe_link() returns unchanged: printable ASCII without spaces or brackets
# (clean_line leaves it alone, and urlsplit() neither fails nor finds another scheme).
_PLAIN_URL = re.compile(r"https?://[!-Z^-~]*\Z")
# An & that is not one of the four references _strip_tags decodes itself.
_OTHER_REFS = re.compile("&(?!amp;|lt;|gt;|quot;)")


def parsed_feed(w: Walker) -> ParsedFeed:
    """xmlfeed.parse_xml_feed's ParsedFeed, from the dicts the walker filled."""
    feed = w.feed
    kind = next((k for prefix, k in _KINDS.items() if w.version.startswith(prefix)), "rss")
    return ParsedFeed(
        kind=kind,
        title=_text_field(feed, "title"),
        link=_safe_link(feed.get("link") or ""),
        description=_text_field(feed, "subtitle"),
        language=_clean_line(feed.get("language") or ""),
        ttl_minutes=_int_or_none(feed.get("ttl")),
        entries=[_entry(e, w.has_media) for e in w.entries],
    )


def _entry(entry: dict[str, Any], media: bool) -> ParsedEntry:
    content = ""
    contents: list[tuple[str | None, str | None]] = entry.get("content") or []
    if contents:
        html_parts = [c for c in contents if "html" in (c[0] or "")] or contents
        content = max((c[1] or "" for c in html_parts), key=len)
    author = author_name(entry.get("author") or "") or (entry.get("author_detail") or {}).get(
        "name"
    )
    published = entry.get("published_parsed")
    updated = entry.get("updated_parsed", published)  # FeedParserDict's fallback
    return ParsedEntry(
        guid=_clean_line(entry.get("id") or ""),
        link=_safe_link(entry.get("link") or ""),
        title=_text_field(entry, "title"),
        author=_clean_line(author or ""),
        published=published if published is not None else updated,
        updated=updated,
        summary=_clean_block(without_data_images(entry.get("summary") or "")),
        content=_clean_block(without_data_images(content)),
        enclosures=_enclosures(entry, media),
        tags=[_clean_line(t["term"]) for t in entry.get("tags") or [] if t.get("term")],
    )


def _text_field(obj: dict[str, Any], name: str) -> str:
    value = obj.get(name) or ""
    if "html" in (obj.get(f"{name}_detail") or ""):
        return _strip_tags(value)
    return _clean_line(value)


def _strip_tags(markup: str) -> str:
    """htmldoc.strip_tags, without an HTML parse for text whose only markup is &amp; & co."""
    if "<" not in markup and markup.isprintable() and not _OTHER_REFS.search(markup):
        return _clean_line(
            markup.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", '"')
            .replace("&amp;", "&")
        )
    return strip_tags(markup)


def _clean_block(text: str) -> str:
    """clean_text(text, keep_newlines=True), returning at once when it has nothing to do.

    Every character clean_text removes or rewrites (controls, bidi overrides, surrogates,
    noncharacters) is one str.isprintable() rejects, so a printable text (newlines aside)
    is returned as it is without the slower regex search.
    """
    if text.replace("\n", " ").isprintable() or _NEEDS_CLEANING.search(text) is None:
        return text
    return clean_text(text, keep_newlines=True)


def _clean_line(text: str) -> str:
    """textsafety.clean_line, returning at once a text that is already one clean line."""
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return clean_line(text)


def _safe_link(url: str) -> str:
    """textsafety.safe_link, without urlsplit() for a plain http(s) URL."""
    if _PLAIN_URL.match(url):
        return url
    return safe_link(url)


def _int_or_none(value: object) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _enclosures(entry: dict[str, Any], has_media: bool) -> list[Enclosure]:
    """xmlfeed._enclosures, with each media object's own caption and credit."""
    found: dict[str, Enclosure] = {}
    for media in entry.get("media_content") or []:
        link = _safe_link(media.get("url") or "")
        if link:
            found[link] = Enclosure(
                link,
                _clean_line(media.get("type") or ""),
                None,
                caption=media["\0caption"],
                credit=media["\0credit"],
            )
    for enc in entry.get("links") or []:
        if enc.get("rel") != "enclosure":
            continue
        link = _safe_link(enc.get("href") or "")
        if link and link not in found:
            found[link] = Enclosure(
                link, _clean_line(enc.get("type") or ""), _int_or_none(enc.get("length"))
            )
    enclosures = list(found.values())
    if enclosures and has_media:
        caption, credit = media_caption(entry["\0el"])
        first = enclosures[0]
        first.caption = first.caption or caption
        first.credit = first.credit or credit
    return enclosures
