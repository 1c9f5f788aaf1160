"""`kabar` command line: a thin shell over the core.

Argument parsing only; each subcommand is a `cmd_*` function in the module for its subject
(see HANDLERS), imported when it runs. Textual and Rich are imported only by the commands
that need them, so headless ones (cron's `kabar refresh`) start fast.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sqlite3
import sys
from collections.abc import Sequence

from kabar import __version__
from kabar.core.errors import KabarError, damaged_message


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kabar",
        description="Kabar: a terminal news reader. Without a command, starts the reader.",
    )
    parser.add_argument("--version", action="version", version=f"kabar {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="start the reader on the bundled demo feeds (served on 127.0.0.1, throwaway profile)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("tui", help="start the reader (the default)")

    p = sub.add_parser("add", help="add a feed (or a site: its feeds are discovered)")
    p.add_argument("url", help="feed, site or article URL")
    p.add_argument("--folder", default="", help="folder to list the feed under")
    p.add_argument(
        "--no-fetch", action="store_true", help="add the URL as given, without fetching it now"
    )
    p.add_argument("--all", action="store_true", help="add every feed found, not just one")

    p = sub.add_parser("remove", help="remove a feed (its saved entries are kept)")
    p.add_argument("url", help="the feed URL, as `kabar feeds` lists it")
    p.add_argument("-y", "--yes", action="store_true", help="do not ask for confirmation")

    p = sub.add_parser("feeds", help="list feeds with unread counts")
    p.add_argument("--json", action="store_true", help="print JSON for scripts")

    p = sub.add_parser("refresh", help="fetch feeds headlessly (cron-friendly)")
    p.add_argument("urls", nargs="*", metavar="FEED_URL", help="only these feeds")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    p.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="print the summary even when the output is not a terminal (cron is quiet by default)",
    )
    p.add_argument(
        "-j", "--jobs", type=_positive_int, help="concurrent requests, overall and per host"
    )
    p.add_argument(
        "--due",
        action="store_true",
        help="skip feeds fetched more recently than their server or config allows",
    )

    p = sub.add_parser("entries", help="list entries")
    p.add_argument("--feed", metavar="URL", help="only this feed")
    p.add_argument("--unread", action="store_true", help="only unread entries")
    p.add_argument("--saved", action="store_true", help="only saved entries")
    p.add_argument("--limit", type=_positive_int, default=None, help="at most N entries")
    p.add_argument("--json", action="store_true", help="print JSON for scripts")

    p = sub.add_parser("save", help="save any web article to keep it, images included")
    p.add_argument("url", help="the article's URL")

    p = sub.add_parser("export-articles", help="write articles as Markdown or HTML files")
    p.add_argument("folder", metavar="DIR", help="the folder to write into")
    p.add_argument("--saved", action="store_true", help="only saved articles")
    p.add_argument("--format", choices=("markdown", "html"), default="markdown")

    p = sub.add_parser("vacuum", help="apply the retention limits and reclaim disk space")

    p = sub.add_parser("check", help="check the database for damage")
    p = sub.add_parser("recover", help="rebuild a damaged database, saved articles first")

    p = sub.add_parser("search", help="search titles, feed text and fetched articles")
    p.add_argument("query", nargs="+", help="words, and filters feed:NAME saved:yes unread:yes")
    p.add_argument("--limit", type=_positive_int, default=50, help="at most N results")
    p.add_argument("--json", action="store_true", help="print JSON for scripts")

    p = sub.add_parser("read", help="print the article at a URL or in an HTML file")
    p.add_argument("source", metavar="URL_OR_FILE", help="a web page URL, or a .html/.html.gz file")
    p.add_argument("--url", help="the page's own URL, for a file (resolves its links)")
    p.add_argument(
        "--format",
        choices=("text", "markdown", "json"),
        help="output format (default: text, with pictures on a terminal)",
    )
    p.add_argument("--width", type=_positive_int, help="text width (default: the terminal's)")

    p = sub.add_parser("import", help="import feeds from an OPML file")
    p.add_argument("file", help="the OPML file")

    p = sub.add_parser("export", help="export feeds as OPML 2.0")
    p.add_argument("file", nargs="?", help="write here instead of standard output")

    return parser


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


# Each command lives in the module for its subject, imported only when it runs.
HANDLERS = {
    "tui": "session",
    "add": "feeds",
    "remove": "feeds",
    "feeds": "feeds",
    "import": "feeds",
    "export": "feeds",
    "refresh": "refreshing",
    "entries": "articles",
    "search": "articles",
    "read": "articles",
    "save": "articles",
    "export-articles": "articles",
    "vacuum": "maintenance",
    "check": "maintenance",
    "recover": "maintenance",
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from kabar.cli import session

    log_file = None if args.demo else session.start_logging()
    command = args.command or "tui"
    try:
        if args.demo:
            return session.run_demo()
        module = importlib.import_module(f"kabar.cli.{HANDLERS[command]}")
        handler = getattr(module, f"cmd_{command.replace('-', '_')}")
        return int(handler(args) or 0)
    except KabarError as exc:
        logging.getLogger("kabar").warning("%s: %s", args.command or "tui", exc)
        print(f"kabar: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except sqlite3.DatabaseError as exc:
        logging.getLogger("kabar").exception("database error in %s", args.command or "tui")
        from kabar.core.paths import default_paths

        path = default_paths().database
        print(f"kabar: {damaged_message(str(path), exc)}", file=sys.stderr)
        return 3
    except Exception as exc:  # a bug: one line on screen, the traceback in the log
        logging.getLogger("kabar").exception("unexpected error in %s", args.command or "tui")
        where = f" (details in {log_file})" if log_file else ""
        print(f"kabar: unexpected error: {exc.__class__.__name__}: {exc}{where}", file=sys.stderr)
        return 70


def entry() -> None:
    """The `kabar` command: main(), then a fast exit.

    A short command spends about 60 ms tearing the interpreter down (modules, lxml, httpx),
    a third of `kabar refresh` when nothing changed. Everything is written and closed by
    the time main() returns, so once output and logs are flushed the process can end.
    """
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a closed pipe (kabar feeds | head): nothing left to say
        pass
    logging.shutdown()
    os._exit(code)


if __name__ == "__main__":
    entry()
