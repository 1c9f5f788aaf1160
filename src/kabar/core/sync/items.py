"""What the Google Reader API returns, as plain data: subscriptions and items.

Item ids come in two spellings: the short decimal form of `stream/items/ids` and the long
form `tag:google.com,2005:reader/item/<16 hex digits>` of `stream/items/contents`. Both
become the same signed 64-bit integer, the key Kabar stores.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kabar.core.models import Enclosure, ParsedEntry
from kabar.core.textsafety import clean_text

LONG_PREFIX = "tag:google.com,2005:reader/item/"
READ_STATE = "user/-/state/com.google/read"
STARRED_STATE = "user/-/state/com.google/starred"


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
    id: int
    stream_id: str
    entry: ParsedEntry
    read: bool
    starred: bool
    crawled: float | None = None
    labels: list[str] = field(default_factory=list)


def parse_item_id(value: object) -> int | None:
    """The integer id of an item, from either spelling; None for anything else."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if not isinstance(value, str) or not value:
        return None
    text = value.strip()
    try:
        if text.startswith(LONG_PREFIX) or text.startswith("tag:"):
            number = int(text.rsplit("/", 1)[-1], 16)
            return number - (1 << 64) if number >= (1 << 63) else number
        return int(text)
    except ValueError:
        return None


def long_item_id(item_id: int) -> str:
    """An item id in the long form every Google Reader API server reads alike (a short
    decimal id of 16 digits is read as hexadecimal by Miniflux)."""
    return f"{LONG_PREFIX}{item_id & ((1 << 64) - 1):016x}"


def item_from_json(raw: Any) -> SyncItem | None:
    """One item of stream/items/contents; None when it has no usable id or origin."""
    if not isinstance(raw, dict):
        return None
    item_id = parse_item_id(raw.get("id"))
    origin = raw.get("origin") if isinstance(raw.get("origin"), dict) else {}
    stream = origin.get("streamId") if isinstance(origin, dict) else None
    if item_id is None or not isinstance(stream, str):
        return None
    categories = [c for c in raw.get("categories") or [] if isinstance(c, str)]
    body = _text_of(raw.get("content")) or _text_of(raw.get("summary"))
    entry = ParsedEntry(
        guid=str(item_id),
        link=_first_href(raw.get("canonical")) or _first_href(raw.get("alternate")),
        title=clean_text(str(raw.get("title") or "")),
        author=clean_text(str(raw.get("author") or "")),
        published=_number(raw.get("published")),
        updated=_number(raw.get("updated")),
        content=body,
        enclosures=[
            Enclosure(url=str(e["href"]), type=str(e.get("type") or ""))
            for e in raw.get("enclosure") or []
            if isinstance(e, dict) and isinstance(e.get("href"), str)
        ],
    )
    crawled = _number(raw.get("crawlTimeMsec"))
    return SyncItem(
        id=item_id,
        stream_id=stream,
        entry=entry,
        read=any(c.endswith("/state/com.google/read") for c in categories),
        starred=any(c.endswith("/state/com.google/starred") for c in categories),
        crawled=None if crawled is None else crawled / 1000.0,
        labels=[c.split("/label/", 1)[1] for c in categories if "/label/" in c],
    )


def _text_of(value: object) -> str:
    if isinstance(value, dict) and isinstance(value.get("content"), str):
        return str(value["content"])
    return ""


def _first_href(value: object) -> str:
    if isinstance(value, list):
        for link in value:
            if isinstance(link, dict) and isinstance(link.get("href"), str):
                return str(link["href"])
    return ""


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None
