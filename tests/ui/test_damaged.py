"""The reader on a database that fails under it: it says what is wrong and how to
recover, and quits cleanly with that line, never with a traceback."""

from __future__ import annotations

import pytest
from rich.text import Text
from textual.widgets import Static

from kabar.core.config.profile import Profile
from kabar.ui.app import make_app
from kabar.ui.screens.problem import DatabaseProblemScreen
from tests.damage import PAGE, build_profile, overwrite, page_of
from tests.ui.conftest import main_screen


def damage_entries(profile: Profile) -> None:
    """A damaged page under the headline list, found only once the reader reads it."""
    profile.paths.ensure()
    db = profile.paths.database
    build_profile(db, feeds=20, per_feed=30, saved=4, copies=2)
    for number in page_of(db, "entries")[::3]:
        overwrite(db, (number - 1) * PAGE, b"\xff" * 12)


async def test_a_damaged_page_gives_a_clear_screen_and_a_failing_exit(profile: Profile) -> None:
    damage_entries(profile)
    app = make_app(profile, refresh_on_start=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for _ in range(30):  # move down the list, onto the damaged rows
            await pilot.press("j")
        await pilot.pause()
        assert isinstance(app.screen, DatabaseProblemScreen)
        shown = " ".join(
            str(w.content) if isinstance(w.content, Text) else "" for w in app.screen.query(Static)
        )
        assert "is damaged" in shown and "kabar recover" in shown
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 3
    assert app.database_problem is not None and "kabar recover" in str(app.database_problem)


async def test_a_read_only_home_reads_and_says_why_changes_are_not_kept(
    profile: Profile,
) -> None:
    from tests.test_recovery import make_read_only, make_writable

    profile.paths.ensure()
    build_profile(profile.paths.database, feeds=5, per_feed=6, saved=2, copies=1)
    locked = make_read_only(profile.paths.data_dir)
    if not locked:
        pytest.skip("cannot make a folder read-only here (root without chattr)")
    try:
        app = make_app(profile, refresh_on_start=False)
        assert app.library.store.read_only
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            screen = main_screen(app)
            assert screen.headlines.count > 0  # the list reads fine
            await pilot.press("m", "j", "m")  # two changes that cannot be kept
            await pilot.pause()
            assert isinstance(app.screen, type(screen))  # still reading
            messages = [n.message for n in app._notifications]
            assert sum("read-only" in m for m in messages) == 1, messages
    finally:
        make_writable(locked)
    assert app.database_problem is None
