"""The reader at common widths: the headlines get the room, titles are read whole (on two
lines where one is too narrow), views of many feeds name each entry's feed, and the focus
is never left on a pane a resize folded away."""

from __future__ import annotations

from kabar.core.config.profile import Profile
from kabar.ui.widgets.headline_list import HeadlineList
from tests.ui.conftest import focused, main_screen, seeded_app
from tests.ui.data import Seeded

LONG = "Council delays decision on the quay car park charges, again, after a long meeting"


def lines_of(headlines: HeadlineList, index: int) -> list[str]:
    """The screen lines entry `index` takes (the list scrolled to the top)."""
    height = headlines.item_height
    return [headlines.render_line(index * height + n).text for n in range(height)]


async def test_no_article_pane_before_an_article_is_opened(
    profile: Profile, seeded: Seeded
) -> None:
    app = seeded_app(profile)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = main_screen(app)
        await pilot.pause()
        assert screen.headlines.region.height == 22  # all but the status line and the keys
        assert not screen.article.display
        await pilot.press("G", "enter")  # the last entry: the list shrinks under it
        await pilot.pause()
        assert screen.article.display and screen.article.region.height >= 12
        lines = screen.headlines
        top = round(lines.scroll_offset.y)  # and the entry's line stays in view
        assert top <= lines.cursor < top + lines.scrollable_content_region.height


async def test_titles_get_sixty_columns_at_120_with_the_feed_named(
    profile: Profile, seeded: Seeded
) -> None:
    app = seeded_app(profile)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await pilot.press("enter")  # an article open as well
        await pilot.pause()
        lines = screen.headlines
        assert lines.title_room(lines.scrollable_content_region.width) >= 60
        assert lines.item_height == 1
        index = lines.position(seeded.captioned)
        assert index is not None
        line = lines_of(lines, index)[0]
        assert "Ferry timetable changes for winter" in line
        assert "The Harbour Chron" in line  # the All view names the feed
        for view in ("view:unread", "view:saved"):
            screen.feed_list.select_view(view)
            await pilot.pause()
            row = lines.row(0)
            assert row is not None and row.feed_title[:12] in lines_of(lines, 0)[0]


async def test_long_titles_wrap_to_a_second_line_where_one_is_too_narrow(
    profile: Profile, seeded: Seeded
) -> None:
    app = seeded_app(profile)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = main_screen(app)
        await pilot.pause()
        lines = screen.headlines
        assert lines.item_height == 2
        index = lines.position(next(r for r in all_rows(lines) if r.title == LONG).id)
        assert index is not None
        lines.move_cursor(index)
        await pilot.pause()
        top = round(lines.scroll_offset.y)
        first, second = (lines.render_line(index * 2 - top + n).text for n in range(2))
        assert " ".join((first + " " + second).split()).startswith("● " + LONG)
        assert "…" not in first + second
        assert "The Harbour Chronicle" in second and "20 Feb" in second
        # Where one line is wide enough, one line it is.
        await pilot.resize_terminal(140, 30)
        await pilot.pause()
        assert lines.item_height == 1 and lines.cursor == index


def all_rows(lines: HeadlineList) -> list:  # type: ignore[type-arg]
    return [lines.row(i) for i in range(lines.count)]


async def test_focus_moves_off_a_pane_folded_away_by_a_resize(
    profile: Profile, seeded: Seeded
) -> None:
    app = seeded_app(profile)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await pilot.press("escape")
        assert focused(app) is screen.feed_list
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.pause()
        assert not screen.feed_list.display
        assert focused(app) is screen.headlines
        await pilot.press("j")  # the keys work again, not only Tab
        assert screen.headlines.cursor == 1
