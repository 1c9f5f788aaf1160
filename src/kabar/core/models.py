"""Plain data that moves between the fetch, parse, store and UI layers."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import StrEnum

# The hidden feed row that holds pages saved with `kabar save URL` when no feed has them:
# every entry needs a feed, but this one is never listed, refreshed or exported as a feed.
PAGES_FEED_URL = "kabar:saved-pages"


class FullTextMode(StrEnum):
    """When to fetch an entry's web page for its full text."""

    AUTO = "auto"
    ALWAYS = "always"
    NEVER = "never"


@dataclass(slots=True)
class Enclosure:
    """A media attachment (RSS enclosure, Media RSS content, JSON Feed attachment)."""

    url: str
    type: str = ""
    length: int | None = None
    caption: str = ""
    credit: str = ""


@dataclass(slots=True)
class ParsedEntry:
    """One entry as a parser read it; text fields are already cleaned of control characters.

    `content` and `summary` are HTML (or plain text when the feed had no markup); dates are
    Unix seconds in UTC.
    """

    guid: str = ""
    link: str = ""
    title: str = ""
    author: str = ""
    published: float | None = None
    updated: float | None = None
    summary: str = ""
    content: str = ""
    enclosures: list[Enclosure] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)

    def identity(self) -> str:
        """A key stable across refreshes: the guid, else the link, else a hash of title+date."""
        if self.guid:
            return self.guid
        if self.link:
            return self.link
        date = "" if self.published is None else f"{self.published:.0f}"
        digest = hashlib.sha1(f"{self.title}\x00{date}".encode(errors="replace"))
        return "sha1:" + digest.hexdigest()

    def fingerprint(self) -> str:
        """A hash of what a reader sees, so an unchanged entry costs no write."""
        h = hashlib.blake2b(digest_size=12)
        for part in (self.title, self.link, self.author, self.summary, self.content):
            h.update(part.encode(errors="replace"))
            h.update(b"\x00")
        h.update(repr((self.published, self.updated)).encode())
        for enc in self.enclosures:
            h.update(f"{enc.url}\x00{enc.caption}\x00{enc.credit}".encode(errors="replace"))
        return h.hexdigest()


@dataclass(slots=True)
class ParsedFeed:
    """A feed document as a parser read it."""

    kind: str  # "rss", "atom", "rdf", "json" or "wpjson"
    title: str = ""
    link: str = ""
    description: str = ""
    language: str = ""
    ttl_minutes: int | None = None
    entries: list[ParsedEntry] = field(default_factory=list)


@dataclass(slots=True)
class FeedUpdate:
    """What one refresh learned about one feed, ready to be written in a batch."""

    feed_id: int
    fetched_at: float
    status: int | None = None
    new_url: str = ""
    etag: str | None = None
    last_modified: str | None = None
    error: str = ""
    parsed: ParsedFeed | None = None
    next_fetch: float | None = None
    disabled: str = ""
    not_modified: bool = False
    unreachable: bool = False  # failed the way it does when the network is down


@dataclass(slots=True)
class FeedRow:
    """A feed as the lists show it."""

    id: int
    url: str
    title: str
    site_url: str = ""
    folder: str = ""
    kind: str = ""
    unread: int = 0
    total: int = 0
    last_error: str = ""
    last_fetched: float | None = None
    disabled: str = ""
    etag: str | None = None
    last_modified: str | None = None
    next_fetch: float | None = None
    min_interval: float = 0.0  # the feed's own <ttl>, in seconds
    custom_title: str = ""  # the reader's own title for it, from the config
    tags: list[str] = field(default_factory=list)
    stream_id: str = ""  # the sync server's id for it; empty for a feed Kabar fetches itself
    error_count: int = 0  # failed refreshes in a row (sets the backoff)

    @property
    def display_title(self) -> str:
        return self.custom_title or self.title or self.url


@dataclass(slots=True)
class EntryRow:
    """An entry as the headline list shows it."""

    id: int
    feed_id: int
    feed_title: str
    title: str
    link: str
    author: str
    published: float | None
    sort_date: float
    read: bool
    saved: bool


@dataclass(slots=True)
class EntryDetail:
    """Everything needed to show one entry."""

    row: EntryRow
    feed_url: str
    summary: str
    content: str
    enclosures: list[Enclosure]
    full_text: str | None = None  # the extracted Article as JSON, when fetched
