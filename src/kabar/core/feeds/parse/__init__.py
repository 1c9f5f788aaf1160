"""Feed parsing: bytes in, a `ParsedFeed` out, whatever the format.

`parse_feed` sniffs the document (JSON or XML) and hands it to the right parser. feedparser
is the reference for what an RSS or Atom feed means, but it reads only 1-2 MB/s, so XML
first goes to `fastxml`, which replays feedparser's reading over an lxml tree 10x faster and
returns None for anything it cannot promise to read the same way; feedparser then reads
it (docs/parsing.md). The fast path replays feedparser's private functions, so `fpgate`
turns it off (one log line) when the installed feedparser is not the release it was tested
against. JSON Feed and WordPress REST listings have parsers of our own because
feedparser 6.0 reads neither.
"""

from __future__ import annotations

import logging

from kabar.core.errors import FeedParseError
from kabar.core.feeds.parse.fpgate import fast_parser
from kabar.core.feeds.parse.jsonfeed import parse_json_document
from kabar.core.feeds.parse.xmlfeed import parse_xml_feed
from kabar.core.models import ParsedFeed

__all__ = ["FeedParseError", "parse_feed"]
log = logging.getLogger(__name__)


def parse_feed(data: bytes, url: str = "", content_type: str = "") -> ParsedFeed:
    """Parse a feed document; raises FeedParseError when it is not a feed we can read,
    and nothing else: whatever a hostile document makes a parser raise is its parse error."""
    try:
        if _looks_like_json(data, content_type):
            return parse_json_document(data, url)
        fast = fast_parser()
        parsed = None if fast is None else fast(data, url, content_type)
        if parsed is not None:
            return parsed
        return parse_xml_feed(data, url, content_type)
    except FeedParseError:
        raise
    except Exception as exc:
        log.warning("parsing %s raised", url, exc_info=True)
        detail = " ".join(str(exc).split())[:200]
        raise FeedParseError(
            f"could not parse the feed: {exc.__class__.__name__}: {detail}"
        ) from exc


def _looks_like_json(data: bytes, content_type: str) -> bool:
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head[:1] in (b"{", b"["):
        return True
    return "json" in content_type.lower() and not head.startswith(b"<")
