"""Maintenance commands: vacuum, check, recover."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.text import Text

from kabar.cli.output import err, out
from kabar.core.errors import KabarError
from kabar.core.profile import load_profile
from kabar.core.wording import plural


def database_path() -> Path:
    from kabar.core.paths import default_paths

    return default_paths().database


def cmd_vacuum(args: argparse.Namespace) -> int:
    from kabar.core.retention import vacuum

    profile = load_profile()
    profile.paths.ensure()
    _room_to_vacuum(profile.paths.database)
    result, before, after = vacuum(profile.paths.database, profile.config)
    out().print(
        Text(
            f"Removed {plural(result.entries, 'old entry', 'old entries')} and "
            f"{plural(result.images, 'unused image')}; "
            f"database {before / 1e6:.1f} MB -> {after / 1e6:.1f} MB."
        )
    )
    return 0


def _room_to_vacuum(path: Path) -> None:
    """VACUUM writes the whole database again (through the WAL): refuse up front, before
    the retention clean-up changes anything, when the disk cannot hold it."""
    import shutil

    from kabar.core.errors import DiskFullError

    size = path.stat().st_size if path.exists() else 0
    free = shutil.disk_usage(path.parent).free
    if free < size:
        raise DiskFullError(
            f"the disk is full: vacuum needs about {size / 1e6:.0f} MB free beside {path}, "
            f"and {free / 1e6:.0f} MB are. Nothing was changed."
        )


def cmd_check(args: argparse.Namespace) -> int:
    from kabar.core.emptied import emptied_message, emptied_with_copies
    from kabar.core.recovery import check_database

    path = database_path()
    if not path.exists():
        out().print(Text(f"No database yet at {path}."))
        return 0
    copies = emptied_with_copies(path)
    if copies:
        err().print(Text(emptied_message(path, copies), style="red"))
        return 1
    problems = check_database(path)
    if not problems:
        out().print(Text(f"{path}: ok"))
        return 0
    for problem in problems[:20]:
        err().print(Text(problem, style="red"))
    err().print("Run `kabar recover` to rebuild it from what can be read (saved articles first).")
    return 1


def cmd_recover(args: argparse.Namespace) -> int:
    from kabar.core.recovery import recover_database
    from kabar.core.savedcopies import read_copies

    path = database_path()
    if not path.exists() and not read_copies(path.parent):
        raise KabarError(f"no database at {path}")
    report = recover_database(path)
    for line in report.lines():
        out().print(Text(line))
    return 0
