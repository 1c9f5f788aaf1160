"""Search as you type: `/` opens a box above the headlines; results replace the headline
list while it is open, and Esc brings the view back.

Each keystroke (after a short pause) starts a thread worker on its own connection; a
result is shown only if the box still holds the query it answers. The index is caught up
in a worker before the first search, and the search runs again once it has caught up.
"""

from __future__ import annotations

from textual import on, work
from textual.timer import Timer
from textual.widgets import Input

from kabar.core.store import Store
from kabar.core.wording import noun
from kabar.ui.messages import SearchFinished
from kabar.ui.screens.main.base import MainBase

SEARCH_DELAY = 0.12  # seconds of typing pause before a search starts
SEARCH_LIMIT = 200


class SearchMixin(MainBase):
    search_timer: Timer | None = None

    def action_search(self) -> None:
        if not self.searching:
            self.add_class("-searching")
            self.search_box.value = ""
            self.status.show_view("Search: words, feed:NAME, saved:yes, unread:yes")
            if not self.index_ready:
                self.catch_up_index()
        self.search_box.focus()

    def close_search(self) -> None:
        if not self.searching:
            return
        self.remove_class("-searching")
        if self.search_timer is not None:
            self.search_timer.stop()
        self.show_view(self.view, force=True)
        self.headlines.focus()

    @on(Input.Changed, "#search")
    def search_changed(self, event: Input.Changed) -> None:
        if self.search_timer is not None:
            self.search_timer.stop()
        self.search_timer = self.set_timer(SEARCH_DELAY, self.rerun_search)

    def action_focus_results(self) -> None:
        self.headlines.focus()

    @on(Input.Submitted, "#search")
    def search_submitted(self) -> None:
        self.rerun_search()
        self.headlines.focus()

    def rerun_search(self) -> None:
        query = self.search_box.value.strip()
        if not query:
            self.headlines.show_rows([], empty="Type to search.")
            self.status.show_view("Search")
            return
        self._search_worker(query)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search_worker(self, query: str) -> None:
        with Store(self.db_path) as store:
            rows = store.search(query, limit=SEARCH_LIMIT)
        self.post_message(SearchFinished(query, rows))

    def on_search_finished(self, message: SearchFinished) -> None:
        if not self.searching or message.query != self.search_box.value.strip():
            return  # typed on since: a newer search is on its way
        self.headlines.show_rows(message.rows, empty=f"No matches for {message.query}.")
        more = "+" if len(message.rows) >= SEARCH_LIMIT else ""
        self.status.show_view(
            f"Search · {len(message.rows)}{more} {noun(len(message.rows), 'result')}"
        )
