"""The extraction pipeline: page bytes in, `Article` out."""

from __future__ import annotations

import re

from lxml.html import HtmlElement
from trafilatura.utils import load_html

from kabar.core.document import Article, Figure
from kabar.core.errors import ExtractError
from kabar.core.extract.captions import find_figures
from kabar.core.extract.decode import decode_html
from kabar.core.extract.furniture import drop_furniture
from kabar.core.extract.leading import drop_lead_repeats
from kabar.core.extract.mainbody import main_content
from kabar.core.extract.metadata import read_metadata
from kabar.core.extract.placement import place_figures
from kabar.core.extract.xmlblocks import xml_to_blocks
from kabar.core.textsafety import clean_text, fix_html_char_refs


def extract_article(html: str | bytes, url: str = "", *, content_type: str = "") -> Article:
    """The readable article in a web page.

    Raises ExtractError when the page holds no article text (an empty page, a page of
    links, or something that is not HTML at all).
    """
    text = decode_html(html, content_type) if isinstance(html, bytes) else html
    # Terminal escapes and control characters go before lxml sees the page: it drops the
    # ESC byte itself and would leave the rest of the sequence ("[31m") as text.
    text = clean_text(fix_html_char_refs(text), keep_newlines=True)
    tree = _parse(text)
    if tree is None:
        raise ExtractError(f"not an HTML page: {url or 'the document'}")
    meta = read_metadata(tree, url)
    base = meta.url or url
    body = main_content(tree, base)
    if body is None:
        raise ExtractError(f"no article text found in {url or 'the page'}")
    blocks = xml_to_blocks(body, base)
    blocks = drop_lead_repeats(blocks, meta.title_variants, meta.description)
    blocks = drop_furniture(blocks)
    # after trafilatura, which works on its own copy: the figure search may move a credit
    # out of its caption in this tree
    blocks = place_figures(tree, blocks, find_figures(tree, base))
    if not any(not isinstance(block, Figure) for block in blocks):
        raise ExtractError(f"no article text found in {url or 'the page'}")
    return Article(
        url=meta.url,
        title=meta.title,
        author=meta.author,
        published=meta.published,
        site_name=meta.site_name,
        language=meta.language,
        lead_image=meta.lead_image,
        blocks=blocks,
    )


def _parse(text: str) -> HtmlElement | None:
    if not text.strip():
        return None
    tree = load_html(text)
    if not isinstance(tree, HtmlElement):
        return None
    _drop_unseen(tree)
    return tree


_HIDING_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def _drop_unseen(tree: HtmlElement) -> None:
    """Remove what a browser never shows, which trafilatura would take for text.

    A `<template>` is inert markup for scripts to clone; an element with the `hidden`
    attribute or an inline `display: none` is not rendered (the feed HTML path skips the
    same). Images stay: lazy-loading pages hide the real <img> until a script runs.
    """
    unseen = [
        el
        for el in tree.iter()
        if isinstance(el.tag, str)
        and el.tag not in ("img", "picture", "figure", "html", "body")
        and (
            el.tag == "template"
            or el.get("hidden") is not None
            or _HIDING_STYLE.search(el.get("style") or "") is not None
        )
    ]
    for el in unseen:
        if el.getparent() is not None:
            el.drop_tree()
