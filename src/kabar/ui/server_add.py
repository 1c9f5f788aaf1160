"""The reader's add-feed with a [sync] account: subscribe on the server, then sync.

The same Library call as `kabar add` (`Library.subscribe_on_server`), in a thread worker
so the reader never waits for the server; the sync it runs brings the feed and its
entries (a feed already synced is moved to the folder asked for instead). It takes its
turn in the refresher's lane: never beside a refresh's sync.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kabar.core.errors import KabarError
from kabar.core.wording import plural
from kabar.ui.data.sync_line import sync_status

if TYPE_CHECKING:
    from kabar.ui.dialogs.add_feed import AddRequest
    from kabar.ui.screens.main.screen import MainScreen


def subscribe_on_server(screen: MainScreen, request: AddRequest) -> None:
    library, app = screen.library, screen.app

    def run() -> None:
        feeds = [(url, request.folder) for url in request.urls]
        try:
            done, synced = library.subscribe_on_server(feeds, moves=True)
        except KabarError as exc:
            app.call_from_thread(screen.notify, str(exc), severity="error", timeout=8)
            return
        for line in done.failed:
            app.call_from_thread(screen.notify, line, severity="error", timeout=8)
        if done.added:
            message = f"Added {plural(len(done.added), 'feed')} on the sync server; synced."
        elif done.moved:
            message = f"Moved to {request.folder} on the sync server; synced."
        else:
            message = "Already subscribed." if done.already else ""
        if message:
            app.call_from_thread(screen.notify, message, timeout=3)
        if synced is not None:
            status = sync_status(synced, library.queued_changes())
            app.call_from_thread(screen.refresher.synced, status)

    screen.refresher.server_job("server-add", run, "Adding on the sync server…")
