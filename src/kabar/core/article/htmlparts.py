"""Small pieces of HTML handling shared by feed content, extraction and the parsers.

Parsing a fragment, a plain-text title from HTML, the text of an element, appending inline
text to a run of spans, and an image's real source: each done once, here, for every caller.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree, html
from lxml.html import HtmlElement

from kabar.core.article.document import Figure, Inline, Span
from kabar.core.textsafety import (
    clean_line,
    clean_text,
    collapse_spaces,
    fix_html_char_refs,
    safe_join,
)

LAZY_SRC = ("data-src", "data-lazy-src", "data-original", "data-url", "src")
_SPACE = re.compile(r"\s+")
# XPath's string(): every text node below an element, joined in C (what text_content() runs)
_STRING = etree.XPath("string()", smart_strings=False)


def parse_fragment(markup: str) -> HtmlElement:
    """Parse HTML that may be a fragment or a whole page into one root element."""
    markup = fix_html_char_refs(markup)
    if not markup.strip():
        return html.fragment_fromstring("<div></div>")
    # lxml finds no element in a lone doctype, and asserts on an <html> with no body
    unparsable = (etree.ParserError, ValueError, AssertionError)
    try:
        return html.fragment_fromstring(markup, create_parent="div")
    except unparsable:
        pass
    try:
        return html.fromstring(markup)
    except unparsable:
        return html.fragment_fromstring("<div></div>")


def strip_tags(markup: str) -> str:
    """The text of an HTML snippet on one line (titles that feeds send as HTML)."""
    if "<" not in markup and "&" not in markup:
        return clean_line(markup)
    try:
        text = parse_fragment(markup).text_content()
    except (etree.ParserError, ValueError):
        text = markup
    return clean_line(text)


def one_line(text: str | None) -> str:
    """Text cleaned and on one line, every run of white space (no-break too) one space."""
    return _SPACE.sub(" ", clean_text(text)).strip()


def element_text(el: etree._Element, skip: etree._Element | None = None) -> str:
    """An element's text on one line, leaving out the `skip` subtree (a credit inside a
    caption). The one "text of an element" for captions, credits and table cells: it runs
    for many elements of every page, so the common case is one XPath call."""
    if skip is None:
        return one_line(str(_STRING(el)))
    parts: list[str] = []
    _collect(el, skip, parts)
    return one_line("".join(parts))


def _collect(el: etree._Element, skip: etree._Element, parts: list[str]) -> None:
    if isinstance(el.tag, str) and el.text:
        parts.append(el.text)
    for child in el:
        if child is not skip:
            _collect(child, skip, parts)
        if child.tail:
            parts.append(child.tail)


@dataclass(frozen=True, slots=True)
class InlineStyle:
    """The style a run of inline text is in (a link target, bold, italic, code)."""

    link: str | None = None
    bold: bool = False
    italic: bool = False
    code: bool = False


PLAIN = InlineStyle()


def append_inline(out: Inline, text: str | None, style: InlineStyle) -> None:
    """Append text to a run of spans: cleaned, one space between words however the markup
    spaced them, and merged into the previous span when the style is the same."""
    if not text:
        return
    text = collapse_spaces(clean_text(text))
    if not text:
        return
    last = out[-1] if out else None
    if text[0] == " " and (last is None or last.text[-1:] in (" ", "\n")):
        text = text[1:]
        if not text:
            return
    if (
        last is not None
        and last.link == style.link
        and (last.bold, last.italic, last.code) == (style.bold, style.italic, style.code)
    ):
        last.text += text
    else:
        out.append(Span(text, style.link, style.bold, style.italic, style.code))


def trim_spans(spans: Inline) -> Inline:
    """Trim the outer whitespace of a run of spans and drop empty ones."""
    out = [Span(s.text, s.link, s.bold, s.italic, s.code) for s in spans]
    while out and not out[0].text.strip():
        out.pop(0)
    while out and not out[-1].text.strip():
        out.pop()
    if not out:
        return []
    out[0].text = out[0].text.lstrip()
    out[-1].text = out[-1].text.rstrip()
    for span in out:
        span.text = re.sub(r" *\n *", "\n", span.text)
    return [s for s in out if s.text]


_DATA_SOURCE = re.compile(r"""\s(?:src|srcset)\s*=\s*(?:"\s*data:[^"]*"|'\s*data:[^']*')""", re.I)


def without_data_images(markup: str) -> str:
    """Feed HTML without `data:` image sources (feedparser's sanitiser keeps them).

    We never show an inline image (image_src skips them), and one can be megabytes of
    base64 stored with every entry, or an SVG document of its own.
    """
    if "data:" not in markup.lower():  # the common case, several times cheaper than a regex
        return markup
    return _DATA_SOURCE.sub("", markup)


def image_src(el: HtmlElement) -> str:
    """An image's source, lazy-loading attributes first (data: URIs are never a source)."""
    for attr in LAZY_SRC:
        value = (el.get(attr) or "").strip()
        if value and not value.startswith("data:"):
            return value
    srcset = el.get("srcset") or el.get("data-srcset") or ""
    if srcset:
        return srcset.split(",")[0].strip().split(" ")[0]
    return ""


def image_figure(img: HtmlElement, base_url: str = "") -> Figure | None:
    """A caption-less figure for one image, or None if it has no usable source. Its alt
    text is the `alt` attribute, else the `title` (a description too, never a caption)."""
    src = image_src(img)
    if not src:
        return None
    url = safe_join(base_url, src)
    if not url:
        return None
    return Figure(src=url, alt=one_line(img.get("alt") or img.get("title")))
