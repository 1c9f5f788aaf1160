"""Opening a link: the configured browser command, else the system's (Textual's open_url).

The command is split like a shell would (`firefox --new-tab`) and started detached, with
the URL as its own argument: never through a shell, so a URL cannot run anything.
"""

from __future__ import annotations

import shlex
import subprocess
from typing import Any

from textual.app import App


def open_in_browser(app: App[Any], url: str, command: str = "") -> None:
    if not command.strip():
        app.open_url(url)
        return
    try:
        args = [*shlex.split(command), url]
        subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except (OSError, ValueError) as exc:
        app.notify(f"Could not run the browser command {command!r}: {exc}", severity="error")
