"""Feed commands: add, remove, import, export (the list, `kabar feeds`, is in feedlist)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text

from kabar.cli.output import err, out
from kabar.core.errors import KabarError
from kabar.core.feeds.urls import shown
from kabar.core.library import Library
from kabar.core.wording import plural

if TYPE_CHECKING:
    from kabar.core.library import SkippedOutline


def cmd_add(args: argparse.Namespace) -> int:
    with Library.open() as library:
        if library.syncing:
            return _server_add(library, [(args.url, args.folder)], moves=True)
        return _add(library, args)


def _add(library: Library, args: argparse.Namespace) -> int:
    from kabar.core.feeds.urls import feed_url
    from kabar.core.library import FeedCandidate

    url = feed_url(args.url)  # InvalidURL: one line saying what is wrong with it
    found: list[FeedCandidate | str] = [url]
    if not args.no_fetch:
        candidates = library.discover(url)
        if len(candidates) > 1 and not args.all:
            out().print(Text(f"Several feeds found at {url}:"))
            for candidate in candidates:
                line = Text(f"  {candidate.url}", style="bold")
                line.append(f"  {candidate.title or '(untitled)'}  [{candidate.kind}, ")
                line.append(f"{plural(candidate.entries, 'entry', 'entries')}]")
                out().print(line)
            out().print("Add one with `kabar add FEED_URL`, or all of them with `--all`.")
            return 1
        found = list(candidates)
    # The feeds discovery fetched are stored as they were fetched: no second fetch.
    done = library.subscribe(found, folder=args.folder, fetch=not args.no_fetch)
    for feed in found:
        url = feed if isinstance(feed, str) else feed.url
        known = None if url in done.added else library.find_feed(url)
        if known is None:
            out().print(Text(f"Added {url}"))
        elif args.folder and known.folder != args.folder:
            library.move_feed(known, args.folder)
            out().print(Text(f"Moved {url} to {args.folder}"))
        else:
            out().print(Text(f"Already subscribed: {url}"))
    for result in done.results:
        if result.error:
            err().print(Text(f"Warning: first fetch failed: {result.error}", style="yellow"))
        else:
            out().print(Text(f"{result.title}: {plural(result.new, 'entry', 'entries')}"))
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    with Library.open() as library:
        feed = library.find_feed(args.url)
        if feed is None:
            raise KabarError(f"no feed with URL {shown(args.url)}")
        if not args.yes:
            if not sys.stdin.isatty():
                raise KabarError("removing a feed needs confirmation: add --yes")
            answer = input(
                f"Remove {feed.display_title} and its "
                f"{plural(feed.total, 'unsaved entry', 'unsaved entries')}? [y/N] "
            )
            if answer.strip().lower() not in ("y", "yes"):
                out().print("Nothing removed.")
                return 1
        kept = library.unsubscribe(feed)
    message = f"Removed {shown(feed.url)}"
    if kept:
        message += f" ({plural(kept, 'saved entry', 'saved entries')} kept; they stay under Saved)"
    out().print(Text(message))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    with Library.open() as library:
        opml = library.read_opml(Path(args.file))
        feeds = opml.feeds
        _report_skipped(opml.skipped)
        if library.syncing:
            fresh = set(library.new_urls([f.url for f in feeds]))
            new = [(f.url, f.folder) for f in feeds if f.url in fresh]
            out().print(
                f"{len(feeds) - len(new)} of {plural(len(feeds), 'feed')} already subscribed."
            )
            return _server_add(library, new) if new else 0
        added = library.import_feeds([(f.url, f.title, f.folder, f.site_url) for f in feeds])
    out().print(f"Imported {plural(added, 'new feed')} ({len(feeds) - added} already subscribed).")
    if added:
        out().print("Run `kabar refresh` to fetch them.")
    return 0


def _server_add(library: Library, feeds: list[tuple[str, str]], *, moves: bool = False) -> int:
    """Subscribe on the sync server (it finds a site's feed itself), then sync. With
    `moves`, a feed already synced is moved to the folder asked for, on the server."""
    done, synced = library.subscribe_on_server(feeds, moves=moves)
    for line in done.failed:
        err().print(Text(line, style="red"))
    for url in done.added:
        out().print(Text(f"Added {url} on the sync server"))
    for url in done.moved:
        out().print(Text(f"Moved {url} to {feeds[0][1]} on the sync server"))
    for url in done.already:
        out().print(Text(f"Already subscribed: {url}"))
    if synced is not None:
        (err() if synced.error else out()).print(Text(synced.line()))
    return 1 if done.failed else 0


_SKIPPED_SHOWN = 20


def _report_skipped(skipped: list[SkippedOutline]) -> None:
    """Each outline an import left out, and why, on standard error (the first 20)."""
    if not skipped:
        return
    err().print(Text(f"Skipped {plural(len(skipped), 'outline')}:", style="yellow"))
    for outline in skipped[:_SKIPPED_SHOWN]:
        err().print(Text(f"  {outline.name or '(untitled)'}: {outline.reason}"))
    if len(skipped) > _SKIPPED_SHOWN:
        err().print(Text(f"  ... and {len(skipped) - _SKIPPED_SHOWN} more"))


def cmd_export(args: argparse.Namespace) -> int:
    with Library.open() as library:
        document = library.export_opml(
            lambda line: err().print(Text(f"Warning: {line}", style="yellow"))
        )
    if args.file:
        try:
            Path(args.file).write_text(document, encoding="utf-8")
        except OSError as exc:
            raise KabarError(f"cannot write {args.file}: {exc.strerror or exc}") from exc
        err().print(Text(f"Wrote {args.file}"))
    else:
        sys.stdout.write(document)
    return 0
