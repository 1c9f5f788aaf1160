"""A fast path for RSS and Atom: lxml plus a replay of feedparser's reading.

feedparser reads about 1-2 MB of feed XML a second; most of that time goes into its SAX
state machine and two sgmllib passes over every piece of embedded HTML. `parse_xml_fast`
parses with lxml (C, with entity expansion, DTDs and the network switched off) and then
replays feedparser's state machine over the tree (`fastwalk`, `fastelements`, `fastmedia`),
with its HTML, date and text handling done directly for the common cases (`fasthtml`,
`fastdates`, `fasttext`), and maps the result as xmlfeed does (`fastbuild`). It produces
what `xmlfeed.parse_xml_feed` produces for the same bytes, field for field, except for the
differences listed in docs/parsing.md (Media RSS captions, chiefly).

It returns None, and the caller falls back to feedparser, whenever it cannot be sure of
giving the same answer: bytes lxml will not parse as they stand (feedparser's loose parser
takes those), a DOCTYPE, an unknown root, namespace prefixes used in conflicting ways, an
element handler we have not ported, markup we do not reproduce... The encoding decision is
feedparser's own `convert_to_utf8`, so odd encodings and HTTP charsets agree by design.
"""

from __future__ import annotations

import re
import threading
from typing import Any

from lxml import etree

from kabar.core.feeds.parse.fastbuild import parsed_feed
from kabar.core.feeds.parse.fastelements import describe
from kabar.core.feeds.parse.fasttext import MATCH_NS, Bail, Element, attributes
from kabar.core.feeds.parse.fastwalk import Info, Walker, children
from kabar.core.feeds.parse.fpgate import (
    CharacterEncodingOverride,
    _urljoin,
    convert_to_utf8,
    make_safe_absolute_uri,
    replace_doctype,
)
from kabar.core.feeds.parse.xmlfeed import strip_doctype
from kabar.core.models import ParsedFeed

__all__ = ["parse_xml_fast"]

