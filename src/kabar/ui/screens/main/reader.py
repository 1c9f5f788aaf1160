"""The reader's side of the main screen: open an entry, its full text, read and saved
marks (and mark-all-read with undo), its links, and the next unread entry.

The screen routes keys and the workers' messages here; this owns the entry being read
(`row`) and the link offered for copying. Decisions are in `kabar.ui.data` and the core,
the work in `workers` (threads that only post messages back to the screen).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from kabar.core.errors import DiskFullError, ReadOnlyError, database_problem
from kabar.core.textsafety import safe_link
from kabar.core.wording import plural
from kabar.render.article import RenderOptions
from kabar.ui.browser import open_in_browser
from kabar.ui.data.links import LinkOffer
from kabar.ui.data.unread import Place, UnreadFinder
from kabar.ui.screens.help import key_display
from kabar.ui.screens.main import workers

if TYPE_CHECKING:
    from kabar.core.article.document import Article
    from kabar.core.models import EntryRow
    from kabar.ui import messages as msg
    from kabar.ui.screens.main.screen import MainScreen

FETCHING = "Fetching the full article…"


class Reader:
    """Reading entries on a `MainScreen` (which calls it for its keys and messages)."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.row: EntryRow | None = None  # the entry in the article pane
        self.offered_link = LinkOffer()
        self.warned: set[str] = set()  # problems already said, once each

    def kept(self, write: Callable[[], object]) -> bool:
        """Make a change the reader asked for; on a full disk or in a read-only folder it
        cannot be kept: say so (once per cause) and read on. Whether it was kept."""
        try:
            write()
        except (sqlite3.Error, OSError) as exc:
            problem = database_problem(str(self.screen.library.database), exc)
            if not isinstance(problem, (DiskFullError, ReadOnlyError)):
                raise
            if str(problem) not in self.warned:
                self.warned.add(str(problem))
                self.screen.notify(str(problem), title=problem.title, severity="error", timeout=20)
            return False
        return True

    def open_entry(self, row: EntryRow) -> None:
        """Show an entry in the article pane and mark it read; fetch its page if its feed
        only gives a teaser (the article shows the teaser meanwhile)."""
        library = self.screen.library
        detail = library.entry(row.id)
        if detail is None:
            self.screen.notify("This entry is no longer in the database.", severity="warning")
            return
        self.offered_link.clear()
        fetch = library.wants_full_text(detail)
        self.show(library.article(detail), row, FETCHING if fetch else "")
        if fetch:
            self._fetch_full_text(row.id)
        if not row.read:
            self.set_read(row, True)

    def show(
        self, article: Article, row: EntryRow, notice: str = "", *, keep_scroll: bool = False
    ) -> None:
        options = RenderOptions(feed_title=row.feed_title, notice=notice)
        self.screen.article.show_article(article, row.id, options, keep_scroll=keep_scroll)
        self.row = row
        self.screen.add_class("-article-open")  # the pane takes room only from now on

    def show_stored(self, row: EntryRow, notice: str = "", *, keep_scroll: bool = False) -> None:
        """Show the entry's stored text again (after its full text came or failed)."""
        detail = self.screen.library.entry(row.id)
        if detail is not None:
            self.show(self.screen.library.article(detail), row, notice, keep_scroll=keep_scroll)

    def set_read(self, row: EntryRow, read: bool) -> None:
        if not self.kept(lambda: self.screen.library.set_read([row.id], read)):
            return
        row.read = read
        self.screen.headlines.update_row(row)
        self.screen.feed_list.change_unread(row.feed_id, -1 if read else 1)

    def full_text(self) -> None:
        row = self.screen.target_row()
        if row is None or self.screen.library.entry(row.id) is None:
            return
        if not safe_link(row.link):
            self.screen.notify("This entry has no web page to fetch.", severity="warning")
            return
        self.show_stored(row, FETCHING)
        self._fetch_full_text(row.id)

    def _fetch_full_text(self, entry_id: int) -> None:
        job = partial(workers.full_text, self.screen.post_message, self.screen.library, entry_id)
        self.screen.work("fulltext", job)

    def full_text_fetched(self, message: msg.FullTextFetched) -> None:
        row = self.row
        if row is not None and row.id == message.entry_id:  # else the reader has moved on
            self.show(message.article, row, keep_scroll=True)

    def full_text_failed(self, message: msg.FullTextFailed) -> None:
        row = self.row
        if row is None or row.id != message.entry_id:
            return
        if message.offline:
            notice = "Showing the feed's text: the full article needs the network."
        else:
            notice = f"Showing the feed's text: {message.error}"
        self.show_stored(row, notice, keep_scroll=True)

    def toggle_read(self) -> None:
        row = self.screen.target_row()
        if row is not None:
            self.set_read(row, not row.read)

    def toggle_saved(self) -> None:
        """Save (fetching the full text first, in a worker) or unsave. The star changes at
        once; a failure puts it back and says why."""
        row = self.screen.target_row()
        if row is None:
            return
        self._set_saved_flag(row, not row.saved)
        if row.saved:
            job = partial(workers.save, self.screen.post_message, self.screen.library, row.id)
        else:
            job = partial(workers.unsave, self.screen.post_message, self.screen.library, row.id)
        self.screen.work("save", job, exclusive=False)

    def _set_saved_flag(self, row: EntryRow, saved: bool) -> None:
        if row.saved == saved:
            return
        row.saved = saved
        self.screen.headlines.update_row(row)
        feeds = self.screen.feed_list
        feeds.saved_total = max(0, feeds.saved_total + (1 if saved else -1))
        feeds.update_counts({}, feeds.saved_total)

    def entry_saved(self, message: msg.EntrySaved) -> None:
        result = message.result
        if result.warning:
            self.screen.notify(result.warning, title="Saved", severity="warning")
        else:
            self.screen.notify("Saved, full text included.", timeout=2)
        row = self.row
        if result.full_text and row is not None and row.id == result.entry_id:
            self.show_stored(row, keep_scroll=True)

    def save_failed(self, message: msg.SaveFailed) -> None:
        index = self.screen.headlines.position(message.entry_id)
        row = self.screen.headlines.row(index) if index is not None else None
        if row is not None:
            self._set_saved_flag(row, not message.saved)
        self.screen.notify(message.error, title="Could not save", severity="error")

    def open_link(self) -> None:
        row = self.screen.target_row()
        link = safe_link(row.link) if row else ""
        if link:
            self._open(link, "the entry's page")
        else:
            self.screen.notify("This entry has no web link.", severity="warning")

    def copy_link(self) -> None:
        """Copy the link a browser could not open just now, else the entry's link."""
        row = self.screen.target_row()
        link = self.offered_link.take(row.id if row else None, safe_link(row.link) if row else "")
        if link:
            self.screen.app.copy_to_clipboard(link)
            self.screen.notify(f"Copied {link}", timeout=2)
        else:
            self.screen.notify("This entry has no web link.", severity="warning")

    def follow_link(self, number: int) -> None:
        links = self.screen.article.links
        if not 1 <= number <= len(links):
            self.screen.notify(f"The article has no link {number}.", severity="warning", timeout=2)
            return
        link = safe_link(links[number - 1])
        if link:
            self._open(link, f"link {number}")

    def _open(self, link: str, what: str) -> None:
        """Start the browser, or say why not and offer `y` to copy the link instead."""
        problem = open_in_browser(link, self.screen.config.general.browser)
        row = self.screen.target_row()
        self.offered_link.clear()
        if problem:
            self.offered_link.offer(row.id if row else None, link)
            copy = key_display(self.screen.config.keys.get("main.copy_link", "y"))
            self.screen.notify(f"{problem}: press {copy} to copy {what}.", severity="warning")

    def read_on(self) -> None:
        """Space, as in mutt and slrn: a page of the open article; at its end, the next
        unread entry."""
        article = self.screen.article
        if (
            self.row is not None
            and article.display
            and round(article.scroll_y) < article.max_scroll_y
        ):
            article.scroll_page_down(animate=False)
        else:
            self.goto_unread(forward=True)

    def goto_unread(self, *, forward: bool) -> None:
        """Select and open the next unread entry in reading order (see `UnreadFinder`),
        saying so in one line past the end. An unread entry under the cursor that is not
        open yet comes first."""
        headlines = self.screen.headlines
        current = headlines.current
        if forward and current is not None and not current.read and current is not self.row:
            self.open_entry(current)
            return
        query = None if self.screen.searching else headlines.view_query
        place = Place(self.screen.view, query, headlines.source, headlines.cursor)
        feeds = self.screen.feed_list
        hit = UnreadFinder(self.screen.library.headlines).find(
            place, forward=forward, feeds=feeds.feeds, order=feeds.feed_order(),
            unread=feeds.unread, query_for=self.screen.query_for,
        )  # fmt: skip
        if hit is None:
            self.screen.notify("No unread entries left here.", timeout=2)
            return
        if hit.view is not None:
            feeds.select_view(hit.view.key)
            self.screen.show_view(hit.view)
        if hit.wrapped:
            where = "first" if forward else "last"
            self.screen.notify(f"No unread entries past this one: back to the {where}.", timeout=2)
        row, index = hit.row, headlines.position(hit.row.id)
        if index is not None:
            headlines.move_cursor(index)
            row = headlines.current or row
        self.open_entry(row)

    def mark_all_read(self) -> None:
        """Mark what the view (or the search) shows read; `u` undoes it."""
        screen, library = self.screen, self.screen.library
        ids: list[int] = []
        if screen.searching:
            rows = [screen.headlines.row(i) for i in range(screen.headlines.count)]
            shown = [row.id for row in rows if row is not None and not row.read]
            self.kept(lambda: ids.extend(library.mark_all_read(shown)))
        elif not self.kept(lambda: ids.extend(library.mark_all_read(screen.view.query()))):
            return
        if not ids:
            screen.notify("Nothing unread here.", timeout=2)
            return
        self._after_bulk_change()
        entries = plural(len(ids), "entry", "entries", grouped=True)
        screen.notify(f"Marked {entries} read in {screen.view.title}. Press u to undo.", timeout=8)

    def undo(self) -> None:
        ids: list[int] = []
        if not self.kept(lambda: ids.extend(self.screen.library.undo_mark_all_read())):
            return
        if not ids:
            self.screen.notify("Nothing to undo.", timeout=2)
            return
        self._after_bulk_change()
        entries = plural(len(ids), "entry", "entries", grouped=True)
        self.screen.notify(f"Marked {entries} unread again.", timeout=3)

    def _after_bulk_change(self) -> None:
        screen = self.screen
        headlines = screen.library.headlines
        screen.feed_list.update_counts(headlines.unread_counts(), headlines.saved_count())
        if screen.searching:
            screen.searcher.rerun()
        else:
            screen.headlines.reload()
            screen.describe_view()
