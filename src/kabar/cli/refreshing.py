"""`kabar refresh`, the headless refresh cron runs: Rich only for a terminal or an error."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from kabar.cli.output import err, say
from kabar.core.config import normal_url
from kabar.core.errors import KabarError
from kabar.core.profile import Profile, load_profile
from kabar.core.urls import shown

if TYPE_CHECKING:
    from kabar.core.refresh import RefreshSummary


def cmd_refresh(args: argparse.Namespace) -> int:
    profile = load_profile()
    with profile.open_store() as store:
        known = {f.url for f in store.list_feeds()}
    # Any spelling of a subscribed URL names it (HTTPS://Example.org:443/feed too).
    spelled = {normal_url(url): url for url in known}
    urls = [u if u in known else spelled.get(normal_url(u), "") for u in args.urls]
    unknown = [shown(u) for u, stored in zip(args.urls, urls, strict=True) if not stored]
    if unknown:
        raise KabarError(f"not subscribed: {', '.join(unknown)} (add it with `kabar add`)")
    # On a terminal: a progress bar and a summary. Elsewhere (cron, pipes): only errors,
    # unless --verbose asks for the summary.
    quiet = args.quiet or not (args.verbose or sys.stdout.isatty())
    show_progress = not args.quiet and sys.stderr.isatty()
    summary = _run_refresh(profile, urls or None, not args.due, args.jobs, show_progress)
    _report(summary, quiet)
    _after_refresh(profile, summary, quiet)
    return 0


def _after_refresh(profile: Profile, summary: RefreshSummary, quiet: bool) -> None:
    """Retention limits, then (when enabled and online) prefetching for offline reading."""
    from kabar.core.upkeep import after_refresh

    done = after_refresh(profile.paths.database, profile.config, summary)
    if done.removed and not quiet:
        say(f"Removed {done.removed} old entries (retention limits).")
    if done.prefetched and not quiet:
        say(f"Prefetched the full text of {done.prefetched} entries.")


def _run_refresh(
    profile: Profile, urls: list[str] | None, force: bool, jobs: int | None, progress: bool
) -> RefreshSummary:
    from kabar.core.refresh import FeedResult, refresh_sync

    if not progress:
        return refresh_sync(
            profile.paths.database, profile.config, urls, force=force, jobs=jobs, processes=None
        )
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    columns = (TextColumn("Refreshing"), BarColumn(), MofNCompleteColumn())
    last = TextColumn("{task.fields[last]}")
    with Progress(*columns, last, console=err(), transient=True) as bar:
        task = bar.add_task("refresh", total=None, last="")

        def on_progress(result: FeedResult, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, last=result.title[:40])

        return refresh_sync(
            profile.paths.database,
            profile.config,
            urls,
            force=force,
            jobs=jobs,
            on_progress=on_progress,
            processes=None,
        )


def _report(summary: RefreshSummary, quiet: bool) -> None:
    if summary.offline:
        say(summary.line(), style="yellow", stderr=True)
        return
    for result in summary.failed:
        say(f"✗ {result.title}: {result.error}", style="red", stderr=True)
    if not quiet:
        say(summary.line())