_RSS_VERSIONS = {"0.91": "rss091u", "0.92": "rss092", "0.93": "rss093", "0.94": "rss094"}
_ATOM_VERSIONS = {"0.1": "atom01", "0.2": "atom02", "0.3": "atom03"}
_CANONICAL = frozenset(v.lower() for v in MATCH_NS.values() if v)
_XMLNS = re.compile(rb"""xmlns(?::([^\s=/>"']+))?\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_HAS_BASE = re.compile(rb"base\s*=")
_DOCTYPE = re.compile(rb"<![dD][oO][cC][tT][yY][pP][eE]")
# A prolog lxml reads as feedparser's rewritten one: no declaration, or version 1.0 with
# UTF-8 or no encoding.
_PLAIN_DECLARATION = re.compile(
    rb"""<(?!\?xml)|<\?xml\s+version\s*=\s*["']1\.0["']"""
    rb"""(?:\s+encoding\s*=\s*["'](?i:utf-8)["'])?(?:\s+standalone\s*=\s*["'](?:yes|no)["'])?\s*\?>"""
)
# Exceptions a hostile or unusual document can raise inside the replay; each one means
# "let feedparser decide" (it may well fail the same way, and xmlfeed reports that).
_FALLBACK_ERRORS = (
    Bail,
    etree.LxmlError,
    KeyError,
    IndexError,
    TypeError,
    AttributeError,
    ValueError,
    LookupError,
    RecursionError,
)
_local = threading.local()
# Element names whose handling does not depend on the document (see _Names.__call__).
SHARED_NAMES: dict[str, Info] = {}


def parse_xml_fast(data: bytes, url: str = "", content_type: str = "") -> ParsedFeed | None:
    """The feed as parse_xml_feed would read it, or None to let feedparser read it."""
    try:
        return read_fast(data, url, content_type)
    except _FALLBACK_ERRORS:
        return None


def read_fast(data: bytes, url: str = "", content_type: str = "") -> ParsedFeed:
    """parse_xml_fast without the safety net: raises `Bail` (or worse) instead of None."""
    if _DOCTYPE.search(data, 0, 65536):  # strip_doctype upper-cases 64 KB to look for one
        data = strip_doctype(data)
    headers = {"content-location": url} if url else {}
    if content_type:
        headers["content-type"] = content_type
    original = data
    data, as_is = _to_utf8(headers, data)
    doctype_version, data, entities = replace_doctype(data)
    if doctype_version or entities:
        raise Bail
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError:
        if not as_is:
            raise
        # Not UTF-8 after all (a Latin-1 document without a declaration, say): decoded
        # feedparser's way it may well be good XML.
        data = _convert(headers, original)
        doctype_version, data, entities = replace_doctype(data)
        if doctype_version or entities:
            raise Bail from None
        root = etree.fromstring(data, _parser())
    docinfo: Any = root.getroottree().docinfo  # lxml-stubs lack DocInfo.doctype
    if docinfo.doctype:
        raise Bail
    names = _Names(data)
    key = names.key(root.tag)
    version = _version_from_namespaces(root)
    if key == "rss":
        if not version.startswith("rss"):
            attr_version = attributes(root).get("version", "")
            version = _RSS_VERSIONS.get(attr_version) or (
                "rss20" if attr_version.startswith("2.") else "rss"
            )
    elif key == "feed":
        if not version:
            version = _ATOM_VERSIONS.get(attributes(root).get("version") or "", "atom")
    elif key != "rdf_rdf":
        raise Bail  # not a feed root feedparser's fast cousin knows
    if not version:
        raise Bail
    walker = _walker(version, url, data)
    walker.names = names
    walker.known_names = SHARED_NAMES
    walker.has_media = b"search.yahoo.com/mrss" in data
    _walk_root(walker, root, key)
    return parsed_feed(walker)


def _to_utf8(headers: dict[str, str], data: bytes) -> tuple[bytes, bool]:
    """feedparser's convert_to_utf8, skipping the re-encoding when it would change nothing.

    feedparser decodes the document and re-encodes it as UTF-8 under a new XML declaration.
    When its rules pick UTF-8 in the first place (decided here by running them on the
    ASCII prolog) and the document already says version 1.0 and UTF-8 (or nothing), lxml
    reads the original bytes as expat reads feedparser's. If they are not valid UTF-8
    after all, feedparser would try other encodings; lxml refuses them (libxml2 checks
    every byte sequence), and the caller converts them the long way. Also says which way
    was taken.
    """
    head_end = data.find(b">", 0, 4096) + 1
    head = data[:head_end]
    if (
        head_end
        and head.isascii()
        and data[:1] == b"<"
        and data[1:2] not in (b"\x00", b"o")  # UTF-16/32 LE, EBCDIC '<?xm'
        and _PLAIN_DECLARATION.match(head)
    ):
        result: dict[str, Any] = {}
        convert_to_utf8(headers, head, result)
        if result.get("encoding") == "utf-8" and not isinstance(
            result.get("bozo_exception"), CharacterEncodingOverride
        ):
            return data, True
    return _convert(headers, data), False


def _convert(headers: dict[str, str], data: bytes) -> bytes:
    result: dict[str, Any] = {}
    data = convert_to_utf8(headers, data, result)
    if not result.get("encoding"):
        raise Bail  # feedparser would use its loose parser
    return bytes(data)


def _parser() -> etree.XMLParser:
    """One parser per thread: lxml parsers must not be shared between threads."""
    parser: etree.XMLParser | None = getattr(_local, "parser", None)
    if parser is None:
        parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            huge_tree=False,
            load_dtd=False,
            remove_comments=True,
            remove_pis=True,
            collect_ids=False,
        )
        _local.parser = parser
    return parser


def _version_from_namespaces(root: Element) -> str:
    """track_namespace(): the first RSS 0.90/1.0 or Atom 1.0 declaration on the root."""
    for prefix, uri in root.nsmap.items():
        lower = (uri or "").lower()
        if prefix is None and lower == "http://my.netscape.com/rdf/simple/0.9/":
            return "rss090"
        if lower == "http://purl.org/rss/1.0/":
            return "rss10"
        if lower == "http://www.w3.org/2005/atom":
            return "atom10"
    return ""


def _walker(version: str, url: str, data: bytes) -> Walker:
    """A Walker with feedparser's base URI; xml:base is tracked only when the bytes use it."""
    if _HAS_BASE.search(data.lower()):
        return Walker(version, url, track_base=True)
    base = _next_base(url)
    if _next_base(base) != base:
        return Walker(version, url, track_base=True)
    return Walker(version, base, track_base=False)


