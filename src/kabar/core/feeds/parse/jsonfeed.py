"""JSON Feed 1.0/1.1 and WordPress REST post listings.

feedparser 6.0 reads neither, so this is a small validating parser of our own: a document
that is not one of the two shapes is refused with a message saying why, and hostile JSON
(deep nesting, giant numbers, invalid UTF-8) becomes a FeedParseError, never another
exception.
"""

from __future__ import annotations

import json
import re
from typing import Any

from kabar.core.article.htmlparts import strip_tags
from kabar.core.errors import FeedParseError
from kabar.core.feeds.parse.dates import parse_date
from kabar.core.feeds.parse.fasthtml import sanitize_html
from kabar.core.feeds.parse.mapping import quick_block, quick_data_images, quick_line
from kabar.core.models import Enclosure, ParsedEntry, ParsedFeed
from kabar.core.textsafety import clean_line, clean_text, safe_join

# The version strings real feeds carry: the spec's URLs (1 and 1.1), their http:// forms,
# a trailing slash, and bare numbers.
_VERSION = re.compile(r"(?:https?://(?:www\.)?jsonfeed\.org/version/)?1(?:\.[01])?/?\Z", re.I)


def load_json(data: bytes) -> Any:
    """Decode JSON bytes, turning every way hostile input fails into FeedParseError."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FeedParseError(f"JSON feed is not valid UTF-8 (byte {exc.start})") from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise FeedParseError(f"invalid JSON: {exc.msg} at line {exc.lineno}") from exc
    except RecursionError as exc:
        raise FeedParseError("invalid JSON: nested too deeply") from exc
    except ValueError as exc:  # e.g. integers longer than sys.get_int_max_str_digits()
        raise FeedParseError(f"invalid JSON: {exc}") from exc


def parse_json_document(data: bytes, url: str = "") -> ParsedFeed:
    doc = load_json(data)
    if isinstance(doc, list):
        return parse_wp_posts(doc, url)
    if isinstance(doc, dict) and is_json_feed_version(doc.get("version")):
        return parse_json_feed(doc, url)
    raise FeedParseError("JSON document is neither a JSON Feed nor a WordPress post listing")


def is_json_feed_version(value: object) -> bool:
    """True for a JSON Feed `version` naming 1.0 or 1.1, however the feed spells it."""
    return isinstance(value, str) and _VERSION.match(value.strip()) is not None


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _author_names(obj: dict[str, Any]) -> str:
    """JSON Feed 1.1 `authors` (a list), falling back to 1.0's `author` (an object)."""
    authors = obj.get("authors")
    if not isinstance(authors, list):
        single = obj.get("author")
        authors = [single] if isinstance(single, dict) else []
    names = [quick_line(_str(a.get("name"))) for a in authors if isinstance(a, dict)]
    return ", ".join(name for name in names if name)


def parse_json_feed(doc: dict[str, Any], url: str = "") -> ParsedFeed:
    items = doc.get("items")
    if not isinstance(items, list):
        raise FeedParseError("JSON Feed has no 'items' list")
    base = _str(doc.get("feed_url")) or url
    feed_author = _author_names(doc)
    entries = [_json_item(item, base, feed_author) for item in items if isinstance(item, dict)]
    return ParsedFeed(
        kind="json",
        title=quick_line(_str(doc.get("title"))),
        link=safe_join(base, _str(doc.get("home_page_url"))),
        description=quick_line(_str(doc.get("description"))),
        language=quick_line(_str(doc.get("language"))),
        entries=entries,
    )


def _json_item(item: dict[str, Any], base: str, feed_author: str) -> ParsedEntry:
    link = _str(item.get("url")) or _str(item.get("external_url"))
    content_html = _str(item.get("content_html"))
    content_text = _str(item.get("content_text"))
    summary = _str(item.get("summary"))
    enclosures = []
    for att in _list(item.get("attachments")):
        att_url = safe_join(base, _str(att.get("url"))) if isinstance(att, dict) else ""
        if isinstance(att, dict) and att_url:
            size = att.get("size_in_bytes")
            enclosures.append(
                Enclosure(
                    att_url,
                    quick_line(_str(att.get("mime_type"))),
                    size if isinstance(size, int) and not isinstance(size, bool) else None,
                    caption=quick_line(_str(att.get("title"))),
                )
            )
    image = _str(item.get("image")) or _str(item.get("banner_image"))
    src = safe_join(base, image) if image else ""
    if src and not any(e.url == src for e in enclosures):
        enclosures.insert(0, Enclosure(src, "image"))
    item_id = item.get("id")
    if isinstance(item_id, bool) or not isinstance(item_id, (str, int)):
        item_id = ""  # no usable id: the entry is known by its link or title, as in RSS
    tags = _list(item.get("tags"))
    return ParsedEntry(
        guid=quick_line(str(item_id)),
        link=safe_join(base, link) if link else "",
        title=quick_line(_str(item.get("title"))),
        author=_author_names(item) or feed_author,
        published=parse_date(item.get("date_published")) or parse_date(item.get("date_modified")),
        updated=parse_date(item.get("date_modified")),
        summary=quick_block(summary),
        content=quick_block(_feed_html(content_html, base) if content_html else content_text),
        enclosures=enclosures,
        tags=[quick_line(t) for t in tags if isinstance(t, str)],
    )


def parse_wp_posts(posts: list[Any], url: str = "") -> ParsedFeed:
    """A `/wp-json/wp/v2/posts` listing: fields are objects with a `rendered` HTML string."""
    entries: list[ParsedEntry] = []
    for post in posts:
        if not isinstance(post, dict) or "link" not in post:
            raise FeedParseError("JSON list is not a WordPress post listing")
        guid = post.get("guid")
        entries.append(
            ParsedEntry(
                guid=clean_line(_rendered(guid)) or clean_line(str(post.get("id", ""))),
                link=safe_join(url, _str(post.get("link"))),
                title=strip_tags(_rendered(post.get("title"))),
                published=_gmt(post.get("date_gmt")) or parse_date(post.get("date")),
                updated=_gmt(post.get("modified_gmt")),
                summary=clean_text(
                    _feed_html(_rendered(post.get("excerpt")), url), keep_newlines=True
                ),
                content=clean_text(
                    _feed_html(_rendered(post.get("content")), url), keep_newlines=True
                ),
            )
        )
    return ParsedFeed(kind="wpjson", link=url, entries=entries)


def _feed_html(markup: str, base: str) -> str:
    """HTML from a JSON document, sanitised and resolved exactly as the XML path does it."""
    return quick_data_images(sanitize_html(markup, base, "text/html"))


def _rendered(value: object) -> str:
    if isinstance(value, dict):
        return _str(value.get("rendered"))
    return _str(value)


def _gmt(value: object) -> float | None:
    """WordPress `*_gmt` fields are UTC without a zone designator."""
    return parse_date(value + "Z") if isinstance(value, str) and value else None
