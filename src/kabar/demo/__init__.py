"""`kabar --demo`: the real reader on bundled feeds served from 127.0.0.1.

The demo runs on a throwaway profile in a temporary folder, never the user's data, and
refreshes on start so a newcomer watches the whole fetch -> parse -> store -> render path.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from kabar.core.config import Config
from kabar.core.logs import setup_logging
from kabar.core.paths import Paths
from kabar.core.profile import Profile
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

    with tempfile.TemporaryDirectory(prefix="kabar-demo-") as home, DemoServer() as server:
        profile = demo_profile(Path(home), server)
        setup_logging(profile.paths)  # the demo logs into its throwaway profile too
        make_app(profile, refresh_on_start=True).run()
    return 0
