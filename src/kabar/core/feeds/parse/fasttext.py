"""Small pieces of feedparser's behaviour the fast XML path needs everywhere.

Each function reproduces one step of feedparser 6.0 exactly, with a shortcut for the
common case that costs a fraction of the original: the attribute dict its handlers see,
its URI joining, the text repairs at the end of its pop(), its content-type names, and the
way it rebuilds inline XHTML content as a string.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, cast
from urllib.parse import urlsplit
from xml.sax.saxutils import escape as xml_escape

from lxml import etree

from kabar.core.feeds.parse.fasthtml import XHTML, is_safe_url
from kabar.core.feeds.parse.fpgate import StrictFeedParser, _cp1252, _FeedParserMixin, _urljoin

Element = etree._Element
Context = dict[str, Any]

XML_NS = "http://www.w3.org/XML/1998/namespace"
XHTML_NS = "http://www.w3.org/1999/xhtml"
HTML_TYPES = frozenset(_FeedParserMixin.html_types)
# feedparser's namespace table, keyed as it looks URIs up (lowercased).
MATCH_NS: dict[str, str] = {k.lower(): v for k, v in _FeedParserMixin.namespaces.items()}
# Element names that have a feedparser handler (its `_start_x` / `_end_x` methods).
FP_START = frozenset(m[7:] for m in dir(StrictFeedParser) if m.startswith("_start_"))
FP_END = frozenset(m[5:] for m in dir(StrictFeedParser) if m.startswith("_end_"))

_C1 = re.compile("[\x80-\x9f]")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):(?!//)[^\t\r\n]*\Z")


class Bail(Exception):
    """The document uses something the fast path does not reproduce exactly."""


def map_content_type(content_type: str) -> str:
    """_FeedParserMixin.map_content_type."""
    content_type = content_type.lower()
    if content_type in ("text", "plain"):
        return "text/plain"
    if content_type == "html":
        return "text/html"
    if content_type == "xhtml":
        return XHTML
    return content_type


def fix_text(text: str) -> str:
    """The end of feedparser's pop(): undo double-encoded UTF-8, then map cp1252 controls."""
    if text.isascii():
        return text
    try:  # noqa: SIM105 (contextlib.suppress is slower, and this runs for most text)
        text = text.encode("iso-8859-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        pass  # the usual case: not UTF-8 read as Latin-1
    # isprintable() is false for any C1 control, and much cheaper than searching for one.
    if not text.replace("\n", " ").isprintable() and _C1.search(text):
        text = text.translate(_cp1252)
    return text


def join_uri(base: str, uri: str) -> str:
    """feedparser.urls._urljoin, skipping the work for URLs it would return unchanged.

    That is an absolute web URL (see `is_safe_url`), or a URI whose scheme differs from the
    base's, such as an Atom `tag:` or `urn:` id: urljoin() returns those as given.
    """
    if is_safe_url(uri):
        return uri
    match = _SCHEME.match(uri)
    if match is not None and base:
        base_scheme = _scheme_of(base)
        if base_scheme is not None and match.group(1).lower() != base_scheme:
            return uri
    return str(_urljoin(base, uri))


@lru_cache(maxsize=64)
def _scheme_of(base: str) -> str | None:
    """The scheme urljoin() sees in `base`, or None when it could not parse it."""
    try:
        return urlsplit(base).scheme
    except ValueError:
        return None


def attr_items(el: Element) -> list[tuple[str, str]]:
    """el.items(), in linear time.

    lxml looks every value up by name, which is quadratic in the number of attributes: an
    element with 50,000 of them would take seconds. The XPath answer carries the names.
    """
    if len(el.attrib) < 64:
        return cast("list[tuple[str, str]]", el.items())
    values = cast("list[Any]", el.xpath("@*"))  # rare: no shared XPath object across threads
    return [(str(value.attrname), str(value)) for value in values]


def attributes(el: Element) -> dict[str, str]:
    """The attribute dict feedparser's handlers see (strict parser + _normalize_attributes).

    Namespaced attributes appear twice, as `prefix:name` for namespaces feedparser knows
    and under their bare local name (xml.sax reports that as their qname).
    """
    items = attr_items(el)
    namespaced = False
    for key, _ in items:
        if key[0] == "{":
            namespaced = True
            break
    if namespaced:
        attrs: dict[str, str] = {}
        for key, value in items:
            if key[0] == "{":
                namespace, _, local = key[1:].partition("}")
                prefix = MATCH_NS.get(namespace.lower(), "")
                key = f"{prefix}:{local}" if prefix else local
            attrs[key.lower()] = value
        for key, value in items:
            attrs[key.rpartition("}")[2].lower()] = value
    else:
        attrs = {key.lower(): value for key, value in items}
    for key in ("rel", "type"):
        if key in attrs:
            attrs[key] = attrs[key].lower()
    return attrs


def xhtml_pieces(el: Element) -> list[str]:
    """Inline XHTML content as feedparser rebuilds it from SAX events, piece by piece.

    Start tags keep their (lowercased) name and attributes, text is escaped, and every
    element gets an end tag. Elements feedparser would dispatch to a handler even inside
    content (a no-namespace <title>, an XHTML <body>, SVG...) are beyond the fast path.
    """
    text = el.text
    pieces: list[str] = [xml_escape(text)] if text else []
    for child in el:
        _xhtml_element(child, pieces)
        tail = child.tail
        if tail:
            pieces.append(xml_escape(tail))
    return pieces


def _xhtml_element(el: Element, pieces: list[str]) -> None:
    tag = el.tag
    if not isinstance(tag, str):
        raise Bail
    if tag[0] == "{":
        namespace, _, local = tag[1:].partition("}")
        if namespace != XHTML_NS:
            raise Bail
        name = local.lower()
        key = "xhtml_" + name
    else:
        name = key = tag.lower()
    if key in FP_END or name in ("svg", "math", "rss", "feed"):
        raise Bail  # feedparser would run an element handler inside the content
    attrs = ""
    if len(el.attrib):
        parts = []
        for attr, value in attr_items(el):
            if attr[0] == "{" or attr != attr.lower():
                raise Bail
            if attr in ("rel", "type"):
                value = value.lower()
            parts.append(f' {attr}="{xml_escape(value, {chr(34): "&quot;"})}"')
        attrs = "".join(parts)
    pieces.append(f"<{name}{attrs}>")
    text = el.text
    if text:
        pieces.append(xml_escape(text))
    for child in el:
        _xhtml_element(child, pieces)
        tail = child.tail
        if tail:
            pieces.append(xml_escape(tail))
    pieces.append(f"</{name}>")


def unwrap_div(pieces: list[str]) -> list[str]:
    """pop()'s removal of the <div> wrapping Atom 1.0 XHTML content."""
    while pieces and len(pieces) > 1 and not pieces[-1].strip():
        del pieces[-1]
    while pieces and len(pieces) > 1 and not pieces[0].strip():
        del pieces[0]
    if (
        pieces
        and (pieces[0] == "<div>" or pieces[0].startswith("<div "))
        and pieces[-1] == "</div>"
    ):
        depth = 0
        for piece in pieces[:-1]:
            if piece.startswith("</"):
                depth -= 1
                if depth == 0:
                    break
            elif piece.startswith("<") and not piece.endswith("/>"):
                depth += 1
        else:
            pieces = pieces[1:-1]
    return pieces
