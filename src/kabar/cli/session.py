"""Starting the reader (and the demo), and the log file every command writes to."""

from __future__ import annotations

import argparse
from pathlib import Path

from kabar.core.config.profile import load_profile


def start_logging() -> Path:
    """Log to the cache folder of the profile in use."""
    from kabar.core.config.paths import default_paths
    from kabar.core.logs import setup_logging

    return setup_logging(default_paths())


def cmd_tui(args: argparse.Namespace) -> int:
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
