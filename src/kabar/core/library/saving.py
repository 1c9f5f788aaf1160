"""Saving articles to keep them for good, complete enough to read with no network.

Saving a feed entry fetches its full text first when it has none, then copies its images
into the data folder. When the network fails, the entry is still saved with what we have
and the result says what is missing, so the reader can save it again later. Any web page
can be saved too (`kabar save URL`): when a feed already has it, that entry is saved;
otherwise it becomes a stand-alone saved page that no refresh ever touches.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from kabar.core.article.document import Article
from kabar.core.article.entryarticle import entry_article
from kabar.core.config.settings import Config
from kabar.core.errors import KabarError
from kabar.core.feeds.fetch.httpsession import FetchSession
from kabar.core.feeds.parse.dates import parse_date
from kabar.core.library.fulltext import (
    complete_from_entry,
    date_from_page,
    fetch_entry_text,
    read_url,
)
from kabar.core.library.imagecache import ImageCache
from kabar.core.library.images import keep_images
from kabar.core.library.savedcopies import remove_copy, write_copy
from kabar.core.models import PAGES_FEED_URL as PAGES_FEED_URL
from kabar.core.models import FeedUpdate, ParsedEntry, ParsedFeed
from kabar.core.store import Store
from kabar.core.textsafety import safe_link

PAGES_KIND = "pages"


@dataclass(slots=True)
class SaveResult:
    entry_id: int
    saved: bool
    full_text: bool
    images: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def warning(self) -> str:
        return "; ".join(self.warnings)


def keep_entry(
    store: Store,
    config: Config,
    entry_id: int,
    session: FetchSession | None,
    cache: ImageCache | None,
) -> SaveResult:
    """Save an entry: its full text first when it has none, then its images (taken from
    the reader's image `cache` when it has them), all on the one HTTP client `session`."""
    detail = store.get_entry(entry_id)
    if detail is None:
        raise KabarError(f"entry {entry_id} is no longer in the database")
    store.set_saved([entry_id], True)
    result = SaveResult(entry_id, True, bool(detail.full_text))
    if not detail.full_text and safe_link(detail.row.link):
        try:
            fetch_entry_text(store, config, entry_id, session)
            result.full_text = True
        except KabarError as exc:
            result.warnings.append(f"saved with the feed's text only: {exc}")
    detail = store.get_entry(entry_id)
    assert detail is not None
    article = entry_article(detail)
    report = keep_images(store, config, entry_id, article, session, cache)
    result.images = report.saved
    if report.skipped:
        result.warnings.append(report.warning())
    _write_copy(store, entry_id, article)
    return result


def _write_copy(store: Store, entry_id: int, article: Article) -> None:
    """The second copy that `kabar recover` falls back on (see savedcopies)."""
    detail = store.get_entry(entry_id)
    key = store.entry_key(entry_id)
    images = store.article_image_hashes(entry_id)
    if detail is not None and key is not None:
        write_copy(_folder(store), detail, key, article, images)


def _folder(store: Store) -> Path:
    """The data folder: the database's, where the saved copies live beside it."""
    return Path(store.path).parent


def unkeep_entry(store: Store, entry_id: int) -> None:
    """Unsave an entry and drop its second copy (its images go at the next cleanup)."""
    store.set_saved([entry_id], False)
    detail = store.get_entry(entry_id)
    key = store.entry_key(entry_id)
    if detail is not None and key is not None:
        remove_copy(_folder(store), detail.feed_url, key)


def keep_url(
    store: Store,
    config: Config,
    url: str,
    session: FetchSession | None,
    cache: ImageCache | None,
) -> SaveResult:
    """Save the article at any web address.

    A page that is already an entry (a feed's link to it, matched by `link_key`) is that
    entry, saved with its full text and images: never a second copy. Only a page no feed has
    becomes a stand-alone saved page, listed under Saved (its feed row is hidden).
    """
    link = safe_link(url)
    if not link.startswith(("http://", "https://")):
        raise KabarError(f"not a web address: {url}")
    entry_id = _known_entry(store, link)
    if entry_id is not None:
        return keep_entry(store, config, entry_id, session, cache)
    article = read_url(link, config, session)
    article.url = article.url or link
    # The page may have redirected, or name its canonical address: a feed may know that one.
    if article.url != link and (entry_id := _known_entry(store, article.url)) is not None:
        _keep_fetched(store, entry_id, article)
        return keep_entry(store, config, entry_id, session, cache)
    now = time.time()
    entry = ParsedEntry(
        guid=link,
        link=link,
        title=article.title or link,
        author=article.author,
        published=parse_date(article.published) or now,
    )
    with store.transaction():  # all kept, or none (a full disk)
        pages = store.add_feed(PAGES_FEED_URL, title="Saved pages")
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
        entry_id = store.entry_id(pages.id, link)
        assert entry_id is not None
        store.store_article(entry_id, link, article.dumps())
        store.set_saved([entry_id], True)
        # saved from the page the reader was looking at: read, listed under Saved only
        store.set_read([entry_id], True)
    report = keep_images(store, config, entry_id, article, session, cache)
    result = SaveResult(entry_id, True, True, report.saved)
    if report.skipped:
        result.warnings.append(report.warning())
    _write_copy(store, entry_id, article)
    return result


def _known_entry(store: Store, url: str) -> int | None:
    """The entry that already is this page, preferring a feed's over a stand-alone page.

    A page saved stand-alone before a feed listed it too (or by an older Kabar, which copied
    feed entries) is folded into the feed's entry: its stored article moves there when the
    feed's entry has none, then the duplicate goes. Nothing saved is lost.
    """
    found = store.entries_with_link(url)
    if not found:
        return None
    entry_id, feed_url = found[0]
    if feed_url == PAGES_FEED_URL:
        return entry_id
    for dup_id, dup_feed in found[1:]:
        if dup_feed != PAGES_FEED_URL:
            continue
        key = store.entry_key(dup_id)
        store.fold_entry(dup_id, entry_id)
        if key is not None:
            remove_copy(_folder(store), dup_feed, key)
    return entry_id


def _keep_fetched(store: Store, entry_id: int, article: Article) -> None:
    """Store an article already fetched for an entry, so saving it fetches nothing again."""
    detail = store.get_entry(entry_id)
    if detail is not None and not detail.full_text:
        date_from_page(store, detail, article)
        complete_from_entry(article, detail)
        store.store_article(entry_id, article.url, article.dumps())
