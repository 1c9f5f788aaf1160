"""A realistic profile built without the network, and ways to damage its database.

Feeds with entries (some read), saved entries with articles (some with second copies, some
without), and a page saved under "Saved pages": what `kabar recover` must give back.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

from kabar.core.article.document import Article, Paragraph, Span
from kabar.core.library.savedcopies import write_copy
from kabar.core.library.saving import PAGES_FEED_URL, PAGES_KIND
from kabar.core.models import FeedUpdate, ParsedEntry, ParsedFeed
from kabar.core.store import Store

PAGE = 4096


@dataclass(slots=True)
class Built:
    feeds: set[str] = field(default_factory=set)
    entries: int = 0
    read: set[str] = field(default_factory=set)  # links of entries marked read
    saved: set[str] = field(default_factory=set)  # links of saved entries
    copied: set[str] = field(default_factory=set)  # links of saved entries with a copy


def article_for(link: str) -> Article:
    # long enough (over 4 KB) for SQLite to spill it onto overflow pages
    text = f"The full story behind {link}, told at length in plain sentences. " * 60
    return Article(url=link, title=f"Article {link}", blocks=[Paragraph([Span(text)])])


def build_profile(
    db: Path, *, feeds: int = 40, per_feed: int = 30, saved: int = 20, copies: int = 10
) -> Built:
    """Fill `db`: `saved` entries saved (the first `copies` with a second copy), one saved
    page under "Saved pages" (with a copy), every third entry read."""
    built = Built()
    now = time.time()
    with Store(db) as store:
        for f in range(feeds):
            url = f"https://feeds{f % 7}.example/feed{f}.xml"
            feed = store.add_feed(url, title=f"Feed {f}")
            built.feeds.add(url)
            entries = [
                ParsedEntry(
                    guid=f"{url}#{n}",
                    link=f"https://feeds{f % 7}.example/{f}/{n}",
                    title=f"Feed {f} story {n}",
                    published=now - 3600 * n - f,
                    summary=f"Teaser {n} of feed {f}. " * 8,
                )
                for n in range(per_feed)
            ]
            parsed = ParsedFeed("atom", f"Feed {f}", entries=entries)
            store.apply_updates([FeedUpdate(feed.id, now, status=200, parsed=parsed)])
        built.entries = feeds * per_feed
        rows = store.conn.execute("SELECT id, link FROM entries ORDER BY id").fetchall()
        for index, (entry_id, link) in enumerate(rows):
            if index % 3 == 0:
                store.set_read([entry_id])
                built.read.add(link)
        step = max(1, len(rows) // max(1, saved))
        for number, (entry_id, link) in enumerate(rows[::step][:saved]):
            article = article_for(link)
            store.store_article(entry_id, link, article.dumps())
            store.set_saved([entry_id])
            built.saved.add(link)
            if number < copies:
                detail = store.get_entry(entry_id)
                key = store.entry_key(entry_id)
                assert detail is not None and key is not None
                write_copy(db.parent, detail, key, article, {})
                built.copied.add(link)
        page_link = "https://pages.example/kept-page"
        pages = store.add_feed(PAGES_FEED_URL, title="Saved pages")
        entry = ParsedEntry(guid=page_link, link=page_link, title="A kept page", published=now)
        store.apply_updates(
            [
                FeedUpdate(
                    pages.id,
                    now,
                    status=200,
                    parsed=ParsedFeed(PAGES_KIND, "Saved pages", entries=[entry]),
                )
            ]
        )
        page_id = store.entry_id(pages.id, page_link)
        assert page_id is not None
        article = article_for(page_link)
        store.store_article(page_id, page_link, article.dumps())
        store.set_saved([page_id])
        detail = store.get_entry(page_id)
        assert detail is not None
        write_copy(db.parent, detail, page_link, article, {})
        built.saved.add(page_link)
        built.copied.add(page_link)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return built


def page_of(db: Path, table: str, *, kind: str = "leaf") -> list[int]:
    """The pages that hold a table's rows (SQLite's dbstat table)."""
    with sqlite3.connect(db) as conn:
        return [
            int(r[0])
            for r in conn.execute(
                "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = ?", (table, kind)
            )
        ]


def overwrite(db: Path, offset: int, data: bytes) -> None:
    with db.open("r+b") as handle:
        handle.seek(offset)
        handle.write(data)


def truncate(db: Path, size: int) -> None:
    with db.open("r+b") as handle:
        handle.truncate(size)
