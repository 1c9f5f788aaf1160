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
from kabar.core.errors import KabarError, database_error, is_disk_full, is_read_only


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

    def command(name: str, help: str, description: str = "") -> argparse.ArgumentParser:
        """A subcommand whose --help page opens with what it does (the help line, or more)."""
        return sub.add_parser(
            name, help=help, description=description or f"{help[0].upper()}{help[1:]}."
        )

    p = command("tui", "start the reader (the default)")

    p = command(
        "add",
        "add a feed (or a site: its feeds are discovered)",
        "Subscribe to a feed. Given a site or article URL, look for the feeds it names; one "
        "is added, several are listed (add them all with --all). New feeds are fetched now.",
    )
    p.add_argument("url", help="feed, site or article URL")
    p.add_argument(
        "--folder", default="", help="folder to list the feed under (moves one already added)"
    )
    p.add_argument(
        "--no-fetch", action="store_true", help="add the URL as given, without fetching it now"
    )
    p.add_argument("--all", action="store_true", help="add every feed found, not just one")

    p = command("remove", "remove a feed (its saved entries are kept)")
    p.add_argument("url", help="the feed URL, as `kabar feeds` lists it")
    p.add_argument("-y", "--yes", action="store_true", help="do not ask for confirmation")

    p = command(
        "feeds",
        "list feeds with unread counts",
        "List feeds: unread and total entries, title and URL; ⚠ marks a feed whose last "
        "fetch failed. Piped, one tab-separated line per feed after a header line.",
    )
    p.add_argument("--json", action="store_true", help="print JSON for scripts")

    p = command(
        "refresh",
        "fetch feeds, or sync with the [sync] server, headlessly (cron-friendly)",
        "Fetch every feed (or those named; with a [sync] table, synchronise with the server) "
        "and print one summary line; failed feeds are listed on standard error. Exits 0 when "
        "the refresh ran, even if some feeds failed.",
    )
    p.add_argument("urls", nargs="*", metavar="FEED_URL", help="only these feeds")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    p.add_argument("-v", "--verbose", action="store_true", help="also print one line per feed")
    p.add_argument(
        "-j", "--jobs", type=_positive_int, help="concurrent requests, overall and per host"
    )
    p.add_argument(
        "--due",
        action="store_true",
        help="skip feeds fetched more recently than their server or config allows",
    )

    p = command(
        "entries",
        "list entries",
        "List entries, newest first. In --json, `published` is null for an entry neither "
        "its feed nor its page dated.",
    )
    p.add_argument("--feed", metavar="URL", help="only this feed")
    p.add_argument("--unread", action="store_true", help="only unread entries")
    p.add_argument("--saved", action="store_true", help="only saved entries")
    p.add_argument("--limit", type=_positive_int, default=None, help="at most N entries")
    p.add_argument("--json", action="store_true", help="print JSON for scripts")

    p = command(
        "mark",
        "mark entries read, unread, saved or unsaved",
        "Change the state of entries by id (ids from `kabar entries --json`); with sync on, "
        "the change is queued and sent to the server at the next refresh.",
    )
    p.add_argument("state", choices=("read", "unread", "saved", "unsaved"))
    p.add_argument(
        "ids", nargs="+", type=_positive_int, metavar="ID", help="ids from `kabar entries --json`"
    )
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")

    p = command(
        "save",
        "save any web article to keep it, images included",
        "Save the article at URL with its images, to read offline. When a feed already has "
        "the article, that entry is saved; otherwise it is kept as a saved page under Saved.",
    )
    p.add_argument("url", help="the article's URL")

    p = command("export-articles", "write articles as Markdown or HTML files")
    p.add_argument("folder", metavar="DIR", help="the folder to write into")
    p.add_argument("--saved", action="store_true", help="only saved articles")
    p.add_argument("--format", choices=("markdown", "html"), default="markdown")

    p = command(
        "vacuum",
        "apply the retention limits and reclaim disk space",
        "Remove entries past the retention limits (never a saved one), delete images no "
        "article uses, and compact the database.",
    )
    p = command("check", "check the database for damage")
    p = command(
        "recover",
        "rebuild a damaged database, saved articles first",
        "Rebuild a damaged database from what can be read, saved articles first (also from "
        "their copies in the data folder). The damaged file is kept beside it.",
    )
    p = command("search", "search titles, feed text and fetched articles")
    p.add_argument("query", nargs="+", help="words, and filters feed:NAME saved:yes unread:yes")
    p.add_argument("--limit", type=_positive_int, default=50, help="at most N results")
    p.add_argument("--json", action="store_true", help="print JSON for scripts")

    p = command(
        "read",
        "print the article at a URL or in an HTML file",
        "Print the article at a URL or in a local .html/.html.gz file. When the page cannot "
        "be fetched, the copy stored by the reader (saved or read before) is shown instead.",
    )
    p.add_argument("source", metavar="URL_OR_FILE", help="a web page URL, or a .html/.html.gz file")
    p.add_argument("--url", help="the page's own URL, for a file (resolves its links)")
    p.add_argument(
        "--format",
        choices=("text", "markdown", "json"),
        help="output format (default: text, with pictures on a terminal)",
    )
    p.add_argument("--width", type=_positive_int, help="text width (default: the terminal's)")
    p.add_argument(
        "--cached", action="store_true", help="never fetch: print the stored copy of the URL"
    )

    p = command("import", "import feeds from an OPML file")
    p.add_argument("file", help="the OPML file")

    p = command("export", "export feeds as OPML 2.0")
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
    "feeds": "feedlist",
    "import": "feeds",
    "export": "feeds",
    "refresh": "refreshing",
    "entries": "articles",
    "mark": "marking",
    "search": "articles",
    "read": "articles",
    "save": "articles",
    "export-articles": "articles",
    "vacuum": "maintenance",
    "check": "maintenance",
    "recover": "maintenance",
}


