"""Feed commands: add, remove, feeds, import, export."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text

from kabar.cli.output import err, out
from kabar.core.config import normal_url
from kabar.core.errors import KabarError
from kabar.core.models import FeedRow
from kabar.core.profile import Profile, load_profile
from kabar.core.textsafety import clean_line
from kabar.core.urls import shown
from kabar.core.wording import plural

if TYPE_CHECKING:
    from kabar.core.opml import OpmlFeed, SkippedOutline


def cmd_add(args: argparse.Namespace) -> int:
    profile = load_profile()
    if profile.config.sync is not None:
        return _server_add(profile, [(args.url, args.folder)], moves=True)
    from kabar.core.discovery import discover_sync
    from kabar.core.refresh import refresh_sync
    from kabar.core.urls import feed_url

    urls = [feed_url(args.url)]  # InvalidURL: one line saying what is wrong with it
    if not args.no_fetch:
        found = discover_sync(urls[0], profile.config)
        if len(found) > 1 and not args.all:
            out().print(Text(f"Several feeds found at {urls[0]}:"))
            for candidate in found:
                line = Text(f"  {candidate.url}", style="bold")
                line.append(f"  {candidate.title or '(untitled)'}  [{candidate.kind}, ")
                line.append(f"{plural(candidate.entries, 'entry', 'entries')}]")
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
            elif args.folder and (feed := store.feed_by_url(url)) and feed.folder != args.folder:
                store.set_feed_folder(feed.id, args.folder)
                out().print(Text(f"Moved {url} to {args.folder}"))
            else:
                out().print(Text(f"Already subscribed: {url}"))
    if args.no_fetch or not new:
        return 0
    summary = refresh_sync(profile.paths.database, profile.config, new)
    for result in summary.results:
        if result.error:
            err().print(Text(f"Warning: first fetch failed: {result.error}", style="yellow"))
        else:
            out().print(Text(f"{result.title}: {plural(result.new, 'entry', 'entries')}"))
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    profile = load_profile()
    with profile.open_store() as store:
        feed = store.feed_by_url(args.url) or store.feed_by_url(normal_url(args.url))
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
        if feed.stream_id and profile.config.sync is not None:
            from kabar.core.sync.subscriptions import unsubscribe

            unsubscribe(profile.config, feed.stream_id)  # on the server first: it may fail
        kept = store.remove_feed(feed.url)
    message = f"Removed {shown(feed.url)}"
    if kept:
        message += f" ({plural(kept, 'saved entry', 'saved entries')} kept; they stay under Saved)"
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
        # Tab-separated lines under a header for pipes and scripts: fast and stable to parse
        # (`tail -n +2` skips the header). STATUS is ok, failing or disabled.
        sys.stdout.write(
            "UNREAD\tTOTAL\tSTATUS\tTITLE\tURL\n"
            + "".join(
                f"{f.unread}\t{f.total}\t{_status(f)}\t{clean_line(f.display_title)}\t"
                f"{shown(f.url, 10_000)}\n"
                for f in feeds
            )
        )
        return 0
    unread_w = max(len("unread"), *(len(str(f.unread)) for f in feeds))
    total_w = max(len("total"), *(len(str(f.total)) for f in feeds))
    out().print(Text(f"{'unread':>{unread_w}} {'total':>{total_w}}  feed", style="dim"))
    for feed in feeds:
        line = Text(f"{feed.unread:>{unread_w}} ", style="bold" if feed.unread else "dim")
        line.append(f"{feed.total:>{total_w}}  ", style="dim")
        if feed.folder:
            line.append(f"{feed.folder}/", style="dim")
        line.append(clean_line(feed.display_title))
        if feed.last_error or feed.disabled:
            line.append(f" ⚠ {_status(feed)}", style="red")
        line.append(f"  {shown(feed.url)}", style="dim")  # stored before URLs were checked
        out().print(line, overflow="ellipsis", no_wrap=True)
        problem = clean_line(feed.disabled or feed.last_error)
        if problem:  # what `e` shows in the reader: why the last refresh failed
            indent = " " * (unread_w + total_w + 3)
            out().print(Text(f"{indent}{problem}", style="red"), overflow="fold")
    failing = [f for f in feeds if f.last_error or f.disabled]
    if failing:
        out().print(
            Text(
                f"⚠ {plural(len(failing), 'feed')} failed to fetch last time.",
                style="red",
            )
        )
    return 0


def _status(feed: FeedRow) -> str:
    if feed.disabled:
        return "disabled"
    return "failing" if feed.last_error else "ok"


def cmd_import(args: argparse.Namespace) -> int:
    from kabar.core.opml import read_opml
    from kabar.core.pagefile import read_page_file

    profile = load_profile()
    data = read_page_file(Path(args.file), profile.config.network.max_feed_bytes, "an OPML file")
    opml = read_opml(data)
    feeds = opml.feeds
    _report_skipped(opml.skipped)
    if profile.config.sync is not None:
        with profile.open_store() as store:
            new = [(f.url, f.folder) for f in feeds if store.feed_by_url(f.url) is None]
        out().print(f"{len(feeds) - len(new)} of {plural(len(feeds), 'feed')} already subscribed.")
        return _server_add(profile, new) if new else 0
    with profile.open_store() as store:  # all in one transaction: a full disk adds none
        added = store.add_feeds(
            [
                (feed.url, feed.title, feed.folder, feed.site_url)
                for feed in feeds
                if store.feed_by_url(feed.url) is None
            ]
        )
    out().print(f"Imported {plural(added, 'new feed')} ({len(feeds) - added} already subscribed).")
    if added:
        out().print("Run `kabar refresh` to fetch them.")
    return 0


def _server_add(profile: Profile, feeds: list[tuple[str, str]], *, moves: bool = False) -> int:
    """Subscribe on the sync server (it finds a site's feed itself), then sync. With
    `moves`, a feed already synced is moved to the folder asked for, on the server."""
    from kabar.core.sync import sync
    from kabar.core.sync.subscriptions import subscribe

    known: dict[str, tuple[str, str]] = {}
    if moves:
        with profile.open_store() as store:
            known = {f.url: (f.stream_id, f.folder) for f in store.list_feeds(counts=False)
                     if f.stream_id}  # fmt: skip
    done = subscribe(profile.config, feeds, known)
    for line in done.failed:
        err().print(Text(line, style="red"))
    for url in done.added:
        out().print(Text(f"Added {url} on the sync server"))
    for url in done.moved:
        out().print(Text(f"Moved {url} to {feeds[0][1]} on the sync server"))
    for url in done.already:
        out().print(Text(f"Already subscribed: {url}"))
    if done.added or done.moved:
        summary = sync(profile.paths.database, profile.config)
        (err() if summary.error else out()).print(Text(summary.line()))
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
    from kabar.core.opml import OpmlFeed, export_opml

    profile = load_profile()
    with profile.open_store() as store:
        rows = store.list_feeds(counts=False)
    feeds = [OpmlFeed(f.url, f.display_title, f.folder, f.site_url) for f in rows]
    if profile.config.sync is not None:
        feeds = _server_feeds(profile, rows) + [f for f, r in zip(feeds, rows, strict=True)
                                                 if not r.stream_id]  # fmt: skip
    document = export_opml(feeds)
    if args.file:
        try:
            Path(args.file).write_text(document, encoding="utf-8")
        except OSError as exc:
            raise KabarError(f"cannot write {args.file}: {exc.strerror or exc}") from exc
        err().print(Text(f"Wrote {args.file}"))
    else:
        sys.stdout.write(document)
    return 0


def _server_feeds(profile: Profile, rows: list[FeedRow]) -> list[OpmlFeed]:
    """The sync server's subscriptions as it lists them now, one outline per label; when
    it cannot be reached, the synced feeds as of the last sync, with a warning."""
    from kabar.core.opml import OpmlFeed
    from kabar.core.sync.subscriptions import server_subscriptions

    try:
        subs = server_subscriptions(profile.config)
    except KabarError as exc:  # unreachable, refused, or no password at hand
        err().print(Text(f"Warning: {exc}; exporting the subscriptions as of the last sync",
                         style="yellow"))  # fmt: skip
        return [OpmlFeed(f.url, f.display_title, f.folder, f.site_url) for f in rows
                if f.stream_id]  # fmt: skip
    titles = {f.url: f.display_title for f in rows}  # a title given in Kabar's config
    return [
        OpmlFeed(s.url, titles.get(s.url) or s.title, label, s.site_url)
        for s in subs
        for label in (s.labels or [""])
    ]
