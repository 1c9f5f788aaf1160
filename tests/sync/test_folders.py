"""Folders and the subscription list with a [sync] account, against a real FreshRSS:
export writes the server's subscriptions, folder moves act on the server's labels, and
the reader's add-feed subscribes on the server."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from kabar.cli.main import main
from kabar.core.config.profile import load_profile
from kabar.core.feeds.opml import parse_opml
from kabar.ui.app import make_app
from kabar.ui.dialogs.add_feed import AddRequest
from kabar.ui.screens.main import MainScreen
from tests.sync.conftest import FOLDERS, ServerSide
from tests.sync.fakes import Answer, Call, FaultyProxy


def _server_folders(side: ServerSide) -> dict[str, str]:
    return {s.url: s.folder for s in side.admin.subscriptions()}


def test_export_writes_the_servers_subscriptions_with_their_folders(
    server_side: ServerSide, sync_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    side = server_side
    side.feeds.reset(feeds=4)
    assert main(["refresh", "-q"]) == 0
    with load_profile().open_store() as store:  # a feed Kabar fetched before sync was set up
        store.add_feed("http://127.0.0.1:9/own.xml", "My own", "Mine")
    # Changes made on another device since the last sync are in the export at once.
    tech = next(s for s in side.admin.subscriptions() if s.url == side.feeds.url(2))
    side.admin.edit_subscription(tech.stream_id, "edit", folder="Science", leave="Tech")
    stream = side.admin.quickadd(side.feeds.url(3))
    side.admin.edit_subscription(stream, "edit", folder="Later")
    out = tmp_path / "out.opml"
    assert main(["export", str(out)]) == 0
    exported = {f.url: f.folder for f in parse_opml(out.read_bytes())}
    assert exported == {**_server_folders(side), "http://127.0.0.1:9/own.xml": "Mine"}
    assert exported[side.feeds.url(2)] == "Science"
    assert exported[side.feeds.url(3)] == "Later"
    # Server down: the subscriptions as of the last sync, with a warning line.
    side.freshrss.stop()
    capsys.readouterr()
    assert main(["export", str(out)]) == 0
    assert "exporting the subscriptions as of the last sync" in capsys.readouterr().err
    exported = {f.url: f.folder for f in parse_opml(out.read_bytes())}
    assert exported[side.feeds.url(0)] == FOLDERS[0]
    assert exported[side.feeds.url(2)] == FOLDERS[2]
    assert side.feeds.url(3) not in exported


def test_add_folder_moves_a_synced_feed_on_the_server(
    server_side: ServerSide, sync_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    side = server_side
    assert main(["refresh", "-q"]) == 0
    url = side.feeds.url(0)
    assert _server_folders(side)[url] == "News"
    assert main(["add", url, "--folder", "Tech"]) == 0
    assert f"Moved {url} to Tech on the sync server" in capsys.readouterr().out
    assert _server_folders(side)[url] == "Tech"
    assert main(["add", url]) == 0  # no folder asked for: nothing moves
    assert "Already subscribed" in capsys.readouterr().out
    with load_profile().open_store() as store:
        feed = store.feed_by_url(url)
        assert feed is not None and feed.folder == "Tech"
    assert _server_folders(side)[url] == "Tech"


def test_the_configs_folder_for_a_synced_feed_is_set_on_the_server(
    server_side: ServerSide, sync_home: Path
) -> None:
    side = server_side
    url = side.feeds.url(1)
    config = sync_home / "config" / "config.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + f'\n[feeds."{url}"]\nfolder = "Configured"\n',
        encoding="utf-8",
    )
    assert main(["refresh", "-q"]) == 0
    assert _server_folders(side)[url] == "Configured"
    assert main(["refresh", "-q"]) == 0  # stable: the next sync keeps it there
    assert _server_folders(side)[url] == "Configured"
    with load_profile().open_store() as store:
        feed = store.feed_by_url(url)
        assert feed is not None and feed.folder == "Configured"


async def test_the_readers_add_feed_subscribes_on_the_server(
    server_side: ServerSide, sync_home: Path
) -> None:
    side = server_side
    side.feeds.reset(feeds=4)
    app = make_app(load_profile(), refresh_on_start=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        screen.feed_chosen(AddRequest([side.feeds.url(3)], "Later"))
        for _ in range(3):  # the subscribe worker, then the sync it starts
            await app.workers.wait_for_complete()
            await pilot.pause()
        assert _server_folders(side)[side.feeds.url(3)] == "Later"
        with load_profile().open_store() as store:
            feed = store.feed_by_url(side.feeds.url(3))
            assert feed is not None and feed.stream_id and feed.folder == "Later"
            assert store.count_entries() == 16


def test_labels_on_a_server_with_several_per_feed(
    server_side: ServerSide, sync_home: Path, tmp_path: Path
) -> None:
    """Inoreader lets a feed carry several labels: export lists it under each, and a move
    takes the old label off (`r`) as well as putting the new one on (`a`). A proxy in front
    of FreshRSS answers subscription/list as such a server would."""
    side = server_side
    proxy = FaultyProxy(side.api)
    one = side.feeds.url(1)

    def answer(call: Call, seen: int) -> Answer | None:
        if not call.path.endswith("subscription/list"):
            return None
        real = side.admin.subscriptions()
        subs = [
            {
                "id": s.stream_id,
                "title": s.title,
                "url": s.url,
                "htmlUrl": s.site_url,
                "categories": [{"id": f"user/-/label/{s.folder}", "label": s.folder}]
                + ([{"id": "user/-/label/Daily", "label": "Daily"}] if s.url == one else []),
            }
            for s in real
        ]
        body = json.dumps({"subscriptions": subs}).encode()
        return Answer(200, body, {"Content-Type": "application/json"})

    proxy.fault = answer
    config = sync_home / "config" / "config.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(side.api, proxy.api), encoding="utf-8"
    )
    try:
        assert main(["refresh", "-q"]) == 0
        out = tmp_path / "labels.opml"
        assert main(["export", str(out)]) == 0
        listed = parse_opml_outlines(out.read_text(encoding="utf-8"))
        assert sorted(folder for url, folder in listed if url == one) == ["Daily", "News"]
        assert main(["add", one, "--folder", "Tech"]) == 0
        edits = [parse_qs(c.body.decode()) for c in proxy.calls
                 if c.path.endswith("subscription/edit")]  # fmt: skip
        assert edits[-1]["a"] == ["user/-/label/Tech"]
        assert edits[-1]["r"] == ["user/-/label/News"]
    finally:
        proxy.close()
    assert _server_folders(side)[one] == "Tech"


def parse_opml_outlines(document: str) -> list[tuple[str, str]]:
    """(feed URL, folder) for every feed outline, a feed listed twice included."""
    root = ET.fromstring(document)
    pairs = []
    for folder in root.iter("outline"):
        for feed in folder.findall("outline"):
            if feed.get("xmlUrl"):
                pairs.append((feed.get("xmlUrl", ""), folder.get("title", "")))
    return pairs


def test_a_folder_move_the_server_refuses_does_not_stop_the_sync(
    server_side: ServerSide, sync_home: Path
) -> None:
    side = server_side
    proxy = FaultyProxy(side.api)
    edit = "subscription/edit"
    proxy.fault = lambda call, seen: Answer(500) if call.path.endswith(edit) else None
    url = side.feeds.url(1)
    config = sync_home / "config" / "config.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(side.api, proxy.api)
        + f'\n[feeds."{url}"]\nfolder = "Configured"\n',
        encoding="utf-8",
    )
    try:
        assert main(["refresh", "-q"]) == 0
    finally:
        proxy.close()
    assert proxy.count("subscription/edit") == 1
    assert _server_folders(side)[url] == "News"
    with load_profile().open_store() as store:
        assert store.count_entries() == 12
        assert store.sync_state()["last_error"] == ""


async def test_the_readers_remove_unsubscribes_on_the_server(
    server_side: ServerSide, sync_home: Path
) -> None:
    """`d` on a synced feed unsubscribes on the server too (else the next sync would bring
    it back)."""
    side = server_side
    side.feeds.reset(feeds=3)
    assert main(["refresh", "-q"]) == 0
    gone = side.feeds.url(0)
    app = make_app(load_profile(), refresh_on_start=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await pilot.pause()
        feed = next(f for f in screen.feed_list.feeds.values() if f.url == gone)
        screen.feed_list.select_view(f"feed:{feed.id}")
        await pilot.press("d", "y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert all(f.url != gone for f in screen.feed_list.feeds.values())
        assert any("Removed" in str(n.message) for n in app._notifications)
    assert gone not in {s.url for s in side.admin.subscriptions()}
    with load_profile().open_store() as store:
        assert store.feed_by_url(gone) is None
