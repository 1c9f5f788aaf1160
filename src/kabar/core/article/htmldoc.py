"""Turn an HTML fragment (feed content or extracted article HTML) into document blocks.

Feeds embed arbitrary HTML. We keep its structure (headings, paragraphs, quotes, lists,
code, tables, figures with captions) and drop everything a terminal cannot show or a reader
does not want (scripts, styles, forms, embeds). Which element is a picture's caption is
decided by `kabar.core.article.captions`, the rules web pages go through too; a feed's
caption keeps its links and styles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from lxml.html import HtmlElement

from kabar.core.article.captions import (
    IMAGE_TAGS,
    box_images,
    box_of,
    caption_after,
    caption_and_credit,
    find_caption,
    image_holder,
    joomla_caption,
    split_credit,
    text_beside,
)
from kabar.core.article.document import (
    Block,
    Code,
    Figure,
    Heading,
    Inline,
    ListBlock,
    Paragraph,
    Span,
    Table,
    plain,
    quote_blocks,
)
from kabar.core.article.htmlparts import (
    PLAIN,
    InlineStyle,
    append_inline,
    element_text,
    image_figure,
    parse_fragment,
    trim_spans,
)
from kabar.core.textsafety import clean_text, safe_join

_DROP = frozenset((
    "script", "style", "noscript", "iframe", "object", "embed", "form", "input", "button",
    "select", "textarea", "svg", "canvas", "audio", "video", "source", "track", "template",
    "nav", "head", "title", "meta", "link", "map", "area", "dialog",
))  # fmt: skip
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_BLOCKS = frozenset((
    "p", "div", "section", "article", "main", "header", "footer", "aside", "address",
    "center", "details", "summary", "dl", "dt", "dd", "blockquote", "pre", "figure",
    "figcaption", "ul", "ol", "li", "table", "hr", "h1", "h2", "h3", "h4", "h5", "h6",
    "body", "html",
))  # fmt: skip
_BOLD = frozenset(("b", "strong"))
_ITALIC = frozenset(("i", "em", "cite", "dfn", "var"))
_CODE = frozenset(("code", "kbd", "samp", "tt"))
_SPACE = re.compile(r"\s+")


def html_to_blocks(markup: str, base_url: str = "") -> list[Block]:
    """The blocks of an HTML fragment, with links and image sources made absolute."""
    if not markup or not markup.strip():
        return []
    if "<" not in markup:
        # Plain text content (JSON Feed content_text, RSS without markup): paragraphs by blank line.
        return text_to_blocks(markup)
    root = parse_fragment(markup)
    builder = _Builder(base_url)
    builder.find_figures(root)
    builder.walk_children(root)
    builder.flush()
    return _tidy(builder.blocks)


def text_to_blocks(text: str) -> list[Block]:
    """Plain text split into paragraphs at blank lines."""
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", clean_text(text, keep_newlines=True)):
        line = _SPACE.sub(" ", chunk).strip()
        if line:
            blocks.append(Paragraph([Span(line)]))
    return blocks


@dataclass
class _Builder:
    base_url: str
    blocks: list[Block] = field(default_factory=list)
    inline: Inline = field(default_factory=list)
    # figures and caption boxes, and the caption paragraph under each bare image
    boxes: set[HtmlElement] = field(default_factory=set)
    captions_after: dict[HtmlElement, HtmlElement] = field(default_factory=dict)
    captions_shown: set[HtmlElement] = field(default_factory=set)

    def find_figures(self, root: HtmlElement) -> None:
        """Find each picture's box or caption before the walk, from the pictures up, as the
        page extractor does: the walk meets a box before its images and a caption paragraph
        only after its image."""
        taken: set[HtmlElement] = set()
        for img in root.iter(*IMAGE_TAGS):
            box = box_of(img)
            caption = find_caption(box) if box is not None else None
            if box is not None and (caption is None or not text_beside(box, caption)):
                self.boxes.add(box)
                continue
            if box is None:
                caption = caption_after(img, image_holder(img))
            elif not _comes_after(caption, img, box):
                # a short story around a captioned picture stays text; its picture takes
                # the caption only when the caption is written under it
                caption = None
            if caption is not None and caption not in taken:
                taken.add(caption)
                self.captions_after[img] = caption

    # -- inline text -------------------------------------------------------------------------
    def add_text(self, text: str | None, style: InlineStyle) -> None:
        append_inline(self.inline, text, style)

    def flush(self) -> None:
        spans = trim_spans(self.inline)
        self.inline = []
        if spans:
            self.blocks.append(Paragraph(spans))

    # -- the walk ----------------------------------------------------------------------------
    def walk_children(self, el: HtmlElement, style: InlineStyle = PLAIN) -> None:
        self.add_text(el.text, style)
        for child in el:
            self.walk(child, style)
            self.add_text(child.tail, style)

    def walk(self, el: HtmlElement, style: InlineStyle) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        tag = tag.lower().rpartition("}")[2]
        if not tag or tag in _DROP or _hidden(el):
            return
        if el in self.captions_shown:
            return  # the caption of the image before it, shown as that figure's caption
        if tag == "br":
            if self.inline and self.inline[-1].text.rstrip(" ").endswith("\n"):
                self.inline[-1].text = self.inline[-1].text.rstrip(" \n")
                self.flush()  # two line breaks in a row separate paragraphs
            else:
                self.inline.append(Span("\n", style.link, style.bold, style.italic, style.code))
            return
        if tag in _HEADINGS:
            self.flush()
            spans = self.collect_inline(el)
            if plain(spans).strip():
                self.blocks.append(Heading(_HEADINGS[tag], spans))
            return
        # a gallery's <figure> holds figures: it is walked as a block, they are figures
        if el in self.boxes or (tag == "figure" and el.find(".//figure") is None):
            self.flush()
            self.figure(el)
            return
        if tag in IMAGE_TAGS:
            figure = self.image(el)
            if figure is not None:
                self.flush()
                self.blocks.append(figure)
            return
        if tag in ("ul", "ol"):
            self.flush()
            items = [self.collect_inline(li) for li in el if _tag(li) == "li"]
            items = [item for item in items if plain(item).strip()]
            if items:
                self.blocks.append(ListBlock(tag == "ol", items))
            self.images_inside(el)
            return
        if tag == "blockquote":
            self.flush()
            self.blocks.extend(self.quote(el))
            return
        if tag == "pre":
            self.flush()
            text = clean_text(el.text_content(), keep_newlines=True).strip("\n")
            if text.strip():
                lang = _code_language(el)
                self.blocks.append(Code(text, lang))
            return
        if tag == "table":
            self.flush()
            table = _table(el)
            if table is not None:
                self.blocks.append(table)
            return
        if tag == "hr":
            self.flush()
            return
        if tag in _BLOCKS:
            self.flush()
            self.walk_children(el, style)
            self.flush()
            return
        self.walk_children(el, self.inline_style(el, tag, style))

    def inline_style(self, el: HtmlElement, tag: str, style: InlineStyle) -> InlineStyle:
        if tag in _BOLD:
            return replace(style, bold=True)
        if tag in _ITALIC:
            return replace(style, italic=True)
        if tag in _CODE:
            return replace(style, code=True)
        if tag == "a":
            href = el.get("href")
            link = (safe_join(self.base_url, href.strip()) or None) if href else None
            return replace(style, link=link)
        return style

    def collect_inline(self, el: HtmlElement, skip: HtmlElement | None = None) -> Inline:
        """The inline text of an element, ignoring any block structure inside it and the
        `skip` subtree (a credit inside a caption)."""
        sub = _Builder(self.base_url)
        sub.walk_inline(el, PLAIN, skip)
        return trim_spans(sub.inline)

    def walk_inline(
        self, el: HtmlElement, style: InlineStyle, skip: HtmlElement | None = None
    ) -> None:
        self.add_text(el.text, style)
        for child in el:
            tag = _tag(child)
            if child is skip:
                pass
            elif tag and tag not in _DROP and not _hidden(child):
                if tag == "br":
                    self.add_text(" ", style)
                elif tag in ("ul", "ol", "table", "figure", "img", "pre"):
                    pass  # nested structures in a heading or item: keep the text flat
                else:
                    self.walk_inline(child, self.inline_style(child, tag, style), skip)
            self.add_text(child.tail, style)

    # -- structures --------------------------------------------------------------------------
    def quote(self, el: HtmlElement) -> list[Block]:
        """The quote's text as Quote blocks, a figure inside it (with its caption) in its
        place between them."""
        sub = _Builder(self.base_url)
        sub.walk_children(el)
        sub.flush()
        cite = el.get("cite") or ""
        return quote_blocks(sub.blocks, safe_join(self.base_url, cite) if cite else "")

    def figure(self, el: HtmlElement) -> None:
        """A figure (or caption box) becomes one Figure per image, the caption on the last.
        A figure with no picture but text of its own (a table, a pull quote) is walked as
        a block, so that its text is kept."""
        caption_el, credit_el = caption_and_credit(el)
        images = box_images(el, caption_el)
        if not images and element_text(el, skip=caption_el):
            self.walk_children(el)
            self.flush()
            return
        caption = self.collect_inline(caption_el, credit_el) if caption_el is not None else []
        figures = [f for f in (image_figure(img, self.base_url) for img in images) if f]
        if not figures:
            if not plain(caption).strip():
                return
            figures = [Figure()]
        figures[-1].caption = caption
        figures[-1].credit = element_text(credit_el) if credit_el is not None else ""
        self.blocks.extend(figures)

    def image(self, el: HtmlElement) -> Figure | None:
        """A bare image's figure, with the caption written under it if there is one."""
        figure = image_figure(el, self.base_url)
        if figure is None:
            return figure
        caption_el = self.captions_after.get(el)
        caption = joomla_caption(el)
        if not caption and caption_el is not None:
            self.captions_shown.add(caption_el)
            caption, figure.credit = split_credit(element_text(caption_el))
        figure.caption = [Span(caption)] if caption else []
        return figure

    def images_inside(self, el: HtmlElement) -> None:
        for img in el.iter(*IMAGE_TAGS):
            figure = image_figure(img, self.base_url)
            if figure is not None:
                self.blocks.append(figure)


