"""The Textual app and its factory, shared by the CLI, the demo and the tests.

The app only wires things: the profile's keymap and theme, the main screen, the help
screen and the command palette. Reading, refreshing and searching live in the screen.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from functools import partial
from typing import Any

from textual.app import App, SystemCommand
from textual.notifications import Notify, SeverityLevel
from textual.screen import Screen
from textual.theme import Theme
from textual.worker import WorkerFailed

from kabar.core.errors import KabarError, StoreError, database_problem
from kabar.core.library import Library, Profile
from kabar.ui.keys import APP_KEYS, SCREEN_KEYS, all_keys, bindings, keymap_conflicts
from kabar.ui.palette import text_variables
from kabar.ui.screens.help import HelpScreen, key_display
from kabar.ui.screens.main import MainScreen
from kabar.ui.screens.problem import DatabaseProblemScreen
from kabar.ui.widgets.headline_list import Clock

log = logging.getLogger(__name__)


class KabarApp(App[None]):
    CSS_PATH = "kabar.tcss"
    TITLE = "Kabar"
    BINDINGS = bindings(APP_KEYS)

    def __init__(
        self,
        profile: Profile,
        library: Library | None = None,
        *,
        refresh_on_start: bool,
        clock: Clock = time.time,
    ) -> None:
        """`library`: the profile's, made here (and closed on unmount) when not given."""
        super().__init__()
        self.profile = profile
        self.owns_library = library is None
        self.library = library or Library(profile.paths, profile.config)
        self.library.connect()  # the main thread's connection, opened now
        self.refresh_on_start = refresh_on_start
        self.clock = clock
        self.database_problem: StoreError | None = None
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
            conflicts = keymap_conflicts(self.profile.config.keys)
            if conflicts:
                self.notify(
                    f"Key conflict in the config's [keys]: {'; '.join(conflicts)}.",
                    severity="warning",
                    timeout=10,
                )
        if self.theme_problem:
            self.notify(f"Unknown theme {self.theme_problem!r} in the config.", severity="warning")
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self.push_screen(
            MainScreen(
                self.library,
                clock=self.clock,
                refresh_on_start=self.refresh_on_start,
            )
        )

    def _handle_exception(self, error: Exception) -> None:
        """A database that fails under the reader (a damaged page; a full disk or a
        read-only folder where a change is not guarded by `Reader.kept`) gets a screen
        saying what is wrong and how to recover, not a traceback: the part of the app that
        raised has stopped. Textual has no public hook for this; anything else still goes
        to Textual."""
        cause = error.error if isinstance(error, WorkerFailed) else error
        problem = database_problem(str(self.library.database), cause)
        if problem is None:
            super()._handle_exception(error)
            return
        log.error("database problem in the reader", exc_info=cause)
        if self.database_problem is None:
            self.database_problem = problem
            self.push_screen(DatabaseProblemScreen(problem))

    def get_css_variables(self) -> dict[str, str]:
        """The theme's variables and Kabar's text colours, made legible on it."""
        variables = super().get_css_variables()
        variables.update(text_variables(variables))
        return variables

    def on_unmount(self) -> None:
        if self.owns_library:
            self.library.close()

    def _theme_changed(self, theme: Theme) -> None:
        """Remember the reader's theme choice in config.toml (comments and all kept)."""
        general = self.profile.config.general
        if theme.name == general.theme:
            return
        general.theme = theme.name
        try:
            self.library.save_theme(theme.name)
        except (KabarError, OSError) as exc:
            self.notify(f"Could not save the theme: {exc}", severity="warning")

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Plain text unless asked: messages carry feed titles and error text."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def _on_notify(self, event: Notify) -> None:
        """One toast per message: the same message again replaces its toast (and restarts
        its timer) instead of stacking a copy, and a new passing notice (information)
        replaces the last one. Textual's own handler then shows the new toast."""
        new = event.notification
        for shown in list(self._notifications):
            if (shown.message, shown.title) == (new.message, new.title) or (
                new.severity == shown.severity == "information"
            ):
                self._unnotify(shown, refresh=False)

    def action_help_quit(self) -> None:
        """Ctrl+C: say how to quit, with the key the README gives (or its remapping)."""
        keys = self.profile.config.keys.get("app.quit", "q")
        self.notify(f"Press {key_display(keys)} to quit.", title="Do you want to quit?")

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(all_keys(), self.profile.config.keys))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Kabar's actions and the theme picker; not Textual's own (its key panel squeezes
        the article and ignores Esc, maximize and screenshot mean nothing here)."""
        for command in super().get_system_commands(screen):
            if command.title == "Theme":
                yield command
        if not isinstance(screen, MainScreen):
            return
        keymap = self.profile.config.keys
        for key in [*SCREEN_KEYS, *APP_KEYS]:
            if not key.palette:
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
    profile: Profile,
    *,
    library: Library | None = None,
    refresh_on_start: bool | None = None,
    clock: Clock = time.time,
) -> KabarApp:
    """Build the app on a profile, on one Library (made here when not given); the
    `refresh_on_start` overrides the config, `clock` is for tests that need fixed relative
    dates."""
    if refresh_on_start is None:
        refresh_on_start = profile.config.general.refresh_on_start
    return KabarApp(profile, library, refresh_on_start=refresh_on_start, clock=clock)
