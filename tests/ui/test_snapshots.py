"""Snapshot tests at 80x24, 120x40 and 200x50 with fixed data, a frozen clock and UTC; long
titles at 100x30 and 120x40; a light theme.

Update after an intended change with `pytest tests/ui/test_snapshots.py --snapshot-update`
and look at the SVGs under `__snapshots__/` (or the HTML report on a failure).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from kabar.core.config.profile import Profile
from kabar.core.store import Store
from kabar.ui.screens.main import MainScreen
from tests.ui.conftest import seeded_app
from tests.ui.data import Seeded, seed_long_titles

SIZES = {"80x24": (80, 24), "120x40": (120, 40), "200x50": (200, 50)}
SnapCompare = Callable[..., bool]
Steps = Callable[[Pilot[Any]], Awaitable[None]]


def screen_of(pilot: Pilot[Any]) -> MainScreen:
    screen = pilot.app.screen_stack[1]
    assert isinstance(screen, MainScreen)
    return screen


async def main_view(pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await pilot.press("j", "j")


def article(entry_id: int) -> Steps:
    async def steps(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        screen = screen_of(pilot)
        screen.headlines.move_cursor(screen.headlines.position(entry_id) or 0)
        await pilot.press("enter")
        await pilot.pause()

    return steps


async def help_screen(pilot: Pilot[Any]) -> None:
    await pilot.press("question_mark")
    await pilot.pause()


async def search_results(pilot: Pilot[Any]) -> None:
    screen = screen_of(pilot)
    await pilot.press("slash")
    screen.search_box.cursor_blink = False
    await pilot.press(*"the")
    await pilot.pause(0.3)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def error_notification(feed_id: int) -> Steps:
    async def steps(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        screen_of(pilot).feed_list.select_view(f"feed:{feed_id}")
        await pilot.press("e")
        await pilot.pause()

    return steps


@pytest.mark.parametrize("size", SIZES)
class TestScreens:
    def test_main_view(
        self, size: str, snap_compare: SnapCompare, profile: Profile, seeded: Seeded
    ) -> None:
        app = seeded_app(profile)
        assert snap_compare(app, terminal_size=SIZES[size], run_before=main_view)

    def test_article_with_captions(
        self, size: str, snap_compare: SnapCompare, profile: Profile, seeded: Seeded
    ) -> None:
        app = seeded_app(profile)
        steps = article(seeded.captioned)
        assert snap_compare(app, terminal_size=SIZES[size], run_before=steps)

    def test_help(
        self, size: str, snap_compare: SnapCompare, profile: Profile, seeded: Seeded
    ) -> None:
        app = seeded_app(profile)
        assert snap_compare(app, terminal_size=SIZES[size], run_before=help_screen)

    def test_search_results(
        self, size: str, snap_compare: SnapCompare, profile: Profile, seeded: Seeded
    ) -> None:
        app = seeded_app(profile)
        assert snap_compare(app, terminal_size=SIZES[size], run_before=search_results)

    def test_error_notification(
        self, size: str, snap_compare: SnapCompare, profile: Profile, seeded: Seeded
    ) -> None:
        app = seeded_app(profile)
        steps = error_notification(seeded.broken)
        assert snap_compare(app, terminal_size=SIZES[size], run_before=steps)


LONG_SIZES = {"100x30": (100, 30), "120x40": (120, 40)}


async def long_titles_with_article(pilot: Pilot[Any]) -> None:
    """The All view with the long-titled headlines on top, the first one open."""
    await pilot.pause()
    await pilot.press("enter", "escape", "j")
    await pilot.pause()


@pytest.mark.parametrize("size", LONG_SIZES)
class TestLongTitles:
    def test_headlines(
        self, size: str, snap_compare: SnapCompare, profile: Profile, store: Store, seeded: Seeded
    ) -> None:
        seed_long_titles(store)
        app = seeded_app(profile)
        assert snap_compare(app, terminal_size=LONG_SIZES[size], run_before=main_view)

    def test_headlines_with_article(
        self, size: str, snap_compare: SnapCompare, profile: Profile, store: Store, seeded: Seeded
    ) -> None:
        seed_long_titles(store)
        app = seeded_app(profile)
        assert snap_compare(
            app, terminal_size=LONG_SIZES[size], run_before=long_titles_with_article
        )


@pytest.mark.parametrize("theme", ["textual-light", "solarized-light"])
class TestLightTheme:
    def test_article(
        self, theme: str, snap_compare: SnapCompare, profile: Profile, seeded: Seeded
    ) -> None:
        profile.config.general.theme = theme
        app = seeded_app(profile)
        assert snap_compare(app, terminal_size=(120, 40), run_before=article(seeded.captioned))


PICTURE_SIZES = {"80x24": (80, 24), "120x40": (120, 40)}


@pytest.mark.parametrize("size", PICTURE_SIZES)
def test_article_with_a_half_block_picture(
    size: str,
    snap_compare: SnapCompare,
    profile: Profile,
    seeded: Seeded,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A stored picture drawn in half-blocks above its caption (no network, no guessing)."""
    from pathlib import Path

    from kabar.core.article.document import Article, Figure, Paragraph, Span
    from kabar.core.library.imagecache import ImageCache
    from kabar.core.store import Store

    monkeypatch.setenv("KABAR_IMAGE_PROTOCOL", "halfcell")
    picture = Path(__file__).parents[2] / "src/kabar/demo/site/img/harbour-quay.png"
    src = "https://example.org/quay.png"
    ImageCache.in_cache_dir(profile.paths.cache_dir).put(src, picture.read_bytes())
    story = Article(
        title="Ferry timetable changes for winter",
        site_name="The Harbour Chronicle",
        blocks=[
            Paragraph([Span("From December the ferry runs every 40 minutes.")]),
            Figure(
                src=src,
                caption=[Span("The north quay at low tide, before the morning sailing.")],
                credit="Photo: Harbour Chronicle",
            ),
            Paragraph([Span("The operator says the change follows a survey of commuters.")]),
        ],
    )
    with Store(profile.paths.database) as store:
        store.store_article(seeded.captioned, "http://127.0.0.1:9/a", story.dumps())

    async def steps(pilot: Pilot[Any]) -> None:
        await article_steps(pilot)
        await pilot.pause(0.15)  # past the pictures' start delay
        for _ in range(3):
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()

    article_steps = article(seeded.captioned)
    app = seeded_app(profile)
    assert snap_compare(app, terminal_size=PICTURE_SIZES[size], run_before=steps)
