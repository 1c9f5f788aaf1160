"""What a caption is: one set of rules for feed content (`htmldoc`) and web pages (`extract`).

A picture's caption is found by its markup: `<figure>`/`<figcaption>` (AMP's `<amp-img>`
too), WordPress `wp-caption` and Gutenberg image blocks, Drupal and Joomla caption fields,
`caption`/`credit` classes, and a small box holding an image and a caption-classed element.
An image outside any of these may have its caption in the element right after it: a short
paragraph with a caption class, set in bold or italics, ending with a photo credit, or
written in plain type as regional news sites do (all in capitals, after a label such as
"FOTO:" or "CAPTION:", or a capitalised phrase and a dash). No caption is ever made up from
alt text. Everything here reads the tree and never changes it: the page extractor shares
its tree with the figure placement that runs afterwards.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from kabar.core.article.htmlparts import element_text, one_line

IMAGE_TAGS = ("img", "amp-img")
CAPTION_CLASS = re.compile(
    r"(^|[\s_-])(wp-caption-text|caption|figcaption|image-caption|img-caption|photo-caption|"
    r"field-name-field-caption|field--name-field-caption|media-caption|caption-text|"
    r"gallery-caption|blocks-gallery-item__caption)([\s_-]|$)",
    re.I,
)
# "source" only as a word of its own: "resource" or "sourcecode" is not a photo credit
CREDIT_CLASS = re.compile(
    r"(credit|copyright|byline-photo|photographer|(^|[\s_-])source([\s_-]|$))", re.I
)
_BOX_CLASS = re.compile(r"(^|\s)(wp-caption|wp-block-image|image-with-caption)(\s|$)")
_BOX_TAGS = frozenset(("div", "span", "p", "table"))
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
_MAX_CAPTION_WORDS = 80
_BOLD = frozenset(("strong", "b"))
_ITALIC = frozenset(("em", "i"))
_CAPTION_TAGS = frozenset(("p", "div", "span", "center", "small", "strong", "b", "em", "i"))


# -- figures and caption boxes ------------------------------------------------------------------


def is_caption_element(el: HtmlElement) -> bool:
    """A `<figcaption>` or an element with a caption class (never an image itself)."""
    tag = el.tag
    if tag == "figcaption":
        return True
    if not isinstance(tag, str) or tag in IMAGE_TAGS:
        return False  # Joomla's <img class="caption"> is an image, its title the caption
    classes = el.get("class")
    return bool(classes) and CAPTION_CLASS.search(classes) is not None


def box_of(img: HtmlElement) -> HtmlElement | None:
    """The nearest `<figure>` or caption box around an image, a few levels up at most.

    Searching up from the image, rather than testing every element on the way down, finds
    each picture's own box in a gallery and keeps a whole story body that happens to hold
    a captioned picture from being taken for a caption box.
    """
    for depth, node in enumerate(img.iterancestors()):
        if depth >= 4:
            break
        if node.tag == "figure":
            return node
        if _is_caption_box(node):
            return node
    return None


def _is_caption_box(el: HtmlElement) -> bool:
    """A small container holding an image and its caption (WordPress, Drupal, Joomla, ...):
    a few children and little text, so that an article body is never taken for one."""
    if el.tag not in _BOX_TAGS or len(el) > 4 or len(el.text_content()) > 1500:
        return False
    if _BOX_CLASS.search(el.get("class") or ""):
        return True
    images = sum(1 for _ in el.iter(*IMAGE_TAGS))
    return 0 < images <= 4 and find_caption(el) is not None


def text_beside(box: HtmlElement, caption: HtmlElement) -> bool:
    """Whether a caption box holds text besides its caption and credit: a short story
    around its picture rather than a figure (feed content must keep that text)."""
    return bool((box.text or "").strip()) or _text_outside(box, caption)


def _text_outside(el: HtmlElement, caption: HtmlElement) -> bool:
    for child in el:
        if (child.tail or "").strip():
            return True
        tag = child.tag
        if child is caption or not isinstance(tag, str) or tag in ("script", "style"):
            continue
        if CREDIT_CLASS.search(child.get("class") or ""):
            continue
        if (child.text or "").strip() or _text_outside(child, caption):
            return True
    return False


def find_caption(box: HtmlElement) -> HtmlElement | None:
    """The first caption element inside a figure or caption box."""
    for node in box.iterdescendants():
        if is_caption_element(node):
            return node
    return None


def caption_and_credit(box: HtmlElement) -> tuple[HtmlElement | None, HtmlElement | None]:
    """A figure's caption element and its credit element: the credit inside the caption
    if it holds one, else anywhere else in the figure."""
    caption = find_caption(box)
    credit = _find_credit(caption) if caption is not None else None
    if credit is None:
        credit = _find_credit(box, exclude=caption)
    return caption, credit


def box_images(box: HtmlElement, caption: HtmlElement | None) -> list[HtmlElement]:
    """The pictures of a figure in order, leaving out any inside its caption and the
    `<img>` fallback inside an `<amp-img>` (the same picture)."""
    images: list[HtmlElement] = []
    for img in box.iter(*IMAGE_TAGS):
        if caption is not None and _inside(img, caption):
            continue
        if img.tag == "img" and _parent_tag(img) == "amp-img":
            continue
        images.append(img)
    return images


def _find_credit(el: HtmlElement, exclude: HtmlElement | None = None) -> HtmlElement | None:
    """The first credit-classed element below `el` (not `el` itself: a caption classed as
    a credit is still the caption), outside `exclude`."""
    for node in el.iterdescendants():
        if not isinstance(node.tag, str) or node.tag in IMAGE_TAGS:
            continue
        if exclude is not None and (node is exclude or _inside(node, exclude)):
            continue
        if CREDIT_CLASS.search(node.get("class") or "") and node.text_content().strip():
            return node
    return None


# -- captions after a bare image -----------------------------------------------------------------


def joomla_caption(img: HtmlElement) -> str:
    """Joomla's `<img class="caption" title="...">`: its script turns the title into a caption."""
    if "caption" not in (img.get("class") or "").split():
        return ""
    return one_line(img.get("title"))


