"""Search: English, Indonesian (case and diacritics folded), Japanese, and the filters."""

from __future__ import annotations

import pytest

from kabar.core.article.document import Article, Figure, Paragraph, Span, Table
from kabar.core.models import FeedUpdate, ParsedEntry, ParsedFeed
from kabar.core.store import Store
from kabar.core.store.searchtext import cjk_bigrams, parse_query


@pytest.fixture
def filled(store: Store) -> Store:
    news = store.add_feed("https://news.example/feed", title="")
    nusa = store.add_feed("https://nusa.example/feed")
    winter = "<p>The <b>winter</b> ferry runs less often.</p>"
    snow = "<p>東京都庁の近くで雪が降りました。</p>"
    entries = [
        ParsedEntry(guid="en1", title="Ferry timetable changes", summary=winter, published=3.0),
        ParsedEntry(
            guid="en2", title="Café reopens", content="<p>Coffee is back.</p>", published=2.0
        ),
        ParsedEntry(guid="ja1", title="東京都の天気", content=snow, published=1.0),
    ]
    store.apply_updates(
        [
            FeedUpdate(news.id, 1.0, 200, parsed=ParsedFeed("rss", "News", entries=entries)),
            FeedUpdate(
                nusa.id,
                1.0,
                200,
                parsed=ParsedFeed(
                    "json",
                    "Kabar Nusantara",
                    entries=[
                        ParsedEntry(
                            guid="id1",
                            title="Sekilas Info: Pasar Apung",
                            summary="Pedagang kembali.",
                        ),
                    ],
                ),
            ),
        ]
    )
    store.index_all()
    return store


def titles(rows: list) -> list[str]:  # type: ignore[type-arg]
    return [r.title for r in rows]


def test_english_words_and_prefixes(filled: Store) -> None:
    assert titles(filled.search("winter")) == ["Ferry timetable changes"]
    assert titles(filled.search("timeta")) == ["Ferry timetable changes"]  # typed so far
    assert titles(filled.search("ferry winter")) == ["Ferry timetable changes"]
    assert filled.search("ferry coffee") == []


def test_case_and_diacritics_are_folded(filled: Store) -> None:
    assert titles(filled.search("sekilas")) == ["Sekilas Info: Pasar Apung"]
    assert titles(filled.search("SEKILAS pasar")) == ["Sekilas Info: Pasar Apung"]
    assert titles(filled.search("cafe")) == ["Café reopens"]


def test_japanese_without_spaces(filled: Store) -> None:
    assert titles(filled.search("東京")) == ["東京都の天気"]
    assert titles(filled.search("都庁")) == ["東京都の天気"]  # inside the body
    assert titles(filled.search("雪が降り")) == ["東京都の天気"]
    assert filled.search("大阪") == []


def test_filters(filled: Store) -> None:
    first = filled.search("ferry")[0]
    filled.set_saved([first.id])
    filled.set_read([first.id])
    assert titles(filled.search("saved:yes")) == ["Ferry timetable changes"]
    assert titles(filled.search("feed:nusantara")) == ["Sekilas Info: Pasar Apung"]
    assert "Ferry timetable changes" not in titles(filled.search("unread:yes"))
    assert titles(filled.search("feed:News unread:no ferry")) == ["Ferry timetable changes"]


def test_extracted_article_text_and_captions_are_searchable(filled: Store) -> None:
    (row,) = filled.search("ferry")
    article = Article(
        blocks=[
            Paragraph([Span("The harbourmaster said the timetable was final.")]),
            Figure("https://x/img.png", [Span("Gulls over the north pier")]),
        ]
    )
    filled.store_article(row.id, "https://news.example/ferry", article.dumps())
    assert filled.index_all() == 1  # only the entry whose article changed
    assert titles(filled.search("harbourmaster")) == ["Ferry timetable changes"]
    assert titles(filled.search("gulls")) == ["Ferry timetable changes"]


def test_edited_and_deleted_entries_leave_the_index(filled: Store) -> None:
    news = filled.feed_by_url("https://news.example/feed")
    assert news is not None
    edited = ParsedEntry(
        guid="en1", title="Ferry timetable withdrawn", summary="Spring only.", published=3.0
    )
    filled.apply_updates(
        [FeedUpdate(news.id, 2.0, 200, parsed=ParsedFeed("rss", "News", entries=[edited]))]
    )
    filled.index_all()
    assert filled.search("winter") == []
    assert titles(filled.search("withdrawn")) == ["Ferry timetable withdrawn"]
    filled.remove_feed("https://nusa.example/feed")
    assert filled.search("sekilas") == []


def test_query_syntax_is_never_passed_through() -> None:
    assert (
        parse_query('"; DROP TABLE entries; -- NEAR(a b) *').fts()
        == '"DROP" "TABLE" "entries" "NEAR" "a" "b"*'
    )
    assert cjk_bigrams("東京都") == " 東京 京都 "


def test_cli_search(filled: Store, capsys: pytest.CaptureFixture[str]) -> None:
    from kabar.cli.main import main

    assert main(["search", "sekilas", "--json"]) == 0
    out = capsys.readouterr().out
    assert '"title": "Sekilas Info: Pasar Apung"' in out
    assert main(["search", "nothing-like-this"]) == 1


def test_table_cells_and_credits_of_an_extracted_article_are_searchable(filled: Store) -> None:
    (row,) = filled.search("ferry")
    article = Article(
        blocks=[
            Table([["Departure", "Quay"], ["07:40", "Sandvika"]]),
            Figure("https://x/img.png", [Span("The pier")], credit="Photo: Ingrid Holm"),
        ]
    )
    filled.store_article(row.id, "https://news.example/ferry", article.dumps())
    filled.index_all()
    assert titles(filled.search("sandvika")) == ["Ferry timetable changes"]
    assert titles(filled.search("ingrid")) == ["Ferry timetable changes"]


def test_a_damaged_stored_article_is_indexed_without_it(filled: Store) -> None:
    (row,) = filled.search("ferry")
    filled.store_article(row.id, "https://news.example/ferry", '{"blocks": [{"type": 7}]}')
    filled.index_all()
    assert titles(filled.search("ferry")) == ["Ferry timetable changes"]
