"""feedparser's element handlers (`_start_x` / `_end_x`), ported to the fast `Walker`.

Each handler transcribes feedparser's own, keeping every side effect that reaches what
Kabar reads or steers feedparser's later choices, and dropping bookkeeping of fields Kabar
never looks at. Elements without children have "fused" handlers that do start, text and
end at once. `describe` answers, for an element name, how to visit it; names feedparser
has a handler for that this table lacks (GeoRSS, Podlove chapters, an XHTML <body>...) make
it raise `Bail`, and so does an unhandled element feedparser would store over a field we read.
"""

from __future__ import annotations

from kabar.core.feeds.parse import fastmedia as media
from kabar.core.feeds.parse import fastpeople as people
from kabar.core.feeds.parse.fastdates import parse_date
from kabar.core.feeds.parse.fasttext import (
    FP_END,
    FP_START,
    HTML_TYPES,
    Bail,
    Element,
    map_content_type,
)
from kabar.core.feeds.parse.fastwalk import (
    CHILDREN,
    CUSTOM,
    DISCARD,
    FUSED,
    LEAF,
    SKIP,
    UNKNOWN,
    Ender,
    Handler,
    Info,
    Walker,
    attrs_of,
    nop,
    text_of,
)

# The "special hack" in unknown_starttag: un-prefixed elements outside these lists end
# feedparser's textinput / image mode.
_TEXTINPUT_CHILDREN = frozenset(("title", "link", "description", "name"))
_IMAGE_CHILDREN = frozenset(("title", "link", "description", "url", "href", "width", "height"))
# Keys Kabar reads or feedparser's control flow tests. feedparser stores an element it has
# no handler for under its own name (through FeedParserDict's key aliases): one that would
# land on one of these is beyond the fast path.
_RESERVED_KEYS = frozenset(
    (
        "id", "link", "links", "title", "title_detail", "author", "author_detail", "authors",
        "published_parsed", "updated_parsed", "summary", "summary_detail", "content", "tags",
        "media_content", "media_credit", "subtitle", "subtitle_detail", "language", "image",
        "textinput", "source", "enclosures", "category", "date_parsed", "modified_parsed",
        "issued_parsed", "description_detail", "tagline_detail", "guidislink", "href",
        "rss", "feed",
    )
)  # fmt: skip


def describe(key: str, plain: bool) -> Info:
    """How walk() visits an element feedparser calls `key` (plain: without a prefix)."""
    spec = SPECS.get(key)
    ends_textinput = plain and key not in _TEXTINPUT_CHILDREN
    ends_image = plain and key not in _IMAGE_CHILDREN
    if spec is None:
        if key in FP_START or key in FP_END:
            raise Bail  # a feedparser handler we have not ported
        if key in _RESERVED_KEYS:
            raise Bail
        return key, ends_textinput, ends_image, UNKNOWN, nop, nop
    start, end, mode = spec
    return key, ends_textinput, ends_image, mode, start, end


# -- document structure ------------------------------------------------------------------------
def _start_channel(w: Walker, el: Element) -> None:
    attrs = attrs_of(el)
    if "lastmod" in attrs or "href" in attrs:
        raise Bail  # CDF attributes, which feedparser reads as a date and a link
    w.infeed = 1


def _end_channel(w: Walker) -> None:
    w.infeed = 0


def _start_item(w: Walker, el: Element) -> None:
    if w.inentry:
        raise Bail  # an entry inside an entry
    attrs = attrs_of(el)
    if "lastmod" in attrs or "href" in attrs:
        raise Bail
    w.entries.append({"\0depth": {}, "\0el": el})
    w.push("item", 0)
    w.inentry = 1
    w.guidislink = False
    w.title_depth = -1
    about = attrs.get("rdf:about")
    if about:
        w.context()["id"] = about


def _end_item(w: Walker) -> None:
    w.discard("item")
    w.inentry = 0
    w.has_content = 0


