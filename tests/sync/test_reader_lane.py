"""The reader with a [sync] account, against the real FreshRSS behind a proxy that can hold
a request: syncs never overlap (an add on the server waits for the running sync, and
still lands), the first sync starts by itself when no feed is stored yet, and the login
is kept between syncs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from kabar.core.config.profile import load_profile
from kabar.core.library.syncaccount import sync_lock
from kabar.core.store import EntryQuery
from kabar.ui.app import KabarApp, make_app
from kabar.ui.screens.main import MainScreen
from kabar.ui.screens.main.screen import SYNC_WAITS
from tests.sync.conftest import ServerSide
from tests.sync.fakes import Answer, Call, FaultyProxy, Hold
from tests.sync.freshrss import API_PASSWORD


async def until(pilot: Pilot[None], done: Callable[[], bool], what: str) -> None:
    """Let the app run until `done()` (a deadline for a broken test, not a measurement)."""
    for _ in range(600):
        if done():
            return
        await pilot.pause(0.05)
    pytest.fail(f"never happened: {what}")


def screen_of(app: KabarApp) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen


def entry_titles() -> set[str]:
    with load_profile().open_store() as store:
        return {e.title for e in store.list_entries(EntryQuery(), limit=1000)}


async def test_an_add_during_a_sync_waits_for_it_and_still_lands(
    server_side: ServerSide, proxy: FaultyProxy, proxied_home: Path
) -> None:
    side = server_side
    side.feeds.reset(feeds=4)  # feed 3 is served, not subscribed yet
    app = make_app(load_profile(), refresh_on_start=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = screen_of(app)
        await pilot.pause()
        hold = Hold(proxy, "subscription/list")
        await pilot.press("R")
        await until(pilot, hold.reached.is_set, "the sync reached the server")
        # While the sync is held at the server: add a feed, and ask for two more syncs.
        await pilot.press("a", *side.feeds.url(3), "enter")
        await until(
            pilot,
            lambda: bool(screen.refresher.run.jobs) or proxy.count("quickadd") > 0,
            "the add was taken (queued for its turn, or sent)",
        )
        await pilot.press("R", "R")
        assert proxy.count("subscription/quickadd") == 0  # nothing beside the running sync
        assert screen.refreshing
        hold.release()
        await until(pilot, lambda: not screen.refreshing, "the lane emptied")
        await app.workers.wait_for_complete()
        await pilot.pause()
        # The syncs never overlapped: the add came to the server alone, and no more requests
        # were ever in flight than one sync's own concurrent lists (unread, starred, new
        # ids and the subscriptions: 4).
        assert [c.alongside for c in proxy.calls if c.path.endswith("quickadd")] == [0]
        assert proxy.most_in_flight <= 4
        assert proxy.count("subscription/quickadd") == 1
        # The R sync, the add's own sync, and the two Rs folded into one more.
        assert proxy.count("subscription/list") == 3
        assert "Feed 3 story 0" in entry_titles()
        assert side.feeds.url(3) in {f.url for f in screen.feed_list.feeds.values()}
        assert screen.headlines.count == 16
        assert proxy.count("accounts/ClientLogin") == 1  # one login for all three syncs


async def test_the_first_start_after_setting_up_sync_shows_the_empty_cache_then_syncs(
    server_side: ServerSide, proxy: FaultyProxy, proxied_home: Path
) -> None:
    hold = Hold(proxy, "subscription/list")
    app = make_app(load_profile())  # refresh_on_start: the default, true
    async with app.run_test(size=(120, 40)) as pilot:
        screen = screen_of(app)
        await until(pilot, hold.reached.is_set, "the first sync started by itself")
        # The reader is up, with the (empty) cache, while the sync waits at the server.
        assert screen.headlines.count == 0 and not screen.feed_list.feeds
        assert screen.refreshing
        hold.release()
        await until(pilot, lambda: not screen.refreshing, "the first sync landed")
        await pilot.pause()
        assert screen.headlines.count == 12
        assert len(screen.feed_list.feeds) == 3
        assert screen.status.message.startswith("kabar@127.0.0.1:")
        assert "12 new" in screen.status.message


async def test_without_refresh_on_start_nothing_is_synced_at_start(
    server_side: ServerSide, proxy: FaultyProxy, proxied_home: Path
) -> None:
    app = make_app(load_profile(), refresh_on_start=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert not screen_of(app).refreshing
        assert screen_of(app).status.message.endswith("not synced yet")
    assert proxy.calls == []


async def test_the_login_is_kept_and_renewed_and_a_fixed_password_is_read_again(
    server_side: ServerSide,
    proxy: FaultyProxy,
    proxied_home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = make_app(load_profile(), refresh_on_start=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = screen_of(app)

        async def sync() -> str:
            await pilot.press("R")
            await until(pilot, lambda: not screen.refreshing, "the sync ended")
            await app.workers.wait_for_complete()
            await pilot.pause()
            return screen.status.message

        assert "synced at" in await sync()
        assert "synced at" in await sync()
        assert proxy.count("accounts/ClientLogin") == 1  # the second sync reused the login

        def auth_expired_once(call: Call, seen: int) -> Answer | None:
            if call.path.endswith("subscription/list") and seen == 2:
                return Answer(401, b"Unauthorized!")
            return None

        proxy.fault = auth_expired_once
        assert "synced at" in await sync()
        assert proxy.count("accounts/ClientLogin") == 2  # renewed once, on the 401
        proxy.fault = lambda call, seen: None

        # The password changed on the server: one line, the marker; fixed, the next sync
        # reads it again (the failed login was not kept).
        monkeypatch.setenv("KABAR_SYNC_PASSWORD", "changed")
        screen.library.sync_account.drop_login()  # as a restart would
        line = await sync()
        assert "wrong username or API password" in line and "\n" not in line
        assert screen.status.left.style == "yellow"
        monkeypatch.setenv("KABAR_SYNC_PASSWORD", API_PASSWORD)
        assert "synced at" in await sync()


async def test_a_sync_in_the_reader_waits_for_another_kabars(
    server_side: ServerSide, proxy: FaultyProxy, proxied_home: Path
) -> None:
    """Another process's sync holds the profile's lock (here: the test's own file
    description, which `flock` treats alike): R waits, says so, then syncs."""
    app = make_app(load_profile(), refresh_on_start=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = screen_of(app)
        await pilot.pause()
        with sync_lock(load_profile().paths.database):
            await pilot.press("R")
            await until(pilot, lambda: screen.status.message == SYNC_WAITS, "R says it waits")
            assert proxy.calls == []
        await until(pilot, lambda: not screen.refreshing, "the sync ran after the other")
        await pilot.pause()
        assert "synced at" in screen.status.message
        assert screen.headlines.count == 12
