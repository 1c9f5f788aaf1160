"""Article commands: entries, search, read, save, export-articles."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rich.console import Console
from rich.text import Text

from kabar.cli.output import err, out, print_trimmed
from kabar.core.article.document import Article
from kabar.core.errors import FetchError, KabarError
from kabar.core.feeds.urls import shown
from kabar.core.library import Library, iso_date
from kabar.core.models import EntryRow
from kabar.core.wording import plural


def cmd_entries(args: argparse.Namespace) -> int:
    with Library.open() as library:
        feed = None
        if args.feed:
            feed = library.find_feed(args.feed)
            if feed is None:
                raise KabarError(f"not subscribed: {shown(args.feed)}")
        entries = library.entries(
            unread=args.unread, saved=args.saved, feed=feed, limit=args.limit or 0
        )
        feed_urls = library.feed_urls(entries)
    _print_entries(entries, feed_urls, args.json)
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    with Library.open() as library:
        entries = library.search(" ".join(args.query), limit=args.limit)
        feed_urls = library.feed_urls(entries)
    if not entries and not args.json:
        err().print("No matches.")
        return 1
    _print_entries(entries, feed_urls, args.json)
    return 0


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

    with Library.open() as library:
        config = library.config
        pictures = library.picture_source()
        source = Path(args.source)
        if "://" not in args.source or source.exists():
            article = library.read_file(source, args.url or "")
        else:
            article = _fetch_or_stored(library, args.source, args.cached)
    if args.format == "json":
        print(json.dumps(article.to_json(), ensure_ascii=False, indent=2))
    elif args.format == "markdown":
        sys.stdout.write(article_markdown(article))
    else:
        console = Console(highlight=False, width=args.width) if args.width else out()
        options = RenderOptions(hyperlinks=console.is_terminal)
        if args.format is None and console.is_terminal and config.general.images != "off":
            from kabar.cli.read_pictures import terminal_pictures

            options.pictures, options.notes = terminal_pictures(article, pictures, console)
        print_trimmed(console, render_article(article, options))
    return 0


def _fetch_or_stored(library: Library, url: str, cached: bool) -> Article:
    """The page as fetched now; the stored copy when fetching fails (said on stderr), or
    always with `cached`."""
    if cached:
        stored = library.stored_copy(url)
        if stored is None:
            raise KabarError(f"no stored copy of {url} (it was never saved or read)")
        return stored
    try:
        return library.read_url(url)
    except FetchError as exc:
        stored = library.stored_copy(url)
        if stored is None:
            raise
        err().print(Text(f"kabar: {exc}; showing the stored copy.", style="yellow"))
        return stored


def cmd_save(args: argparse.Namespace) -> int:
    from kabar.core.models import PAGES_FEED_URL

    with Library.open() as library:
        result = library.save_url(args.url)
        detail = library.entry(result.entry_id)
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

    with Library.open() as library:
        try:
            files = export_articles(
                library.articles(saved_only=args.saved), Path(args.folder), args.format
            )
        except OSError as exc:
            raise KabarError(f"cannot write to {args.folder}: {exc.strerror or exc}") from exc
    out().print(Text(f"Wrote {plural(len(files), 'article')} to {args.folder}"))
    return 0