def _start_image(w: Walker, el: Element) -> None:
    context = w.context()
    if not w.inentry:
        context.setdefault("image", {})
    w.inimage = 1
    w.title_depth = -1
    w.push("image", 0)


def _end_image(w: Walker) -> None:
    w.discard("image")
    w.inimage = 0


def _start_textinput(w: Walker, el: Element) -> None:
    w.context().setdefault("textinput", {})
    w.intextinput = 1
    w.title_depth = -1
    w.push("textinput", 0)


def _end_textinput(w: Walker) -> None:
    w.discard("textinput")
    w.intextinput = 0


def _start_source(w: Walker, el: Element) -> None:
    w.push("source", 1)
    w.insource = 1
    w.title_depth = -1


def _end_source(w: Walker) -> None:
    w.insource = 0
    w.pop("source")
    w.context()
    w.source.clear()


def _bail(w: Walker, el: Element | None = None) -> None:
    raise Bail  # a second <rss> or <feed>: the caller starts the root


# -- text and content: push_content ... pop_content, fused -----------------------------------------
def _title(w: Walker, el: Element) -> None:
    if w.content_value("title", el, "text/plain", w.infeed or w.inentry or w.insource):
        w.title_depth = w.depth


def _media_title(w: Walker, el: Element) -> None:
    title_depth = w.title_depth
    _title(w, el)
    w.title_depth = title_depth


def _description(w: Walker, el: Element) -> None:
    """_start_description + _end_description: a description after a summary is content."""
    if "summary" in w.context() and not w.has_content:
        w.summary_key = "content"
        _content(w, el)
    else:
        w.content_value("description", el, "text/html", w.infeed or w.inentry or w.insource)
    w.summary_key = None


def _abstract(w: Walker, el: Element) -> None:
    w.content_value("description", el, "text/plain", w.infeed or w.inentry or w.insource)
    w.summary_key = None


def _summary(w: Walker, el: Element) -> None:
    if "summary" in w.context() and not w.has_content:
        w.summary_key = "content"
        _content(w, el)
    else:
        w.summary_key = "summary"
        w.content_value("summary", el, "text/plain", 1)
    w.summary_key = None


def _content(w: Walker, el: Element) -> None:
    """_start_content + _end_content, including the stack entry feedparser leaves behind."""
    w.has_content = 1
    w.push("content", 1)  # feedparser pushes twice and pops once
    value = w.content_value("content", el, "text/plain", 1)
    if w.last_content_type == "text/plain" or w.last_content_type in HTML_TYPES:
        w.save("summary", value)


def _content_encoded(w: Walker, el: Element) -> None:
    w.has_content = 1
    value = w.content_value("content", el, "text/html", 1)
    if w.last_content_type == "text/plain" or w.last_content_type in HTML_TYPES:
        w.save("summary", value)


def _text_construct(name: str) -> Handler:
    """subtitle, rights, info: plain push_content/pop_content."""

    def fused(w: Walker, el: Element) -> None:
        w.content_value(name, el, "text/plain", 1)

    return fused


def _language(w: Walker, el: Element) -> None:
    w.finish("language", 1, text_of(el))


# -- links, ids, enclosures ------------------------------------------------------------------
def _link(w: Walker, el: Element) -> None:
    """_start_link, then either its text (no href: pushed and popped) or nothing."""
    attrs = attrs_of(el)
    attrs.setdefault("rel", "alternate")
    attrs.setdefault("type", "application/atom+xml" if attrs["rel"] == "self" else "text/html")
    context = w.context()
    attrs = _enforce_href(attrs)
    if "href" in attrs:
        attrs["href"] = w.resolve(attrs["href"])
    links = context.setdefault("links", [])
    if not (w.inentry and w.inimage):
        links.append(attrs)
    if "href" in attrs:
        if attrs.get("rel") == "alternate" and map_content_type(attrs["type"]) in HTML_TYPES:
            context["link"] = attrs["href"]
        if el.text and w.stack:
            w.stack[-1][2].append(el.text)  # nothing pushed: the text goes to the parent
    else:
        w.finish("link", w.infeed or w.inentry or w.insource, text_of(el))


