"""A page saved with `kabar save URL` that no feed has is listed under Saved, not as a feed."""

from __future__ import annotations

import asyncio

from kabar.core.config.profile import Profile
from kabar.core.library import Library
from tests.loopback import LoopbackServer, Reply
from tests.ui.conftest import main_screen, seeded_app
from tests.ui.data import Seeded

PAGE = (
    b"<html><head><title>Lighthouse open day</title></head><body><article>"
    b"<h1>Lighthouse open day</h1>"
    + b"<p>The lighthouse opens its doors to visitors on Saturday morning. </p>" * 6
    + b"</article></body></html>"
)


async def test_a_stand_alone_saved_page_is_under_saved_not_a_feed(
    profile: Profile, seeded: Seeded, server: LoopbackServer
) -> None:
    server.route("/lighthouse", Reply(200, PAGE, {"Content-Type": "text/html"}))
    # blocking core work, as the reader runs it: in a thread
    with Library(profile.paths, profile.config) as library:
        await asyncio.to_thread(library.save_url, server.url("/lighthouse"))
    app = seeded_app(profile)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await pilot.pause()
        feeds = screen.feed_list
        labels = [item.label for item in feeds.items]
        assert "Saved pages" not in labels and labels[:3] == ["All", "Unread", "Saved"]
        assert feeds.items[2].unread == 2  # the seeded saved entry and the page
        await pilot.press("escape", "j")  # to the feed list, then Unread
        assert screen.view.title == "Unread" and screen.headlines.count == 10  # read: saved
        await pilot.press("j")
        await pilot.pause()
        lines = screen.headlines
        assert screen.view.title == "Saved" and lines.count == 2
        titles = [lines.row(i).title for i in range(lines.count)]  # type: ignore[union-attr]
        assert "Lighthouse open day" in titles
