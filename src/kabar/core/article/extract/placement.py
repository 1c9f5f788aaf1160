"""Put each figure where it stood in the article, and take its caption out of the text.

trafilatura's output is a new tree with no link back to the page, so we place figures by
text: the page's paragraphs, headings and list items whose text matches a block we kept
are anchors, and a figure goes after the last anchor before it. A figure counts as part of
the article only inside the region the anchors span (plus a lead image just above the first
paragraph and a figure just after the last one, in the same container); pictures of other
stories around the article are left out. Then any block that repeats a caption is dropped,
so a caption appears once, as a caption.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml.html import HtmlElement

from kabar.core.article.document import (
    Block,
    Figure,
    Heading,
    Paragraph,
    Table,
    block_lines,
    plain,
)
from kabar.core.article.extract.figures import FoundFigure

_WORD = re.compile(r"\w+", re.U)
_TEXT_TAGS = frozenset(("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "td"))
_KEY_LEN = 48
_MIN_KEY = 12
_LEAD_REACH = 80  # elements between a lead image and the first paragraph, at most
_TAIL_REACH = 60  # elements between the last paragraph and a closing figure, at most


def key(text: str) -> str:
    """A matching key: the first letters and digits of a text, lower-cased, no spaces."""
    return "".join(_WORD.findall(text[:400].lower()))[:_KEY_LEN]


def place_figures(root: HtmlElement, blocks: list[Block], found: list[FoundFigure]) -> list[Block]:
    """The blocks with the article's figures inserted and caption repeats removed."""
    if not found:
        return blocks
    keys = _block_keys(blocks)
    by_element = {item.element: index for index, item in enumerate(found)}
    anchors: list[tuple[int, int, HtmlElement]] = []  # (position, block index, element)
    positions: dict[int, int] = {}  # figure index -> position
    last_h1 = -1
    tags = _TEXT_TAGS | {"div"} | {item.element.tag for item in found}
    for pos, el in enumerate(root.iter(*tags)):
        tag = el.tag
        if tag in _TEXT_TAGS:
            if tag == "h1":
                last_h1 = pos
            text_key = key(el.text_content())
        elif tag == "div" and el.text and len(el.text) > _MIN_KEY:
            text_key = key(el.text)  # text written straight into a div, lines split by <br>
        else:
            text_key = ""
        if len(text_key) >= _MIN_KEY and text_key in keys:
            anchors.append((pos, keys[text_key], el))
        index = by_element.get(el)
        if index is not None:
            positions[index] = pos
            for later, item in enumerate(found[index + 1 :], start=index + 1):
                if item.element is el:
                    positions[later] = pos
    if not anchors:
        return blocks
    first_pos, _, first_el = anchors[0]
    last_pos, _, last_el = anchors[-1]
    container = _common_ancestor(first_el, last_el)
    parent = container.getparent()
    outer = parent if parent is not None else container

    before: dict[int, list[Figure]] = {}  # block index -> figures to put after it (-1: top)
    for index, item in enumerate(found):
        where = positions.get(index)
        if where is None:
            continue
        pos = where
        if pos < first_pos:
            near = first_pos - pos <= _LEAD_REACH or last_h1 < pos
            if not (near and _within(item.element, outer)):
                continue
            slot = -1
        elif pos > last_pos:
            if pos - last_pos > _TAIL_REACH or not _within(item.element, container):
                continue
            slot = len(blocks) - 1
        else:
            slot = max(b for p, b, _ in anchors if p < pos)
        before.setdefault(slot, []).append(item.figure)

    out: list[Block] = list(before.get(-1, []))
    for index, block in enumerate(blocks):
        out.append(block)
        out.extend(before.get(index, []))
    return remove_caption_repeats(out)


def remove_caption_repeats(blocks: list[Block]) -> list[Block]:
    """Drop text blocks that repeat a figure's caption (with or without its credit)."""
    captions: list[str] = []
    for block in blocks:
        if isinstance(block, Figure) and block.caption:
            text = plain(block.caption)
            captions.append(_full_key(text))
            if block.credit:
                captions.append(_full_key(f"{text} {block.credit}"))
    captions = [c for c in captions if c]
    if not captions:
        return blocks
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, (Paragraph, Heading)) and _repeats(
            _full_key(plain(block.spans)), captions
        ):
            continue
        if (
            isinstance(block, Table)
            and len(block.rows) == 1
            and len(block.rows[0]) == 1
            and _repeats(_full_key(block.rows[0][0]), captions)
        ):
            continue  # a layout table cell holding only the caption
        out.append(block)
    return out


def _repeats(text_key: str, captions: Iterable[str]) -> bool:
    if not text_key:
        return False
    for caption in captions:
        if text_key == caption:
            return True
        if len(text_key) >= 15 and text_key in caption and len(text_key) >= 0.5 * len(caption):
            return True
        if len(caption) >= 15 and caption in text_key and len(caption) >= 0.7 * len(text_key):
            return True
    return False


def _full_key(text: str) -> str:
    return "".join(_WORD.findall(text.lower()))


def _block_keys(blocks: list[Block]) -> dict[str, int]:
    keys: dict[str, int] = {}
    for index, block in enumerate(blocks):
        for text in block_lines(block):  # an anchor per list item, quote paragraph, row
            text_key = key(text)
            if len(text_key) >= _MIN_KEY:
                keys.setdefault(text_key, index)
    return keys


def _common_ancestor(a: HtmlElement, b: HtmlElement) -> HtmlElement:
    ancestors = {a, *a.iterancestors()}
    for node in (b, *b.iterancestors()):
        if node in ancestors:
            return node
    return a.getroottree().getroot()


def _within(el: HtmlElement, container: HtmlElement) -> bool:
    return el is container or any(a is container for a in el.iterancestors())
