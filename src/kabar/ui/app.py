"""The Textual app and its factory, shared by the CLI, the demo and the tests."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding, BindingType

from kabar.core.profile import Profile
from kabar.core.store import Store
from kabar.ui.screens.help import HelpScreen
from kabar.ui.screens.main import MainScreen
from kabar.ui.widgets.article_view import ArticleView
from kabar.ui.widgets.feed_list import FeedList
from kabar.ui.widgets.headline_list import HeadlineList


class KabarApp(App[None]):
    CSS_PATH = "kabar.tcss"
    TITLE = "Kabar"
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "help", "Keys", id="app.help"),
        Binding("tab", "app.focus_next", "Next pane", id="app.next_pane", show=False),
        Binding("shift+tab", "app.focus_previous", "Previous pane", id="app.prev_pane", show=False),
    ]

    def __init__(self, profile: Profile, store: Store, *, refresh_on_start: bool) -> None:
        super().__init__()
        self.profile = profile
        self.store = store
        self.refresh_on_start = refresh_on_start
        self.theme = profile.config.general.theme

    def on_mount(self) -> None:
        if self.profile.config.keys:
            self.set_keymap(self.profile.config.keys)
        self.push_screen(
            MainScreen(
                self.store,
                self.profile.paths.database,
                self.profile.config,
                refresh_on_start=self.refresh_on_start,
            )
        )

    def on_unmount(self) -> None:
        self.store.close()

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        sections: list[tuple[str, list[BindingType]]] = [
            ("Everywhere", [*self.BINDINGS, *MainScreen.BINDINGS]),
            ("Headlines", list(HeadlineList.BINDINGS)),
            ("Feeds", list(FeedList.BINDINGS)),
            ("Article", list(ArticleView.BINDINGS)),
        ]
        self.push_screen(HelpScreen(sections, self.profile.config.keys))


def make_app(profile: Profile, *, refresh_on_start: bool | None = None) -> KabarApp:
    """Build the app on a profile; `refresh_on_start` overrides the config."""
    store = profile.open_store()
    if refresh_on_start is None:
        refresh_on_start = profile.config.general.refresh_on_start
    return KabarApp(profile, store, refresh_on_start=refresh_on_start)
