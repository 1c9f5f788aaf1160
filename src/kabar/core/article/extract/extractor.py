"""The extraction pipeline: page bytes in, `Article` out."""

from __future__ import annotations

import re
from typing import cast

from lxml import etree
from lxml.html import HtmlElement
from trafilatura.utils import load_html

from kabar.core.article.document import Article, Figure, Paragraph, Span
from kabar.core.article.extract.decode import decode_html
from kabar.core.article.extract.figures import find_figures
from kabar.core.article.extract.furniture import drop_furniture
from kabar.core.article.extract.leading import drop_lead_repeats
from kabar.core.article.extract.mainbody import flattened, main_content, short_page_blocks
from kabar.core.article.extract.metadata import read_metadata
from kabar.core.article.extract.placement import place_figures
from kabar.core.article.xmlblocks import xml_to_blocks
from kabar.core.errors import ExtractError
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
    truncated = _truncate(tree, MAX_ELEMENTS)
    meta = read_metadata(tree, url)
    base = meta.url or url
    body = main_content(tree, base)
    if body is None:
        raise ExtractError(f"no article text found in {url or 'the page'}")
    blocks = (flattened(body) and short_page_blocks(tree, base)) or xml_to_blocks(body, base)
    blocks = drop_lead_repeats(blocks, meta.title_variants, meta.description)
    blocks = drop_furniture(blocks)
    # after trafilatura, which works on its own copy: the figure search may move a credit
    # out of its caption in this tree
    blocks = place_figures(tree, blocks, find_figures(tree, base))
    if not any(not isinstance(block, Figure) for block in blocks):
        raise ExtractError(f"no article text found in {url or 'the page'}")
    if truncated:
        note = f"(The page goes on: Kabar reads the first {MAX_ELEMENTS:,} elements of a page.)"
        blocks.append(Paragraph([Span(note, italic=True)]))
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


# trafilatura's work grows faster than the page: 20,000 paragraphs take 4 s, 40,000 take
# 16 s, a 10 MB page (the size cap) of 190,000 took 400 s and 700 MB. Real articles have a
# few thousand elements (the benchmark's largest page 1,709); past this many the rest of
# the page is cut off, and the article says so.
MAX_ELEMENTS = 20_000


# Elements, comments and processing instructions, as tree.iter() yields them, counted in C
_COUNT_NODES = etree.XPath(
    "count(descendant-or-self::*|descendant::comment()|descendant::processing-instruction())"
)


def _truncate(tree: HtmlElement, limit: int) -> bool:
    """Cut the tree after its `limit`-th element in document order; True if it was cut."""
    if cast(float, _COUNT_NODES(tree)) < limit:
        return False  # nearly every page: counted without making a Python object per node
    last = None
    for count, el in enumerate(tree.iter(), 1):
        if count == limit:
            last = el
            break
    if last is None:
        return False
    cut = False
    for child in list(last):  # its descendants come after it in document order
        last.remove(child)
        cut = True
    node: HtmlElement | None = last
    while node is not None:
        parent = node.getparent()
        for sibling in list(node.itersiblings()):
            if parent is not None:
                parent.remove(sibling)
                cut = True
        node = parent
    return cut


_HIDING_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
# the few elements that may be unseen, found in C rather than by visiting every element
_CANDIDATES = etree.XPath("descendant-or-self::*[self::template or @hidden or @style]")


def _drop_unseen(tree: HtmlElement) -> None:
    """Remove what a browser never shows, which trafilatura would take for text.

    A `<template>` is inert markup for scripts to clone; an element with the `hidden`
    attribute or an inline `display: none` is not rendered (the feed HTML path skips the
    same). Images stay: lazy-loading pages hide the real <img> until a script runs.
    """
    unseen = [
        el
        for el in cast(list[HtmlElement], _CANDIDATES(tree))
        if el.tag not in ("img", "picture", "figure", "html", "body")
        and (
            el.tag == "template"
            or el.get("hidden") is not None
            or _HIDING_STYLE.search(el.get("style") or "") is not None
        )
    ]
    for el in unseen:
        if el.getparent() is not None:
            el.drop_tree()