def _next_base(base: str) -> str:
    """What unknown_starttag does to the base URI of an element without xml:base."""
    if base:
        return str(make_safe_absolute_uri(base, base) or base)
    return str(_urljoin(base, base))


def _walk_root(w: Walker, root: Element, key: str) -> None:
    """The root element: feedparser's _start_rss/_start_feed plus its xml:lang rule."""
    w.depth += 1
    if w.track_base:
        w.enter_base(root)
    w.inimage = w.intextinput = 0
    attrs = attributes(root) if len(root.attrib) else {}
    if key in ("rss", "feed"):
        lang = attrs.get("xml:lang", attrs.get("lang"))
        if lang:
            w.feed["language"] = lang.replace("_", "-")
    if key == "feed":
        w.infeed = 1
    pushed = key == "rdf_rdf" and not attrs
    if pushed:
        w.push(key, 1)
    children(w, root)
    if pushed and w.stack and w.stack[-1][0] == key:
        w.stack.pop()
    w.infeed = 0 if key == "feed" else w.infeed


class _Names:
    """Map lxml tags to feedparser's handler names ('title', 'dc_creator', 'media_content').

    feedparser names an element by the canonical prefix of a namespace it knows, or by the
    prefix the document declared for one it does not; a prefix declared for two different
    namespaces, or a known namespace declared under another's canonical prefix, makes that
    naming depend on document order, and such documents are left to feedparser.
    """

    def __init__(self, data: bytes) -> None:
        self.cache: dict[str, Info] = {}
        self.unknown: dict[str, str | None] = {}
        by_prefix: dict[str, set[str]] = {}
        unknown_prefixes: dict[str, set[str | None]] = {}
        known: list[tuple[str, str]] = []
        for match in _XMLNS.finditer(data):
            raw_uri = match.group(2) if match.group(2) is not None else match.group(3)
            if b"&" in raw_uri:
                raise Bail
            uri = raw_uri.decode()
            if not uri:
                continue
            prefix = match.group(1).decode() if match.group(1) else None
            if prefix:
                by_prefix.setdefault(prefix, set()).add(uri)
            canonical = MATCH_NS.get(_lower_ns(uri))
            if canonical is None:
                unknown_prefixes.setdefault(uri, set()).add(prefix)
            elif prefix:
                known.append((prefix, canonical))
        if any(len(uris) > 1 for uris in by_prefix.values()):
            raise Bail
        lowered_unknown = set()
        for uri, prefixes in unknown_prefixes.items():
            if len(prefixes) > 1:
                raise Bail
            (prefix,) = prefixes
            self.unknown[uri] = prefix
            if prefix:
                lowered_unknown.add(prefix.lower())
        for prefix, canonical in known:
            if prefix != canonical and (prefix in _CANONICAL or prefix in lowered_unknown):
                raise Bail

    def __call__(self, tag: str) -> Info:
        found = SHARED_NAMES.get(tag) or self.cache.get(tag)
        if found is None:
            key, plain = self._name(tag)
            found = describe(key, plain)
            if tag[0] != "{" or tag[1 : tag.index("}")] not in self.unknown:
                # No namespace, or one feedparser knows: the same answer for any document
                # that passed the checks in __init__.
                if len(SHARED_NAMES) >= 10_000:
                    SHARED_NAMES.clear()
                SHARED_NAMES[tag] = found
            else:
                self.cache[tag] = found
        return found

    def key(self, tag: str) -> str:
        """feedparser's handler name for `tag`."""
        return self._name(tag)[0]

    def _name(self, tag: str) -> tuple[str, bool]:
        if tag[0] != "{":
            return tag.lower(), True
        namespace, _, local = tag[1:].partition("}")
        prefix = MATCH_NS.get(_lower_ns(namespace))
        if prefix is None:
            if namespace not in self.unknown:
                raise Bail  # a declaration the prescan missed
            prefix = self.unknown[namespace]
        if not prefix:
            return local.lower(), True
        return f"{prefix}_{local}".lower(), False


def _lower_ns(uri: str) -> str:
    lower = uri.lower()
    if "backend.userland.com/rss" in lower:
        return "http://backend.userland.com/rss"
    return lower