# -- helpers -----------------------------------------------------------------------------------


def _tag(el: HtmlElement) -> str:
    return el.tag.lower().rpartition("}")[2] if isinstance(el.tag, str) else ""


def _comes_after(el: HtmlElement | None, other: HtmlElement, within: HtmlElement) -> bool:
    """Whether `el` follows `other` in document order inside `within`."""
    for node in within.iter():
        if node is other:
            return True
        if node is el:
            return False
    return False


def _hidden(el: HtmlElement) -> bool:
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return _tag(el) not in ("img", "figure")
    style = (el.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or "visibility:hidden" in style


def _code_language(el: HtmlElement) -> str:
    for node in (el, *el.iter("code")):
        for cls in (node.get("class") or "").split():
            if cls.startswith(("language-", "lang-")):
                return cls.split("-", 1)[1]
    return ""


def _table(el: HtmlElement) -> Table | None:
    rows: list[list[str]] = []
    header = False
    for tr in el.iter("tr"):
        cells = [c for c in tr if _tag(c) in ("td", "th")]
        if not cells:
            continue
        if not rows and all(_tag(c) == "th" for c in cells):
            header = True
        rows.append([element_text(c) for c in cells])
    rows = [row for row in rows if any(row)]
    return Table(rows, header) if rows else None


def _tidy(blocks: list[Block]) -> list[Block]:
    """Drop empty paragraphs."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Paragraph) and not plain(block.spans).strip():
            continue
        out.append(block)
    return out
