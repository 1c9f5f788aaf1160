"""The subcommands. Each one loads the profile, calls the core, and prints."""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from kabar.core.errors import KabarError
from kabar.core.models import EntryRow
from kabar.core.profile import Profile, load_profile
from kabar.core.reading import iso_date
from kabar.core.store import EntryFilter

if TYPE_CHECKING:
    from kabar.core.refresh import RefreshSummary

# Heavy modules (httpx, trafilatura, the parsers) are imported inside the commands that use
# them, so `kabar feeds` or `kabar entries` start in a fraction of a second.

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def start_logging() -> Path:
    """Log to the cache folder of the profile in use."""
    from kabar.core.logs import setup_logging
    from kabar.core.paths import default_paths

    return setup_logging(default_paths())


def cmd_tui(args: argparse.Namespace) -> int:
    from kabar.ui.app import make_app

    profile = load_profile()
    app = make_app(profile)
    app.run()
    return 0


def run_demo() -> int:
    from kabar.demo import run_demo as start

    return start()


def cmd_add(args: argparse.Namespace) -> int:
    profile = load_profile()
    from kabar.core.discovery import discover_sync
    from kabar.core.refresh import refresh_sync

    urls = [args.url]
    if not args.no_fetch:
        found = discover_sync(args.url, profile.config)
        if len(found) > 1 and not args.all:
            out.print(Text(f"Several feeds found at {args.url}:"))
            for candidate in found:
                line = Text(f"  {candidate.url}", style="bold")
                line.append(f"  {candidate.title or '(untitled)'}  [{candidate.kind}, ")
                line.append(f"{candidate.entries} entries]")
                out.print(line)
            out.print("Add one with `kabar add FEED_URL`, or all of them with `--all`.")
            return 1
        urls = [candidate.url for candidate in found]
    with profile.open_store() as store:
        new = [url for url in urls if store.feed_by_url(url) is None]
        for url in urls:
            if url in new:
                store.add_feed(url, folder=args.folder)
                out.print(Text(f"Added {url}"))
            else:
                out.print(Text(f"Already subscribed: {url}"))
    if args.no_fetch or not new:
        return 0
    summary = refresh_sync(profile.paths.database, profile.config, new)
    for result in summary.results:
        if result.error:
            err.print(Text(f"Warning: first fetch failed: {result.error}", style="yellow"))
        else:
            out.print(Text(f"{result.title}: {result.new} entries"))
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
                out.print("Nothing removed.")
                return 1
        kept = store.remove_feed(args.url)
    message = f"Removed {args.url}"
    if kept:
        message += f" ({kept} saved entries kept; they stay under Saved)"
    out.print(Text(message))
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
        out.print("No feeds yet. Add one with `kabar add URL` or `kabar import FILE.opml`.")
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
        out.print(line, overflow="ellipsis", no_wrap=True)
    return 0


def cmd_refresh(args: argparse.Namespace) -> int:
    profile = load_profile()
    with profile.open_store() as store:
        known = {f.url for f in store.list_feeds()}
    unknown = [u for u in args.urls if u not in known]
    if unknown:
        raise KabarError(f"not subscribed: {', '.join(unknown)} (add it with `kabar add`)")
    # On a terminal: a progress bar and a summary. Elsewhere (cron, pipes): only errors,
    # unless --verbose asks for the summary.
    quiet = args.quiet or not (args.verbose or sys.stdout.isatty())
    show_progress = not args.quiet and sys.stderr.isatty()
    summary = _run_refresh(profile, args.urls or None, not args.due, args.jobs, show_progress)
    _report(summary, quiet)
    _after_refresh(profile, summary, quiet)
    return 0


