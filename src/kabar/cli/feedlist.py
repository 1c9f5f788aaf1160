"""`kabar feeds`: the feed list with unread counts.

Apart from the other feed commands so that listing, the one a status bar or a script runs
again and again, imports Rich only to draw on a terminal: piped, it writes plain lines.
"""

from __future__ import annotations

import argparse
import json
import sys

from kabar.cli.output import out, say
from kabar.core.feeds.urls import shown
from kabar.core.library import Library
from kabar.core.models import FeedRow
from kabar.core.textsafety import clean_line
from kabar.core.wording import plural


def cmd_feeds(args: argparse.Namespace) -> int:
    with Library.open() as library:
        feeds = library.feeds()
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
        say("No feeds yet. Add one with `kabar add URL` or `kabar import FILE.opml`.")
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
    from rich.text import Text

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
