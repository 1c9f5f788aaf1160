"""`kabar refresh`, the headless refresh cron runs: Rich only for a terminal or an error."""

from __future__ import annotations

import argparse
import sys
from functools import partial
from typing import TYPE_CHECKING

from kabar.cli.output import err, say
from kabar.core.library import Library
from kabar.core.wording import plural

if TYPE_CHECKING:
    from kabar.core.library import Refreshed, RefreshSummary

WAITING = "Waiting for the sync already running on this profile…"


def cmd_refresh(args: argparse.Namespace) -> int:
    with Library.open() as library:
        # Any spelling of a subscribed URL names it (HTTPS://Example.org:443/feed too).
        urls = library.subscribed_urls(args.urls)
        if library.syncing and not args.quiet:  # a second `kabar refresh` waits its turn
            library.sync_account.on_wait = partial(say, WAITING, stderr=True)
        # One summary line wherever the output goes (cron mails it; --quiet keeps only
        # errors), and on a terminal a progress bar before it.
        if not args.quiet and sys.stderr.isatty():
            done = _with_progress(library, urls, args)
        else:
            done = library.refresh(urls or None, force=not args.due, jobs=args.jobs, processes=None)
    # With a sync account the server fetches its feeds: one sync, then Kabar fetches only
    # the feeds that are its own (added before sync was set up).
    synced = done.synced
    if synced is not None and synced.error:
        say(synced.line(), style="red", stderr=True)
    elif synced is not None and not args.quiet:
        say(synced.line())
    if done.summary is not None:
        _report(done.summary, args.quiet, args.verbose)
    kept = done.upkeep
    if kept is not None and kept.removed and not args.quiet:
        say(f"Removed {plural(kept.removed, 'old entry', 'old entries')} (retention limits).")
    if kept is not None and kept.prefetched and not args.quiet:
        say(f"Prefetched the full text of {plural(kept.prefetched, 'entry', 'entries')}.")
    return 1 if synced is not None and synced.error else 0


def _with_progress(library: Library, urls: list[str], args: argparse.Namespace) -> Refreshed:
    """The refresh under a progress bar on standard error (a terminal's)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from kabar.core.library import FeedResult

    expected = library.refresh_count(urls or None)
    columns = (TextColumn("Refreshing"), BarColumn(), MofNCompleteColumn())
    last = TextColumn("{task.fields[last]}")
    with Progress(*columns, last, console=err(), transient=True) as bar:
        task = bar.add_task("refresh", total=expected or None, last="")

        def on_progress(result: FeedResult, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, last=result.title[:40])

        return library.refresh(
            urls or None,
            force=not args.due,
            jobs=args.jobs,
            on_progress=on_progress,
            processes=None,
        )


def _report(summary: RefreshSummary, quiet: bool, verbose: bool) -> None:
    if summary.offline:
        say(summary.line(), style="yellow", stderr=True)
        return
    for result in summary.failed:
        say(f"✗ {result.title}: {result.error}", style="red", stderr=True)
    if verbose and not quiet:
        from kabar.core.library import Outcome

        for result in summary.results:
            if result.outcome is Outcome.OK:
                say(f"  {result.title}: {plural(result.new, 'new entry', 'new entries')}")
            elif result.outcome is not Outcome.FAILED:
                say(f"  {result.title}: {result.outcome.value}")
    if not quiet:
        say(summary.line())