def image_holder(img: HtmlElement) -> HtmlElement:
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


def caption_after(img: HtmlElement, holder: HtmlElement) -> HtmlElement | None:
    """The element under a bare image that reads as its caption: the next block after the
    image's holder, or a bold line after a `<br>` in the image's own paragraph."""
    found = _caption_after(holder)
    return found if found is not None else _caption_in_same_paragraph(img)


def split_credit(text: str) -> tuple[str, str]:
    """A caption paragraph's text split into the caption and a trailing photo credit."""
    match = _CREDIT_TAIL.search(text)
    if match is None or match.start() == 0:
        return text, ""
    return text[: match.start()].rstrip(" -–—|,;"), match.group(1).strip()


def _caption_after(holder: HtmlElement) -> HtmlElement | None:
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
    return not element_text(el) and el.find(".//img") is None and el.find(".//amp-img") is None


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
        and element_text(after[0])
    ):
        return after[0]
    return None


def _styled_caption(el: HtmlElement) -> bool:
    """A short paragraph set apart as a caption: all bold or all italic, ending with a
    photo credit, or opening with an upper-case title and a dash."""
    if not _short(el) or el.find(".//img") is not None:
        return False
    text = element_text(el)
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
    text = element_text(el)
    return 0 < len(text.split()) <= _MAX_CAPTION_WORDS and len(text) <= 600


def _inside(el: HtmlElement, container: HtmlElement) -> bool:
    return any(a is container for a in el.iterancestors())


def _parent_tag(el: HtmlElement) -> str:
    parent = el.getparent()
    return parent.tag if parent is not None and isinstance(parent.tag, str) else ""
