"""TUI fixtures: a seeded profile, a frozen clock and UTC, so screens are reproducible."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from kabar.core.config.profile import Profile
from kabar.core.store import Store
from kabar.ui.app import KabarApp, make_app
from kabar.ui.screens.main import MainScreen
from tests.ui.data import Seeded, frozen_clock, seed


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Article dates are shown in local time: make local time UTC for the tests."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def seeded(profile: Profile, store: Store) -> Seeded:
    return seed(store)


def seeded_app(profile: Profile) -> KabarApp:
    return make_app(profile, refresh_on_start=False, clock=frozen_clock)


def main_screen(app: KabarApp) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen), screen
    return screen


def current(app: KabarApp) -> object:
    """The current screen, typed loosely (for identity checks after key presses)."""
    return app.screen


def focused(app: KabarApp) -> object:
    """The focused widget, typed loosely so checks after key presses are not narrowed away."""
    return app.focused
