"""Feeds and views: the feed list's choices, adding and removing feeds, marking a view
read (with undo), and the toggles that apply to every view (hide read, oldest first)."""

from __future__ import annotations

from rich.text import Text
from textual import on

from kabar.core.errors import KabarError
from kabar.core.wording import noun, plural
from kabar.ui.data.views import ALL, feed_view
from kabar.ui.dialogs.add_feed import AddFeedDialog, AddRequest
from kabar.ui.dialogs.confirm import ConfirmDialog
from kabar.ui.screens.main.base import MainBase
from kabar.ui.widgets.feed_list import FeedList


class FeedsMixin(MainBase):
    undo_ids: list[int] | None = None

    @on(FeedList.ViewChanged)
    def view_changed(self, event: FeedList.ViewChanged) -> None:
        if self.searching:
            return  # the search results stay until the search is closed
        self.show_view(event.view)

    @on(FeedList.ViewChosen)
    def view_chosen(self, event: FeedList.ViewChosen) -> None:
        if self.searching:
            self.close_search()
        self.show_view(event.view)
        self.headlines.focus()

    # -- toggles -------------------------------------------------------------------------
    def action_toggle_hide_read(self) -> None:
        self.hide_read = not self.hide_read
        self.show_view(self.view, force=True)
        self.notify(
            "Showing unread entries only." if self.hide_read else "Showing read entries too.",
            timeout=2,
        )

    def action_toggle_sort(self) -> None:
        self.oldest_first = not self.oldest_first
        self.show_view(self.view, force=True)
        self.notify("Oldest first." if self.oldest_first else "Newest first.", timeout=2)

    def action_toggle_feeds(self) -> None:
        shown = bool(self.feed_list.display)
        self.set_feeds_shown(not shown)
        if shown and self.focused is self.feed_list:
            self.headlines.focus()
        elif not shown:
            self.feed_list.focus()

    # -- marking a view read ---------------------------------------------------------------
    def action_mark_all_read(self) -> None:
        ids: list[int] = []
        if self.searching:
            rows = [self.headlines.row(i) for i in range(self.headlines.count)]
            unread = [r.id for r in rows if r is not None and not r.read]
            if self.kept(lambda: self.store.set_read(unread, True)):
                ids = unread
        elif not self.kept(lambda: ids.extend(self.store.mark_view_read(self.view.query()))):
            return
        if not ids:
            self.notify("Nothing unread here.", timeout=2)
            return
        self.undo_ids = ids
        self._after_bulk_change()
        self.notify(
            f"Marked {plural(len(ids), 'entry', 'entries', grouped=True)} read in "
            f"{self.view.title}. Press u to undo.",
            timeout=8,
        )

    def action_undo(self) -> None:
        if not self.undo_ids:
            self.notify("Nothing to undo.", timeout=2)
            return
        ids, self.undo_ids = self.undo_ids, None
        if not self.kept(lambda: self.store.set_read(ids, False)):
            return
        self._after_bulk_change()
        self.notify(
            f"Marked {plural(len(ids), 'entry', 'entries', grouped=True)} unread again.", timeout=3
        )

    def _after_bulk_change(self) -> None:
        self.feed_list.update_counts(self.store.unread_counts(), self.store.saved_count())
        if self.searching:
            self.rerun_search()
        else:
            self.headlines.reload()
            self.describe_view()

    # -- feed errors -----------------------------------------------------------------------
    def action_feed_error(self) -> None:
        feed = self.feed_list.current_feed
        if feed is None:
            self.notify("Select a feed to see its last error.", timeout=2)
        elif feed.disabled:
            self.notify(feed.disabled, title=feed.display_title, severity="error", timeout=10)
        elif feed.last_error:
            self.notify(feed.last_error, title=feed.display_title, severity="error", timeout=10)
        else:
            self.notify("Its last refresh worked.", title=feed.display_title, timeout=3)

    # -- adding and removing ----------------------------------------------------------------
    def action_add_feed(self) -> None:
        view = self.feed_list.current_view
        folder = view.folder or "" if view is not None else ""
        self.app.push_screen(AddFeedDialog(self.config, folder or ""), self.feed_chosen)

    def feed_chosen(self, request: AddRequest | None) -> None:
        if request is None:
            return
        if self.config.sync is not None:  # the server subscribes; a sync brings the feed
            from kabar.ui.server_add import subscribe_on_server

            subscribe_on_server(self, request)  # type: ignore[arg-type]
            return
        new = [url for url in request.urls if self.store.feed_by_url(url) is None]
        for url in request.urls:
            self.store.add_feed(url, folder=request.folder)
        self.load_feeds()
        first = self.store.feed_by_url(request.urls[0])
        if first is not None:
            self.feed_list.select_view(feed_view(first.id, first.display_title).key)
        if new:
            fetching = f"fetching {noun(len(new), 'it', 'them')} now"
            self.notify(f"Added {plural(len(new), 'feed')}; {fetching}.", timeout=3)
            self.refresh_urls(new)
        else:
            self.notify("Already subscribed.", timeout=3)

    def action_remove_feed(self) -> None:
        feed = self.feed_list.current_feed
        if feed is None:
            self.notify("Select a feed to remove it.", timeout=2)
            return
        message = Text("Unsubscribe from ")
        message.append(feed.display_title, style="bold")
        message.append("?\nIts saved entries are kept under Saved.")
        self.app.push_screen(
            ConfirmDialog("Remove feed", message, confirm="Remove"),
            lambda yes: self._remove(feed.url, feed.display_title) if yes else None,
        )

    def _remove(self, url: str, title: str) -> None:
        try:
            kept = self.store.remove_feed(url)
        except KabarError as exc:
            self.notify(str(exc), severity="error")
            return
        self.load_feeds()
        self.show_view(ALL)
        self.feed_list.select_view(ALL.key)
        note = f" ({plural(kept, 'saved entry', 'saved entries')} kept)" if kept else ""
        self.notify(f"Removed {title}{note}.", timeout=4)
