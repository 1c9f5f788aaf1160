"""The TUI driven by Textual's Pilot on a temporary KABAR_HOME with loopback feeds."""

from __future__ import annotations

from kabar.core.config.profile import Profile
from kabar.core.models import FeedUpdate, ParsedEntry, ParsedFeed
from kabar.core.store import Store
from kabar.ui.app import make_app
from kabar.ui.screens.help import HelpScreen
from kabar.ui.screens.main import MainScreen
from tests.conftest import fixture_bytes
from tests.loopback import LoopbackServer, Reply
from tests.ui.conftest import focused, main_screen


async def test_refresh_move_open_and_mark_read(
    server: LoopbackServer, profile: Profile, store: Store
) -> None:
    server.route("/rss", Reply(200, fixture_bytes("basic/rss20.xml")))
    server.route("/atom", Reply(200, fixture_bytes("basic/atom10.xml")))
    store.add_feed(server.url("/rss"))
    store.add_feed(server.url("/atom"))
    app = make_app(profile, refresh_on_start=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        assert screen.headlines.count == 0  # nothing cached yet, and no network at start
        await pilot.press("R")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.headlines.count == 4
        assert "2 feeds: 2 ok" in screen.status.message
        titles = [screen.headlines.row(i).title for i in range(4)]  # type: ignore[union-attr]
        assert titles == [
            "Why monospace still matters",
            "Plain text entry",
            "Ferry timetable changes for winter",
            "Lighthouse open day",
        ]
        assert focused(app) is screen.headlines
        await pilot.press("j", "j", "k", "down")
        assert screen.headlines.cursor == 2
        await pilot.press("enter")
        await pilot.pause()
        shown = screen.article.plain_text()
        assert "Ferry timetable changes for winter" in shown
        assert "The ferry will run every 40 minutes from December." in shown
        assert "▣ Image 1" in shown and "The morning ferry leaves the north pier." in shown
        assert focused(app) is screen.article
        row = screen.headlines.current
        assert row is not None and row.read
        assert store.get_entry(row.id).row.read  # type: ignore[union-attr]
        await pilot.press("escape")
        assert focused(app) is screen.headlines


async def test_cache_shows_at_start_without_network(profile: Profile, store: Store) -> None:
    feed = store.add_feed("http://127.0.0.1:9/never-reachable")
    parsed = ParsedFeed("rss", "Cached", entries=[ParsedEntry(guid="1", title="From cache")])
    store.apply_updates([FeedUpdate(feed.id, 1.0, 200, parsed=parsed)])
    app = make_app(profile, refresh_on_start=False)
    async with app.run_test(size=(100, 30)):
        screen = main_screen(app)
        assert screen.headlines.current is not None
        assert screen.headlines.current.title == "From cache"


async def test_help_screen_lists_the_keys(profile: Profile) -> None:
    app = make_app(profile, refresh_on_start=False)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_tab_switches_panes(profile: Profile) -> None:
    app = make_app(profile, refresh_on_start=False)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = main_screen(app)
        assert focused(app) is screen.headlines
        await pilot.press("tab")  # no article open: its pane takes no room and no focus
        assert focused(app) is screen.feed_list
        await pilot.press("shift+tab")
        assert focused(app) is screen.headlines
