"""Search on the main screen: while the box is open its results replace the headlines.

The box (`SearchBox`) owns the typing delay; this runs the search in a worker once the
reader pauses, shows the results that are still wanted, and keeps the search index caught
up so that the first search finds everything.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from kabar.core.wording import noun
from kabar.ui.screens.main import workers
from kabar.ui.widgets.search_box import HINT

if TYPE_CHECKING:
    from kabar.ui import messages as msg
    from kabar.ui.screens.main.screen import MainScreen

LIMIT = 200  # results shown at most


class Searcher:
    """The search of a `MainScreen` (which routes the box's keys and messages here)."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.index_ready = False

    def open(self) -> None:
        screen = self.screen
        if not screen.searching:
            screen.add_class("-searching")
            screen.search_box.value = ""
            screen.status.show_view(HINT)
            if not self.index_ready:
                screen.catch_up_index()
        screen.search_box.focus()

    def close(self) -> None:
        screen = self.screen
        if not screen.searching:
            return
        screen.remove_class("-searching")
        screen.search_box.stop_waiting()
        screen.show_view(screen.view, force=True)
        screen.headlines.focus()

    def rerun(self) -> None:
        screen = self.screen
        query = screen.search_box.terms
        if query:
            job = partial(workers.search, screen.post_message, screen.library, query, LIMIT)
            screen.work("search", job)
        else:
            screen.headlines.show_rows([], empty="Type to search.")
            screen.status.show_view("Search")

    def finished(self, message: msg.SearchFinished) -> None:
        screen = self.screen
        if not screen.searching or message.query != screen.search_box.terms:
            return  # typed on since: a newer search is on its way
        rows = message.rows
        screen.headlines.show_rows(rows, empty=f"No matches for {message.query}.")
        more = "+" if len(rows) >= LIMIT else ""
        screen.status.show_view(f"Search · {len(rows)}{more} {noun(len(rows), 'result')}")

    def index_caught_up(self, message: msg.IndexCaughtUp) -> None:
        self.index_ready = True
        if message.indexed and self.screen.searching:
            self.rerun()
