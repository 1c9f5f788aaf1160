"""The CLI goes through the Library: no store of its own, and `kabar add` fetches once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import kabar.cli
import kabar.ui
from kabar.cli.main import main
from tests.library.conftest import ETAG
from tests.loopback import LoopbackServer

CLI = Path(kabar.cli.__file__).parent


def test_the_cli_opens_no_store_and_passes_no_database_path() -> None:
    found = [
        f"{path.name}:{number}: {line.strip()}"
        for path in sorted(CLI.glob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"open_store|\bStore\(|paths\.database|core\.store\b", line)
    ]
    assert found == []


def test_kabar_add_then_refresh_fetches_the_feed_once(
    site: LoopbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["add", site.url("/")]) == 0
    out = capsys.readouterr().out
    assert f"Added {site.url('/feed.xml')}" in out and "Harbour Wire: 2 entries" in out
    assert main(["refresh"]) == 0
    assert "1 not modified" in capsys.readouterr().out
    hits = site.hits("/feed.xml")
    assert [h.headers.get("If-None-Match") for h in hits] == [None, ETAG]


def test_the_reader_opens_no_store_and_passes_no_database_path() -> None:
    """The reader's workers go through the Library (a connection per thread); the main
    thread reads through `library.store`."""
    ui = Path(kabar.ui.__file__).parent
    found = [
        f"{path.relative_to(ui)}:{number}: {line.strip()}"
        for path in sorted(ui.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"open_store|\bStore\(|paths\.database|db_path", line)
    ]
    assert found == []
