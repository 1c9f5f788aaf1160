"""What a reader sees for an entry: its extracted article, else the feed's own content.

Both faces (the TUI's article pane and `kabar entries`/`kabar read`) call `entry_article`, so
an entry looks the same everywhere.
"""

from __future__ import annotations

from datetime import UTC, datetime

from kabar.core.article.document import Article, Figure, Span
from kabar.core.article.htmldoc import html_to_blocks
from kabar.core.models import EntryDetail


def iso_date(timestamp: float | None) -> str:
    if timestamp is None:
        return ""
    try:
        return datetime.fromtimestamp(timestamp, UTC).isoformat().replace("+00:00", "Z")
    except (OverflowError, OSError, ValueError):
        return ""


def entry_article(detail: EntryDetail) -> Article:
    """The entry as an Article: the stored full text when there is one, else feed content."""
    row = detail.row
    if detail.full_text:
        try:
            article = Article.loads(detail.full_text)
        except (ValueError, TypeError, KeyError):
            article = None  # an unreadable stored document falls back to the feed content
        if article is not None:
            article.title = article.title or row.title
            article.author = article.author or row.author
            article.published = article.published or iso_date(row.published)
            return article
    markup = detail.content or detail.summary
    blocks = html_to_blocks(markup, row.link or detail.feed_url)
    shown = {b.src for b in blocks if isinstance(b, Figure)}
    media = [
        Figure(src=e.url, caption=[Span(e.caption)] if e.caption else [], credit=e.credit)
        for e in detail.enclosures
        if e.url not in shown and (e.type.startswith("image") or _looks_like_image(e.url))
    ]
    return Article(
        url=row.link,
        title=row.title,
        author=row.author,
        published=iso_date(row.published),
        site_name=row.feed_title,
        lead_image=media[0].src if media else "",
        blocks=[*media, *blocks],
    )


def _looks_like_image(url: str) -> bool:
    path = url.lower().split("?", 1)[0]
    return path.endswith((".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg"))
