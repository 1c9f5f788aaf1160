"""Opening, full text and saving through the Library: one HTTP client for it all."""

from __future__ import annotations

import threading

from kabar.core.article.document import Paragraph, plain
from kabar.core.library import Library
from kabar.core.models import EntryRow
from tests.loopback import LoopbackServer


def subscribed(library: Library, site: LoopbackServer) -> dict[str, EntryRow]:
    library.subscribe(library.discover(site.url("/feed.xml")))
    return {e.title: e for e in library.entries()}


def test_a_save_opens_one_http_client(library: Library, site: LoopbackServer) -> None:
    entry = subscribed(library, site)["Ferry timetable"]
    before = site.connections
    result = library.save(entry.id)
    assert result.saved and result.full_text and result.images == 1 and not result.warnings
    assert library.web.clients == 1
    # the page, then its picture, on the one client's kept-alive connection (the one
    # discovery opened, unless it expired since: at most one new connection)
    assert [r.path for r in site.requests[-2:]] == ["/ferry", "/pic.png"]
    assert site.connections - before <= 1
    detail = library.entry(entry.id)
    assert detail is not None and detail.row.saved and detail.full_text
    paragraphs = [b for b in library.article(detail).blocks if isinstance(b, Paragraph)]
    assert "The ferry runs daily." in plain(paragraphs[0].spans)
    assert library.article(detail).figures()[0].caption  # the picture, with its caption
    # a copy for `kabar recover` beside the database
    assert list((library.database.parent / "saved").rglob("*.json"))


def test_unsave_drops_the_copy(library: Library, site: LoopbackServer) -> None:
    entry = subscribed(library, site)["Ferry timetable"]
    library.save(entry.id)
    library.unsave(entry.id)
    assert library.entries(saved=True) == []
    assert not list((library.database.parent / "saved").rglob("*.json"))


def test_open_then_fetch_full_text_keeps_it(library: Library, site: LoopbackServer) -> None:
    entry = subscribed(library, site)["Lighthouse open day"]
    detail = library.entry(entry.id)
    assert detail is not None and not detail.full_text
    assert library.wants_full_text(detail)  # a teaser: the feed's default mode fetches it
    article = library.fetch_full_text(entry.id)
    assert article.title == "Lighthouse open day"
    again = library.entry(entry.id)
    assert again is not None and again.full_text and not library.wants_full_text(again)
    # fetched again later: the page's validators are sent (none here), one more request
    library.fetch_full_text(entry.id)
    assert len(site.hits("/lighthouse")) == 2
    assert library.web.clients == 1


def test_save_url_of_an_unknown_page_and_its_stored_copy(
    library: Library, site: LoopbackServer
) -> None:
    result = library.save_url(site.url("/lighthouse"))
    assert result.saved and result.images == 1
    detail = library.entry(result.entry_id)
    assert detail is not None and detail.row.saved and detail.row.read
    stored = library.stored_copy(site.url("/lighthouse"))
    assert stored is not None and stored.title == "Lighthouse open day"
    assert library.read_url(site.url("/ferry")).title == "Ferry timetable"
    assert library.web.clients == 1


def test_each_thread_has_its_own_connection(library: Library, site: LoopbackServer) -> None:
    subscribed(library, site)
    seen: list[object] = []

    def worker() -> None:
        seen.append(library.store)
        seen.append(library.store)
        assert len(library.entries()) == 2

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert seen[0] is seen[1] and seen[0] is not library.store


def test_a_worker_thread_closes_its_connection_when_done(
    library: Library, site: LoopbackServer
) -> None:
    """The reader's workers are short-lived threads: each one's connection is closed at
    its end, not kept open until the Library closes."""
    subscribed(library, site)
    main = library.store
    seen: list[object] = []

    def worker() -> None:
        seen.append(library.store)
        assert len(library.entries()) == 2
        library.end_thread()

    for _ in range(3):
        thread = threading.Thread(target=worker)
        thread.start()
        thread.join()
    assert len(set(map(id, seen))) == 3
    assert library._connections.stores == [main]  # only the main thread's connection stays open
    assert len(library.entries()) == 2


def test_pictures_come_from_saved_files_then_the_librarys_one_client(
    library: Library, site: LoopbackServer
) -> None:
    entry = subscribed(library, site)["Ferry timetable"]
    library.save(entry.id)  # /pic.png is kept with the saved article
    picture = site.url("/pic.png")
    source = library.picture_source()
    found: dict[str, bytes | object] = {}

    def in_a_worker() -> None:
        saved = source.saved_files(entry.id, [picture])
        source.thread_done()
        found.update(saved)
        source.fetch([picture], lambda url, result: found.__setitem__("fetched", result))

    before = len(site.hits("/pic.png"))
    worker = threading.Thread(target=in_a_worker)
    worker.start()
    worker.join(30)
    assert set(found) == {picture, "fetched"}  # the saved file, and the download
    assert isinstance(found["fetched"], bytes) and found[picture]
    assert len(site.hits("/pic.png")) == before + 1
    assert library.web.clients == 1  # the download used the Library's client
    assert len(library._connections.stores) == 1  # the worker's connection was closed
