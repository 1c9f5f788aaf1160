"""Every key of the reader, driven by Pilot on fixed data, asserting the state it changes:
the selection, read and saved flags, the focused pane, the view, what the article shows."""

from __future__ import annotations

import webbrowser

import pytest

from kabar.core.config.profile import Profile
from kabar.core.store import Store
from kabar.ui.dialogs.confirm import ConfirmDialog
from kabar.ui.screens.help import HelpScreen
from tests.ui.conftest import current, focused, main_screen, seeded_app
from tests.ui.data import Seeded, titles_newest_first


async def test_moving_opening_and_going_back(profile: Profile, seeded: Seeded) -> None:
    app = seeded_app(profile)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        lines = screen.headlines
        assert focused(app) is lines and lines.cursor == 0
        assert [lines.row(i).title for i in range(lines.count)] == titles_newest_first()  # type: ignore[union-attr]
        await pilot.press("j", "j", "down", "k")
        assert lines.cursor == 2
        await pilot.press("G")
        assert lines.cursor == lines.count - 1
        await pilot.press("g")
        assert lines.cursor == 0
        await pilot.press("pagedown")
        assert lines.cursor == lines.count - 1  # the page is taller than the list
        await pilot.press("pageup", "up")
        assert lines.cursor == 0
        # Enter opens the entry in the article pane and marks it read.
        row = lines.current
        assert row is not None and not row.read
        await pilot.press("enter")
        assert focused(app) is screen.article
        assert screen.article.entry_id == row.id and row.read
        assert "Why some characters take two cells" in screen.article.plain_text()
        assert screen.feed_list.unread[(screen.feed_list.current_view and row.feed_id) or 0] == 2
        # Esc goes back a pane at a time; Tab and Shift+Tab cycle.
        await pilot.press("escape")
        assert focused(app) is lines
        await pilot.press("escape")
        assert focused(app) is screen.feed_list
        await pilot.press("tab")
        assert focused(app) is lines
        await pilot.press("tab")
        assert focused(app) is screen.article
        await pilot.press("shift+tab", "shift+tab")
        assert focused(app) is screen.feed_list


async def test_feed_list_keys_choose_views(profile: Profile, seeded: Seeded) -> None:
    app = seeded_app(profile)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await pilot.pause()
        feeds = screen.feed_list
        titles = [item.label for item in feeds.items]
        assert titles[:3] == ["All", "Unread", "Saved"]
        assert titles[3:] == [
            "Local",
            "The Harbour Chronicle",
            "Tech",
            "Terminal Notes",
            "Broken Feed",
            "Field Notes",
        ]
        assert feeds.items[1].unread == 10 and feeds.items[2].unread == 1
        await pilot.press("escape")  # to the feed list
        await pilot.press("j")  # Unread: moving onto a view shows it at once
        assert screen.view.title == "Unread" and screen.headlines.count == 10
        await pilot.press("j")
        assert screen.view.title == "Saved" and screen.headlines.count == 1
        await pilot.press("j", "j")  # the Local folder's only feed
        assert screen.view.title == "The Harbour Chronicle" and screen.headlines.count == 5
        await pilot.press("k", "space")  # fold the Local folder
        assert [i.label for i in feeds.items][3:5] == ["Local", "Tech"]
        await pilot.press("space", "G")
        assert screen.view.title == "Field Notes"
        await pilot.press("enter")
        assert focused(app) is screen.headlines
        # e shows the failing feed's error, on demand.
        await pilot.press("escape", "k")
        assert screen.view.title == "Broken Feed"
        assert feeds.items[feeds.cursor].error
        await pilot.press("e")
        assert any("HTTP 500" in str(n.message) for n in app._notifications)


async def test_read_saved_and_mark_all_read_with_undo(
    profile: Profile, store: Store, seeded: Seeded
) -> None:
    app = seeded_app(profile)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        lines = screen.headlines
        row = lines.current
        assert row is not None and not row.read
        await pilot.press("m")
        assert row.read and flag(store, row.id, "read")
        await pilot.press("m")
        assert not row.read and not flag(store, row.id, "read")
        # s saves at once (the star), then fetches the full text in a worker; offline it
        # keeps the feed's text and says so.
        await pilot.press("s")
        assert row.saved
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert flag(store, row.id, "saved")
        assert any("feed's text only" in str(n.message) for n in app._notifications)
        assert screen.feed_list.saved_total == 2
        await pilot.press("s")
        await app.workers.wait_for_complete()
        assert not row.saved and not flag(store, row.id, "saved")
        # A marks the whole view read; u undoes it.
        unread_before = store.count_entries(store_filter(unread=True))
        await pilot.press("A")
        assert store.count_entries(store_filter(unread=True)) == 0
        assert screen.feed_list.items[0].unread == 0
        await pilot.press("u")
        assert store.count_entries(store_filter(unread=True)) == unread_before
        assert screen.feed_list.items[0].unread == unread_before


def flag(store: Store, entry_id: int, name: str) -> bool:
    """The entry's read or saved flag as stored."""
    detail = store.get_entry(entry_id)
    assert detail is not None
    return bool(getattr(detail.row, name))


def store_filter(*, unread: bool) -> object:
    from kabar.core.store import EntryQuery

    return EntryQuery(unread_only=unread)


