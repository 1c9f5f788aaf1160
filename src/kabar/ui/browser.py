"""Opening a link: the configured browser command, else the system's browser.

The command is split like a shell would (`firefox --new-tab`) and started detached, with
the URL as its own argument: never through a shell, so a URL cannot run anything. Without
a display (over SSH, on a headless machine) there is no browser to start: Python's
`webbrowser` would then pick a text browser (lynx, w3m) that takes over the reader's
terminal, or nothing at all and say nothing. The reader is told instead.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import webbrowser

NO_BROWSER = "No browser can start here (no display)"


def system_browser() -> webbrowser.BaseBrowser | None:
    """The system's graphical browser, or None when none can start beside the terminal."""
    graphical = sys.platform in ("darwin", "win32") or any(
        os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER")
    )
    if not graphical:
        return None
    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        return None
    if type(browser) is webbrowser.GenericBrowser:  # a text browser, in this terminal
        return None
    return browser


def open_in_browser(url: str, command: str = "") -> str:
    """Open `url`; an empty string when a browser was started, else why not (one line)."""
    if not command.strip():
        browser = system_browser()
        if browser is None:
            return NO_BROWSER
        try:
            opened = browser.open(url)
        except (OSError, webbrowser.Error) as exc:
            return f"The browser did not start: {exc}"
        return "" if opened else "The browser did not start"
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
        return f"Could not run the browser command {command!r}: {exc}"
    return ""
