"""Keys a pager user expects (Space reads on, Ctrl+D/Ctrl+U, n wraps round), a browser
that cannot start, key remaps that clash, the command palette's contents, Ctrl+C's hint,
and toasts that replace rather than stack."""

from __future__ import annotations

import pytest

from kabar.core.config.profile import Profile
from kabar.ui.keys import keymap_conflicts
from tests.ui.conftest import focused, main_screen, seeded_app
from tests.ui.data import Seeded


def messages(app: object) -> list[str]:
    return [str(n.message) for n in app._notifications]  # type: ignore[attr-defined]


async def test_space_pages_the_article_then_opens_the_next_unread(
    profile: Profile, seeded: Seeded
) -> None:
    app = seeded_app(profile)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = main_screen(app)
        lines, article = screen.headlines, screen.article
        lines.move_cursor(lines.position(seeded.captioned) or 0)
        await pilot.press("enter", "escape")  # read it, back to the headlines
        await pilot.pause()
        assert focused(app) is lines and article.max_scroll_y > 0
        await pilot.press("space")  # from the headline list: pages the open article
        assert article.scroll_y > 0 and screen.article_row is not None
        assert screen.article_row.id == seeded.captioned
        while article.scroll_y < article.max_scroll_y:
            await pilot.press("space")
        await pilot.press("space")  # at its end: the next unread entry
        assert screen.article_row.id != seeded.captioned
        assert screen.article_row.title == "Lighthouse open day draws a crowd"
        # The same from the article pane.
        article.focus()
        await pilot.pause()
        await pilot.press("G", "space")
        assert screen.article_row.title == "First frost, and the webs it shows"
        assert focused(app) is article


async def test_ctrl_d_and_ctrl_u_move_half_a_page(profile: Profile, seeded: Seeded) -> None:
    app = seeded_app(profile)
    async with app.run_test(size=(80, 16)) as pilot:
        screen = main_screen(app)
        lines, article = screen.headlines, screen.article
        await pilot.press("ctrl+d")
        half = lines.cursor
        assert 1 < half < lines.page_height + 1
        await pilot.press("ctrl+u")
        assert lines.cursor == 0
        lines.move_cursor(lines.position(seeded.captioned) or 0)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+d")
        assert article.scroll_y == article.size.height // 2
        await pilot.press("ctrl+u")
        assert article.scroll_y == 0


async def test_n_wraps_to_the_first_unread_with_one_notice(
    profile: Profile, seeded: Seeded
) -> None:
    app = seeded_app(profile)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        lines = screen.headlines
        await pilot.press("G")  # the last headline (read or not), then n: past the end
        await pilot.press("enter", "escape")
        await pilot.press("n")
        assert screen.article_row is not None
        assert screen.article_row.title == "Why some characters take two cells"
        assert lines.cursor == 0
        notices = [m for m in messages(app) if "back to the first" in m]
        assert len(notices) == 1 and "\n" not in notices[0]


async def test_no_browser_says_so_and_offers_y(
    profile: Profile, seeded: Seeded, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER"):
        monkeypatch.delenv(name, raising=False)  # as over SSH
    app = seeded_app(profile)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        lines = screen.headlines
        lines.move_cursor(lines.position(seeded.captioned) or 0)
        await pilot.press("enter", "o")
        assert any("No browser can start" in m and "press y" in m for m in messages(app))
        await pilot.press("2")
        assert any("press y to copy link 2" in m for m in messages(app))
        await pilot.press("y")
        assert app.clipboard == "https://harbour.example.org/office"
        await pilot.press("y")  # the offer is used up: y copies the entry's link again
        assert app.clipboard == "http://127.0.0.1:9/harbour/articles/0.html"
        await pilot.press("2", "escape", "j", "y")  # another entry selected: its own link
        row = lines.current
        assert row is not None and row.id != seeded.captioned
        assert app.clipboard == row.link


def test_keymap_conflicts_name_both_bindings() -> None:
    assert keymap_conflicts({"main.refresh_all": "j"}) == [
        "j is bound to main.refresh_all and to feeds.down, headlines.down, article.down"
    ]
    assert keymap_conflicts({"main.refresh_all": "ctrl+r"}) == []
    assert keymap_conflicts({"feeds.top": "x"}) == []  # x is free in the feed list
    assert keymap_conflicts({"feeds.top": "n"}) == [
        "n is bound to feeds.top and to main.next_unread"
    ]
    # Unchanged keys are not reported; the same key in two panes is no conflict.
    assert keymap_conflicts({"feeds.top": "g,home", "headlines.top": "G"}) == [
        "G is bound to headlines.top and to headlines.bottom"
    ]


async def test_a_conflicting_remap_is_reported_at_start(profile: Profile, seeded: Seeded) -> None:
    profile.config.keys["main.refresh_all"] = "j"
    app = seeded_app(profile)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        reports = [m for m in messages(app) if "Key conflict" in m]
        assert len(reports) == 1 and "\n" not in reports[0]
        assert "main.refresh_all" in reports[0] and "headlines.down" in reports[0]


async def test_palette_has_only_kabar_commands_and_ctrl_c_says_q(
    profile: Profile, seeded: Seeded
) -> None:
    app = seeded_app(profile)
    async with app.run_test(size=(120, 40)) as pilot:
        titles = {command.title for command in app.get_system_commands(main_screen(app))}
        assert "Theme" in titles and "Quit Kabar" in titles
        assert not titles & {"Keys", "Maximize", "Minimize", "Screenshot", "Quit"}
        await pilot.press("ctrl+c")
        assert any("Press q to quit" in m for m in messages(app))
        assert not any("ctrl+q" in m.lower() for m in messages(app))


async def test_toasts_replace_each_other_and_leave_the_status_line(
    profile: Profile, seeded: Seeded
) -> None:
    app = seeded_app(profile)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = main_screen(app)
        await pilot.press("H")  # unread only: n soon runs out
        for _ in range(14):
            await pilot.press("n")
        await pilot.pause()
        assert len(messages(app)) == 1  # not a stack of the same notice
        app.notify("Could not save: disk full", severity="error")
        app.notify("Could not save: disk full", severity="error")
        await pilot.pause()
        assert len(messages(app)) == 2
        rack = app.screen.query_one("ToastRack")
        toasts = [toast.region for toast in rack.query("Toast")]
        assert toasts
        status = screen.status.region
        assert all(toast.bottom <= status.y for toast in toasts)
