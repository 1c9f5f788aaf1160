"""Media RSS and iTunes elements, as feedparser's handlers treat them (plus our captions).

Media RSS captions are the one place the fast path parts from feedparser on purpose.
feedparser reads <media:description> as one more description, so a caption can become the
entry's summary, or even its content; and it gives the first <media:credit> of an entry to
its first enclosure, whatever media the credit belongs to. Here a description and a credit
are the caption and credit of their own <media:content>, of every object in their
<media:group>, or, directly in the item, of its first enclosure; summary and content are
left as feedparser reads them without the captions (docs/parsing.md).
"""

from __future__ import annotations

from kabar.core.article.htmlparts import strip_tags
from kabar.core.feeds.parse.fasttext import Bail, Element, fix_text
from kabar.core.feeds.parse.fastwalk import Ender, Handler, Walker, attrs_of, text_of
from kabar.core.textsafety import clean_line

MEDIA_NS = ("http://search.yahoo.com/mrss/", "http://search.yahoo.com/mrss")
ITUNES = "http://www.itunes.com/"
_MEDIA_GROUP = frozenset(f"{{{ns}}}group" for ns in MEDIA_NS)


def media_caption(el: Element) -> tuple[str, str]:
    """The caption and credit Media RSS gives the media object `el` (or its group/item)."""
    caption = credit = ""
    for child in el:
        tag = child.tag
        if not isinstance(tag, str) or tag[0] != "{":
            continue
        namespace, _, local = tag[1:].partition("}")
        if namespace not in MEDIA_NS:
            continue
        if local == "description" and not caption:
            text = fix_text((child.text or "").strip())
            caption = strip_tags(text) if child.get("type") == "html" else clean_line(text)
        elif local == "credit" and not credit:
            credit = clean_line(fix_text("".join(map(str, child.itertext())).strip()))
    return caption, credit


def start_media_content(w: Walker, el: Element) -> None:
    """feedparser keeps the attributes; we add the object's caption and credit."""
    attrs = attrs_of(el)
    caption, credit = media_caption(el)
    parent = el.getparent()
    if (not caption or not credit) and parent is not None and parent.tag in _MEDIA_GROUP:
        group_caption, group_credit = media_caption(parent)  # a group's caption is its items'
        caption = caption or group_caption
        credit = credit or group_credit
    attrs["\0caption"], attrs["\0credit"] = caption, credit
    w.context().setdefault("media_content", []).append(attrs)


def fused_media_credit(w: Walker, el: Element) -> None:
    w.context().setdefault("media_credit", []).append(attrs_of(el))
    credit = w.finish("credit", 1, text_of(el))
    if credit.strip():
        w.context()["media_credit"][-1]["content"] = credit


def fused_media_thumbnail(w: Walker, el: Element) -> None:
    w.context().setdefault("media_thumbnail", [])
    w.finish("url", 1, text_of(el))
    w.context()


def fused_media_category(w: Walker, el: Element) -> None:
    attrs = attrs_of(el)
    attrs.setdefault("scheme", "http://search.yahoo.com/mrss/category_schema")
    w.add_tag(attrs.get("term"), attrs.get("scheme", attrs.get("domain")), attrs.get("label"))
    w.category_value(w.finish("category", 1, text_of(el)))


def start_media_player(w: Walker, el: Element) -> None:
    w.push("media_player", 0)


def end_media_player(w: Walker) -> None:
    w.discard("media_player")
    w.context()


def start_keywords(w: Walker, el: Element) -> None:
    """media:keywords, itunes:keywords: no start handler, so feedparser's default applies."""
    if len(el.attrib):
        raise Bail  # feedparser would store the attributes, then crash splitting None
    tag = el.tag
    assert isinstance(tag, str)
    w.push("media_keywords" if tag.startswith("{http://search.yahoo") else "itunes_keywords", 1)


def end_media_keywords(w: Walker) -> None:
    for term in (w.pop("media_keywords") or "").split(","):
        if term.strip():
            w.add_tag(term.strip(), None, None)


def end_itunes_keywords(w: Walker) -> None:
    for term in (w.pop("itunes_keywords") or "").split(","):
        if term.strip():
            w.add_tag(term.strip(), ITUNES, None)


def start_itunes_category(w: Walker, el: Element) -> None:
    w.add_tag(attrs_of(el).get("text"), ITUNES, None)
    w.push("category", 1)


def end_itunes_category(w: Walker) -> None:
    w.category_value(w.pop("category"))


def start_itunes_owner(w: Walker, el: Element) -> None:
    w.inpublisher = 1
    w.push("publisher", 0)


def end_itunes_owner(w: Walker) -> None:
    w.discard("publisher")
    w.inpublisher = 0


def start_itunes_image(w: Walker, el: Element) -> None:
    w.push("itunes_image", 0)
    attrs = attrs_of(el)
    href = attrs.get("href") or attrs.get("url")
    if href:
        w.context()["image"] = {"href": href}


def end_itunes_image(w: Walker) -> None:
    w.discard("itunes_image")


def itunes_flag(name: str) -> tuple[Handler, Ender]:
    """itunes:block/explicit: feedparser's default start, then an end handler that pops."""

    def start(w: Walker, el: Element) -> None:
        if len(el.attrib):
            w.context()
        else:
            w.push(name, 1)

    def end(w: Walker) -> None:
        w.discard(name)
        w.context()

    return start, end
