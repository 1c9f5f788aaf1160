"""A refresh of 200 feeds from a loopback server, some of them slow, while the reader keeps
pressing keys: every key is answered while the refresh runs, new headlines appear as feeds
finish, and the selected entry stays selected. How fast the keys are answered is measured by
bench/refresh_keys.py, not here: a timed test fails on a loaded machine."""

from __future__ import annotations

import asyncio
import time
from email.utils import formatdate

from textual import events

from kabar.core.config.profile import Profile
from kabar.core.store import Store
from kabar.ui.app import KabarApp
from tests.loopback import LoopbackServer, Reply
from tests.ui.conftest import main_screen, seeded_app
from tests.ui.data import FROZEN, Seeded

FEEDS = 200
SLOW_EVERY = 20  # every 20th feed answers after SLOW seconds
SLOW = 1.5


def rss(number: int) -> bytes:
    items = "".join(
        f"<item><guid>f{number}-{i}</guid><title>Feed {number} story {i}</title>"
        f"<link>http://127.0.0.1:9/{number}/{i}</link>"
        f"<pubDate>{formatdate(FROZEN - number * 60 - i * 3600)}</pubDate>"
        f"<description>Story {i} of feed {number}.</description></item>"
        for i in range(5)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {number}</title>'
        f"<link>http://127.0.0.1:9/{number}/</link>{items}</channel></rss>"
    ).encode()


async def key_latency(app: KabarApp, key: str) -> float:
    """Seconds from a key event reaching the app to the selection moving to another entry
    (10 s means the key was never answered: the event loop is blocked).
    (Pilot's `press` also waits for the app to go idle, which a running refresh never
    quite is; and the cursor's index alone may change when headlines arrive above it.)"""
    lines = main_screen(app).headlines
    before = lines.current
    started = time.perf_counter()
    app.post_message(events.Key(key, None))
    while lines.current is before or (lines.current and before and lines.current.id == before.id):
        if time.perf_counter() - started > 10:
            raise AssertionError(f"key {key!r} not answered in 10 s")
        await asyncio.sleep(0.0005)
    return time.perf_counter() - started


async def test_keys_answered_during_a_200_feed_refresh(
    server: LoopbackServer, profile: Profile, store: Store, seeded: Seeded
) -> None:
    for number in range(FEEDS):
        delay = SLOW if number % SLOW_EVERY == 0 else 0.0
        server.route(f"/f/{number}.xml", Reply(200, rss(number), delay=delay))
        store.add_feed(server.url(f"/f/{number}.xml"))
    profile.config.network.max_per_host = 16
    app = seeded_app(profile)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        lines = screen.headlines
        await pilot.pause()
        await pilot.press("j", "j")
        selected = lines.current
        assert selected is not None
        await pilot.press("R")
        assert screen.refreshing
        latencies: list[float] = []
        expected = selected.id
        while screen.refreshing and len(latencies) < 300:
            # Headlines arrived since the last key: the selection has not moved.
            assert lines.current is not None and lines.current.id == expected
            latencies.append(await key_latency(app, "j" if len(latencies) % 2 == 0 else "k"))
            assert lines.current is not None and lines.current.id != expected  # it moved
            expected = lines.current.id
            await asyncio.sleep(0.02)  # a fast typist, not a flood
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not screen.refreshing
        assert len(latencies) >= 5, "the refresh ended before the keys could be tested"
        assert lines.count == 12 + FEEDS * 5
        assert lines.current is not None and lines.current.id == expected
        assert f"{FEEDS + 4} feeds" in screen.status.message
