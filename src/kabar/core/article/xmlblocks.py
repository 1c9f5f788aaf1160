"""trafilatura's internal XML body to document blocks.

trafilatura hands back the main content as a small XML vocabulary (`p`, `head rend="h2"`,
`list`/`item`, `quote`, `code`, `table`/`row`/`cell`, inline `hi rend="#b"`, `ref target`,
`lb`). We map that tree straight to blocks instead of asking trafilatura for HTML and
parsing it again: it is faster, and no formatting is lost on the way.
"""

from __future__ import annotations

import re

from lxml import etree

from kabar.core.article.document import (
    Block,
    Code,
    Heading,
    Inline,
    ListBlock,
    Paragraph,
    Span,
    Table,
    quote_blocks,
)
from kabar.core.article.htmlparts import PLAIN, InlineStyle, append_inline, element_text
from kabar.core.textsafety import clean_text, safe_join

_HEADING_LEVEL = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}


def xml_to_blocks(body: etree._Element, base_url: str = "") -> list[Block]:
    """The blocks of a trafilatura body element, in order."""
    converter = _Converter(base_url)
    converter.container(body)
    return converter.blocks


class _Converter:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.blocks: list[Block] = []

    def container(self, el: etree._Element) -> None:
        """Children of the body or of a `div`; stray text becomes a paragraph."""
        loose: Inline = []
        append_inline(loose, el.text, PLAIN)
        for child in el:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag in ("hi", "ref", "lb", "del"):
                self.inline(child, loose, PLAIN)
                append_inline(loose, child.tail, PLAIN)
                continue
            self.paragraph(loose)
            loose = []
            self.block(child, tag)
            append_inline(loose, child.tail, PLAIN)
        self.paragraph(loose)

    def paragraph(self, spans: Inline) -> None:
        spans = _trim(spans)
        if spans:
            self.blocks.append(Paragraph(spans))

    def block(self, el: etree._Element, tag: str) -> None:
        if tag == "p":
            self.paragraph(self.spans(el))
        elif tag == "head":
            spans = _trim(self.spans(el))
            if spans:
                level = _HEADING_LEVEL.get(el.get("rend") or "", 2)
                self.blocks.append(Heading(level, spans))
        elif tag == "list":
            items = [_trim(self.spans(item)) for item in el.iter("item")]
            items = [item for item in items if item]
            if items:
                self.blocks.append(ListBlock(el.get("rend") == "ol", items))
        elif tag == "quote":
            self.quote(el)
        elif tag == "code":
            text = clean_text(_itertext(el), keep_newlines=True).strip("\n")
            if text.strip():
                self.blocks.append(Code(text, el.get("lang") or ""))
        elif tag == "table":
            table = _table(el)
            if table is not None:
                self.blocks.append(table)
        elif tag in ("div", "body", "figure", "note"):
            self.container(el)
        elif tag == "graphic":
            return  # figures come from the page itself, with their captions
        else:
            self.paragraph(self.spans(el))

    def quote(self, el: etree._Element) -> None:
        sub = _Converter(self.base_url)
        sub.container(el)
        self.blocks.extend(quote_blocks(sub.blocks))  # a table or code inside kept too

    def spans(self, el: etree._Element) -> Inline:
        out: Inline = []
        append_inline(out, el.text, PLAIN)
        for child in el:
            self.inline(child, out, PLAIN)
            append_inline(out, child.tail, PLAIN)
        return out

    def inline(self, el: etree._Element, out: Inline, style: InlineStyle) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "lb":
            if out and not out[-1].text.endswith("\n"):
                out.append(Span("\n", style.link, style.bold, style.italic, style.code))
            return
        if tag == "graphic":
            return
        if tag == "hi":
            rend = el.get("rend") or ""
            style = InlineStyle(
                style.link,
                style.bold or rend == "#b",
                style.italic or rend == "#i",
                style.code or rend == "#t",
            )
        elif tag == "ref":
            target = (el.get("target") or "").strip()
            link = safe_join(self.base_url, target) if target else ""
            style = InlineStyle(link or None, style.bold, style.italic, style.code)
        elif tag == "code":
            style = InlineStyle(style.link, style.bold, style.italic, True)
        append_inline(out, el.text, style)
        for child in el:
            if child.tag in ("list", "item", "p", "quote", "head"):
                append_inline(out, " ", style)
            self.inline(child, out, style)
            append_inline(out, child.tail, style)


def _trim(spans: Inline) -> Inline:
    """Spans without outer whitespace, empty spans or spaces around line breaks."""
    while spans and not spans[0].text.strip():
        spans.pop(0)
    while spans and not spans[-1].text.strip():
        spans.pop()
    if not spans:
        return []
    spans[0].text = spans[0].text.lstrip()
    spans[-1].text = spans[-1].text.rstrip()
    for span in spans:
        if "\n" in span.text:
            span.text = re.sub(r" *\n[ \n]*", "\n", span.text)
    return [span for span in spans if span.text]


def _table(el: etree._Element) -> Table | None:
    rows: list[list[str]] = []
    header = False
    for row in el.iter("row"):
        cells = [cell for cell in row if cell.tag == "cell"]
        if not cells:
            continue
        if not rows and all(cell.get("role") == "head" for cell in cells):
            header = True
        rows.append([element_text(c) for c in cells])
    rows = [row for row in rows if any(row)]
    return Table(rows, header) if rows else None


def _itertext(el: etree._Element) -> str:
    return "".join(t for t in el.itertext() if isinstance(t, str))
