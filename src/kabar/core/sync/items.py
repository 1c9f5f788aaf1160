"""What the Google Reader API returns, as plain data: subscriptions and items.

Item ids come in two spellings: the short decimal form of `stream/items/ids` and the long
form `tag:google.com,2005:reader/item/<16 hex digits>` of `stream/items/contents`. Both
become the same signed 64-bit integer, the key Kabar stores.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from kabar.core.models import Enclosure, ParsedEntry
from kabar.core.textsafety import clean_text

LONG_PREFIX = "tag:google.com,2005:reader/item/"
_LONG_DIGITS = len(LONG_PREFIX)
_SIGN, _WRAP = 1 << 63, 1 << 64


@dataclass(slots=True)
class Subscription:
    stream_id: str  # e.g. "feed/12" (FreshRSS) or "feed/https://..." (Inoreader)
    title: str
    url: str
    site_url: str = ""
    folder: str = ""  # the first label: Kabar lists a feed in one folder
    labels: list[str] = field(default_factory=list)  # every label (OPML export)


@dataclass(slots=True)
class SyncItem:
    """One server item: its id, its feed's stream id and the entry to store. Its read and
    starred states are not kept here: a sync takes them from the id lists, which are
    complete, not from the item's categories."""

    id: int
    stream_id: str
    entry: ParsedEntry
    feed_title: str = ""  # the origin's: a feed no longer subscribed is named by its items
    site_url: str = ""


def stream_url(stream_id: str) -> str:
    """The feed URL a stream id stands for when the server names none: Inoreader's
    `feed/<url>` gives the URL, FreshRSS's `feed/12` gives "12"."""
    return stream_id.removeprefix("feed/")


def parse_item_id(value: object) -> int | None:
    """The integer id of an item, from either spelling; None for anything else."""
    if type(value) is str and value.startswith(LONG_PREFIX):  # the contents' form: 20,000
        try:  # of them in a first sync, so the common case goes first
            number = int(value[_LONG_DIGITS:], 16)
        except ValueError:
            return None
        return number - _WRAP if number >= _SIGN else number
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if not isinstance(value, str) or not value:
        return None
    text = value.strip()
    try:
        if text.startswith("tag:"):
            number = int(text.rsplit("/", 1)[-1], 16)
            return number - _WRAP if number >= _SIGN else number
        return int(text)
    except ValueError:
        return None


def item_from_json(raw: Any) -> SyncItem | None:
    """One item of stream/items/contents; None when it has no usable id or origin.

    A first sync maps 20,000 of these: each field is looked up once, and only the fields
    Kabar stores are read."""
    if not isinstance(raw, dict):
        return None
    get = raw.get
    item_id = parse_item_id(get("id"))
    origin = get("origin")
    if item_id is None or not isinstance(origin, dict):
        return None
    stream = origin.get("streamId")
    if not isinstance(stream, str):
        return None
    title, author = get("title"), get("author")
    enclosures = get("enclosure")
    entry = ParsedEntry(
        guid=str(item_id),
        link=_first_href(get("canonical")) or _first_href(get("alternate")),
        title=clean_text(title if type(title) is str else str(title or "")),
        author=clean_text(author if type(author) is str else str(author or "")),
        published=_number(get("published")),
        content=_text_of(get("content")) or _text_of(get("summary")),
        enclosures=[
            Enclosure(url=e["href"], type=str(e.get("type") or ""))
            for e in enclosures
            if isinstance(e, dict) and isinstance(e.get("href"), str)
        ]
        if isinstance(enclosures, list)
        else [],
    )
    origin_title, site = origin.get("title"), origin.get("htmlUrl")
    return SyncItem(
        item_id,
        stream,
        entry,
        clean_text(origin_title) if isinstance(origin_title, str) else "",
        site if isinstance(site, str) else "",
    )


def _text_of(value: object) -> str:
    if isinstance(value, dict):
        text = value.get("content")
        if isinstance(text, str):
            return text
    return ""


def _first_href(value: object) -> str:
    if isinstance(value, list):
        for link in value:
            if isinstance(link, dict) and isinstance(link.get("href"), str):
                return str(link["href"])
    return ""


def _number(value: object) -> float | None:
    """A finite number (a date): NaN would fail the entry's NOT NULL sort date."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        number = float(value)
    except (ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None
