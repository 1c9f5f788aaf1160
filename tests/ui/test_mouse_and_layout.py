"""The mouse (click selects, a second click opens, the wheel scrolls only the pane under
the pointer) and the layout at 80, 120 and 200 columns."""

from __future__ import annotations

from textual.events import MouseScrollDown

from kabar.core.config.profile import Profile
from kabar.ui.app import KabarApp
from tests.ui.conftest import focused, main_screen, seeded_app
from tests.ui.data import Seeded


async def wheel(pilot: object, widget: object, times: int = 1) -> None:
    """Turn the mouse wheel over a widget. Pilot has no public wheel helper; its private
    one routes the event through the screen to the widget under the pointer, as a real
    terminal's would be."""
    for _ in range(times):
        await pilot._post_mouse_events([MouseScrollDown], widget, (2, 2))  # type: ignore[attr-defined]


async def test_click_selects_and_second_click_opens(profile: Profile, seeded: Seeded) -> None:
    app = seeded_app(profile)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = main_screen(app)
        lines = screen.headlines
        await pilot.click(lines, offset=(10, 3))
        assert lines.cursor == 3 and focused(app) is lines
        assert screen.article.entry_id is None  # one click only selects
        await pilot.click(lines, offset=(10, 3))
        assert screen.article.entry_id == lines.current.id  # type: ignore[union-attr]
        await pilot.click(screen.feed_list, offset=(5, 2))
        assert screen.view.title == "Saved" and focused(app) is screen.feed_list


async def test_wheel_scrolls_the_pane_under_the_pointer_only(
    profile: Profile, seeded: Seeded
) -> None:
    app = seeded_app(profile)
    async with app.run_test(size=(120, 16)) as pilot:
        screen = main_screen(app)
        lines, article = screen.headlines, screen.article
        index = lines.position(seeded.captioned)
        assert index is not None
        lines.move_cursor(index)
        await pilot.press("enter", "escape")  # read it, then back to the list
        await pilot.press("g")
        assert lines.scroll_y == 0 and article.scroll_y == 0
        await wheel(pilot, article, 2)
        assert article.scroll_y > 0
        assert lines.cursor == 0 and lines.scroll_y == 0  # the list did not move
        before = article.scroll_y
        await wheel(pilot, lines, 2)
        assert lines.scroll_y > 0
        assert lines.cursor == 0  # scrolling is not selecting
        assert article.scroll_y == before
        assert focused(app) is lines


def layout(app: KabarApp) -> dict[str, tuple[int, int, int, int]]:
    screen = main_screen(app)
    panes = {"feeds": screen.feed_list, "headlines": screen.headlines, "article": screen.article}
    return {name: tuple(widget.region) for name, widget in panes.items()}  # type: ignore[misc]


async def test_narrow_stacks_and_folds_the_feed_list(profile: Profile, seeded: Seeded) -> None:
    app = seeded_app(profile)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = main_screen(app)
        await pilot.pause()
        assert not screen.feed_list.display
        assert not screen.article.display  # no room for an article not yet opened
        regions = layout(app)
        assert regions["headlines"][2] == 80  # full width
        assert regions["headlines"][3] == 22  # every row but the status line and keys
        await pilot.press("enter")
        await pilot.pause()
        regions = layout(app)
        assert regions["article"][1] > regions["headlines"][1]  # below the headlines
        assert regions["headlines"][3] >= 7
        await pilot.press("escape")  # back from the article to the headlines
        await pilot.press("escape")  # Esc from the headlines unfolds the feed list
        assert screen.feed_list.display and focused(app) is screen.feed_list
        await pilot.press("escape")
        assert not screen.feed_list.display and focused(app) is screen.headlines
        await pilot.resize_terminal(200, 50)
        await pilot.pause()
        assert screen.feed_list.display
        regions = layout(app)
        assert regions["article"][1] == regions["headlines"][1]  # side by side from 200


async def test_wide_keeps_the_article_measure(profile: Profile, seeded: Seeded) -> None:
    app = seeded_app(profile)
    async with app.run_test(size=(240, 50)) as pilot:
        screen = main_screen(app)
        lines = screen.headlines
        lines.move_cursor(lines.position(seeded.captioned) or 0)
        await pilot.press("enter")
        await pilot.pause()
        article = screen.article
        assert article.region.width <= 104
        assert article.text_width == 96  # the measure, not the pane's width
        assert max(len(line) for line in article.plain_text(96).splitlines()) <= 96
        assert layout(app)["headlines"][2] > 90  # the rest goes to the headlines