def _enforce_href(attrs: dict[str, str]) -> dict[str, str]:
    href = attrs.get("url", attrs.get("uri", attrs.get("href")))
    if href:
        attrs.pop("url", None)
        attrs.pop("uri", None)
        attrs["href"] = href
    return attrs


def _guid(w: Walker, el: Element) -> None:
    w.guidislink = attrs_of(el).get("ispermalink", "true") == "true"
    value = w.finish("id", 1, text_of(el))
    w.context()
    if w.guidislink:
        w.save("link", value)


def _enclosure(w: Walker, el: Element) -> None:
    attrs = _enforce_href(attrs_of(el))
    attrs["rel"] = "enclosure"
    w.context().setdefault("links", []).append(attrs)


# -- dates and tags --------------------------------------------------------------------------
def _published(w: Walker, el: Element) -> None:
    w.save("published_parsed", parse_date(w.finish("published", 1, text_of(el))), overwrite=True)


def _updated(w: Walker, el: Element) -> None:
    w.save("updated_parsed", parse_date(w.finish("updated", 1, text_of(el))), overwrite=True)


def _category(w: Walker, el: Element) -> None:
    """_start_category, the element's text, _end_category (the context cannot change between)."""
    if len(el.attrib):
        attrs = attrs_of(el)
        w.add_tag(attrs.get("term"), attrs.get("scheme", attrs.get("domain")), attrs.get("label"))
    else:
        w.context().setdefault("tags", [])
    w.category_value(w.finish("category", 1, text_of(el)))


def _start_tags(w: Walker, el: Element) -> None:
    w.push("tags", 1)


def _end_tags(w: Walker) -> None:
    for term in (w.pop("tags") or "").split(","):
        w.add_tag(term.strip(), None, None)


def _spec(start: Handler, end: Ender = nop, mode: int = FUSED) -> tuple[Handler, Ender, int]:
    return start, end, mode


_discarded = _spec(nop, nop, DISCARD)
_author_spec = _spec(people.author, mode=CUSTOM)
_title_spec = _spec(_title, mode=CUSTOM)
_description_spec = _spec(_description, mode=CUSTOM)
_summary_spec = _spec(_summary, mode=CUSTOM)
_encoded_spec = _spec(_content_encoded, mode=CUSTOM)
_subtitle_spec = _spec(_text_construct("subtitle"), mode=CUSTOM)
_rights_spec = _spec(_text_construct("rights"), mode=CUSTOM)
_info_spec = _spec(_text_construct("info"), mode=CUSTOM)
_published_spec = _spec(_published)
_updated_spec = _spec(_updated)
_category_spec = _spec(_category)
_guid_spec = _spec(_guid)
_url_spec = _spec(people.url)
_name_spec = _spec(people.name)
_email_spec = _spec(people.email)

