"""Decoding, metadata and failure of the extraction pipeline."""

from __future__ import annotations

import codecs

import pytest

from kabar.core.article.extract import extract_article
from kabar.core.article.extract.decode import decode_html
from kabar.core.errors import ExtractError

TEXT = "Café in São Paulo: «ação» — " * 3
PAGE = (
    "<html><head>{meta}<title>Página</title></head><body><article>"
    + "".join(
        f"<p>{TEXT} Parágrafo número {i} com texto suficiente para o extrator.</p>"
        for i in range(6)
    )
    + "</article></body></html>"
)


def test_http_charset_wins() -> None:
    data = PAGE.format(meta="").encode("cp1252")
    assert "São Paulo" in decode_html(data, "text/html; charset=windows-1252")


def test_meta_charset_is_read() -> None:
    data = PAGE.format(meta='<meta charset="iso-8859-1">').encode("cp1252")
    assert "ação" in decode_html(data)


def test_bom_wins_over_a_wrong_declaration() -> None:
    data = codecs.BOM_UTF8 + PAGE.format(meta='<meta charset="iso-8859-1">').encode("utf-8")
    assert "ação" in decode_html(data, "text/html; charset=iso-8859-1")


def test_undeclared_legacy_bytes_are_guessed() -> None:
    data = PAGE.format(meta="").encode("cp1252")
    assert "ação" in decode_html(data)


def test_bytes_are_extracted_with_their_charset() -> None:
    data = PAGE.format(meta="").encode("cp1252")
    article = extract_article(
        data, "https://example.com/a", content_type="text/html; charset=cp1252"
    )
    assert "Parágrafo número 3" in article.body_text()


@pytest.mark.parametrize(
    "html", ["", "   ", "<html><body><nav><a href='/'>Home</a></nav></body></html>"]
)
def test_no_text_is_an_extract_error(html: str) -> None:
    with pytest.raises(ExtractError) as info:
        extract_article(html, "https://example.com/empty")
    assert "\n" not in str(info.value)


def test_metadata_from_json_ld_and_meta() -> None:
    head = (
        '<meta property="og:site_name" content="Exemplo">'
        '<link rel="canonical" href="https://example.com/canon">'
        '<script type="application/ld+json">{"@context": "https://schema.org", "@graph": ['
        '{"@type": "NewsArticle", "headline": "Manchete", "datePublished": "2024-03-05T08:30:00Z",'
        ' "author": [{"@type": "Person", "name": "Ana Lima"}], "image": {"url": "/lead.jpg"}}]}'
        "</script>"
    )
    article = extract_article(PAGE.format(meta=head).replace("<html>", '<html lang="pt-BR">'))
    assert (article.title, article.author, article.published) == (
        "Manchete",
        "Ana Lima",
        "2024-03-05T08:30:00+00:00",
    )
    assert article.site_name == "Exemplo"
    assert article.language == "pt-BR"
    assert article.url == "https://example.com/canon"
    assert article.lead_image == "https://example.com/lead.jpg"