# Arguments that name files: any bytes the file system allows are fine there. Every other
# string argument (URLs, folder names, search words) must be text.
_PATH_ARGUMENTS = {"import": {"file"}, "export": {"file"}, "export-articles": {"folder"}}


def printable(text: str) -> str:
    """Text for the terminal, with bytes that were not UTF-8 in a file name or argument
    (Python keeps them as lone surrogates) shown as \\xff escapes instead of crashing."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _check_text_arguments(command: str, args: argparse.Namespace) -> None:
    """Refuse a URL or name that holds bytes that are not UTF-8, in one line."""
    skip = _PATH_ARGUMENTS.get(command, set())
    for name, value in vars(args).items():
        if name in skip:
            continue
        if command == "read" and name == "source" and "://" not in value:
            continue  # a file name
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) and printable(item) != item:
                what = "URL" if "://" in item or name in ("url", "urls", "feed") else "argument"
                raise KabarError(f"the {what} {printable(item)} has bytes that are not UTF-8 text")


def _tolerant_streams() -> None:
    """Let a lone surrogate (from a non-UTF-8 file name) print as an escape, not crash."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from kabar.cli import session

    _tolerant_streams()
    log_file = None if args.demo else session.start_logging()
    command = args.command or "tui"
    try:
        _check_text_arguments(command, args)
        if args.demo:
            return session.run_demo()
        module = importlib.import_module(f"kabar.cli.{HANDLERS[command]}")
        handler = getattr(module, f"cmd_{command.replace('-', '_')}")
        return int(handler(args) or 0)
    except KabarError as exc:
        logging.getLogger("kabar").warning("%s: %s", args.command or "tui", exc)
        print(f"kabar: {printable(str(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except sqlite3.DatabaseError as exc:
        logging.getLogger("kabar").exception("database error in %s", args.command or "tui")
        print(f"kabar: {database_error(str(_database()), exc)}", file=sys.stderr)
        return 3
    except OSError as exc:
        logging.getLogger("kabar").warning("%s: %s", command, exc)
        if is_disk_full(exc) or (is_read_only(exc) and _in_profile(exc.filename)):
            problem = str(database_error(exc.filename or str(_database()), exc))
        else:  # a file the command was given, or its folder: the user's to fix
            problem = file_error(exc)
        print(f"kabar: {problem}", file=sys.stderr)
        return 2
    except Exception as exc:
        return _unexpected(exc, command, log_file)


def _unexpected(exc: Exception, command: str, log_file: object) -> int:
    """A bug: one line on screen, the traceback in the log."""
    logging.getLogger("kabar").exception("unexpected error in %s", command)
    where = f" (details in {log_file})" if log_file else ""
    message = printable(f"{exc.__class__.__name__}: {exc}")
    print(f"kabar: unexpected error: {message}{where}", file=sys.stderr)
    return 70


def _in_profile(filename: object) -> bool:
    """Whether a file is one of Kabar's own (a read-only error there is a read-only home;
    elsewhere, say a file given on the command line, it is not)."""
    from kabar.core.library import Library

    if not isinstance(filename, str | bytes) or not filename:
        return False
    path = os.path.abspath(os.fsdecode(filename))
    paths = Library.open().paths
    folders = [os.path.abspath(d) for d in (paths.data_dir, paths.cache_dir, paths.config_dir)]
    return any(path == d or path.startswith(d + os.sep) for d in folders)


def _database() -> object:
    from kabar.core.library import Library

    return Library.open().database


def file_error(exc: OSError, action: str = "") -> str:
    """'cannot write /x/y.opml: No such file or directory', without Python's [Errno 2]."""
    what = exc.strerror or exc.__class__.__name__
    if exc.filename is None:
        return f"{action or 'file error'}: {what}"
    return f"{action or 'cannot use'} {exc.filename}: {what}"


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