def _after_refresh(profile: Profile, summary: RefreshSummary, quiet: bool) -> None:
    """Retention limits, then (when enabled and online) prefetching for offline reading."""
    from kabar.core.retention import cleanup

    removed = cleanup(profile.paths.database, profile.config)
    if removed.entries and not quiet:
        out.print(Text(f"Removed {removed.entries} old entries (retention limits)."))
    if profile.config.general.prefetch and not summary.offline:
        from kabar.core.prefetch import prefetch

        fetched = prefetch(profile.paths.database, profile.config)
        if fetched and not quiet:
            out.print(Text(f"Prefetched the full text of {fetched} entries."))


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
    with Progress(*columns, TextColumn("{task.fields[last]}"), console=err, transient=True) as bar:
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
        err.print(Text(summary.line(), style="yellow"))
        return
    for result in summary.failed:
        err.print(Text(f"✗ {result.title}: {result.error}", style="red"))
    if not quiet:
        out.print(Text(summary.line()))


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


def cmd_save(args: argparse.Namespace) -> int:
    from kabar.core.saving import save_url

    profile = load_profile()
    profile.paths.ensure()
    result = save_url(profile.paths.database, profile.config, args.url)
    with profile.open_store() as store:
        detail = store.get_entry(result.entry_id)
    title = detail.row.title if detail else args.url
    out.print(Text(f"Saved “{title}” with {result.images} image(s)."))
    for warning in result.warnings:
        err.print(Text(f"Warning: {warning}", style="yellow"))
    return 0


def cmd_export_articles(args: argparse.Namespace) -> int:
    from kabar.render.export import export_articles

    profile = load_profile()
    profile.paths.ensure()
    files = export_articles(
        profile.paths.database, Path(args.folder), saved_only=args.saved, fmt=args.format
    )
    out.print(Text(f"Wrote {len(files)} articles to {args.folder}"))
    return 0


def cmd_vacuum(args: argparse.Namespace) -> int:
    from kabar.core.retention import vacuum

    profile = load_profile()
    profile.paths.ensure()
    result, before, after = vacuum(profile.paths.database, profile.config)
    out.print(
        Text(
            f"Removed {result.entries} old entries and {result.images} unused images; "
            f"database {before / 1e6:.1f} MB -> {after / 1e6:.1f} MB."
        )
    )
    return 0


def database_path() -> Path:
    from kabar.core.paths import default_paths

    return default_paths().database


def cmd_check(args: argparse.Namespace) -> int:
    from kabar.core.recovery import check_database

    path = database_path()
    if not path.exists():
        out.print(f"No database yet at {path}.")
        return 0
    problems = check_database(path)
    if not problems:
        out.print(Text(f"{path}: ok"))
        return 0
    for problem in problems[:20]:
        err.print(Text(problem, style="red"))
    err.print("Run `kabar recover` to rebuild it from what can be read (saved articles first).")
    return 1


def cmd_recover(args: argparse.Namespace) -> int:
    from kabar.core.recovery import recover_database

    path = database_path()
    if not path.exists():
        raise KabarError(f"no database at {path}")
    report = recover_database(path)
    for line in report.lines():
        out.print(Text(line))
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    profile = load_profile()
    with profile.open_store() as store:
        store.index_all()
        entries = store.search(" ".join(args.query), limit=args.limit)
        feed_urls = {f.id: f.url for f in store.list_feeds()}
    if not entries and not args.json:
        err.print("No matches.")
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
        out.print(line)


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
        console = Console(highlight=False, width=args.width) if args.width else out
        console.print(render_article(article, RenderOptions(hyperlinks=console.is_terminal)))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from kabar.core.opml import parse_opml

    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise KabarError(f"cannot read {path}: {exc.strerror}") from exc
    feeds = parse_opml(data)
    profile = load_profile()
    added = 0
    with profile.open_store() as store:
        for feed in feeds:
            if store.feed_by_url(feed.url) is None:
                store.add_feed(feed.url, feed.title, feed.folder, feed.site_url)
                added += 1
    out.print(f"Imported {added} new feeds ({len(feeds) - added} already subscribed).")
    if added:
        out.print("Run `kabar refresh` to fetch them.")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from kabar.core.opml import export_opml

    profile = load_profile()
    with profile.open_store() as store:
        document = export_opml([f for f in store.list_feeds() if f.kind != "pages"])
    if args.file:
        Path(args.file).write_text(document, encoding="utf-8")
        err.print(f"Wrote {args.file}")
    else:
        sys.stdout.write(document)
    return 0
