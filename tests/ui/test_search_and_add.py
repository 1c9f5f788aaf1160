"""`/` searches as you type; `a` finds a site's feed and subscribes; `r` refreshes a feed."""

from __future__ import annotations

from textual.widgets import Input, Label

from kabar.core.config.profile import Profile
from kabar.core.store import Store
from kabar.ui.dialogs.add_feed import AddFeedDialog
from tests.conftest import fixture_bytes
from tests.loopback import LoopbackServer, Reply
from tests.ui.conftest import current, focused, main_screen, seeded_app
from tests.ui.data import Seeded

SITE = b"""<html><head><title>Ferries</title>
<link rel="alternate" type="application/rss+xml" href="/feed.xml"></head><body>Hi</body></html>"""


async def test_search_shows_results_as_you_type(profile: Profile, seeded: Seeded) -> None:
    app = seeded_app(profile)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await pilot.press("slash")
        assert screen.searching and focused(app) is screen.search_box
        await pilot.press(*"ferr")  # a prefix: results come while the word is typed
        await app.workers.wait_for_complete()
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        await pilot.pause()
        titles = [screen.headlines.row(i).title for i in range(screen.headlines.count)]  # type: ignore[union-attr]
        assert titles == ["Ferry timetable changes for winter"]
        assert screen.status.right.plain.endswith("Search · 1 result")
        await pilot.press(*" saved:yes")
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.headlines.count == 0
        await pilot.press("enter")  # to the results; Esc back to the box, Esc again closes
        assert focused(app) is screen.headlines
        await pilot.press("escape")
        assert focused(app) is screen.search_box
        await pilot.press("escape")
        assert not screen.searching and screen.headlines.count == 12
        assert focused(app) is screen.headlines


async def test_add_feed_discovers_the_site_feed(
    server: LoopbackServer, profile: Profile, store: Store, seeded: Seeded
) -> None:
    server.route("/site", Reply(200, SITE, {"Content-Type": "text/html"}))
    server.route("/feed.xml", Reply(200, fixture_bytes("basic/rss20.xml")))
    app = seeded_app(profile)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await pilot.press("a")
        assert isinstance(app.screen, AddFeedDialog)
        await pilot.press(*server.url("/site"), "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert current(app) is screen
        feed = store.feed_by_url(server.url("/feed.xml"))
        assert feed is not None
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.view.feed_id == feed.id
        assert screen.headlines.count == 2
        assert [i.label for i in screen.feed_list.items if i.view.feed_id == feed.id] == [
            "Harbour Wire"
        ]
        # r refreshes just the selected feed.
        await pilot.press("escape", "escape", "r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        # Discovery's fetch is the feed's first update (no second fetch on adding); r.
        assert len(server.hits("/feed.xml")) == 2
        assert "1 feed:" in screen.status.message


async def test_add_feed_says_when_there_is_no_feed(
    server: LoopbackServer, profile: Profile, seeded: Seeded
) -> None:
    server.route("/plain", Reply(200, b"<html><body>No feed</body></html>"))
    app = seeded_app(profile)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a", *server.url("/plain"), "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AddFeedDialog)
        assert "no feed found" in str(dialog.status.render()).lower() or dialog.status.has_class(
            "-error"
        )
        await pilot.press("escape")
        assert not isinstance(app.screen, AddFeedDialog)


TWO_FEEDS = b"""<html><head><title>Ferries</title>
<link rel="alternate" type="application/rss+xml" href="/feed.xml" title="News">
<link rel="alternate" type="application/atom+xml" href="/atom.xml" title="Notices">
</head><body>Hi</body></html>"""


async def test_add_feed_labels_its_fields_and_enter_adds_the_chosen_feeds(
    server: LoopbackServer, profile: Profile, store: Store, seeded: Seeded
) -> None:
    server.route("/site", Reply(200, TWO_FEEDS, {"Content-Type": "text/html"}))
    server.route("/feed.xml", Reply(200, fixture_bytes("basic/rss20.xml")))
    server.route("/atom.xml", Reply(200, fixture_bytes("basic/atom10.xml")))
    app = seeded_app(profile)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await pilot.pause()
        screen.feed_list.select_view("folder:Local")
        await pilot.press("a")
        dialog = app.screen
        assert isinstance(dialog, AddFeedDialog)
        folder = dialog.query_one("#add-folder", Input)
        assert folder.value == "Local"  # prefilled: its placeholder is hidden, its label not
        label = dialog.query_one("#add-folder-label", Label)
        assert "Folder" in str(label.render())
        await pilot.press(*server.url("/site"), "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert focused(app) is dialog.query_one("#add-choices")
        await pilot.press("enter")  # the first feed is picked already: Enter adds it
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert current(app) is screen
        feed = store.feed_by_url(server.url("/feed.xml"))
        assert feed is not None and feed.folder == "Local"
        assert store.feed_by_url(server.url("/atom.xml")) is None
