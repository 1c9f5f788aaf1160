"""From feedparser-shaped dicts to our `ParsedFeed`: the one mapping both XML paths use.

feedparser (through xmlfeed) and the fast path (through fastbuild) fill dicts with the same
keys and values; each adapts its own shape (feedparser's FeedParserDict, the walker's
plain dicts) and hands the pieces here, so which content wins, how the author is named,
which fields are HTML and how enclosures merge are decided once. The text clean-up
functions are textsafety's, with shortcuts that return at once when they would not change
anything (most feed text: this runs for every string of every feed).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from kabar.core.article.htmlparts import strip_tags, without_data_images
from kabar.core.models import Enclosure, ParsedEntry, ParsedFeed
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
_EMAIL_NAME = re.compile(r"^\s*\S+@\S+\s*\((?P<name>[^)]*)\)\s*$")
_NAME_EMAIL = re.compile(r"^\s*(?P<name>[^<]*?)\s*<[^>]*@[^>]*>\s*$")


def parsed_feed(
    version: str,
    feed: Mapping[str, Any],
    title_type: str,
    subtitle_type: str,
    entries: list[ParsedEntry],
) -> ParsedFeed:
    """The feed's own fields; `*_type` is the content type of its title and subtitle."""
    kind = next((k for prefix, k in _KINDS.items() if version.startswith(prefix)), "rss")
    return ParsedFeed(
        kind=kind,
        title=text_field(feed.get("title") or "", title_type),
        link=quick_link(feed.get("link") or ""),
        description=text_field(feed.get("subtitle") or "", subtitle_type),
        language=quick_line(feed.get("language") or ""),
        ttl_minutes=int_or_none(feed.get("ttl")),
        entries=entries,
    )


def parsed_entry(
    entry: Mapping[str, Any],
    *,
    title_type: str,
    contents: Iterable[tuple[str | None, str | None]],
    published: float | None,
    updated: float | None,
    enclosures: list[Enclosure],
) -> ParsedEntry:
    """One entry; `contents` are its (content type, value) pairs, dates are Unix seconds."""
    author = author_name(entry.get("author") or "") or (entry.get("author_detail") or {}).get(
        "name"
    )
    return ParsedEntry(
        guid=quick_line(entry.get("id") or ""),
        link=quick_link(entry.get("link") or ""),
        title=text_field(entry.get("title") or "", title_type),
        author=quick_line(author or ""),
        published=published,
        updated=updated,
        summary=quick_block(quick_data_images(entry.get("summary") or "")),
        content=quick_block(quick_data_images(best_content(contents))),
        enclosures=enclosures,
        tags=[quick_line(t["term"]) for t in entry.get("tags") or [] if t.get("term")],
    )


def best_content(contents: Iterable[tuple[str | None, str | None]]) -> str:
    """The longest HTML content (or the longest of any type when none is HTML)."""
    pairs = list(contents)
    if not pairs:
        return ""
    html_parts = [c for c in pairs if "html" in (c[0] or "")] or pairs
    return max((c[1] or "" for c in html_parts), key=len)


def merge_enclosures(
    media: Iterable[Enclosure], links: Iterable[Mapping[str, Any]]
) -> list[Enclosure]:
    """Media RSS objects first, then enclosure links whose URL is not among them."""
    found: dict[str, Enclosure] = {e.url: e for e in media if e.url}
    for enc in links:
        link = quick_link(enc.get("href") or "")
        if link and link not in found:
            found[link] = Enclosure(
                link, quick_line(enc.get("type") or ""), int_or_none(enc.get("length"))
            )
    return list(found.values())


def author_name(value: str) -> str:
    """The name in an RSS author field: "desk@x.org (Tom Reed)" and "Tom Reed <desk@x.org>"
    both give "Tom Reed". (feedparser's own author_detail garbles the first form.)"""
    value = quick_line(value)
    if "@" not in value:  # both spellings hold an address
        return value
    match = _EMAIL_NAME.match(value) or _NAME_EMAIL.match(value)
    if match and match.group("name").strip():
        return match.group("name").strip()
    return value


def text_field(value: str, content_type: str) -> str:
    """A title-like field as one line of plain text (its tags stripped when it is HTML)."""
    if "html" in content_type:
        return quick_strip_tags(value)
    return quick_line(value)


def quick_strip_tags(markup: str) -> str:
    """htmlparts.strip_tags, without an HTML parse for text whose only markup is &amp; & co."""
    if "<" not in markup and markup.isprintable() and not _OTHER_REFS.search(markup):
        return quick_line(
            markup.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", '"')
            .replace("&amp;", "&")
        )
    return strip_tags(markup)


def quick_block(text: str) -> str:
    """clean_text(text, keep_newlines=True), returning at once when it has nothing to do.

    Every character clean_text removes or rewrites (controls, bidi overrides, surrogates,
    noncharacters) is one str.isprintable() rejects, so a printable text (newlines aside)
    is returned as it is without the slower regex search.
    """
    if text.replace("\n", " ").isprintable() or _NEEDS_CLEANING.search(text) is None:
        return text
    return clean_text(text, keep_newlines=True)


def quick_data_images(markup: str) -> str:
    """htmlparts.without_data_images, returning at once when no `data:` is in the markup.

    Looked for at each colon (a few in most entries) rather than in a lower-cased copy of
    the whole text, which cost as much as a tenth of a fast-path parse; a text with many
    colons (a long page) goes to the copy after 64 of them.
    """
    at = markup.find(":", 4)
    for _ in range(64):
        if at == -1:
            return markup
        before = markup[at - 1]  # one character: no copy, and most colons follow http(s)
        if (before == "a" or before == "A") and markup[at - 4 : at].lower() == "data":
            return without_data_images(markup)
        at = markup.find(":", at + 1)
    return without_data_images(markup)


def quick_line(text: str) -> str:
    """textsafety.clean_line, returning at once a text that is already one clean line."""
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return clean_line(text)


def quick_link(url: str) -> str:
    """textsafety.safe_link, without urlsplit() for a plain http(s) URL."""
    if _PLAIN_URL.match(url):
        return url
    return safe_link(url)


def int_or_none(value: object) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None