SPECS: dict[str, tuple[Handler, Ender, int]] = {
    # structure; "rss" and "feed" are the root, which the caller starts itself
    "rss": _spec(_bail, mode=CHILDREN),
    "feed": _spec(_bail, mode=CHILDREN),
    "channel": _spec(_start_channel, _end_channel, CHILDREN),
    "item": _spec(_start_item, _end_item, CHILDREN),
    "entry": _spec(_start_item, _end_item, CHILDREN),
    "image": _spec(_start_image, _end_image, CHILDREN),
    "textinput": _spec(_start_textinput, _end_textinput, CHILDREN),
    "source": _spec(_start_source, _end_source, CHILDREN),
    # people
    "author": _author_spec,
    "managingeditor": _author_spec,
    "dc_author": _author_spec,
    "dc_creator": _author_spec,
    "itunes_author": _author_spec,
    "contributor": _spec(people.start_contributor, people.end_contributor, CHILDREN),
    "dc_contributor": _spec(people.start_dc_contributor, people.end_dc_contributor, LEAF),
    "name": _name_spec,
    "itunes_name": _name_spec,
    "email": _email_spec,
    "itunes_email": _email_spec,
    "url": _url_spec,
    "uri": _url_spec,
    "homepage": _url_spec,
    "itunes_owner": _spec(media.start_itunes_owner, media.end_itunes_owner, CHILDREN),
    "webmaster": _discarded,
    "dc_publisher": _discarded,
    # text and content
    "title": _title_spec,
    "dc_title": _title_spec,
    "media_title": _spec(_media_title, mode=CUSTOM),
    "description": _description_spec,
    "dc_description": _description_spec,
    "abstract": _spec(_abstract, mode=CUSTOM),
    "summary": _summary_spec,
    "itunes_summary": _summary_spec,
    "content": _spec(_content, mode=CUSTOM),
    "content_encoded": _encoded_spec,
    "fullitem": _encoded_spec,
    "subtitle": _subtitle_spec,
    "tagline": _subtitle_spec,
    "itunes_subtitle": _subtitle_spec,
    "rights": _rights_spec,
    "copyright": _rights_spec,
    "dc_rights": _rights_spec,
    "info": _info_spec,
    "feedburner_browserfriendly": _info_spec,
    "language": _spec(_language),
    "dc_language": _spec(_language),
    # links, ids, enclosures
    "link": _spec(_link),
    "guid": _guid_spec,
    "id": _guid_spec,
    "enclosure": _spec(_enclosure, mode=CHILDREN),
    "cloud": _spec(nop, mode=CHILDREN),
    "cc_license": _spec(nop, mode=CHILDREN),
    # dates
    "published": _published_spec,
    "issued": _published_spec,
    "pubdate": _published_spec,
    "dcterms_issued": _published_spec,
    "updated": _updated_spec,
    "modified": _updated_spec,
    "lastbuilddate": _updated_spec,
    "dc_date": _updated_spec,
    "dcterms_modified": _updated_spec,
    # tags
    "category": _category_spec,
    "keywords": _category_spec,
    "dc_subject": _category_spec,
    "tags": _spec(_start_tags, _end_tags, LEAF),
    # read and dropped: pushed, popped, never looked at
    "width": _discarded,
    "height": _discarded,
    "generator": _discarded,
    "newlocation": _discarded,
    "created": _discarded,
    "dcterms_created": _discarded,
    "expirationdate": _discarded,
    "dcterms_valid": _discarded,
    "media_rating": _discarded,
    "media_restriction": _discarded,
    "media_license": _discarded,
    # Media RSS
    "media_group": _spec(nop, mode=CHILDREN),
    "media_content": _spec(media.start_media_content, mode=CHILDREN),
    "media_thumbnail": _spec(media.fused_media_thumbnail),
    "media_credit": _spec(media.fused_media_credit),
    "media_category": _spec(media.fused_media_category),
    "media_keywords": _spec(media.start_keywords, media.end_media_keywords, LEAF),
    "media_player": _spec(media.start_media_player, media.end_media_player, CHILDREN),
    "media_description": _spec(nop, mode=SKIP),  # a caption: read by media_caption()
    # iTunes
    "itunes_category": _spec(media.start_itunes_category, media.end_itunes_category, CHILDREN),
    "itunes_keywords": _spec(media.start_keywords, media.end_itunes_keywords, LEAF),
    "itunes_image": _spec(media.start_itunes_image, media.end_itunes_image, CHILDREN),
    "itunes_link": _spec(media.start_itunes_image, media.end_itunes_image, CHILDREN),
    "itunes_block": _spec(*media.itunes_flag("itunes_block"), LEAF),
    "itunes_explicit": _spec(*media.itunes_flag("itunes_explicit"), LEAF),
}
