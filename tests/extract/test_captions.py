"""The caption set: every caption is a figure caption, once, and none is made up.

Each page under tests/fixtures/captions is a small article in one caption markup (figure,
WordPress, Gutenberg, Drupal, Joomla, AMP, caption classes, credit spans, bold, italic and
upper-case caption paragraphs, galleries, alt-only images) wrapped in the usual furniture;
expected.json lists, per page, its captions with credits, the alt texts of caption-less
images and body text that must survive.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kabar.core.article.document import Article, Figure, block_text, plain
from kabar.core.article.extract import extract_article

CAPTIONS = Path(__file__).parent.parent / "fixtures" / "captions"
EXPECTED: dict[str, dict[str, Any]] = json.loads(
    (CAPTIONS / "expected.json").read_text(encoding="utf-8")
)
# Furniture every fixture page carries around its article.
FURNITURE = (
    "Share:",
    "Related articles",
    "Berita Terkait",
    "All rights reserved",
    "Roadworks on the ring road",
    "Leave a Reply",
    "Tinggalkan Balasan",
    "Deixe um comentário",
    "will not be published",
    "Penulis:",
    "Baca Juga",
    "Leia também",
    "Another story entirely",
)


def _article(name: str) -> Article:
    return extract_article((CAPTIONS / name).read_bytes())


def test_the_set_is_big_and_varied() -> None:
    assert len(EXPECTED) >= 20
    assert sum(len(spec["figures"]) for spec in EXPECTED.values()) >= 20


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_caption_is_a_figure_caption_and_none_is_invented(name: str) -> None:
    article = _article(name)
    got = [
        {"caption": plain(f.caption), "credit": f.credit} for f in article.figures() if f.caption
    ]
    want = [
        {"caption": f["caption"], "credit": f.get("credit", "")} for f in EXPECTED[name]["figures"]
    ]
    assert got == want


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_no_caption_is_repeated_in_the_body(name: str) -> None:
    article = _article(name)
    texts = [block_text(b) for b in article.blocks if not isinstance(b, Figure)]
    for figure in article.figures():
        caption = plain(figure.caption)
        if caption:
            assert not [t for t in texts if caption in t or (t and t in caption)]
            assert caption not in article.body_text()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_body_text_survives_and_furniture_goes(name: str) -> None:
    body = _article(name).body_text()
    for fragment in EXPECTED[name]["body"]:
        assert fragment in body
    for furniture in FURNITURE:
        assert furniture not in body


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if EXPECTED[n].get("alts")))
def test_alt_text_is_kept_as_alt_never_as_a_caption(name: str) -> None:
    figures = _article(name).figures()
    alts = {f.alt: f for f in figures}
    for alt in EXPECTED[name]["alts"]:
        assert alt in alts
        assert alts[alt].caption == []


def test_exact_blocks_of_a_wordpress_page() -> None:
    """One page in full: metadata, and each block in its place."""
    article = _article("wp-caption.html")
    assert article.title == "What the new path means for commuters"
    assert article.site_name == "Town Cycling Blog"
    assert article.author == "Rina Hartono"
    assert article.published == "2024-03-05T08:30:00+07:00"
    assert article.language == "en"
    assert article.url == "https://cycling.example/2024/03/new-path/"
    kinds = [b.kind for b in article.blocks]
    assert kinds == ["paragraph", "figure", "paragraph", "paragraph", "paragraph"]
    figure = article.blocks[1]
    assert isinstance(figure, Figure)
    assert figure.src == "https://cycling.example/wp-content/uploads/2024/03/path-1024x683.jpg"
    assert plain(figure.caption) == "Cyclists on the existing stretch of the path last autumn."
    assert block_text(article.blocks[0]).startswith("The city council voted on Tuesday")
    assert block_text(article.blocks[-1]).startswith("Opponents argued that the money")


def test_gallery_figures_stay_together_in_place() -> None:
    article = _article("wp-gallery.html")
    kinds = [b.kind for b in article.blocks]
    assert kinds == [
        "paragraph",
        "paragraph",
        "figure",
        "figure",
        "figure",
        "paragraph",
        "paragraph",
    ]


def test_the_document_round_trips_through_json() -> None:
    article = _article("figcaption-credit.html")
    assert Article.loads(article.dumps()) == article