async def test_next_and_previous_unread_cross_feeds(profile: Profile, seeded: Seeded) -> None:
    app = seeded_app(profile)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await pilot.pause()
        screen.feed_list.select_view(f"feed:{seeded.harbour}")
        await pilot.pause()
        assert screen.view.title == "The Harbour Chronicle"
        for _ in range(5):
            await pilot.press("n")
        assert screen.headlines.current is not None
        assert screen.headlines.current.title.startswith("Council delays")
        assert screen.article_row is not None and screen.article_row.read
        # No unread left in this feed: n goes on to the next feed with unread entries.
        await pilot.press("n")
        assert screen.view.title == "Terminal Notes"
        assert screen.article_row.title == "Why some characters take two cells"
        assert focused(app) is screen.headlines  # n reads without moving the focus
        await pilot.press("n")
        assert screen.article_row.title == "端末の文字幅について"
        await pilot.press("p")  # nothing unread before it: round to the last feed's last
        assert screen.article_row.title == "Counting starlings at dusk"
        assert any("back to the last" in str(n.message) for n in app._notifications)


async def test_article_keys_scroll_and_follow_links(
    profile: Profile, seeded: Seeded, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = seeded_app(profile)
    opened: list[str] = []

    class Browser(webbrowser.BaseBrowser):
        """The system's browser, as Python's webbrowser would hand it over."""

        def open(self, url: str, new: int = 0, autoraise: bool = True) -> bool:
            opened.append(url)
            return True

    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr(webbrowser, "get", lambda using=None: Browser())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = main_screen(app)
        index = screen.headlines.position(seeded.captioned)
        assert index is not None
        screen.headlines.move_cursor(index)
        await pilot.press("enter")
        article = screen.article
        assert focused(app) is article and article.max_scroll_y > 0
        await pilot.press("space")
        assert article.scroll_y > 0
        page = article.scroll_y
        await pilot.press("b")
        assert article.scroll_y == 0
        await pilot.press("j", "j")
        assert article.scroll_y == 2
        await pilot.press("k")
        assert article.scroll_y == 1
        await pilot.press("G")
        assert article.scroll_y == article.max_scroll_y >= page
        await pilot.press("g")
        assert article.scroll_y == 0
        await pilot.press("2", "1", "9")
        assert opened == [
            "https://harbour.example.org/office",
            "https://ferries.example.org/winter",
        ]
        await pilot.press("o")
        assert opened[-1] == "http://127.0.0.1:9/harbour/articles/0.html"
        await pilot.press("y")
        assert app.clipboard == "http://127.0.0.1:9/harbour/articles/0.html"


async def test_full_text_offline_keeps_the_feed_text(profile: Profile, seeded: Seeded) -> None:
    app = seeded_app(profile)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await pilot.press("f")  # the first entry's page is on an unreachable address
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = screen.article.plain_text()
        assert "the full article needs the network" in shown
        assert "Why some characters take two cells" in shown


async def test_toggles_hide_read_sort_and_feed_list(profile: Profile, seeded: Seeded) -> None:
    app = seeded_app(profile)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        assert screen.headlines.count == 12
        await pilot.press("H")
        assert screen.headlines.count == 10
        assert "unread only" in screen.status.right.plain
        await pilot.press("H", "O")
        assert screen.headlines.count == 12
        assert screen.headlines.current.title == "Counting starlings at dusk"  # type: ignore[union-attr]
        await pilot.press("O")
        assert screen.headlines.current.title == "Why some characters take two cells"  # type: ignore[union-attr]
        assert screen.feed_list.display
        await pilot.press("backslash")
        assert not screen.feed_list.display
        await pilot.press("ctrl+b")
        assert screen.feed_list.display and focused(app) is screen.feed_list


async def test_help_remove_with_confirm_and_quit(
    profile: Profile, store: Store, seeded: Seeded
) -> None:
    app = seeded_app(profile)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("question_mark")
        assert current(app) is screen
        await pilot.pause()
        screen.feed_list.select_view(f"feed:{seeded.field}")
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        assert store.feed_by_id(seeded.field) is not None
        await pilot.press("d", "y")
        assert store.feed_by_url("http://127.0.0.1:9/field/feed.xml") is None
        assert all(item.label != "Field Notes" for item in screen.feed_list.items)
        assert screen.view.title == "All"
        await pilot.press("q")
    assert app.return_code == 0


async def test_keys_are_remapped_from_the_config(profile: Profile, seeded: Seeded) -> None:
    profile.config.keys["main.toggle_saved"] = "x"
    profile.config.keys["headlines.down"] = "ctrl+n"
    app = seeded_app(profile)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await pilot.press("ctrl+n")
        assert screen.headlines.cursor == 1
        await pilot.press("j")
        assert screen.headlines.cursor == 1  # j is no longer bound to "down"
        await pilot.press("x")
        assert screen.headlines.current.saved  # type: ignore[union-attr]
        await app.workers.wait_for_complete()


async def test_command_palette_offers_every_action(profile: Profile, seeded: Seeded) -> None:
    from kabar.ui.keys import SCREEN_KEYS

    app = seeded_app(profile)
    async with app.run_test(size=(120, 40)):
        titles = {command.title for command in app.get_system_commands(main_screen(app))}
        wanted = {key.help for key in SCREEN_KEYS if key.palette}
        assert wanted <= titles
        assert "Theme" in titles


def test_every_key_is_in_the_readme() -> None:
    from pathlib import Path

    from kabar.ui.keys import all_keys

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    for _, keys in all_keys():
        for key in keys:
            if not key.id.startswith("main.link_"):
                assert f"`{key.id}`" in readme, key.id
