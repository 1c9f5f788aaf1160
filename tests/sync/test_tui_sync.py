"""The reader with a [sync] account: R synchronises in a worker; the status line says so."""

from __future__ import annotations

from pathlib import Path

import pytest

from kabar.core.config.profile import load_profile
from kabar.core.sync.client import READ, READING_LIST
from kabar.ui.app import make_app
from kabar.ui.screens.main import MainScreen
from tests.sync.conftest import ServerSide


async def test_r_syncs_and_the_status_line_shows_account_time_and_queue(
    server_side: ServerSide, sync_home: Path
) -> None:
    app = make_app(load_profile(), refresh_on_start=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await pilot.press("R")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not screen.refreshing
        message = screen.status.message
        assert message.startswith("kabar@127.0.0.1:") and "synced at" in message
        assert "12 new" in message
        assert screen.headlines.count == 12
        # Reading an entry marks it read at once, locally; it reaches the server at the
        # next sync.
        await pilot.press("enter")
        await pilot.pause()
        with load_profile().open_store() as store:
            assert store.queue_length() == 1
        assert len(server_side.admin.item_ids(READING_LIST, exclude=READ)) == 12
        await pilot.press("R")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(server_side.admin.item_ids(READING_LIST, exclude=READ)) == 11


async def test_a_wrong_password_is_a_marker_in_the_status_line(
    server_side: ServerSide, sync_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KABAR_SYNC_PASSWORD", "wrong")
    app = make_app(load_profile(), refresh_on_start=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await pilot.press("R")
        await app.workers.wait_for_complete()
        await pilot.pause()
        message = screen.status.message
        assert "failed" in message and "wrong username or API password" in message
        assert "wrong" not in message.replace("wrong username", "")
