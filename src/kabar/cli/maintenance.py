"""Maintenance commands: vacuum, check, recover."""

from __future__ import annotations

import argparse

from rich.text import Text

from kabar.cli.output import err, out
from kabar.core.library import Library
from kabar.core.wording import plural


def cmd_vacuum(args: argparse.Namespace) -> int:
    with Library.open() as library:
        result, before, after = library.vacuum()
    out().print(
        Text(
            f"Removed {plural(result.entries, 'old entry', 'old entries')} and "
            f"{plural(result.images, 'unused image')}; "
            f"database {before / 1e6:.1f} MB -> {after / 1e6:.1f} MB."
        )
    )
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    library = Library.open()  # opens no store: the check reads the file read-only
    path = library.database
    if not path.exists():
        out().print(Text(f"No database yet at {path}."))
        return 0
    emptied = library.emptied()
    if emptied:
        err().print(Text(emptied, style="red"))
        return 1
    problems = library.check()
    if not problems:
        out().print(Text(f"{path}: ok"))
        return 0
    for problem in problems[:20]:
        err().print(Text(problem, style="red"))
    err().print("Run `kabar recover` to rebuild it from what can be read (saved articles first).")
    return 1


def cmd_recover(args: argparse.Namespace) -> int:
    with Library.open() as library:
        report = library.recover()
    for line in report.lines():
        out().print(Text(line))
    return 0
