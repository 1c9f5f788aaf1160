"""Article commands: entries, search, read, save, export-articles."""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path

from rich.console import Console
from rich.text import Text

from kabar.cli.output import err, out
from kabar.core.errors import KabarError
from kabar.core.models import EntryRow
from kabar.core.profile import load_profile
from kabar.core.reading import iso_date
from kabar.core.store import EntryFilter


def cmd_entries(args: argparse.Namespace) -> int:
    profile = load_profile()
    with profile.open_store() as store:
        flt = EntryFilter(unread_only=args.unread, saved_only=args.saved)
        if args.feed:
            feed = store.feed_by_url(args.feed)
            if feed is None:
                raise KabarError(f"not subscribed: {args.feed}")
            flt.feed_id = feed.id
        feed_urls = {f.id: f.url for f in store.list_feeds()}
        limit = args.limit or store.count_entries(flt) or 1
        entries = store.list_entries(flt, limit=limit)
    _print_entries(entries, feed_urls, args.json)
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    profile = load_profile()
    with profile.open_store() as store:
        store.index_all()
        entries = store.search(" ".join(args.query), limit=args.limit)
        feed_urls = {f.id: f.url for f in store.list_feeds()}
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
        line.append(iso_date(entry.sort_date)[:10] + "  ", style="dim")
        line.append(entry.title or "(untitled)", style="" if entry.read else "bold")
        line.append(f"  — {entry.feed_title}", style="dim")
        out().print(line)


def cmd_read(args: argparse.Namespace) -> int:
    from kabar.core.extract import extract_article
    from kabar.core.fulltext import read_url
    from kabar.render.article import RenderOptions, render_article
    from kabar.render.markdown import article_markdown

    profile = load_profile()
    source = Path(args.source)
    if source.is_file():
        try:
            data = source.read_bytes()
            if source.suffix == ".gz":
                data = gzip.decompress(data)
        except (OSError, EOFError, gzip.BadGzipFile) as exc:
            raise KabarError(f"cannot read {source}: {exc}") from exc
        article = extract_article(data, args.url or "")
    elif "://" in args.source:
        article = read_url(args.source, profile.config)
    else:
        raise KabarError(f"no such file, and not a URL: {args.source}")
    if args.format == "json":
        print(json.dumps(article.to_json(), ensure_ascii=False, indent=2))
    elif args.format == "markdown":
        sys.stdout.write(article_markdown(article))
    else:
        console = Console(highlight=False, width=args.width) if args.width else out()
        options = RenderOptions(hyperlinks=console.is_terminal)
        if args.format is None and console.is_terminal and profile.config.general.images != "off":
            from kabar.cli.pictures import terminal_pictures

            options.pictures, options.notes = terminal_pictures(article, profile, console)
        console.print(render_article(article, options))
    return 0


def cmd_save(args: argparse.Namespace) -> int:
    from kabar.core.saving import save_url

    profile = load_profile()
    profile.paths.ensure()
    result = save_url(profile.paths.database, profile.config, args.url)
    with profile.open_store() as store:
        detail = store.get_entry(result.entry_id)
    title = detail.row.title if detail else args.url
    out().print(Text(f"Saved “{title}” with {result.images} image(s)."))
    for warning in result.warnings:
        err().print(Text(f"Warning: {warning}", style="yellow"))
    return 0


def cmd_export_articles(args: argparse.Namespace) -> int:
    from kabar.render.export import export_articles

    profile = load_profile()
    profile.paths.ensure()
    files = export_articles(
        profile.paths.database, Path(args.folder), saved_only=args.saved, fmt=args.format
    )
    out().print(Text(f"Wrote {len(files)} articles to {args.folder}"))
    return 0
