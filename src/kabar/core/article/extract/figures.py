"""Find the page's figures and their captions in the page itself.

trafilatura drops `<figcaption>` and keeps WordPress captions, if at all, as ordinary
paragraphs, so figures are found here, in the original tree, with the caption rules of
`kabar.core.article.captions` (the same rules feed content goes through). What is particular
to a whole page is which pictures count: icons, avatars and tracking pixels do not, nor
pictures in related-story boxes, share bars, sidebars and footers. An image with no caption
is still a figure, with its alt text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml.html import HtmlElement

from kabar.core.article.captions import (
    IMAGE_TAGS,
    box_images,
    box_of,
    caption_after,
    caption_and_credit,
    image_holder,
    is_caption_element,
    joomla_caption,
    split_credit,
)
from kabar.core.article.document import Figure, Span
from kabar.core.article.htmlparts import element_text, image_figure

# Images that are not pictures of the story: icons, avatars, smileys, tracking pixels.
_NOT_A_PICTURE = re.compile(
    r"(avatar|emoji|smiley|wp-smiley|icon|logo|gravatar|spinner|loader|pixel|badge|sprite)", re.I
)
# Regions whose pictures belong to other articles or to the site.
_FURNITURE_REGION = re.compile(
    r"(^|\s)(related|recommend|more-stories|read-more|share|sharing|social|sidebar|"
    r"comment|newsletter|promo|advert|ads?[-_]|sponsor|author-box|author-bio|about-author|"
    r"footer|nav|menu|breadcrumb|jp-relatedposts|yarpp|outbrain|taboola)",
    re.I,
)


@dataclass(slots=True)
class FoundFigure:
    """A figure and the element it came from, for placing it among the text blocks."""

    element: HtmlElement
    figure: Figure
    # the page elements that held its caption: their text must not appear as body text
    caption_elements: tuple[HtmlElement, ...] = ()


def find_figures(root: HtmlElement, base_url: str = "") -> list[FoundFigure]:
    """Every figure of the page in document order (the caller keeps those in the article).

    We start from the images and look a few levels up for their figure or caption box,
    rather than testing every element of the page, which would cost more than the
    extraction itself on a large page.
    """
    found: list[FoundFigure] = []
    done: set[HtmlElement] = set()
    captions_taken: set[HtmlElement] = set()
    furniture: dict[HtmlElement, bool] = {}
    for el in root.iter("figure", *IMAGE_TAGS):
        if el.tag == "figure":
            if el in done or el.find(".//img") is not None or el.find(".//amp-img") is not None:
                continue  # figures with images are reached from their images
            box: HtmlElement | None = el
        else:
            if _icon_like(el):
                continue  # cheap checks first: most images on a page are icons and thumbnails
            box = box_of(el)
            if box is None and _tiny(el):
                continue  # a small bare image is decoration; in a captioned figure it is not
        if box is None:
            if el in captions_taken or _in_furniture(el, furniture):
                continue
            item = _bare_image(el, base_url)
            if item is not None:
                found.append(item)
                captions_taken.update(item.caption_elements)
            continue
        if box in done:
            continue
        done.add(box)
        if _in_furniture(box, furniture):
            continue
        caption_els = tuple(n for n in box.iter() if is_caption_element(n))
        for figure in box_figures(box, base_url):
            if figure.src or figure.caption:
                found.append(FoundFigure(box, figure, caption_els if figure.caption else ()))
    return found


def box_figures(box: HtmlElement, base_url: str = "") -> list[Figure]:
    """A figure or caption box as one Figure per image, the caption on the last one.

    A page's caption is kept as plain text: the styles in it are the site's design.
    """
    caption_el, credit_el = caption_and_credit(box)
    caption = element_text(caption_el, skip=credit_el) if caption_el is not None else ""
    credit = element_text(credit_el) if credit_el is not None else ""
    figures = [f for f in (image_figure(img, base_url) for img in box_images(box, caption_el)) if f]
    if not figures:
        if not caption:
            return []
        figures = [Figure()]
    figures[-1].caption = [Span(caption)] if caption else []
    figures[-1].credit = credit
    return figures


def _in_furniture(el: HtmlElement, cache: dict[HtmlElement, bool]) -> bool:
    """Inside a related-stories box, a share bar, a sidebar, a footer, ...? (memoised)"""
    seen: list[HtmlElement] = []
    verdict = False
    for node in el.iterancestors():
        known = cache.get(node)
        if known is not None:
            verdict = known
            break
        seen.append(node)
        if node.tag in ("nav", "footer", "aside") or _FURNITURE_REGION.search(
            f"{node.get('class') or ''} {node.get('id') or ''}"
        ):
            verdict = True
            break
    for node in seen:
        cache[node] = verdict
    return verdict


def _bare_image(img: HtmlElement, base_url: str) -> FoundFigure | None:
    """An image outside any figure markup, with the caption that follows it, if any."""
    if img.tag == "img" and img.getparent() is not None and img.getparent().tag == "amp-img":
        return None
    figure = image_figure(img, base_url)
    if figure is None:
        return None
    holder = image_holder(img)
    title = joomla_caption(img)
    if title:
        figure.caption = [Span(title)]
        return FoundFigure(holder, figure)
    caption_el = caption_after(img, holder)
    if caption_el is None:
        return FoundFigure(holder, figure)
    caption, figure.credit = split_credit(element_text(caption_el))
    figure.caption = [Span(caption)] if caption else []
    return FoundFigure(holder, figure, (caption_el,))


def _icon_like(img: HtmlElement) -> bool:
    """An icon, avatar, smiley or tracking pixel by its name rather than a picture."""
    return bool(_NOT_A_PICTURE.search(f"{img.get('class') or ''} {img.get('src') or ''}"))


def _tiny(img: HtmlElement) -> bool:
    for attr in ("width", "height"):
        value = (img.get(attr) or "").strip().removesuffix("px")
        if value.isdigit() and int(value) < 50:
            return True
    return False
