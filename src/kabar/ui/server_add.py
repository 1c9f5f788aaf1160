"""The reader's add-feed with a [sync] account: subscribe on the server, then sync.

The same core call as `kabar add` (`core.sync.subscriptions.subscribe`), in a thread worker
so the reader never waits for the server; the sync that follows brings the feed and its
entries (a feed already synced is moved to the folder asked for instead).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kabar.core.errors import KabarError
from kabar.core.store import Store
from kabar.core.wording import plural

if TYPE_CHECKING:
    from kabar.ui.dialogs.add_feed import AddRequest
    from kabar.ui.screens.main.screen import MainScreen


def subscribe_on_server(screen: MainScreen, request: AddRequest) -> None:
    config, db_path, app = screen.config, screen.db_path, screen.app

    def run() -> None:
        from kabar.core.sync.subscriptions import subscribe

        with Store(db_path) as store:
            known = {f.url: (f.stream_id, f.folder) for f in store.list_feeds(counts=False)
                     if f.stream_id}  # fmt: skip
        try:
            done = subscribe(config, [(url, request.folder) for url in request.urls], known)
        except KabarError as exc:
            app.call_from_thread(screen.notify, str(exc), severity="error", timeout=8)
            return
        for line in done.failed:
            app.call_from_thread(screen.notify, line, severity="error", timeout=8)
        changed = done.added + done.moved
        if done.added:
            message = f"Added {plural(len(done.added), 'feed')} on the sync server; syncing."
        elif done.moved:
            message = f"Moved to {request.folder} on the sync server; syncing."
        else:
            message = "Already subscribed." if done.already else ""
        if message:
            app.call_from_thread(screen.notify, message, timeout=3)
        if changed:  # synced feeds are not local: this runs a sync and no local refresh
            app.call_from_thread(screen.refresh_urls, changed)

    screen.run_worker(run, thread=True, group="server-add", exit_on_error=False)
