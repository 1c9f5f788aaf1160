"""Full article text: fetch an entry's web page, extract the article, keep it.

Uses the same fetch engine as feeds (deadline, size cap, conditional GET, per-host caps).
An extracted article is stored with its entry and served from the store from then on; a
later fetch sends the stored validators, so an unchanged page costs a 304.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from kabar.core.article.document import Article
from kabar.core.article.entryarticle import iso_date
from kabar.core.article.extract import extract_article
from kabar.core.article.extract.teaser import wants_full_text
from kabar.core.config.settings import Config
from kabar.core.errors import ExtractError, KabarError
from kabar.core.feeds.fetch import Fetcher, Response, limits_from
from kabar.core.feeds.fetch.httpsession import FetchSession, fetch_with
from kabar.core.feeds.parse.dates import parse_date
from kabar.core.models import EntryDetail
from kabar.core.store import Store
from kabar.core.textsafety import safe_link

ACCEPT_HTML = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
_HTML_TYPES = ("html", "xml", "text/plain")


async def fetch_page(
    fetcher: Fetcher, url: str, etag: str | None = None, last_modified: str | None = None
) -> tuple[Article | None, Response]:
    """Fetch and extract one page; the article is None when the server said 304."""
    response = await fetcher.get(url, etag, last_modified, accept=ACCEPT_HTML)
    if response.not_modified:
        return None, response
    kind = response.content_type.split(";", 1)[0].strip().lower()
    if kind and not any(t in kind for t in _HTML_TYPES):
        raise ExtractError(f"not a web page ({kind}): {url}")
    article = await asyncio.to_thread(
        extract_article, response.content, response.final_url, content_type=response.content_type
    )
    return article, response


def read_file(path: Path, url: str, config: Config) -> Article:
    """The article in a local HTML file (`kabar read FILE`), bounded like a download; every
    failure is one line saying what went wrong and with which file."""
    from kabar.core.feeds.pagefile import describe_content, read_page_file, shown_path

    data = read_page_file(path, config.network.max_feed_bytes)
    try:
        return extract_article(data, url)
    except ExtractError as exc:
        if str(exc).startswith("not an HTML page"):
            what = describe_content(data)
            raise ExtractError(f"{shown_path(path)} is not an HTML page: {what}") from exc
        if not url:  # say which file, not "the page"
            raise ExtractError(f"no article text found in {shown_path(path)}") from exc
        raise


def wants_fetch(detail: EntryDetail, config: Config) -> bool:
    """Whether opening this entry should fetch its page (per the feed's full_text mode)."""
    if detail.full_text or not safe_link(detail.row.link):
        return False
    mode = config.full_text_mode(detail.feed_url)
    return wants_full_text(mode, detail.content, detail.summary)


def read_url(url: str, config: Config, session: FetchSession | None = None) -> Article:
    """Fetch and extract any web page (for `kabar read URL`)."""

    async def run(fetcher: Fetcher) -> Article:
        article, _ = await fetch_page(fetcher, url)
        assert article is not None  # no validators were sent, so no 304
        return article

    return fetch_with(session, limits_from(config), run)


def fetch_entry_text(
    store: Store, config: Config, entry_id: int, session: FetchSession | None
) -> Article:
    """Fetch, extract and store the full text of one entry on the shared HTTP client;
    returns the article. Raises KabarError (FetchError, ExtractError) with a message."""
    detail = store.get_entry(entry_id)
    if detail is None:
        raise KabarError(f"entry {entry_id} is no longer in the database")
    link = safe_link(detail.row.link)
    if not link:
        raise ExtractError("this entry has no web page to fetch")
    validators = store.article_validators(entry_id)

    async def run(fetcher: Fetcher) -> tuple[Article | None, Response]:
        return await fetch_page(fetcher, link, *validators)

    article, response = fetch_with(session, limits_from(config), run)
    if article is None:
        # 304: validators only exist beside a stored article, so the stored copy is current.
        assert detail.full_text is not None
        return Article.loads(detail.full_text)
    keep_article(store, detail, link, article, response)
    return article


def keep_article(
    store: Store, detail: EntryDetail, link: str, article: Article, response: Response
) -> None:
    """Store a fetched article with its entry (and the page's validators, for next time)."""
    date_from_page(store, detail, article)
    complete_from_entry(article, detail)
    store.store_article(detail.row.id, link, article.dumps(), response.etag, response.last_modified)


def date_from_page(store: Store, detail: EntryDetail, article: Article) -> None:
    """An entry its feed left undated takes the date its page gives, when it gives one."""
    if detail.row.published is not None or not article.published:
        return
    published = parse_date(article.published)
    if published is None or published > time.time() + 86400:
        return  # no date, or one a clock or a typo put in the future
    if store.date_undated_entry(detail.row.id, published):
        detail.row.published = published
        detail.row.sort_date = published


def complete_from_entry(article: Article, detail: EntryDetail) -> None:
    """Fill what the page did not say from what the feed said."""
    row = detail.row
    article.url = article.url or row.link
    article.title = article.title or row.title
    article.author = article.author or row.author
    article.published = article.published or iso_date(row.published)
    article.site_name = article.site_name or row.feed_title
