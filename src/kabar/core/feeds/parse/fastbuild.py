"""The ParsedFeed the fast XML path returns, from the dicts the walker filled.

The walker fills dicts shaped like feedparser's (same keys, same values); this module only
adapts their shape (content as (type, value) pairs, a field's type beside it, dates already
Unix seconds) and hands them to `mapping`, the mapping xmlfeed uses too, so both paths make
the same choices by construction. Media RSS captions are the fast path's own (each media
object's caption and credit, docs/parsing.md).
"""

from __future__ import annotations

from typing import Any

from kabar.core.feeds.parse.fastmedia import media_caption
from kabar.core.feeds.parse.fastwalk import Walker
from kabar.core.feeds.parse.mapping import merge_enclosures, parsed_entry, quick_line, quick_link
from kabar.core.feeds.parse.mapping import parsed_feed as mapped_feed
from kabar.core.models import Enclosure, ParsedEntry, ParsedFeed


def parsed_feed(w: Walker) -> ParsedFeed:
    """xmlfeed.parse_xml_feed's ParsedFeed, from the dicts the walker filled."""
    feed = w.feed
    entries = [_entry(e, w.has_media) for e in w.entries]
    return mapped_feed(
        w.version,
        feed,
        feed.get("title_detail") or "",
        feed.get("subtitle_detail") or "",
        entries,
    )


def _entry(entry: dict[str, Any], media: bool) -> ParsedEntry:
    published = entry.get("published_parsed")
    updated = entry.get("updated_parsed", published)  # FeedParserDict's fallback
    return parsed_entry(
        entry,
        title_type=entry.get("title_detail") or "",
        contents=entry.get("content") or (),
        published=published if published is not None else updated,
        updated=updated,
        enclosures=_enclosures(entry, media),
    )


def _enclosures(entry: dict[str, Any], has_media: bool) -> list[Enclosure]:
    """mapping.merge_enclosures, with each media object's own caption and credit."""
    media = [
        Enclosure(
            quick_link(m.get("url") or ""),
            quick_line(m.get("type") or ""),
            None,
            caption=m["\0caption"],
            credit=m["\0credit"],
        )
        for m in entry.get("media_content") or ()
    ]
    links = [enc for enc in entry.get("links") or () if enc.get("rel") == "enclosure"]
    enclosures = merge_enclosures(media, links)
    if enclosures and has_media:
        caption, credit = media_caption(entry["\0el"])
        first = enclosures[0]
        first.caption = first.caption or caption
        first.credit = first.credit or credit
    return enclosures
