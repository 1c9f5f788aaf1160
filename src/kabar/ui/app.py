"""The Textual app and its factory, shared by the CLI, the demo and the tests.

The app only wires things: the profile's keymap and theme, the main screen, the help
screen and the command palette. Reading, refreshing and searching live in the screen.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from functools import partial
from typing import Any

from textual.app import App, SystemCommand
from textual.screen import Screen
from textual.theme import Theme

from kabar.core.errors import KabarError
from kabar.core.profile import Profile
from kabar.core.store import Store
from kabar.ui.keys import APP_KEYS, SCREEN_KEYS, all_keys, bindings
from kabar.ui.screens.help import HelpScreen, key_display
from kabar.ui.screens.main import MainScreen
from kabar.ui.widgets.headline_list import Clock


class KabarApp(App[None]):
    CSS_PATH = "kabar.tcss"
    TITLE = "Kabar"
    BINDINGS = bindings(APP_KEYS)

    def __init__(
        self,
        profile: Profile,
        store: Store,
        *,
        refresh_on_start: bool,
        clock: Clock = time.time,
    ) -> None:
        super().__init__()
        self.profile = profile
        self.store = store
        self.refresh_on_start = refresh_on_start
        self.clock = clock
        theme = profile.config.general.theme
        self.theme_problem = "" if theme in self.available_themes else theme
        if not self.theme_problem:
            self.theme = theme
        if profile.config.general.images != "off":
            from kabar.ui.widgets.picture import detect_for_tui

            detect_for_tui()  # asks the terminal what it draws: only possible before Textual starts

    def on_mount(self) -> None:
        if self.profile.config.keys:
            self.set_keymap(self.profile.config.keys)
        if self.theme_problem:
            self.notify(f"Unknown theme {self.theme_problem!r} in the config.", severity="warning")
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self.push_screen(
            MainScreen(
                self.store,
                self.profile.paths.database,
                self.profile.config,
                clock=self.clock,
                refresh_on_start=self.refresh_on_start,
            )
        )

    def on_unmount(self) -> None:
        self.store.close()

    def _theme_changed(self, theme: Theme) -> None:
        """Remember the reader's theme choice in config.toml (comments and all kept)."""
        general = self.profile.config.general
        if theme.name == general.theme:
            return
        general.theme = theme.name
        from kabar.core.config_write import save_theme  # tomlkit: only when the theme changes

        try:
            save_theme(self.profile.paths.config_file, theme.name)
        except (KabarError, OSError) as exc:
            self.notify(f"Could not save the theme: {exc}", severity="warning")

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(all_keys(), self.profile.config.keys))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's own commands (theme, quit, ...) and every action of the key table."""
        yield from super().get_system_commands(screen)
        if not isinstance(screen, MainScreen):
            return
        keymap = self.profile.config.keys
        for key in [*SCREEN_KEYS, *APP_KEYS]:
            if not key.palette or key.id == "app.quit":
                continue
            prefix = "app" if key in APP_KEYS else "screen"
            action = key.action if "." in key.action else f"{prefix}.{key.action}"
            shown = key_display(keymap.get(key.id, key.keys))
            yield SystemCommand(
                key.help, f"{shown}  ({key.id})", partial(self._run, action, screen)
            )
        for number, link in enumerate(screen.article.links, 1):
            yield SystemCommand(
                f"Open link {number}",
                link,
                partial(self._run, f"screen.follow_link({number})", screen),
            )

    async def _run(self, action: str, screen: Screen[Any]) -> None:
        await self.run_action(action, screen)


def make_app(
    profile: Profile, *, refresh_on_start: bool | None = None, clock: Clock = time.time
) -> KabarApp:
    """Build the app on a profile; `refresh_on_start` overrides the config, `clock` is for
    tests that need fixed relative dates."""
    store = profile.open_store()
    if refresh_on_start is None:
        refresh_on_start = profile.config.general.refresh_on_start
    return KabarApp(profile, store, refresh_on_start=refresh_on_start, clock=clock)
