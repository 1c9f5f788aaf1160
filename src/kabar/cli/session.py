"""Starting the reader (and the demo), and the log file every command writes to."""

from __future__ import annotations

import argparse
from pathlib import Path


def start_logging() -> Path:
    """Log to the cache folder of the profile in use."""
    from kabar.core.library import Library

    return Library.open().start_logging()


def cmd_tui(args: argparse.Namespace) -> int:
    from kabar.core.library import load_profile
    from kabar.ui.app import make_app

    profile = load_profile()
    app = make_app(profile)
    app.run()
    if app.database_problem is not None:  # shown in the reader; said again on the terminal
        raise app.database_problem
    return app.return_code or 0


def run_demo() -> int:
    from kabar.demo import run_demo as start

    return start()
