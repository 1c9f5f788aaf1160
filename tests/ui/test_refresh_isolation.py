"""In the reader too, one hostile feed costs that feed only: the refresh finishes, every
other feed is stored, and the failing feed's error is what `e` shows."""

from __future__ import annotations

import json

from kabar.core.config.profile import Profile
from kabar.core.store import EntryQuery, Store
from kabar.ui.app import make_app
from tests.loopback import LoopbackServer, Reply
from tests.ui.conftest import main_screen

RSS = {"Content-Type": "application/rss+xml"}


def feed(number: int) -> bytes:
    return (
        f"<rss version='2.0'><channel><title>Good {number}</title>"
        f"<item><guid>{number}</guid><title>Story {number}</title></item></channel></rss>"
    ).encode()


async def test_hostile_feeds_do_not_fail_the_readers_refresh(
    server: LoopbackServer, profile: Profile, store: Store
) -> None:
    for number in range(8):
        server.route(f"/good{number}.xml", Reply(200, feed(number), RSS))
        store.add_feed(server.url(f"/good{number}.xml"))
    server.route("/js", Reply(302, headers={"Location": "javascript:alert(1)"}))
    server.route("/data", Reply(301, headers={"Location": "data:text/xml,<rss/>"}))
    bad = "http://[oops/"
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "home_page_url": bad,
        "items": [{"id": "1", "url": bad, "image": bad, "banner_image": bad, "title": "J"}],
    }
    server.route(
        "/json", Reply(200, json.dumps(doc).encode(), {"Content-Type": "application/json"})
    )
    for path in ("/js", "/data", "/json"):
        store.add_feed(server.url(path))
    for url in ("http://127.0.0.1:99999/", "http://[::1"):
        store.add_feed(url)  # stored by an older Kabar, before URLs were checked
    app = make_app(profile, refresh_on_start=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await pilot.press("R")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not screen.refreshing
        message = str(screen.status.message)
        assert not message.startswith("Refresh failed"), message
        assert message.startswith("13 feeds: 9 ok, 0 not modified, 4 failed"), message
    for row in store.list_feeds():
        entries = store.list_entries(EntryQuery(feed_id=row.id))
        if row.url.endswith(("/js", "/data")) or "99999" in row.url or row.url == "http://[::1":
            assert row.last_error and not entries, row.url
        else:
            assert not row.last_error and entries, row.url
