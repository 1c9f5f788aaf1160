"""Find the feeds of a site: what `kabar add https://example.org` subscribes to.

A URL that is itself a feed is taken as is. A web page is searched for
`<link rel="alternate">` feeds (RSS, Atom, JSON Feed), WordPress's REST API and `/feed/`;
when the page names none, common feed paths on the site are tried. Every candidate is
fetched and parsed before it is offered, so the list only holds feeds that work.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from lxml import etree, html

from kabar.core.config.settings import Config
from kabar.core.errors import FeedParseError, FetchError, KabarError
from kabar.core.feeds.fetch import Fetcher, Response, limits_from
from kabar.core.feeds.fetch.httpsession import FetchSession, fetch_with
from kabar.core.feeds.parse import parse_feed
from kabar.core.feeds.urls import InvalidURL, feed_url
from kabar.core.models import ParsedFeed
from kabar.core.textsafety import clean_line, safe_join

FEED_TYPES = {
    "application/rss+xml": "rss",
    "application/atom+xml": "atom",
    "application/rdf+xml": "rdf",
    "application/feed+json": "json",
    "application/json": "json",
    "text/xml": "rss",
    "application/xml": "rss",
}
COMMON_PATHS = (
    "/feed/", "/feed", "/rss", "/rss.xml", "/atom.xml", "/feed.xml", "/index.xml",
    "/feed.json", "/feeds/posts/default", "/?feed=rss2",
)  # fmt: skip
WP_POSTS = "wp/v2/posts"
log = logging.getLogger(__name__)


@dataclass(slots=True)
class FeedCandidate:
    url: str
    title: str
    kind: str
    entries: int = 0
    # What the look-up fetched and parsed: subscribing keeps it as the feed's first update,
    # so the first refresh does not fetch and parse the feed again.
    parsed: ParsedFeed | None = field(default=None, repr=False, compare=False)
    response: Response | None = field(default=None, repr=False, compare=False)


class NoFeedFound(KabarError):
    title = "No feed found"


async def discover(fetcher: Fetcher, url: str) -> list[FeedCandidate]:
    """The working feeds for `url`, best first, each URL in its one normalised spelling
    (core.urls). Raises InvalidURL, NoFeedFound or FetchError."""
    url = feed_url(url)
    response = await fetcher.get(url)
    base = response.final_url or url
    try:
        parsed = parse_feed(response.content, base, response.content_type)
    except FeedParseError:
        parsed = None
    if parsed is not None:
        title = clean_line(parsed.title)
        return [FeedCandidate(url, title, parsed.kind, len(parsed.entries), parsed, response)]
    links = page_feed_links(response.content, base)
    found = await _validate(fetcher, links)
    if not found:
        root = "{0.scheme}://{0.netloc}".format(urlsplit(base))
        found = await _validate(fetcher, [feed_url(urljoin(root, p)) for p in COMMON_PATHS])
    if not found:
        raise NoFeedFound(f"no feed found at {url} (it is a web page that names no feed)")
    return found


def page_feed_links(page: bytes, base: str) -> list[str]:
    """Feed URLs a web page points to, in the page's order, without duplicates."""
    try:
        root = html.fromstring(page)
    except (etree.ParserError, ValueError):
        return []
    base_href = root.xpath("string(//base/@href)")
    base = safe_join(base, str(base_href).strip()) or base if base_href else base
    urls: list[str] = []
    for link in root.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        href = (link.get("href") or "").strip()
        if not href:
            continue
        kind = (link.get("type") or "").split(";")[0].strip().lower()
        if "alternate" in rel and kind in FEED_TYPES:
            urls.append(safe_join(base, href))
        elif "https://api.w.org/" in rel:
            api = safe_join(base, href)
            urls.append(safe_join(api.rstrip("/") + "/", WP_POSTS) if api else "")
    generator = str(root.xpath("string(//meta[@name='generator']/@content)")).lower()
    if "wordpress" in generator:
        urls.append(safe_join(base, "/feed/"))
    # A page may point anywhere: only links Kabar could subscribe to are candidates.
    return list(dict.fromkeys(u for u in map(_valid_or_empty, urls) if u))


def _valid_or_empty(url: str) -> str:
    try:
        return feed_url(url) if url else ""
    except InvalidURL:
        return ""


async def _validate(fetcher: Fetcher, urls: list[str]) -> list[FeedCandidate]:
    async def check(url: str) -> FeedCandidate | None:
        try:
            response = await fetcher.get(url)
            parsed = parse_feed(response.content, response.final_url, response.content_type)
        except (FetchError, FeedParseError):
            return None
        except Exception:  # one bad candidate costs that candidate, not the look-up
            log.warning("feed candidate %s failed", url, exc_info=True)
            return None
        return FeedCandidate(
            response.permanent_url or url,
            clean_line(parsed.title),
            parsed.kind,
            len(parsed.entries),
            parsed,
            response,
        )

    results = await asyncio.gather(*(check(u) for u in urls))
    seen: set[str] = set()
    found: list[FeedCandidate] = []
    for candidate in results:
        if candidate is not None and candidate.url not in seen:
            seen.add(candidate.url)
            found.append(candidate)
    return found


def discover_sync(
    url: str, config: Config, session: FetchSession | None = None
) -> list[FeedCandidate]:
    """`discover` from a thread that waits for it: on the session's client when given one,
    else on its own event loop (for the CLI and worker threads)."""

    async def run(fetcher: Fetcher) -> list[FeedCandidate]:
        return await discover(fetcher, url)

    return fetch_with(session, limits_from(config), run)
