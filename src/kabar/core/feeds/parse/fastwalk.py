"""feedparser's reading of an XML feed, replayed over an lxml tree.

feedparser is a SAX handler with a good deal of state (which context an element writes into,
which title wins, when a second description becomes content, how xml:base moves...). The
`Walker` keeps the same state, under the same names, and updates it in the same order while
`walk`/`children` visit the tree lxml built, so order-dependent quirks come out identical.
The handlers for each element live in `fastelements` and `fastmedia`; this module holds
what they share: the element stack, contexts, `pop()` and its text processing, tags.

Only what Kabar reads is computed in full (titles, links, ids, dates, authors, summaries,
content, enclosures, tags, feed title/link/description/language/ttl). Anything outside the
handled subset raises `Bail`, and the caller falls back to feedparser itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from kabar.core.feeds.parse.fasthtml import XHTML, sanitize_html
from kabar.core.feeds.parse.fasttext import (
    HTML_TYPES,
    XML_NS,
    Bail,
    Context,
    Element,
    attr_items,
    attributes,
    fix_text,
    join_uri,
    map_content_type,
    unwrap_div,
    xhtml_pieces,
)
from kabar.core.feeds.parse.fpgate import _FeedParserMixin, _urljoin, make_safe_absolute_uri

Handler = Callable[["Walker", Element], None]
Ender = Callable[["Walker"], None]
# What walk() needs to know about an element name: feedparser's handler name, whether the
# element ends feedparser's textinput / image mode (the "special hack" in unknown_starttag),
# then our mode, start and end handlers.
Info = tuple[str, bool, bool, int, Handler, Ender]
# Modes. CHILDREN: start handler, the element's text and children, end handler. LEAF: the
# same for an element that must not have children. FUSED: one function does start, text and
# end of an element without children (push and pop collapsed). CUSTOM: one function takes
# the element whole. DISCARD: pushed and popped text nobody reads. SKIP: never visited.
# UNKNOWN: no feedparser handler, so its default (store under the element's own name).
CHILDREN, LEAF, FUSED, CUSTOM, DISCARD, SKIP, UNKNOWN = range(7)

_AMP_REF = re.compile("&([A-Za-z0-9_]+);")
_looks_like_html: Callable[[str], bool] = _FeedParserMixin.looks_like_html
# Elements whose value Kabar never reads: skip the HTML and text clean-up for them.
_UNREAD = frozenset(
    (
        "rights", "copyright", "info", "href", "url", "comments", "docs", "icon", "logo",
        "generator", "publisher", "created", "expired", "validity", "newlocation", "rating",
        "restriction", "license", "media_player", "source", "itunes_image", "itunes_block",
        "itunes_explicit", "width", "height",
    )
)  # fmt: skip
_RESOLVED = frozenset(("link", "id"))  # the can_be_relative_uri elements Kabar reads
_NOT_STORED = frozenset(("category", "tags", "itunes_keywords"))
# Elements whose HTML feedparser resolves and sanitises (can_contain_dangerous_markup).
_MARKUP = frozenset(_FeedParserMixin.can_contain_dangerous_markup) - _UNREAD


class Walker:
    """feedparser's _FeedParserMixin state, driven element by element."""

    __slots__ = (
        "basestack",
        "baseuri",
        "contentparams",
        "depth",
        "entries",
        "feed",
        "guidislink",
        "has_content",
        "has_media",
        "inauthor",
        "incontent",
        "incontributor",
        "inentry",
        "infeed",
        "inimage",
        "inpublisher",
        "insource",
        "intextinput",
        "is_atom",
        "known_names",
        "last_content_type",
        "names",
        "source",
        "stack",
        "summary_key",
        "title_depth",
        "track_base",
        "version",
    )  # fmt: skip

    def __init__(self, version: str, base: str, track_base: bool) -> None:
        self.version = version
        self.is_atom = version.startswith("atom")
        self.baseuri = base
        self.track_base = track_base  # whether any element may carry xml:base
        self.basestack: list[str] = []
        self.feed: Context = {}
        self.entries: list[Context] = []
        self.source: Context = {}
        self.stack: list[list[Any]] = []  # [element, expecting_text, pieces]
        self.contentparams: dict[str, str] = {}
        self.depth = 0
        self.infeed = self.inentry = self.incontent = 0
        self.inimage = self.intextinput = self.insource = 0
        self.inauthor = self.incontributor = self.inpublisher = 0
        self.has_content = 0
        self.guidislink = False
        self.title_depth = -1
        self.summary_key: str | None = None
        self.last_content_type = ""
        self.has_media = False  # whether the document mentions the Media RSS namespace
        self.names: Callable[[str], Info] = _no_names
        self.known_names: dict[Any, Info] = {}  # what names() has answered so far

    # -- the element stack -----------------------------------------------------------------------
    def push(self, element: str, expecting_text: int) -> None:
        self.stack.append([element, expecting_text, []])

    def discard(self, element: str) -> None:
        """pop() for an element nobody reads: keep the stack right, skip the text work."""
        if self.stack and self.stack[-1][0] == element:
            self.stack.pop()

    def pop(self, element: str, strip: bool = True) -> str | None:
        """_FeedParserMixin.pop, computing in full only what Kabar reads."""
        stack = self.stack
        if not stack or stack[-1][0] != element:
            return None
        _, expecting_text, pieces = stack.pop()
        params = self.contentparams
        if params and self.version == "atom10" and params.get("type") == XHTML:
            pieces = unwrap_div(pieces)
        output = "".join(pieces)
        return self.finish(element, expecting_text, output.strip() if strip else output)

    def finish(self, element: str, expecting_text: int, output: str) -> str:
        """The rest of pop(), once the element's text is known.

        Elements that cannot have children skip the stack: their handlers call this with
        the element's own (stripped) text, which is all pop() would have collected.
        """
        if not expecting_text:
            return output
        if element in _RESOLVED and output and (element != "id" or self.guidislink):
            output = join_uri(self.baseuri, output)
        if element in _UNREAD:
            return output if element in _NOT_STORED else self._store(element, output)
        params = self.contentparams
        if params:
            content_type = params.get("type")
            if (
                content_type == "text/plain"
                and not self.is_atom
                and ("<" in output or "&" in output)  # all looks_like_html can accept
                and _looks_like_html(output)
            ):
                content_type = params["type"] = "text/html"
            if element in _MARKUP and map_content_type(content_type or "text/html") in (HTML_TYPES):
                output = sanitize_html(output, self.baseuri, content_type or "text/html")
        if not output.isascii():
            output = fix_text(output)
        if element in _NOT_STORED:
            return output
        if element == "title" and -1 < self.title_depth <= self.depth:
            return output
        return self._store(element, output)

    def _store(self, element: str, output: str) -> str:
        """Where pop() puts a value: the entry (with its depth rule), or the feed context."""
        if self.inentry and not self.insource:
            entry = self.entries[-1]
            if element == "content":
                entry.setdefault("content", []).append((self.contentparams.get("type"), output))
            elif element == "link":
                if not self.inimage:
                    output = output.replace("&amp;", "&")
                    if "&" in output:
                        output = _AMP_REF.sub(r"&\g<1>", output)
                    entry["link"] = output
                    if output:
                        entry["links"][-1]["href"] = output
            else:
                if element == "description":
                    element = "summary"
                depths = entry["\0depth"]
                old = depths.get(element)
                if old is None or self.depth <= old:
                    depths[element] = self.depth
                    entry[element] = output
                if self.incontent:
                    entry[element + "_detail"] = self.contentparams.get("type")
        elif self.infeed or self.insource:
            context = self.context()
            if element == "description":
                element = "subtitle"
            context[element] = output
            if element == "link":
                if "&" in output:
                    output = _AMP_REF.sub(r"&\g<1>", output)
                context["link"] = output
                context["links"][-1]["href"] = output
            elif self.incontent:
                context[element + "_detail"] = self.contentparams.get("type")
        return output

    def content_value(self, tag: str, el: Element, default_type: str, expecting: int) -> str:
        """push_content, the element's text, pop_content: one content element, whole.

        Its children are never handled as elements (feedparser serialises them when the
        content is XHTML), so nothing can happen between the push and the pop.
        """
        self.incontent += 1
        attrs = attributes(el) if len(el.attrib) else {}
        content_type = map_content_type(attrs.get("type", default_type))
        if attrs.get("mode", "") == "base64" or not (
            content_type.startswith("text/") or content_type.endswith(("+xml", "/xml"))
        ):
            raise Bail  # feedparser would base64-decode it
        self.contentparams = {"type": content_type}
        self.last_content_type = content_type
        if content_type == XHTML:
            pieces = xhtml_pieces(el)
            if self.version == "atom10":
                pieces = unwrap_div(pieces)
            output = "".join(pieces).strip()
        else:
            if len(el):
                raise Bail  # feedparser would switch the content to XHTML mid-way
            text = el.text
            output = text.strip() if text else ""
        value = self.finish(tag, expecting, output)
        self.incontent -= 1
        self.contentparams = {}
        return value

    # -- contexts ----------------------------------------------------------------------------------
    def context(self) -> Context:
        """_get_context: the dict the current element writes into."""
        if self.insource:
            return self.source
        if self.inimage and "image" in self.feed:
            image: Context = self.feed["image"]
            return image
        if self.intextinput:
            try:
                textinput: Context = self.feed["textinput"]
            except KeyError:
                raise Bail from None  # feedparser raises KeyError here
            return textinput
        if self.inentry:
            return self.entries[-1]
        return self.feed

    def save(self, key: str, value: Any, overwrite: bool = False) -> None:
        context = self.context()
        if overwrite:
            context[key] = value
        else:
            context.setdefault(key, value)

    def resolve(self, uri: str) -> str:
        return join_uri(self.baseuri, uri)

    # -- tags --------------------------------------------------------------------------------
    def add_tag(self, term: str | None, scheme: str | None, label: str | None) -> None:
        tags = self.context().setdefault("tags", [])
        if not term and not scheme and not label:
            return
        value = {"term": term, "scheme": scheme, "label": label}
        if value not in tags:
            tags.append(value)

    def category_value(self, value: str | None) -> None:
        """_end_category once the element's text is known: name the last tag, or add one."""
        if not value:
            return
        tags = self.context()["tags"]
        if len(tags) and not tags[-1]["term"]:
            tags[-1]["term"] = value
        else:
            self.add_tag(value, None, None)

    # -- xml:base ----------------------------------------------------------------------------
    def enter_base(self, el: Element) -> None:
        """unknown_starttag's xml:base tracking (only for documents that use one)."""
        value = ""
        if len(el.attrib):
            xml_base = None
            local_base = None
            for key, val in attr_items(el):
                local = key.rpartition("}")[2].lower()
                if local == "base":
                    local_base = val
                    if key.startswith("{" + XML_NS + "}"):
                        xml_base = val
            value = (xml_base if xml_base is not None else local_base) or ""
        base = value or self.baseuri
        if self.baseuri:
            self.baseuri = make_safe_absolute_uri(self.baseuri, base) or self.baseuri
        else:
            self.baseuri = _urljoin(self.baseuri, base)
        self.basestack.append(self.baseuri)

    def leave_base(self) -> None:
        if self.basestack:
            self.basestack.pop()
            if self.basestack and self.basestack[-1]:
                self.baseuri = self.basestack[-1]


