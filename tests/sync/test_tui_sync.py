"""The reader with a [sync] account: R synchronises in a worker; the status line says so."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from textual.pilot import Pilot

from kabar.core.config.profile import load_profile
from kabar.core.sync.client import READ, READING_LIST
from kabar.ui.app import KabarApp, make_app
from kabar.ui.screens.main import MainScreen
from tests.sync.conftest import ServerSide


async def _sync_with_r(app: KabarApp, pilot: Pilot[None]) -> MainScreen:
    """Press R in the reader and wait until its sync has ended."""
    screen = app.screen
    assert isinstance(screen, MainScreen)
    await pilot.press("R")
    await app.workers.wait_for_complete()
    await pilot.pause()
    return screen


async def test_r_syncs_and_the_status_line_shows_account_time_and_queue(
    server_side: ServerSide, sync_home: Path
) -> None:
    app = make_app(load_profile(), refresh_on_start=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _sync_with_r(app, pilot)
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
        screen = await _sync_with_r(app, pilot)
        message = screen.status.message
        assert message.startswith("Sync failed: server refused login: wrong username or API")
        assert "wrong" not in message.replace("wrong username", "")  # never the password
        assert screen.status.left.style == "yellow"  # the marker
        # The whole line in a notification too (the status line may be cut), no traceback.
        shown = [str(n.message) for n in app._notifications]
        assert shown == [message]
        assert not any("Traceback" in line or "\n" in line for line in shown)


def _seeded_sync_home(kabar_home: Path, state: dict[str, str], queued: int) -> None:
    """A profile with a [sync] table for a server nobody runs, and the sync state and queue
    a last sync would have left in the store: the status line must need no network."""
    (kabar_home / "config").mkdir(parents=True, exist_ok=True)
    (kabar_home / "config" / "config.toml").write_text(
        '[sync]\nkind = "greader"\nurl = "http://127.0.0.1:9/api/greader.php"\n'
        'username = "alice"\n',
        encoding="utf-8",
    )
    with load_profile().open_store() as store:
        store.set_sync_state(state)
        with store.conn:
            store.conn.executemany(
                "INSERT INTO sync_queue (item_id, field, value, queued) VALUES (?, 'read', 1, 0)",
                [(i,) for i in range(queued)],
            )


async def test_at_start_the_status_line_shows_the_account_from_the_store(
    kabar_home: Path,
) -> None:
    last = time.time() - 5 * 60 - 10
    _seeded_sync_home(
        kabar_home, {"account": "alice@rss.example.net", "last_sync": f"{last:.0f}"}, 3
    )
    app = make_app(load_profile(), refresh_on_start=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert screen.status.message == (
            "alice@rss.example.net · synced 5 min ago · 3 changes queued"
        )
        assert not screen.refreshing


async def test_at_start_the_status_line_shows_the_last_sync_error(kabar_home: Path) -> None:
    error = "the server answered 500"
    _seeded_sync_home(kabar_home, {"account": "alice@rss.example.net", "last_error": error}, 1)
    app = make_app(load_profile(), refresh_on_start=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen)
        message = screen.status.message
        assert message == (
            "Sync failed: the server answered 500 · alice@rss.example.net · not synced yet "
            "· 1 change queued"
        )
        assert screen.status.left.style == "yellow"


LONG_ACCOUNT = "alexandra.longname-for-testing@rss.a-rather-long-hostname.example.net"


@pytest.mark.parametrize(
    ("error", "shown"),
    [
        (
            "sync server rss.a-rather-long-hostname.example.net refused the login for "
            "'alexandra.longname-for-testing': wrong username or API password",
            "Sync failed: server refused login: wrong username or API password · a… All · 0",
        ),
        (
            "",
            "alexandra.longn…name.example.net · synced 5 min ago · 3 changes queued All · 0",
        ),
    ],
)
async def test_the_status_line_at_80_columns_with_a_long_account(
    kabar_home: Path, error: str, shown: str
) -> None:
    """What matters first: the failure, then the time of the last sync and the queue; the
    account gives way (shortened in its middle), and the view's count stays apart."""
    last = time.time() - 5 * 60 - 10
    state = {"account": LONG_ACCOUNT, "last_sync": f"{last:.0f}", "last_error": error}
    _seeded_sync_home(kabar_home, state, 3)
    app = make_app(load_profile(), refresh_on_start=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert screen.status.render_line(0).text == shown


async def test_a_sync_in_the_reader_shows_its_progress(
    server_side: ServerSide, sync_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first sync in the reader says how far its contents are ("Syncing: 8 of 12 new
    entries"), batch by batch; the account line follows at the end."""
    from kabar.core.sync import syncer
    from kabar.ui.widgets.status_line import StatusLine

    monkeypatch.setattr(syncer, "CONTENTS_BATCH", 4)  # 12 items: three batches
    shown: list[str] = []
    show = StatusLine.show_sync_progress

    def recorded(self: StatusLine, done: int, total: int) -> None:
        show(self, done, total)
        shown.append(self.message)

    monkeypatch.setattr(StatusLine, "show_sync_progress", recorded)
    app = make_app(load_profile(), refresh_on_start=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _sync_with_r(app, pilot)
        # One line per batch here (the worker posts at most every 0.2 s, and the last).
        assert shown[-1] == "Syncing: 12 of 12 new entries"
        assert set(shown) <= {f"Syncing: {n} of 12 new entries" for n in (4, 8, 12)}
        assert screen.status.message.startswith("kabar@127.0.0.1:")  # then the account
        assert screen.headlines.count == 12
