"""`kabar --demo`: the real reader on bundled feeds served from 127.0.0.1.

The demo runs on a throwaway profile in a temporary folder, never the user's data, and
refreshes on start so a newcomer watches the whole fetch -> parse -> store -> render path.
"""

from __future__ import annotations

import signal
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from kabar.core.config.paths import Paths
from kabar.core.config.profile import Profile
from kabar.core.config.settings import Config
from kabar.core.logs import setup_logging
from kabar.demo.server import DemoServer

DEMO_FEEDS = [
    ("feeds/harbour.xml", "Local"),
    ("feeds/kabar-nusantara.json", "Nusantara"),
    ("feeds/terminal-notes.atom", "Tech"),
    ("feeds/field-notes.rdf", "Science"),
]


def demo_profile(home: Path, server: DemoServer) -> Profile:
    """A profile under `home` subscribed to the demo feeds served by `server`."""
    config = Config()
    config.general.images = "on"  # the bundled pictures are served locally: always draw them
    profile = Profile(Paths.under(home), config)
    with profile.open_store() as store:
        for path, folder in DEMO_FEEDS:
            if server.read(path) is not None:
                store.add_feed(server.url(path), folder=folder)
    return profile


def run_demo() -> int:
    from kabar.ui.app import make_app

    with (
        _exit_on_hangup(),
        tempfile.TemporaryDirectory(prefix="kabar-demo-") as home,
        DemoServer() as server,
    ):
        profile = demo_profile(Path(home), server)
        setup_logging(profile.paths)  # the demo logs into its throwaway profile too
        make_app(profile, refresh_on_start=True).run()
    return 0


@contextmanager
def _exit_on_hangup() -> Iterator[None]:
    """Turn SIGHUP (the terminal closed) and SIGTERM into SystemExit while the demo runs.

    Their default action ends the process on the spot, skipping the cleanup that `q` gets:
    the throwaway profile would stay in the temp folder. As an exception they unwind the
    reader, the server and the temporary folder like any exit.
    """

    def leave(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    wanted = [s for s in ("SIGHUP", "SIGTERM") if hasattr(signal, s)]
    previous = {name: signal.signal(getattr(signal, name), leave) for name in wanted}
    try:
        yield
    finally:
        for name, handler in previous.items():
            signal.signal(getattr(signal, name), handler)
