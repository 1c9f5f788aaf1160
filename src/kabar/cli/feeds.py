"""Feed commands: add, remove, feeds, import, export."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rich.text import Text

from kabar.cli.output import err, out
from kabar.core.errors import KabarError
from kabar.core.profile import load_profile


def cmd_add(args: argparse.Namespace) -> int:
    profile = load_profile()
    from kabar.core.discovery import discover_sync
    from kabar.core.refresh import refresh_sync

    urls = [args.url]
    if not args.no_fetch:
        found = discover_sync(args.url, profile.config)
        if len(found) > 1 and not args.all:
            out().print(Text(f"Several feeds found at {args.url}:"))
            for candidate in found:
                line = Text(f"  {candidate.url}", style="bold")
                line.append(f"  {candidate.title or '(untitled)'}  [{candidate.kind}, ")
                line.append(f"{candidate.entries} entries]")
                out().print(line)
            out().print("Add one with `kabar add FEED_URL`, or all of them with `--all`.")
            return 1
        urls = [candidate.url for candidate in found]
    with profile.open_store() as store:
        new = [url for url in urls if store.feed_by_url(url) is None]
        for url in urls:
            if url in new:
                store.add_feed(url, folder=args.folder)
                out().print(Text(f"Added {url}"))
            else:
                out().print(Text(f"Already subscribed: {url}"))
    if args.no_fetch or not new:
        return 0
    summary = refresh_sync(profile.paths.database, profile.config, new)
    for result in summary.results:
        if result.error:
            err().print(Text(f"Warning: first fetch failed: {result.error}", style="yellow"))
        else:
            out().print(Text(f"{result.title}: {result.new} entries"))
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    profile = load_profile()
    with profile.open_store() as store:
        feed = store.feed_by_url(args.url)
        if feed is None:
            raise KabarError(f"no feed with URL {args.url}")
        if not args.yes:
            if not sys.stdin.isatty():
                raise KabarError("removing a feed needs confirmation: add --yes")
            answer = input(
                f"Remove {feed.display_title} and its {feed.total} unsaved entries? [y/N] "
            )
            if answer.strip().lower() not in ("y", "yes"):
                out().print("Nothing removed.")
                return 1
        kept = store.remove_feed(args.url)
    message = f"Removed {args.url}"
    if kept:
        message += f" ({kept} saved entries kept; they stay under Saved)"
    out().print(Text(message))
    return 0


def cmd_feeds(args: argparse.Namespace) -> int:
    profile = load_profile()
    with profile.open_store() as store:
        feeds = store.list_feeds()
    if args.json:
        rows = [
            {
                "url": f.url,
                "title": f.display_title,
                "folder": f.folder,
                "unread": f.unread,
                "total": f.total,
                "last_error": f.last_error,
                "disabled": f.disabled,
            }
            for f in feeds
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not feeds:
        out().print("No feeds yet. Add one with `kabar add URL` or `kabar import FILE.opml`.")
        return 0
    if not sys.stdout.isatty():
        # Plain tab-separated lines for pipes and scripts: fast, and stable to parse.
        sys.stdout.write(
            "".join(f"{f.unread}\t{f.total}\t{f.display_title}\t{f.url}\n" for f in feeds)
        )
        return 0
    width = max(len(str(f.unread)) for f in feeds)
    for feed in feeds:
        line = Text(f"{feed.unread:>{width}} ", style="bold" if feed.unread else "dim")
        if feed.folder:
            line.append(f"{feed.folder}/", style="dim")
        line.append(feed.display_title)
        if feed.last_error or feed.disabled:
            line.append(" ⚠", style="red")
        line.append(f"  {feed.url}", style="dim")
        out().print(line, overflow="ellipsis", no_wrap=True)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from kabar.core.opml import read_opml
    from kabar.core.pagefile import read_page_file

    profile = load_profile()
    data = read_page_file(Path(args.file), profile.config.network.max_feed_bytes, "an OPML file")
    opml = read_opml(data)
    feeds = opml.feeds
    added = 0
    with profile.open_store() as store:
        for feed in feeds:
            if store.feed_by_url(feed.url) is None:
                store.add_feed(feed.url, feed.title, feed.folder, feed.site_url)
                added += 1
    out().print(f"Imported {added} new feeds ({len(feeds) - added} already subscribed).")
    if opml.skipped:
        err().print(Text(f"Skipped {len(opml.skipped)} outline(s):", style="yellow"))
        for skipped in opml.skipped[:_SKIPPED_SHOWN]:
            err().print(Text(f"  {skipped.name or '(untitled)'}: {skipped.reason}"))
        if len(opml.skipped) > _SKIPPED_SHOWN:
            err().print(Text(f"  ... and {len(opml.skipped) - _SKIPPED_SHOWN} more"))
    if added:
        out().print("Run `kabar refresh` to fetch them.")
    return 0


_SKIPPED_SHOWN = 20


def cmd_export(args: argparse.Namespace) -> int:
    from kabar.core.opml import export_opml

    profile = load_profile()
    with profile.open_store() as store:
        document = export_opml([f for f in store.list_feeds() if f.kind != "pages"])
    if args.file:
        Path(args.file).write_text(document, encoding="utf-8")
        err().print(f"Wrote {args.file}")
    else:
        sys.stdout.write(document)
    return 0
