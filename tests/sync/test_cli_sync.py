"""The commands with a [sync] account, against a real FreshRSS."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kabar.cli.main import main
from kabar.core.config.profile import load_profile
from kabar.core.sync.client import READ, READING_LIST, STARRED
from tests.sync.conftest import ServerSide


def _entries(capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    capsys.readouterr()
    assert main(["entries", "--json"]) == 0
    rows: list[dict[str, object]] = json.loads(capsys.readouterr().out)
    return rows


def test_refresh_synchronises_with_one_summary_line(
    server_side: ServerSide, sync_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["refresh", "--verbose"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Synced kabar@127.0.0.1:")
    assert "3 feeds, 12 new entries" in lines[0]
    assert main(["refresh", "--quiet"]) == 0
    assert capsys.readouterr() == ("", "")


def test_mark_sends_changes_at_the_next_refresh(
    server_side: ServerSide, sync_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["refresh", "-q"]) == 0
    rows = _entries(capsys)
    first, second = int(str(rows[0]["id"])), int(str(rows[1]["id"]))
    assert main(["mark", "read", str(first), str(second)]) == 0
    assert main(["mark", "saved", str(second)]) == 0
    assert "wait for the next sync" in capsys.readouterr().out
    assert len(server_side.admin.item_ids(READING_LIST, exclude=READ)) == 12
    assert main(["refresh", "-q"]) == 0
    assert len(server_side.admin.item_ids(READING_LIST, exclude=READ)) == 10
    assert len(server_side.admin.item_ids(STARRED)) == 1
    assert main(["mark", "unsaved", str(second)]) == 0
    assert main(["mark", "unread", str(first)]) == 0
    assert main(["refresh", "-q"]) == 0
    assert server_side.admin.item_ids(STARRED) == []
    assert len(server_side.admin.item_ids(READING_LIST, exclude=READ)) == 11
    by_id = {r["id"]: r for r in _entries(capsys)}
    assert (by_id[first]["read"], by_id[second]["read"]) == (False, True)


def test_mark_an_unknown_id_is_one_line(
    sync_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["mark", "read", "999999"]) == 2
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [
        "kabar: no entry with id 999999 (see `kabar entries --json`)"
    ]


def test_add_remove_and_import_act_on_the_server(
    server_side: ServerSide, sync_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    side = server_side
    side.feeds.reset(feeds=5)
    assert main(["refresh", "-q"]) == 0
    assert main(["add", side.feeds.url(3), "--folder", "Later"]) == 0
    subs = {s.url: s for s in side.admin.subscriptions()}
    assert subs[side.feeds.url(3)].folder == "Later"
    with load_profile().open_store() as store:
        feed = store.feed_by_url(side.feeds.url(3))
        assert feed is not None and feed.stream_id and feed.folder == "Later"
    assert main(["remove", "--yes", side.feeds.url(0)]) == 0
    assert side.feeds.url(0) not in {s.url for s in side.admin.subscriptions()}
    opml = tmp_path / "feeds.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head/><body><outline text="Sci">'
        f'<outline type="rss" text="Four" xmlUrl="{side.feeds.url(4)}"/>'
        f'<outline type="rss" text="One" xmlUrl="{side.feeds.url(1)}"/>'
        "</outline></body></opml>",
        encoding="utf-8",
    )
    assert main(["import", str(opml)]) == 0
    subs = {s.url: s for s in side.admin.subscriptions()}
    assert subs[side.feeds.url(4)].folder == "Sci"
    with load_profile().open_store() as store:
        assert {f.url for f in store.list_feeds()} == set(subs)


def test_wrong_password_is_one_clear_line(
    server_side: ServerSide,
    sync_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("KABAR_SYNC_PASSWORD", "not-the-password")
    assert main(["refresh"]) == 1
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1
    assert "refused the login for 'kabar': wrong username or API password" in lines[0]
    assert "not-the-password" not in captured.err + captured.out
    with load_profile().open_store() as store:
        assert "wrong username" in store.sync_state()["last_error"]


def test_password_command_is_used(
    server_side: ServerSide,
    sync_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv("KABAR_SYNC_PASSWORD")
    config = sync_home / "config" / "config.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + 'password_command = "echo kabar-api-pass"\n',
        encoding="utf-8",
    )
    assert main(["refresh", "-v"]) == 0
    assert "12 new entries" in capsys.readouterr().out
