"""Marking, search, export and the database's care through the Library."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kabar.core.errors import KabarError
from kabar.core.feeds.opml import read_opml
from kabar.core.library import Library
from kabar.core.store.navigation import ViewQuery
from kabar.render.export import export_articles
from tests.loopback import LoopbackServer


@pytest.fixture
def ids(library: Library, site: LoopbackServer) -> list[int]:
    library.subscribe(library.discover(site.url("/feed.xml")))
    return sorted(e.id for e in library.entries())


def unread(library: Library) -> list[int]:
    return sorted(e.id for e in library.entries(unread=True))


def test_mark_read_unread_saved_unsaved(library: Library, ids: list[int]) -> None:
    library.mark(ids[:1], "read")
    assert unread(library) == ids[1:]
    library.mark(ids[:1], "unread")
    assert unread(library) == ids
    library.mark(ids, "saved")
    assert sorted(e.id for e in library.entries(saved=True)) == ids
    library.mark(ids, "unsaved")
    assert library.entries(saved=True) == []


def test_marking_an_unknown_id_changes_nothing(library: Library, ids: list[int]) -> None:
    with pytest.raises(KabarError, match=f"no entry with id {ids[-1] + 1}"):
        library.mark([ids[0], ids[-1] + 1], "read")
    assert unread(library) == ids


def test_mark_all_read_then_undo(library: Library, ids: list[int]) -> None:
    library.set_read(ids[:1], True)
    marked = library.mark_all_read(ViewQuery())
    assert sorted(marked) == ids[1:]  # only those that were unread
    assert unread(library) == []
    assert sorted(library.undo_mark_all_read()) == ids[1:]
    assert unread(library) == ids[1:]  # the one read before stays read
    assert library.undo_mark_all_read() == []  # undone once


def test_mark_all_read_of_listed_entries(library: Library, ids: list[int]) -> None:
    """What a search shows is marked by ids."""
    assert library.mark_all_read(ids) == ids
    assert library.mark_all_read(ids) == []  # nothing unread: the undo is kept
    assert library.undo_mark_all_read() == ids


def test_search(library: Library, ids: list[int]) -> None:
    assert library.search("lighthouse", catch_up=False) == []  # not indexed yet
    assert library.index() == 2
    found = library.search("lighthouse", catch_up=False)
    assert [e.title for e in found] == ["Lighthouse open day"]
    assert library.feed_urls(found) == {found[0].feed_id: library.feeds()[0].url}


def test_export_opml_and_articles(library: Library, ids: list[int], tmp_path: Path) -> None:
    opml = read_opml(library.export_opml().encode())
    assert [f.url for f in opml.feeds] == [library.feeds()[0].url]
    library.save(ids[0])
    written = export_articles(library.articles(saved_only=True), tmp_path / "out", "markdown")
    assert len(written) == 1 and written[0].suffix == ".md"
    assert len(list(library.articles(saved_only=False))) == 2


def test_import_feeds_adds_only_new_ones(library: Library, ids: list[int]) -> None:
    url = library.feeds()[0].url
    added = library.import_feeds([(url, "", "", ""), ("http://127.0.0.1:9/new.xml", "N", "", "")])
    assert added == 1
    assert len(library.feeds()) == 2


def test_check_vacuum_and_recover(library: Library, ids: list[int]) -> None:
    library.save(ids[0])
    title = library.entries(saved=True)[0].title
    assert library.check() == []
    assert library.emptied() == ""
    result, before, after = library.vacuum()
    assert result.entries == 0 and before > 0 and after > 0
    with sqlite3.connect(library.database) as conn:  # damage: the entries table is gone
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute("DELETE FROM sqlite_master WHERE name = 'entries'")
    report = library.recover()
    assert report.lines()
    saved = library.entries(saved=True)  # the store reopens after the recovery
    assert [e.title for e in saved] == [title]
