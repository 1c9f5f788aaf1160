"""Regenerate the SVG screenshots in screenshots/ from the real app on the demo corpus.

Run: python scripts/screenshots.py   (no network needed: the demo feeds are served on
127.0.0.1). The clock is whatever it is; the corpus is fixed, so only relative dates move.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.pilot import Pilot

from kabar.core.feeds.refresh import refresh_feeds
from kabar.demo import demo_profile
from kabar.demo.server import DemoServer
from kabar.ui.app import KabarApp, make_app
from kabar.ui.screens.main import MainScreen

OUT = Path(__file__).resolve().parent.parent / "screenshots"

Steps = Callable[[Pilot[None], KabarApp], Awaitable[None]]


async def _main_view(pilot: Pilot[None], app: KabarApp) -> None:
    await pilot.press("j", "j")


async def _article(pilot: Pilot[None], app: KabarApp) -> None:
    # The first Terminal Notes entry has figures with captions and credits.
    screen = app.screen
    assert isinstance(screen, MainScreen)
    feed = next(f for f in screen.feed_list.feeds.values() if f.title == "Terminal Notes")
    screen.feed_list.focus()
    screen.feed_list.select_view(f"feed:{feed.id}")
    await pilot.pause()
    await pilot.press("enter", "j", "enter")  # to its headlines, the second one, open
    await pilot.pause()


async def _pictures(pilot: Pilot[None], app: KabarApp) -> None:
    # The Harbour Chronicle's dredging story, its picture drawn in half-blocks.
    screen = app.screen
    assert isinstance(screen, MainScreen)
    feed = next(f for f in screen.feed_list.feeds.values() if "Harbour" in f.title)
    screen.feed_list.focus()
    screen.feed_list.select_view(f"feed:{feed.id}")
    await pilot.pause()
    await pilot.press("enter", "j", "enter")  # to its headlines, the dredging story, open
    await pilot.pause(0.15)  # past the pictures' start delay
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause(0.2)


async def _search(pilot: Pilot[None], app: KabarApp) -> None:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    await pilot.press("slash")
    screen.search_box.cursor_blink = False
    await pilot.press(*"harbour")
    await pilot.pause(0.5)
    await app.workers.wait_for_complete()
    await pilot.press("enter", "j", "enter")
    await pilot.pause()


async def _help(pilot: Pilot[None], app: KabarApp) -> None:
    await pilot.press("question_mark")


def _in_theme(theme: str, steps: Steps) -> Steps:
    """The same steps in another theme (the demo's config keeps the default one)."""

    async def themed(pilot: Pilot[None], app: KabarApp) -> None:
        app.theme = theme
        await pilot.pause()
        await steps(pilot, app)

    return themed


SHOTS: list[tuple[str, tuple[int, int], Steps]] = [
    ("main", (140, 40), _main_view),
    ("article", (140, 40), _article),
    ("narrow", (80, 24), _article),
    ("columns-100", (100, 30), _article),
    ("light", (120, 40), _in_theme("catppuccin-latte", _article)),
    ("pictures", (120, 40), _pictures),
    ("search", (140, 40), _search),
    ("help", (120, 40), _help),
]


async def shoot(
    name: str, size: tuple[int, int], steps: Steps, home: Path, server: DemoServer
) -> None:
    app = make_app(demo_profile(home, server), refresh_on_start=False)
    async with app.run_test(size=size) as pilot:
        await pilot.pause(0.3)
        await steps(pilot, app)
        await pilot.pause(0.3)
        app.save_screenshot(f"{name}.svg", str(OUT))
    print(f"wrote screenshots/{name}.svg")


async def main() -> int:
    os.environ.setdefault("KABAR_IMAGE_PROTOCOL", "halfcell")  # an SVG holds only text
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, DemoServer() as server:
        home = Path(tmp)
        profile = demo_profile(home, server)
        await refresh_feeds(profile.paths.database, profile.config)
        for name, size, steps in SHOTS:
            await shoot(name, size, steps, home, server)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
