"""Reading: open an entry, its full text, its links; read, saved; next/previous unread."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work

from kabar.core.errors import FetchError, KabarError
from kabar.core.textsafety import safe_link
from kabar.render.article import RenderOptions
from kabar.ui.browser import open_in_browser
from kabar.ui.data.entry_pages import sort_key
from kabar.ui.data.views import ViewKind, feed_view
from kabar.ui.messages import (
    EntrySaved,
    EntryUnsaved,
    FullTextFailed,
    FullTextFetched,
    SaveFailed,
)
from kabar.ui.screens.help import key_display
from kabar.ui.screens.main.base import MainBase
from kabar.ui.widgets.headline_list import HeadlineList

if TYPE_CHECKING:
    from kabar.core.document import Article
    from kabar.core.models import EntryRow

# Fetching and extraction (trafilatura), saving and the reading model are imported where
# they are first used: together they would add a third of a second to the first paint.
# `warm_up` imports them in a thread just after it, so the first article opens at once.

FETCHING = "Fetching the full article…"


class ReadingMixin(MainBase):
    @on(HeadlineList.Opened)
    def entry_opened(self, event: HeadlineList.Opened) -> None:
        self.open_entry(event.row)
        self.article.focus()

    def open_entry(self, row: EntryRow) -> None:
        """Show an entry in the article pane and mark it read; fetch its page if its feed
        only gives a teaser (the article shows the teaser meanwhile)."""
        from kabar.core.fulltext import wants_fetch
        from kabar.core.reading import entry_article

        detail = self.store.get_entry(row.id)
        if detail is None:
            self.notify("This entry is no longer in the database.", severity="warning")
            return
        self.offered_link = (None, "")
        fetch = wants_fetch(detail, self.config)
        self.show(entry_article(detail), row, FETCHING if fetch else "")
        if fetch:
            self._full_text_worker(row.id)
        if not row.read:
            self.set_read(row, True)

    def show(
        self, article: Article, row: EntryRow, notice: str = "", *, keep_scroll: bool = False
    ) -> None:
        options = RenderOptions(feed_title=row.feed_title, notice=notice)
        self.article.show_article(article, row.id, options, keep_scroll=keep_scroll)
        self.article_row = row
        self.add_class("-article-open")  # the pane takes room only from now on

    def set_read(self, row: EntryRow, read: bool) -> None:
        if not self.kept(lambda: self.store.set_read([row.id], read)):
            return
        row.read = read
        self.headlines.update_row(row)
        self.feed_list.change_unread(row.feed_id, -1 if read else 1)

    # -- full text -----------------------------------------------------------------------
    def action_full_text(self) -> None:
        from kabar.core.reading import entry_article

        row = self.target_row()
        if row is None:
            return
        detail = self.store.get_entry(row.id)
        if detail is None:
            return
        if not safe_link(row.link):
            self.notify("This entry has no web page to fetch.", severity="warning")
            return
        self.show(entry_article(detail), row, FETCHING)
        self._full_text_worker(row.id)

    @work(thread=True, exclusive=True, group="fulltext", exit_on_error=False)
    def _full_text_worker(self, entry_id: int) -> None:
        from kabar.core.fulltext import fetch_full_text

        try:
            article = fetch_full_text(self.db_path, self.config, entry_id)
        except FetchError as exc:
            self.post_message(FullTextFailed(entry_id, str(exc), offline=exc.status is None))
        except KabarError as exc:
            self.post_message(FullTextFailed(entry_id, str(exc)))
        else:
            self.post_message(FullTextFetched(entry_id, article))

    def on_full_text_fetched(self, message: FullTextFetched) -> None:
        row = self.article_row
        if row is None or row.id != message.entry_id:
            return  # the reader has moved on: drop the stale result
        self.show(message.article, row, keep_scroll=True)

    def on_full_text_failed(self, message: FullTextFailed) -> None:
        from kabar.core.reading import entry_article

        row = self.article_row
        if row is None or row.id != message.entry_id:
            return
        detail = self.store.get_entry(row.id)
        if detail is None:
            return
        if message.offline:
            notice = "Showing the feed's text: the full article needs the network."
        else:
            notice = f"Showing the feed's text: {message.error}"
        self.show(entry_article(detail), row, notice, keep_scroll=True)

    @work(thread=True, group="warm-up", exit_on_error=False)
    def warm_up(self) -> None:
        """Import what opening, fetching and saving need, in a thread, after the first paint."""
        import kabar.core.fulltext
        import kabar.core.reading
        import kabar.core.saving  # noqa: F401

    # -- flags ---------------------------------------------------------------------------
    def action_toggle_read(self) -> None:
        row = self.target_row()
        if row is not None:
            self.set_read(row, not row.read)

    def action_toggle_saved(self) -> None:
        """Save (fetching the full text first, in a worker) or unsave. The star changes at
        once; a failure puts it back and says why."""
        row = self.target_row()
        if row is None:
            return
        self._set_saved_flag(row, not row.saved)
        if row.saved:
            self._save_worker(row.id)
        else:
            self._unsave_worker(row.id)

    def _set_saved_flag(self, row: EntryRow, saved: bool) -> None:
        if row.saved == saved:
            return
        row.saved = saved
        self.headlines.update_row(row)
        self.feed_list.saved_total = max(0, self.feed_list.saved_total + (1 if saved else -1))
        self.feed_list.update_counts({}, self.feed_list.saved_total)

    @work(thread=True, group="save", exit_on_error=False)
    def _save_worker(self, entry_id: int) -> None:
        from kabar.core.saving import save_entry

        try:
            result = save_entry(self.db_path, self.config, entry_id)
        except KabarError as exc:
            self.post_message(SaveFailed(entry_id, True, str(exc)))
        else:
            self.post_message(EntrySaved(result))

    @work(thread=True, group="save", exit_on_error=False)
    def _unsave_worker(self, entry_id: int) -> None:
        from kabar.core.saving import unsave_entry

        try:
            unsave_entry(self.db_path, entry_id)
        except KabarError as exc:
            self.post_message(SaveFailed(entry_id, False, str(exc)))
        else:
            self.post_message(EntryUnsaved(entry_id))

    def on_entry_saved(self, message: EntrySaved) -> None:
        from kabar.core.reading import entry_article

        result = message.result
        if result.warning:
            self.notify(result.warning, title="Saved", severity="warning")
        else:
            self.notify("Saved, full text included.", timeout=2)
        row = self.article_row
        if result.full_text and row is not None and row.id == result.entry_id:
            detail = self.store.get_entry(row.id)
            if detail is not None:
                self.show(entry_article(detail), row, keep_scroll=True)

    def on_entry_unsaved(self, message: EntryUnsaved) -> None:
        self.notify("Removed from Saved.", timeout=2)

    def on_save_failed(self, message: SaveFailed) -> None:
        index = self.headlines.position(message.entry_id)
        row = self.headlines.row(index) if index is not None else None
        if row is not None:
            self._set_saved_flag(row, not message.saved)
        self.notify(message.error, title="Could not save", severity="error")

    # -- links ---------------------------------------------------------------------------
    def action_open_link(self) -> None:
        row = self.target_row()
        link = safe_link(row.link) if row else ""
        if link:
            self._open(link, "the entry's page")
        else:
            self.notify("This entry has no web link.", severity="warning")

    def action_copy_link(self) -> None:
        """Copy the link a browser could not open just now, else the entry's link."""
        row = self.target_row()
        offered_on, offered = self.offered_link
        link = safe_link(row.link) if row else ""
        if offered and offered_on == (row.id if row else None):
            link = offered
        self.offered_link = (None, "")
        if link:
            self.app.copy_to_clipboard(link)
            self.notify(f"Copied {link}", timeout=2)
        else:
            self.notify("This entry has no web link.", severity="warning")

    def action_follow_link(self, number: int) -> None:
        links = self.article.links
        if not 1 <= number <= len(links):
            self.notify(f"The article has no link {number}.", severity="warning", timeout=2)
            return
        link = safe_link(links[number - 1])
        if link:
            self._open(link, f"link {number}")

    def _open(self, link: str, what: str) -> None:
        """Start the browser, or say why not and offer `y` to copy the link instead."""
        problem = open_in_browser(link, self.config.general.browser)
        row = self.target_row()
        self.offered_link = (row.id if row else None, link) if problem else (None, "")
        if problem:
            copy = key_display(self.config.keys.get("main.copy_link", "y"))
            self.notify(f"{problem}: press {copy} to copy {what}.", severity="warning")

    # -- next / previous unread -------------------------------------------------------------
    def action_read_on(self) -> None:
        """Space, as in mutt and slrn: a page of the open article; at its end, the next
        unread entry."""
        article = self.article
        if (
            self.article_row is not None
            and article.display
            and round(article.scroll_y) < article.max_scroll_y
        ):
            article.scroll_page_down(animate=False)
        else:
            self.goto_unread(forward=True)

    def action_next_unread(self) -> None:
        self.goto_unread(forward=True)

    def action_prev_unread(self) -> None:
        self.goto_unread(forward=False)

    def goto_unread(self, *, forward: bool) -> None:
        """Select and open the next unread entry in reading order: further down this view,
        then (in a one-feed view) in the next feeds with unread entries; past the end, from
        the top again, saying so in one line.
        An unread entry under the cursor that is not open yet comes first."""
        current = self.headlines.current
        if forward and current is not None and not current.read and current is not self.article_row:
            self.open_entry(current)
            return
        row, wrapped = self._unread_in_view(forward), False
        if row is None and self.view.kind is ViewKind.FEED and not self.searching:
            row, wrapped = self._unread_in_other_feeds(forward)
        if row is None:
            row, wrapped = self._unread_in_view(forward, wrap=True), True
        if row is None:
            self.notify("No unread entries left here.", timeout=2)
            return
        if wrapped:
            where = "first" if forward else "last"
            self.notify(f"No unread entries past this one: back to the {where}.", timeout=2)
        index = self.headlines.position(row.id)
        if index is not None:
            self.headlines.move_cursor(index)
            row = self.headlines.current or row
        self.open_entry(row)

    def _unread_in_view(self, forward: bool, *, wrap: bool = False) -> EntryRow | None:
        """The next unread entry after the cursor, or with `wrap` from the view's start."""
        current = None if wrap else self.headlines.current
        if self.searching or self.headlines.view_query is None:
            step = 1 if forward else -1
            index = self.headlines.cursor + step
            if wrap:
                index = 0 if forward else self.headlines.count - 1
            while 0 <= index < self.headlines.count:
                candidate = self.headlines.row(index)
                if candidate is not None and not candidate.read:
                    return candidate
                index += step
            return None
        key = sort_key(current) if current is not None else None
        return self.store.neighbour_unread(self.headlines.view_query, key, forward=forward)

    def _unread_in_other_feeds(self, forward: bool) -> tuple[EntryRow | None, bool]:
        """The first unread entry of the next feed that has one, round to the first feed;
        and whether it is from a feed before this one (wrapped round)."""
        order = self.feed_list.feed_order()
        if not forward:
            order.reverse()
        start = order.index(self.view.feed_id) + 1 if self.view.feed_id in order else 0
        for position, feed_id in enumerate(order[start:] + order[: max(0, start - 1)]):
            if self.feed_list.unread.get(feed_id, 0) <= 0:
                continue
            feed = self.feed_list.feeds[feed_id]
            view = feed_view(feed.id, feed.display_title)
            self.feed_list.select_view(view.key)
            self.show_view(view)
            query = self.headlines.view_query
            if query is not None:
                found = self.store.neighbour_unread(query, None, forward=forward)
                if found is not None:
                    return found, position >= len(order) - start
        return None, False
