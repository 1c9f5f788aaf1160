"""One figure element of a page to `Figure` blocks: image source, caption, credit, alt.

The same markup families as `kabar.core.article.htmldoc` (figure/figcaption, WordPress and Drupal
caption classes, credit spans), plus AMP's `<amp-img>`, read without changing the page tree:
the tree is shared with the anchor search that places the figures afterwards.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from kabar.core.article.document import Figure, Span
from kabar.core.article.htmlparts import image_src
from kabar.core.textsafety import clean_text, safe_join

IMAGE_TAGS = ("img", "amp-img")
CAPTION_CLASS = re.compile(
    r"(^|[\s_-])(wp-caption-text|caption|figcaption|image-caption|img-caption|photo-caption|"
    r"field-name-field-caption|field--name-field-caption|media-caption|caption-text|"
    r"gallery-caption|blocks-gallery-item__caption)([\s_-]|$)",
    re.I,
)
CREDIT_CLASS = re.compile(
    r"(credit|copyright|byline-photo|photographer|(^|[\s_-])source([\s_-]|$))", re.I
)
_BOX_CLASS = re.compile(r"(^|\s)(wp-caption|wp-block-image|image-with-caption)(\s|$)")
_SPACE = re.compile(r"\s+")


def is_caption_box(el: HtmlElement) -> bool:
    """A container holding an image and its caption (WordPress, Drupal, Joomla, ...)."""
    if _BOX_CLASS.search(el.get("class") or ""):
        return True
    images = sum(1 for _ in el.iter(*IMAGE_TAGS))
    return 0 < images <= 4 and find_caption(el) is not None


def find_caption(el: HtmlElement) -> HtmlElement | None:
    for node in el.iterdescendants():
        if not isinstance(node.tag, str) or node.tag in IMAGE_TAGS:
            continue  # Joomla's <img class="caption"> is an image, its title the caption
        if node.tag == "figcaption" or CAPTION_CLASS.search(node.get("class") or ""):
            return node
    return None


def box_figures(box: HtmlElement, base_url: str = "") -> list[Figure]:
    """A figure or caption box as one Figure per image, the caption on the last one."""
    caption_el = find_caption(box)
    credit_el = _find_credit(caption_el) if caption_el is not None else None
    if credit_el is caption_el:
        credit_el = None  # a caption element classed as a credit is still the caption
    if credit_el is None:
        credit_el = _find_credit(box, exclude=caption_el)
    caption = text_of(caption_el, skip=credit_el) if caption_el is not None else ""
    credit = text_of(credit_el) if credit_el is not None else ""
    figures: list[Figure] = []
    for img in box.iter(*IMAGE_TAGS):
        if caption_el is not None and _inside(img, caption_el):
            continue
        if img.tag == "img" and _parent_tag(img) == "amp-img":
            continue  # the fallback inside an amp-img: the same picture
        figure = image_figure(img, base_url)
        if figure is not None:
            figures.append(figure)
    if not figures:
        if not caption:
            return []
        figures = [Figure()]
    figures[-1].caption = [Span(caption)] if caption else []
    figures[-1].credit = credit
    return figures


def image_figure(img: HtmlElement, base_url: str = "") -> Figure | None:
    """A caption-less figure for one image, or None if it has no usable source."""
    src = image_src(img)
    if not src:
        return None
    url = safe_join(base_url, src)
    if not url:
        return None
    alt = _SPACE.sub(" ", clean_text(img.get("alt") or "")).strip()
    return Figure(src=url, alt=alt)


def text_of(el: HtmlElement, skip: HtmlElement | None = None) -> str:
    """The element's visible text on one line, leaving out the `skip` subtree."""
    if skip is None or not _inside(skip, el):
        return _SPACE.sub(" ", clean_text(el.text_content())).strip()
    parts: list[str] = []
    _collect(el, skip, parts)
    return _SPACE.sub(" ", clean_text("".join(parts))).strip()


def _collect(el: HtmlElement, skip: HtmlElement, parts: list[str]) -> None:
    if isinstance(el.tag, str) and el.tag in ("script", "style"):
        return
    if el.text:
        parts.append(el.text)
    for child in el:
        if child is not skip:
            _collect(child, skip, parts)
        if child.tail:
            parts.append(child.tail)


def _find_credit(el: HtmlElement, exclude: HtmlElement | None = None) -> HtmlElement | None:
    for node in el.iter():
        if not isinstance(node.tag, str) or node.tag in IMAGE_TAGS:
            continue
        if exclude is not None and (node is exclude or _inside(node, exclude)):
            continue
        if CREDIT_CLASS.search(node.get("class") or "") and node.text_content().strip():
            return node
    return None


def _inside(el: HtmlElement, container: HtmlElement) -> bool:
    return any(a is container for a in el.iterancestors())


def _parent_tag(el: HtmlElement) -> str:
    parent = el.getparent()
    return parent.tag if parent is not None and isinstance(parent.tag, str) else ""
