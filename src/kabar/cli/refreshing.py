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
from kabar.core.wording import plural

if TYPE_CHECKING:
    from kabar.core.refresh import RefreshSummary


def cmd_refresh(args: argparse.Namespace) -> int:
    profile = load_profile()
    with profile.open_store() as store:
        known = {f.url for f in store.list_feeds(counts=False)}
        local = store.local_feed_urls()
    # Any spelling of a subscribed URL names it (HTTPS://Example.org:443/feed too).
    spelled = {normal_url(url): url for url in known}
    urls = [u if u in known else spelled.get(normal_url(u), "") for u in args.urls]
    unknown = [shown(u) for u, stored in zip(args.urls, urls, strict=True) if not stored]
    if unknown:
        raise KabarError(f"not subscribed: {', '.join(unknown)} (add it with `kabar add`)")
    # One summary line wherever the output goes (cron mails it; --quiet keeps only errors),
    # and on a terminal a progress bar before it.
    quiet = args.quiet
    show_progress = not args.quiet and sys.stderr.isatty()
    if profile.config.sync is None:
        expected = len(set(urls)) if urls else len(known)
        summary = _run_refresh(
            profile, urls or None, not args.due, args.jobs, expected if show_progress else None
        )
        _report(summary, quiet, args.verbose)
        _after_refresh(profile, summary, quiet)
        return 0
    # With a sync account the server fetches its feeds: one sync, then Kabar fetches only
    # the feeds that are its own (added before sync was set up).
    from kabar.core.refresh import RefreshSummary
    from kabar.core.sync import sync

    synced = sync(profile.paths.database, profile.config)
    if synced.error:
        say(synced.line(), style="red", stderr=True)
    elif not quiet:
        say(synced.line())
    own = [u for u in (urls or local) if u in local]
    summary = RefreshSummary()
    if own:
        summary = _run_refresh(
            profile, own, not args.due, args.jobs, len(own) if show_progress else None
        )
        _report(summary, quiet, args.verbose)
    _after_refresh(profile, summary, quiet)
    return 1 if synced.error else 0


def _after_refresh(profile: Profile, summary: RefreshSummary, quiet: bool) -> None:
    """Retention limits, then (when enabled and online) prefetching for offline reading."""
    from kabar.core.upkeep import after_refresh

    done = after_refresh(profile.paths.database, profile.config, summary)
    if done.removed and not quiet:
        say(f"Removed {plural(done.removed, 'old entry', 'old entries')} (retention limits).")
    if done.prefetched and not quiet:
        say(f"Prefetched the full text of {plural(done.prefetched, 'entry', 'entries')}.")


def _run_refresh(
    profile: Profile, urls: list[str] | None, force: bool, jobs: int | None, progress: int | None
) -> RefreshSummary:
    """Refresh; `progress` is how many feeds a progress bar starts from (None: no bar)."""
    from kabar.core.refresh import FeedResult, refresh_sync

    if progress is None:
        return refresh_sync(
            profile.paths.database, profile.config, urls, force=force, jobs=jobs, processes=None
        )
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    columns = (TextColumn("Refreshing"), BarColumn(), MofNCompleteColumn())
    last = TextColumn("{task.fields[last]}")
    with Progress(*columns, last, console=err(), transient=True) as bar:
        task = bar.add_task("refresh", total=progress or None, last="")

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


def _report(summary: RefreshSummary, quiet: bool, verbose: bool) -> None:
    if summary.offline:
        say(summary.line(), style="yellow", stderr=True)
        return
    for result in summary.failed:
        say(f"✗ {result.title}: {result.error}", style="red", stderr=True)
    if verbose and not quiet:
        from kabar.core.refresh import Outcome

        for result in summary.results:
            if result.outcome is Outcome.OK:
                say(f"  {result.title}: {plural(result.new, 'new entry', 'new entries')}")
            elif result.outcome is not Outcome.FAILED:
                say(f"  {result.title}: {result.outcome.value}")
    if not quiet:
        say(summary.line())
