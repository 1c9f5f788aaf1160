"""The main screen: feed list, headline list and article pane, laid out for the width.

The headlines have the screen to themselves until an article is opened: then, below 200
columns, the article opens under them; from 200 columns beside them, at a readable measure.
Below 100 columns the feed list folds away (backslash or Ctrl+B brings it back). The
behaviour lives in the mixins, by subject.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical

from kabar.ui.data.views import ALL
from kabar.ui.keys import SCREEN_KEYS, bindings
from kabar.ui.screens.main.feeds import FeedsMixin
from kabar.ui.screens.main.reading import ReadingMixin
from kabar.ui.screens.main.refreshing import RefreshMixin
from kabar.ui.screens.main.searching import SearchMixin
from kabar.ui.widgets.article_view import ArticleView
from kabar.ui.widgets.feed_list import FeedList
from kabar.ui.widgets.headline_list import HeadlineList
from kabar.ui.widgets.key_bar import KeyBar
from kabar.ui.widgets.search_box import SearchBox
from kabar.ui.widgets.status_line import StatusLine


class MainScreen(ReadingMixin, FeedsMixin, RefreshMixin, SearchMixin):
    BINDINGS = bindings(SCREEN_KEYS)
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-normal"), (200, "-wide")]

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            yield FeedList(id="feeds")
            with Horizontal(id="reading"):
                with Vertical(id="headline-column"):
                    yield SearchBox(id="search")
                    yield HeadlineList(self.store, self.clock, id="headlines")
                yield ArticleView(id="article")
        yield StatusLine(id="status")
        yield KeyBar(id="keys")

    def on_mount(self) -> None:
        # The cache first, before any network: the reader sees yesterday's news at once.
        self.headlines.focus()
        self.show_view(ALL, force=True)
        self.call_after_refresh(self._after_first_paint)

    def _after_first_paint(self) -> None:
        self.load_feeds()
        self.warm_up()
        if not self.feed_list.feeds:
            self.status.show_message("No feeds yet: press a to add one.")
        elif self.refresh_on_start:
            self.start_refresh(None, force=False)
        self.start_auto_refresh()

    def on_resize(self) -> None:
        self.call_after_refresh(self._keep_focus_visible)

    def _keep_focus_visible(self) -> None:
        """A pane folded away by a resize loses the focus (Textual leaves none at all, and
        then only Tab answers): give it to the headlines."""
        focused = self.focused
        if self.app.screen is not self:
            return
        if focused is None or not focused.display or not focused.visible:
            self.headlines.focus()

    def action_back(self) -> None:
        """Esc: article -> headlines -> feed list; in a search, back to the box, then out."""
        pane = self.pane
        if pane == "article":
            self.headlines.focus()
        elif pane == "search":
            self.close_search()
        elif pane == "headlines":
            if self.searching:
                self.search_box.focus()
            else:
                self.focus_pane(self.feed_list)
        elif self.has_class("-narrow") and self.has_class("-feeds-open"):
            self.set_feeds_shown(False)
            self.headlines.focus()