def _no_names(tag: str) -> Info:
    raise Bail


def walk(w: Walker, el: Element, info: Info) -> None:
    """unknown_starttag, the element's content, then unknown_endtag."""
    key, ends_textinput, ends_image, mode, start, end = info
    if mode == SKIP:
        return
    w.depth += 1
    if w.track_base:
        w.enter_base(el)
    if ends_textinput:
        w.intextinput = 0
    if ends_image:
        w.inimage = 0
    if mode == FUSED:
        if len(el):
            raise Bail  # an element inside what should be text
        start(w, el)
    elif mode == CUSTOM:
        start(w, el)
    elif mode == UNKNOWN:
        _unknown(w, el, key)
    elif mode == DISCARD:
        if len(el):
            raise Bail
    else:
        start(w, el)
        if mode == LEAF:
            if len(el):
                raise Bail
            text = el.text
            if text and w.stack:
                w.stack[-1][2].append(text)
        else:
            children(w, el)
        end(w)
    if w.track_base:
        w.leave_base()
    w.depth -= 1


def children(w: Walker, el: Element) -> None:
    """The element's text, child elements and their tails, in document order.

    The common cases of walk() are repeated inline: this loop runs once per element. Text
    only matters to an element feedparser pushed with expecting_text (an item, image or
    contributor collects nothing), so the others skip reading it.
    """
    stack = w.stack
    collect = bool(stack) and stack[-1][1]
    if collect and el.text:
        stack[-1][2].append(el.text)
    names = w.names
    known = w.known_names
    plain_base = not w.track_base
    for child in el:
        tag = child.tag
        info = known.get(tag) or names(tag)
        mode = info[3]
        if plain_base and mode in (FUSED, CUSTOM):
            if info[1]:
                w.intextinput = 0
            if info[2]:
                w.inimage = 0
            if mode == FUSED and len(child):
                raise Bail
            w.depth += 1
            info[4](w, child)
            w.depth -= 1
        else:
            walk(w, child, info)
        if collect:
            tail = child.tail
            if tail and stack:
                stack[-1][2].append(tail)


def _unknown(w: Walker, el: Element, key: str) -> None:
    """feedparser's default for an element without a handler (push, or store attributes)."""
    pushed = not len(el.attrib)
    if key == "ttl":
        if pushed:
            w.push(key, 1)
        else:
            w.context()["ttl"] = None  # feedparser stores the attributes: no TTL
        children(w, el)
        if pushed:
            w.pop(key)
    elif len(el):
        if pushed:
            w.push(key, 1)
        children(w, el)
        if pushed:
            w.discard(key)
    elif not pushed and el.text and w.stack:
        # A leaf with attributes pushes nothing: its text lands in its parent.
        w.stack[-1][2].append(el.text)


def text_of(el: Element) -> str:
    """What pop() collects for an element without children: its own text, stripped."""
    text = el.text
    return text.strip() if text else ""


def attrs_of(el: Element) -> dict[str, str]:
    return attributes(el) if len(el.attrib) else {}


def nop(w: Walker, el: Element | None = None) -> None:
    return None
