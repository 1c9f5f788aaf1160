"""Article commands: entries, search, read, save, export-articles."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rich.console import Console
from rich.text import Text

from kabar.cli.output import err, out, print_trimmed
from kabar.core.config import normal_url
from kabar.core.document import Article
from kabar.core.errors import ExtractError, FetchError, KabarError
from kabar.core.models import EntryRow
from kabar.core.profile import Profile, load_profile
from kabar.core.reading import iso_date
from kabar.core.store import EntryQuery, Store
from kabar.core.urls import shown
from kabar.core.wording import plural


def cmd_entries(args: argparse.Namespace) -> int:
    profile = load_profile()
    with profile.open_store() as store:
        feed_id = None
        if args.feed:
            feed = store.feed_by_url(args.feed) or store.feed_by_url(normal_url(args.feed))
            if feed is None:
                raise KabarError(f"not subscribed: {shown(args.feed)}")
            feed_id = feed.id
        flt = EntryQuery(feed_id, unread_only=args.unread, saved_only=args.saved)
        limit = args.limit or store.count_entries(flt) or 1
        entries = store.list_entries(flt, limit=limit)
        feed_urls = _feed_urls(store, entries)
    _print_entries(entries, feed_urls, args.json)
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    profile = load_profile()
    with profile.open_store() as store:
        store.index_all()
        entries = store.search(" ".join(args.query), limit=args.limit)
        feed_urls = _feed_urls(store, entries)
    if not entries and not args.json:
        err().print("No matches.")
        return 1
    _print_entries(entries, feed_urls, args.json)
    return 0


def _feed_urls(store: Store, entries: list[EntryRow]) -> dict[int, str]:
    """The feed URL of each entry's feed, removed feeds and the saved-pages row included."""
    rows = (store.feed_by_id(feed_id) for feed_id in {e.feed_id for e in entries})
    return {row.id: row.url for row in rows if row is not None}


def _print_entries(entries: list[EntryRow], feed_urls: dict[int, str], as_json: bool) -> None:
    if as_json:
        rows = [
            {
                "id": e.id,
                "feed": feed_urls.get(e.feed_id, ""),
                "title": e.title,
                "link": e.link,
                "author": e.author,
                "published": iso_date(e.published) or None,
                "read": e.read,
                "saved": e.saved,
            }
            for e in entries
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for entry in entries:
        line = Text("  " if entry.read else "● ", style="bold cyan")
        line.append("★ " if entry.saved else "  ", style="yellow")
        # An undated entry shows the day it was first seen, marked "~" as an estimate.
        undated = entry.published is None
        line.append(("~" if undated else " ") + iso_date(entry.sort_date)[:10] + "  ", style="dim")
        line.append(entry.title or "(untitled)", style="" if entry.read else "bold")
        line.append(f"  — {entry.feed_title}", style="dim")
        out().print(line)


def cmd_read(args: argparse.Namespace) -> int:
    from kabar.render.article import RenderOptions, render_article
    from kabar.render.markdown import article_markdown

    profile = load_profile()
    source = Path(args.source)
    if "://" not in args.source or source.exists():
        article = _read_file(source, args.url or "", profile.config.network.max_feed_bytes)
    else:
        article = _fetch_or_stored(profile, args.source, args.cached)
    if args.format == "json":
        print(json.dumps(article.to_json(), ensure_ascii=False, indent=2))
    elif args.format == "markdown":
        sys.stdout.write(article_markdown(article))
    else:
        console = Console(highlight=False, width=args.width) if args.width else out()
        print_trimmed(
            console, render_article(article, RenderOptions(hyperlinks=console.is_terminal))
        )
    return 0


def _fetch_or_stored(profile: Profile, url: str, cached: bool) -> Article:
    """The page as fetched now; the stored copy when fetching fails (said on stderr), or
    always with `cached`."""
    from kabar.core.fulltext import read_url

    if cached:
        stored = _stored_copy(profile, url)
        if stored is None:
            raise KabarError(f"no stored copy of {url} (it was never saved or read)")
        return stored
    try:
        return read_url(url, profile.config)
    except FetchError as exc:
        stored = _stored_copy(profile, url)
        if stored is None:
            raise
        err().print(Text(f"kabar: {exc}; showing the stored copy.", style="yellow"))
        return stored


def _stored_copy(profile: Profile, url: str) -> Article | None:
    """What the store holds of this page: a saved entry's article first, then any entry
    whose full text was fetched, then the feed's own text of the entry."""
    from kabar.core.reading import entry_article

    if not profile.paths.database.exists():
        return None
    with profile.open_store() as store:
        details = [store.get_entry(entry_id) for entry_id, _ in store.entries_with_link(url)]
    found = [d for d in details if d is not None]
    if not found:
        return None
    best = max(found, key=lambda d: (d.row.saved, d.full_text is not None))
    return entry_article(best)


def _read_file(source: Path, url: str, max_bytes: int) -> Article:
    """The article in a local HTML file, every failure one line saying what went wrong."""
    from kabar.core.extract import extract_article
    from kabar.core.pagefile import describe_content, read_page_file, shown_path

    data = read_page_file(source, max_bytes)
    try:
        return extract_article(data, url)
    except ExtractError as exc:
        if str(exc).startswith("not an HTML page"):
            what = describe_content(data)
            raise ExtractError(f"{shown_path(source)} is not an HTML page: {what}") from exc
        if not url:  # say which file, not "the page"
            raise ExtractError(f"no article text found in {shown_path(source)}") from exc
        raise


def cmd_save(args: argparse.Namespace) -> int:
    from kabar.core.models import PAGES_FEED_URL
    from kabar.core.saving import save_url

    profile = load_profile()
    profile.paths.ensure()
    result = save_url(profile.paths.database, profile.config, args.url)
    with profile.open_store() as store:
        detail = store.get_entry(result.entry_id)
    title = detail.row.title if detail else args.url
    message = f"Saved “{title}” with {plural(result.images, 'image')}"
    if detail is not None and detail.feed_url != PAGES_FEED_URL:
        message += f" (the entry of {detail.row.feed_title or detail.feed_url})"
    out().print(Text(message + "."))
    for warning in result.warnings:
        err().print(Text(f"Warning: {warning}", style="yellow"))
    return 0


def cmd_export_articles(args: argparse.Namespace) -> int:
    from kabar.render.export import export_articles

    profile = load_profile()
    profile.paths.ensure()
    try:
        with profile.open_store() as store:
            query = EntryQuery(saved_only=args.saved)
            rows = store.list_entries(query, limit=max(1, store.count_entries(query)))
            details = (d for row in rows if (d := store.get_entry(row.id)) is not None)
            files = export_articles(
                details, store.article_images, Path(args.folder), fmt=args.format
            )
    except OSError as exc:
        raise KabarError(f"cannot write to {args.folder}: {exc.strerror or exc}") from exc
    out().print(Text(f"Wrote {plural(len(files), 'article')} to {args.folder}"))
    return 0
