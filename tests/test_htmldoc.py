"""Feed content to blocks: figures and captions by the same rules as extracted pages.

The caption set under tests/fixtures/captions is the page extractor's test; here the same
markup goes through the feed path (`html_to_blocks`), which must find every caption too,
keep it out of the text, and never lose text to a figure.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from lxml.html import fragment_fromstring

from kabar.core.article.document import (
    Article,
    Block,
    Figure,
    Paragraph,
    Quote,
    Table,
    block_lines,
    block_text,
    plain,
)
from kabar.core.article.htmldoc import html_to_blocks
from kabar.core.article.htmlparts import element_text

CAPTIONS = Path(__file__).parent / "fixtures" / "captions"
EXPECTED: dict[str, dict[str, Any]] = json.loads(
    (CAPTIONS / "expected.json").read_text(encoding="utf-8")
)
BASE = "https://news.example/story/"


def _figures(markup: str) -> list[tuple[str, str, str]]:
    return [
        (b.src, plain(b.caption), b.credit)
        for b in html_to_blocks(markup, BASE)
        if isinstance(b, Figure)
    ]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_caption_set_through_the_feed_path(name: str) -> None:
    blocks = html_to_blocks((CAPTIONS / name).read_text(encoding="utf-8"), BASE)
    captions = [(plain(b.caption), b.credit) for b in blocks if isinstance(b, Figure)]
    for want in EXPECTED[name]["figures"]:
        assert (want["caption"], want.get("credit", "")) in captions
    texts = [block_text(b) for b in blocks if not isinstance(b, Figure)]
    for want in EXPECTED[name]["figures"]:
        assert not any(want["caption"] in text for text in texts)  # once, as a caption
    for line in EXPECTED[name].get("body", []):
        assert any(line in text for text in texts)


def test_a_wordpress_caption_box_with_a_credit_span() -> None:
    markup = (
        '<div class="wp-caption alignnone"><img src="/pier.jpg" alt="The pier">'
        '<p class="wp-caption-text">The pier at <a href="/dawn">dawn</a>. '
        '<span class="photo-credit">Photo: A. Lee</span></p></div><p>Text.</p>'
    )
    blocks = html_to_blocks(markup, BASE)
    figure = blocks[0]
    assert isinstance(figure, Figure)
    assert (figure.src, figure.alt, figure.credit) == (
        "https://news.example/pier.jpg",
        "The pier",
        "Photo: A. Lee",
    )
    assert plain(figure.caption) == "The pier at dawn."
    assert [s.link for s in figure.caption if s.link] == ["https://news.example/dawn"]  # kept
    assert isinstance(blocks[1], Paragraph)


def _texts(blocks: list[Block]) -> list[str]:
    return [plain(b.caption) if isinstance(b, Figure) else block_text(b) for b in blocks]


@pytest.mark.parametrize(
    "markup",
    [
        "<div><p>First paragraph of the story.</p><p>Second paragraph.</p>"
        '<img src="/a.jpg"><p class="caption">The harbour.</p><p>Third paragraph.</p></div>',
        '<div><p>First paragraph of the story.</p><p>Second paragraph.</p><img src="/a.jpg">'
        '<p class="caption">The harbour.</p></div><p>Third paragraph.</p>',
        'First paragraph of the story.<p>Second paragraph.</p><img src="/a.jpg">'
        '<p class="caption">The harbour.</p><p>Third paragraph.</p>',
    ],
)
def test_a_story_holding_a_captioned_picture_keeps_its_text(markup: str) -> None:
    # Before one rule set, any div holding an image and a caption was a "caption box",
    # and the whole story inside it became one figure.
    blocks = html_to_blocks(markup, BASE)
    assert _texts(blocks) == [
        "First paragraph of the story.",
        "Second paragraph.",
        "The harbour.",
        "Third paragraph.",
    ]
    assert isinstance(blocks[2], Figure)


def test_a_caption_above_its_picture_in_a_story_stays_text_once() -> None:
    markup = '<div><p>Story.</p><p class="caption">The harbour.</p><img src="/a.jpg"></div>'
    assert _texts(html_to_blocks(markup, BASE)) == ["Story.", "The harbour.", ""]


def test_a_figure_without_a_picture_keeps_its_table_and_quote() -> None:
    markup = (
        '<figure class="wp-block-table"><table><tr><td>Ferry</td><td>07:10</td></tr></table>'
        "<figcaption>Winter timetable</figcaption></figure>"
        '<figure class="wp-block-pullquote"><blockquote><p>We sail at dawn.</p></blockquote>'
        "</figure>"
        "<figure><figcaption>A video that the feed left out</figcaption></figure>"
    )
    blocks = html_to_blocks(markup, BASE)
    assert isinstance(blocks[0], Table) and blocks[0].rows == [["Ferry", "07:10"]]
    assert isinstance(blocks[1], Paragraph) and plain(blocks[1].spans) == "Winter timetable"
    assert isinstance(blocks[2], Quote) and plain(blocks[2].paragraphs[0]) == "We sail at dawn."
    assert isinstance(blocks[3], Figure) and not blocks[3].src
    assert plain(blocks[3].caption) == "A video that the feed left out"


def test_each_picture_of_a_gallery_keeps_its_own_caption() -> None:
    markup = (
        '<figure class="wp-block-gallery">'
        '<figure><img src="/1.jpg"><figcaption>One</figcaption></figure>'
        '<figure><img src="/2.jpg"><figcaption>Two</figcaption></figure></figure>'
    )
    assert [(src.rsplit("/", 1)[1], caption) for src, caption, _ in _figures(markup)] == [
        ("1.jpg", "One"),
        ("2.jpg", "Two"),
    ]


def test_a_caption_paragraph_under_a_bare_image() -> None:
    markup = (
        '<p><img src="/mill.jpg"></p><p><em>Engineers test the soil near the old mill. '
        "Photo: Jane Roe</em></p><p>The survey goes on until May.</p>"
    )
    blocks = html_to_blocks(markup, BASE)
    assert _figures(markup) == [
        (
            "https://news.example/mill.jpg",
            "Engineers test the soil near the old mill.",
            "Photo: Jane Roe",
        )
    ]
    assert [block_text(b) for b in blocks[1:]] == ["The survey goes on until May."]


def test_an_image_that_is_not_drawn_leaves_the_paragraph_after_it() -> None:
    # a picture inside a heading is flattened away: the italic line under it stays text
    markup = '<h2><img src="/x.jpg">Title</h2><p><em>An italic line.</em></p>'
    assert [block_text(b) for b in html_to_blocks(markup, BASE)] == ["Title", "An italic line."]


@pytest.mark.parametrize("markup", ["<!DOCTYPE html>", "<html></html>", "<!-- only -->"])
def test_content_with_no_element_gives_no_blocks(markup: str) -> None:
    assert html_to_blocks(markup, BASE) == []


def test_element_text_on_one_line_without_the_skipped_part() -> None:
    el = fragment_fromstring(
        "<p>The  pier\n at dawn.<span class='credit'>Photo: A. Lee</span> Tail\u00a0end</p>"
    )
    assert element_text(el) == "The pier at dawn.Photo: A. Lee Tail end"
    assert element_text(el, skip=el[0]) == "The pier at dawn. Tail end"


def test_the_text_of_a_block_and_of_an_article() -> None:
    markup = (
        "<h2>Ferries</h2><p>Winter <b>times</b>.</p><ul><li>North</li><li></li><li>South</li></ul>"
        "<blockquote><p>We sail.</p><p>At dawn.</p></blockquote><pre>a = 1</pre>"
        "<table><tr><th>Pier</th><th>Time</th></tr><tr><td>1</td><td>07:10</td></tr></table>"
        '<figure><img src="/f.jpg"><figcaption>Not body text</figcaption></figure>'
    )
    blocks = html_to_blocks(markup, BASE)
    assert [block_lines(b) for b in blocks] == [
        ["Ferries"],
        ["Winter times."],
        ["North", "South"],
        ["We sail.", "At dawn."],
        ["a = 1"],
        ["Pier\tTime", "1\t07:10"],
        [],
    ]
    assert block_text(blocks[3]) == "We sail.\nAt dawn."
    assert Article(blocks=blocks).body_text() == (
        "Ferries\nWinter times.\nNorth\nSouth\nWe sail.\nAt dawn.\na = 1\nPier\tTime\n1\t07:10"
    )


def test_a_figure_inside_a_quote_keeps_its_picture_and_caption_in_place() -> None:
    """A quote holds text: a figure inside one (an embedded post, a quoted photo) used to
    be dropped with its caption; it now stands between the quote's parts, and a quote
    inside a quote keeps its text."""
    blocks = html_to_blocks(
        '<blockquote cite="/said"><p>Said the minister.</p>'
        '<figure><img src="/a.jpg"><figcaption>Harbour at dawn. Photo: Ana</figcaption></figure>'
        "<p>And more.</p><blockquote><p>Quoted again.</p></blockquote></blockquote>"
        "<p>After.</p>",
        "https://example.org/news/",
    )
    assert [type(b).__name__ for b in blocks] == ["Quote", "Figure", "Quote", "Paragraph"]
    first, figure, second = blocks[:3]
    assert isinstance(first, Quote) and isinstance(second, Quote)
    assert isinstance(figure, Figure)
    assert first.cite == "https://example.org/said" and second.cite == ""
    assert [plain(p) for p in first.paragraphs] == ["Said the minister."]
    assert figure.src == "https://example.org/a.jpg" and "Harbour at dawn" in plain(figure.caption)
    assert [plain(p) for p in second.paragraphs] == ["And more.", "Quoted again."]
