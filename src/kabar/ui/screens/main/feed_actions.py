"""The feed list's actions on the main screen: add a feed (on the sync server when there
is one), remove one after a confirmation, and show a feed's last error.

The screen routes its keys here. A removal that needs the sync server runs in a worker,
which comes back to the screen through `call_from_thread`.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text

from kabar.core.errors import KabarError
from kabar.core.wording import noun, plural
from kabar.ui.data.views import ALL, feed_view
from kabar.ui.dialogs.add_feed import AddFeedDialog, AddRequest
from kabar.ui.dialogs.confirm import ConfirmDialog

if TYPE_CHECKING:
    from kabar.core.models import FeedRow
    from kabar.ui.screens.main.screen import MainScreen


class FeedActions:
    """Adding and removing feeds from a `MainScreen`."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen

    def feed_error(self) -> None:
        feed = self.screen.feed_list.current_feed
        if feed is None:
            self.screen.notify("Select a feed to see its last error.", timeout=2)
        elif feed.disabled or feed.last_error:
            problem = feed.disabled or feed.last_error
            self.screen.notify(problem, title=feed.display_title, severity="error", timeout=10)
        else:
            self.screen.notify("Its last refresh worked.", title=feed.display_title, timeout=3)

    def add(self) -> None:
        view = self.screen.feed_list.current_view
        folder = view.folder or "" if view is not None else ""
        self.screen.app.push_screen(AddFeedDialog(self.screen.library, folder or ""), self.chosen)

    def chosen(self, request: AddRequest | None) -> None:
        if request is None:
            return
        if self.screen.config.sync is not None:  # the server subscribes; a sync brings the feed
            from kabar.ui.server_add import subscribe_on_server

            subscribe_on_server(self.screen, request)
            return
        # Discovery's parse is each feed's first update: only a bare URL is fetched after.
        feeds = request.candidates or request.urls
        done = self.screen.library.subscribe(feeds, request.folder, fetch=False)
        self.screen.load_feeds()
        first = self.screen.library.find_feed(request.urls[0])
        if first is not None:
            self.screen.feed_list.select_view(feed_view(first.id, first.display_title).key)
        if not done.added:
            self.screen.notify("Already subscribed.", timeout=3)
            return
        stored = {result.url for result in done.results}
        to_fetch = [url for url in done.added if url not in stored]
        fetching = f"; fetching {noun(len(to_fetch), 'it', 'them')} now" if to_fetch else ""
        self.screen.notify(f"Added {plural(len(done.added), 'feed')}{fetching}.", timeout=3)
        if to_fetch:
            self.screen.refresher.refresh_urls(to_fetch)

    def remove(self) -> None:
        feed = self.screen.feed_list.current_feed
        if feed is None:
            self.screen.notify("Select a feed to remove it.", timeout=2)
            return
        message = Text("Unsubscribe from ")
        message.append(feed.display_title, style="bold")
        message.append("?\nIts saved entries are kept under Saved.")
        dialog = ConfirmDialog("Remove feed", message, confirm="Remove")
        remove = partial(self._remove, feed)
        self.screen.app.push_screen(dialog, lambda yes: remove() if yes else None)

    def _remove(self, feed: FeedRow) -> None:
        """Unsubscribe; a synced feed on the sync server first, in a worker (the reader
        does not wait for the server)."""
        if feed.stream_id and self.screen.library.syncing:  # in the lane: never beside a sync
            job = partial(self._remove_in_thread, feed)
            self.screen.refresher.server_job("remove", job, "Removing on the sync server…")
            return
        try:
            kept = self.screen.library.unsubscribe(feed)
        except KabarError as exc:
            self.screen.notify(str(exc), severity="error")
            return
        self._removed(feed, kept)

    def _remove_in_thread(self, feed: FeedRow) -> None:
        try:
            kept = self.screen.library.unsubscribe(feed)
        except KabarError as exc:
            self.screen.app.call_from_thread(self.screen.notify, str(exc), severity="error")
        else:
            self.screen.app.call_from_thread(self._removed, feed, kept)

    def _removed(self, feed: FeedRow, kept: int) -> None:
        self.screen.load_feeds()
        self.screen.show_view(ALL)
        self.screen.feed_list.select_view(ALL.key)
        note = f" ({plural(kept, 'saved entry', 'saved entries')} kept)" if kept else ""
        self.screen.notify(f"Removed {feed.display_title}{note}.", timeout=4)
