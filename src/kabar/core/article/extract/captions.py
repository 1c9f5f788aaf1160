"""Find the page's figures and their captions in the page itself.

trafilatura drops `<figcaption>` and keeps WordPress captions, if at all, as ordinary
paragraphs, so captions are found here, in the original tree, by their markup:
`<figure>`/`<figcaption>` (AMP's `<amp-img>` too), WordPress `wp-caption` and Gutenberg
image blocks, Drupal and Joomla caption fields and `caption`/`credit` classes (read by
`figures.py`), a caption element that follows a bare image, and captions written as a
bold or upper-case paragraph ("PHOTO TITLE - Someone (left) ...") right after an image,
or in plain type as regional news sites do: all in capitals, after a label ("FOTO:",
"CAPTION:") or a capitalised phrase and a dash. An image with none of these is still a
figure, with its alt text, and no caption is ever made up from the alt text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml.html import HtmlElement

from kabar.core.article.document import Figure, Span, plain
from kabar.core.article.extract.figures import (
    CAPTION_CLASS,
    CREDIT_CLASS,
    IMAGE_TAGS,
    box_figures,
    image_figure,
    is_caption_box,
)
from kabar.core.textsafety import clean_text

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
_CREDIT_TAIL = re.compile(
    r"\s*[(\[]?\s*((photo|foto|image|picture|credit|gambar|sumber foto|fotó|写真|사진|фото|صورة)"
    r"(\s+by)?\s*[:/]\s*[^()\[\]]{2,80}?)\s*[)\]]?\s*$",
    re.I | re.U,
)
_UPPER_LEAD = re.compile(r"^(?P<lead>[^\W\d_a-z][^,:;(\-–—]*?)\s+[-–—:]\s+\S", re.U)
# "FOTO: Warga ...", "CAPTION: The mayor ...", "Keterangan foto: ..."
_CAPTION_LABEL = re.compile(
    r"^(?:foto|photo|caption|keterangan(?:\s+(?:foto|gambar))?|ilustrasi|gambar|legenda)"
    r"(?:\s+(?:ilustrasi|caption|foto))?\s*[:：|]\s*\S",
    re.I | re.U,
)
# "Pasar Terapung Lok Baintan - Pedagang ...": a capitalised phrase of a few words, a dash
_CAPITAL_LEAD = re.compile(r"^(?P<lead>\S+(?:\s+\S+){1,7}?)\s+[-–—]\s+\S", re.U)
# What a news caption says besides its subject: the day in brackets "(3/11/2024)" or who
# stands where "(kiri)", "(left)". A dateline ("Kuala Lumpur - The minister said") has none.
_CAPTION_SIGN = re.compile(
    r"\((?:\d{1,2}/\d{1,2}(?:/\d{2,4})?|kiri|kanan|tengah|depan|left|right|centre|center)\W",
    re.I | re.U,
)
_NOT_A_CAPTION = re.compile(
    r"^(?:baca juga|read more|read also|lihat juga|simak juga|advertisement|scroll)", re.I
)
_SPACE = re.compile(r"\s+")
_MAX_CAPTION_WORDS = 80
_BOLD = frozenset(("strong", "b"))
_ITALIC = frozenset(("em", "i"))
_CAPTION_TAGS = frozenset(("p", "div", "span", "center", "small", "strong", "b", "em", "i"))


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
            box = _box_of(el)
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
        caption_els = tuple(n for n in box.iter() if _is_caption_element(n))
        for figure in box_figures(box, base_url):
            if figure.src or figure.caption:
                found.append(FoundFigure(box, figure, caption_els if figure.caption else ()))
    return found


def _box_of(img: HtmlElement) -> HtmlElement | None:
    """The nearest `<figure>` or caption box around an image, a few levels up at most."""
    for depth, node in enumerate(img.iterancestors()):
        if depth >= 4:
            break
        tag = node.tag
        if tag == "figure":
            return node
        # a caption box wraps an image and a caption, little else; testing only small
        # elements keeps this cheap and keeps a whole article body from being taken for one
        if (
            tag in ("div", "span", "p", "table")
            and len(node) <= 4
            and len(node.text_content()) <= 1500
            and is_caption_box(node)
        ):
            return node
    return None


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


def _is_caption_element(el: HtmlElement) -> bool:
    if not isinstance(el.tag, str):
        return False
    return el.tag == "figcaption" or bool(CAPTION_CLASS.search(el.get("class") or ""))


def _bare_image(img: HtmlElement, base_url: str) -> FoundFigure | None:
    """An image outside any figure markup, with the caption that follows it, if any."""
    if img.tag == "img" and img.getparent() is not None and img.getparent().tag == "amp-img":
        return None
    figure = image_figure(img, base_url)
    if figure is None:
        return None
    title = _SPACE.sub(" ", clean_text(img.get("title") or "")).strip()
    if title and "caption" in (img.get("class") or "").split():
        # Joomla: <img class="caption" title="..."> is turned into a caption by its script
        figure.caption = [Span(title)]
        return FoundFigure(_holder(img), figure)
    holder = _holder(img)
    caption_el = _caption_after(holder)
    if caption_el is None:
        caption_el = _caption_in_same_paragraph(img)
    if caption_el is None:
        return FoundFigure(holder, figure)
    spans = _inline(caption_el)
    text = plain(spans)
    credit = ""
    match = _CREDIT_TAIL.search(text)
    if match and match.start() > 0:
        credit = match.group(1).strip()
        spans = _cut(spans, match.start())
    figure.caption = spans
    figure.credit = credit
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


def _holder(img: HtmlElement) -> HtmlElement:
    """The image, or the link/paragraph/div wrapping nothing but it, as a block."""
    node = img
    while True:
        parent = node.getparent()
        if parent is None or parent.tag not in ("a", "p", "div", "span", "picture", "center"):
            return node
        if (parent.text or "").strip() or any(
            c is not node and (isinstance(c.tag, str) and c.tag not in ("br", "source"))
            for c in parent
        ):
            return node if node is not img or parent.tag != "picture" else parent
        if any((c.tail or "").strip() for c in parent):
            return node
        node = parent


def _caption_after(holder: HtmlElement) -> HtmlElement | None:
    """The element right after an image that reads as its caption."""
    if (holder.tail or "").strip():
        return None
    sibling = holder.getnext()
    skipped = 0
    while sibling is not None and (
        not isinstance(sibling.tag, str)
        or sibling.tag == "br"
        or (skipped < 2 and _is_empty(sibling))
    ):
        if isinstance(sibling.tag, str) and sibling.tag != "br":
            skipped += 1
        if (sibling.tail or "").strip():
            return None
        sibling = sibling.getnext()
    if sibling is None or sibling.tag in IMAGE_TAGS or sibling.find(".//img") is not None:
        return None
    classes = sibling.get("class") or ""
    if (CAPTION_CLASS.search(classes) or CREDIT_CLASS.search(classes)) and _short(sibling):
        return sibling
    if sibling.tag in _CAPTION_TAGS and _styled_caption(sibling):
        return sibling
    return None


def _is_empty(el: HtmlElement) -> bool:
    return not _text(el) and el.find(".//img") is None and el.find(".//amp-img") is None


def _caption_in_same_paragraph(img: HtmlElement) -> HtmlElement | None:
    """`<p><img><br><strong>Caption</strong></p>`: a bold line under the image."""
    parent = img.getparent()
    if parent is None or parent.tag != "p" or (parent.text or "").strip():
        return None
    after = [c for c in img.itersiblings() if isinstance(c.tag, str) and c.tag != "br"]
    if (
        len(after) == 1
        and after[0].tag in _BOLD
        and not (after[0].tail or "").strip()
        and _short(after[0])
        and _text(after[0])
    ):
        return after[0]
    return None


def _styled_caption(el: HtmlElement) -> bool:
    """A short paragraph set apart as a caption: all bold or all italic, ending with a
    photo credit, or opening with an upper-case title and a dash."""
    if not _short(el) or el.find(".//img") is not None:
        return False
    text = _text(el)
    if not text:
        return False
    if _all_styled(el, _BOLD) or _all_styled(el, _ITALIC):
        return True
    credit = _CREDIT_TAIL.search(text)
    if credit and credit.start() > 0 and len(text.split()) <= 60:
        return True
    if _NOT_A_CAPTION.match(text):
        return False
    match = _UPPER_LEAD.match(text)
    if match:
        lead = match.group("lead")
        if len(lead.split()) >= 2 and lead == lead.upper() and lead != lead.lower():
            return True
    return _plain_caption(text)


def _plain_caption(text: str) -> bool:
    """A caption in plain type, as regional news sites write them under a photo: all in
    capitals, opened by a label ("FOTO:", "CAPTION:"), or a capitalised phrase and a dash
    with a caption's bracketed day or position ("Lok Baintan - Pedagang ..., (3/11/2024)")."""
    words = text.split()
    if len(words) > 60:
        return False
    if _CAPTION_LABEL.match(text):
        return True
    letters = [c for c in text if c.isalpha()]
    cased = [c for c in letters if c.isupper() or c.islower()]
    if len(words) >= 3 and len(cased) >= 12 and sum(c.isupper() for c in cased) >= 0.9 * len(cased):
        return True
    match = _CAPITAL_LEAD.match(text)
    if match is None or not _CAPTION_SIGN.search(text):
        return False
    lead = match.group("lead").split()
    capitalised = [w for w in lead if w[0].isupper()]
    return (
        len(capitalised) >= 2
        and lead[0][0].isupper()
        and lead[-1][0].isupper()
        and all(w[0].isupper() or (w.islower() and len(w) <= 4) for w in lead)
    )


def _all_styled(el: HtmlElement, tags: frozenset[str]) -> bool:
    """Every visible character of the element is inside one of `tags` (bold or italic)."""
    if el.tag in tags:
        return True
    if (el.text or "").strip():
        return False
    children = [c for c in el if isinstance(c.tag, str) and c.tag != "br"]
    if not children:
        return False
    for child in children:
        if (child.tail or "").strip():
            return False
        if not _all_styled(child, tags):
            return False
    return True


def _short(el: HtmlElement) -> bool:
    text = _text(el)
    return 0 < len(text.split()) <= _MAX_CAPTION_WORDS and len(text) <= 600


def _text(el: HtmlElement) -> str:
    return _SPACE.sub(" ", clean_text(el.text_content())).strip()


def _inline(el: HtmlElement) -> list[Span]:
    """The caption's text as one plain span: styles in captions carry no meaning."""
    text = _text(el)
    return [Span(text)] if text else []


def _cut(spans: list[Span], end: int) -> list[Span]:
    text = plain(spans)[:end].rstrip(" -–—|,;")
    return [Span(text)] if text else []
