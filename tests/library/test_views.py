"""The reader's view reads and the faces' profile chores, through the Library only."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from kabar.core.config.paths import default_paths
from kabar.core.errors import ConfigError, KabarError
from kabar.core.library import Library, ViewQuery
from kabar.core.models import EntryRow
from tests.library.conftest import page
from tests.loopback import LoopbackServer


def key(row: EntryRow) -> tuple[float, int]:
    return (row.sort_date, row.id)


@pytest.fixture
def rows(library: Library, site: LoopbackServer) -> list[EntryRow]:
    library.subscribe(library.discover(site.url("/feed.xml")))
    return library.headlines.page(ViewQuery(), 10)


def test_a_view_read_by_offset_by_key_and_by_position(
    library: Library, rows: list[EntryRow]
) -> None:
    headlines, query = library.headlines, ViewQuery()
    with headlines.snapshot():
        assert headlines.count(query) == len(rows) == 2
        assert headlines.page(query, 1, 1) == rows[1:]
        assert headlines.page(query, 1, 0, from_end=True) == rows[1:]
    assert headlines.after(query, key(rows[0]), 5) == rows[1:]
    assert headlines.before(query, key(rows[1]), 5) == rows[:1]
    assert [headlines.position(query, row.id) for row in rows] == [0, 1]
    assert headlines.position(query, max(r.id for r in rows) + 1) is None


def test_next_unread_and_the_counts_follow_the_marks(
    library: Library, rows: list[EntryRow]
) -> None:
    headlines, query = library.headlines, ViewQuery()
    feed_id = rows[0].feed_id
    assert headlines.next_unread(query, None) == rows[0]
    library.set_read([rows[0].id])
    first_unread = headlines.next_unread(query, None)
    assert first_unread is not None and first_unread.id == rows[1].id
    assert headlines.next_unread(query, key(rows[1])) is None  # nothing further down
    assert headlines.unread_counts() == {feed_id: 1}
    library.save(rows[1].id)
    assert headlines.saved_count() == 1
    assert headlines.feed_states([feed_id])[feed_id] is not None


def test_a_worker_thread_reads_views_on_its_own_connection(
    library: Library, rows: list[EntryRow]
) -> None:
    main = library.store
    headlines = library.headlines  # made on the main thread, used on another
    seen: list[object] = []

    def worker() -> None:
        seen.append(library.store)
        seen.append(headlines.count(ViewQuery()))
        library.end_thread()

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert seen[0] is not main and seen[1] == len(rows)


def test_read_a_local_page_and_an_opml_file(library: Library, tmp_path: Path) -> None:
    html = tmp_path / "page.html"
    html.write_bytes(page("Lighthouse open day", "The lighthouse opens."))
    article = library.read_file(html, "https://example.org/lighthouse")
    assert article.title == "Lighthouse open day"
    with pytest.raises(KabarError, match="no such file"):
        library.read_file(tmp_path / "missing.html")
    opml = tmp_path / "feeds.opml"
    opml.write_text(
        '<opml version="2.0"><body><outline text="A" type="rss" '
        'xmlUrl="https://example.org/a.xml"/><outline text="B" xmlUrl="ftp://x/"/></body></opml>'
    )
    found = library.read_opml(opml)
    assert [f.url for f in found.feeds] == ["https://example.org/a.xml"]
    assert [s.name for s in found.skipped] == ["B"]


def test_theme_and_log_file_live_in_the_profile(library: Library) -> None:
    library.save_theme("nord")
    assert 'theme = "nord"' in library.paths.config_file.read_text()
    assert library.start_logging().parent == library.paths.cache_dir
    assert library.emptied() == ""  # no database yet: nothing was emptied


def test_a_broken_config_fails_the_first_connection_and_the_next_one_applies_it(
    kabar_home: Path,
) -> None:
    paths = default_paths()
    paths.ensure()
    with Library(paths) as seed:
        seed.import_feeds([("https://example.org/feed.xml", "", "", "")])
    paths.config_file.parent.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text("[network\n", encoding="utf-8")  # not TOML
    library = Library(paths)
    try:
        with pytest.raises(ConfigError):
            library.store  # noqa: B018 (the first connection reads the config)
        paths.config_file.write_text(
            '[feeds."https://example.org/feed.xml"]\ntitle = "Renamed"\n', encoding="utf-8"
        )
        assert [f.display_title for f in library.feeds()] == ["Renamed"]
    finally:
        library.close()
