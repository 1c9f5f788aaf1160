"""feedparser's treatment of embedded HTML, reproduced for the markup feeds usually carry.

feedparser runs every HTML field through two sgmllib passes: `resolve_relative_uris` (makes
href/src absolute) and `_sanitize_html` (drops unsafe elements and attributes). Each pass
re-serialises the markup: tag and attribute names lowercased, attributes de-duplicated and
sorted, values re-quoted and escaped, void elements written `<img ... />`, end tags of dropped
elements removed, a few character references rewritten. Those two pure-Python passes are
about 40 % of feedparser's time.

`sanitize_html` gives the same string without them. Text between tags comes through both
passes unchanged (references aside), so only tags need rewriting: the distinct tags of a
field are found with one regex, each is rewritten once (and cached across fields when the
result does not depend on the base URI), and the few that change are replaced with
str.replace. Fields with stray `<`, comments or references sgmllib rewrites are handled
token by token instead. This covers markup read exactly as sgmllib reads it: quoted
attributes, no `<`/`>` inside values, no doctypes, CDATA or processing instructions, no
script/style/applet (whose text the sanitizer drops) and no SVG/MathML. Anything else goes
through feedparser's own two functions, so the answer is the same either way; only the
time differs.
"""

from __future__ import annotations

import html.entities
import re
from html import escape

from kabar.core.feeds.parse.fpgate import (
    RelativeURIResolver,
    _cp1252,
    _HTMLSanitizer,
    _sanitize_html,
    make_safe_absolute_uri,
    resolve_relative_uris,
)

XHTML = "application/xhtml+xml"
# Markup longer than this that only feedparser's sgmllib passes could read is escaped as text
# instead (docs/parsing.md, accepted differences).
SLOW_PATH_LIMIT = 1_000_000
SLOW_PATH_TAGS = 50_000

_VOID = frozenset(RelativeURIResolver.elements_no_end_tag)
_ACCEPTABLE = frozenset(_HTMLSanitizer.acceptable_elements)
_ACCEPTABLE_ATTRS = frozenset(_HTMLSanitizer.acceptable_attributes)
# Elements whose text the sanitizer drops, and the vocabularies it treats specially.
_SLOW_ELEMENTS = frozenset(_HTMLSanitizer.unacceptable_elements_with_end_tag) | {"svg", "math"}
_URI_ATTRS = frozenset(RelativeURIResolver.relative_uris)
_KNOWN_ENTITIES = frozenset(html.entities.name2codepoint) | {"apos"}
_STYLE = _HTMLSanitizer()  # only its sanitize_style() is used; svgOK stays 0

# feedparser's own pre-processing regexes (html.py, _BaseHTMLProcessor.feed).
_SHORTTAG = re.compile(r"<([^<>\s]+?)\s*/>")
_BARE_AMPERSAND = re.compile(r"&(?!#\d+;|#x[0-9a-fA-F]+;|\w+;)")
# sgmllib's entity_or_charref, applied to attribute values.
_ATTR_REF = re.compile(r"&(?:([a-zA-Z][-.a-zA-Z0-9]*)|#([0-9]+))(;?)")

# What sgmllib's goahead() stops at, in the order it tries them.
_TOKEN = re.compile(
    r"<(/?)([a-zA-Z][^<>]*)>"  # 1, 2: a tag
    r"|&#([0-9]+|[xX][0-9a-fA-F]+);"  # 3: a character reference
    r"|&([a-zA-Z][-.a-zA-Z0-9]*)(?:;|(?=[^a-zA-Z0-9]))"  # 4: an entity reference
    r"|(<!--)"  # 5: a comment
    r"|<(?=[a-zA-Z/!?>])"  # a tag sgmllib would read some other way: give up
)
_START_TAG = re.compile(
    r"<([a-zA-Z][a-zA-Z0-9]*)"
    r"((?:\s+[a-zA-Z_][-:.a-zA-Z_0-9]*(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'))?)*)"
    r"\s*(/?)>"
)
_ATTR = re.compile(r"([a-zA-Z_][-:.a-zA-Z_0-9]*)(?:\s*=\s*(\"[^\"]*\"|'[^']*'))?")
_END_TAG = re.compile(r"</([a-zA-Z][a-zA-Z0-9]*)\s*>")
# An absolute web URL that urljoin() and make_safe_absolute_uri() return unchanged, whatever
# the base: lowercase scheme, plain host, no path parameters, no empty query or fragment.
_SAFE_URL = re.compile(
    r"https?://[A-Za-z0-9\-._~%!$&'()*+,=:@]+"
    r"(?:/[^\s\"<>\\^`{|}\[\];?#]*)?"
    r"(?:\?[^\s\"<>\\^`{|}\[\]#]+)?"
    r"(?:#[^\s\"<>\\^`{|}\[\]]+)?\Z"
)

_ANY_TAG = re.compile(r"<[^<>]*>")
# _BaseHTMLProcessor.feed's first step, and the declarations it leaves for sgmllib.
_DECLARATION = re.compile(r"<!((?!DOCTYPE|--|\[))", re.IGNORECASE)
_OTHER_DECLARATION = re.compile(r"<!(?!--)")
_COMMENT_CLOSE = re.compile(r"--\s*>")  # _markupbase's end of a comment
_TAG_START = re.compile(r"<[a-zA-Z]")
_ANY = re.compile(r"[<&]")
_REF = re.compile(r"&(?:#([0-9]+|[xX][0-9a-fA-F]+);|([a-zA-Z][-.a-zA-Z0-9]*)(;?))")

_NEEDS_ESCAPE = re.compile('[<>"&]')
# <a href="http://host/path">: already as both passes write it, and too varied to cache.
_PLAIN_LINK = re.compile(r'<a href="https?://[A-Za-z0-9.:\-]+(?:/[A-Za-z0-9\-._~/%]*)?">\Z')

# Tags both passes rewrite, with what they become; and tags they leave as they are. Neither
# holds a tag whose result depends on the base URI (a relative link).
_HTML_CACHE: dict[str, str] = {}
_XHTML_CACHE: dict[str, str] = {}
_HTML_UNCHANGED: set[str] = set()
_XHTML_UNCHANGED: set[str] = set()
_TAG_CACHE_MAX = 50_000


class _Slow(Exception):
    """Markup outside the subset this module reproduces exactly."""


def sanitize_html(markup: str, base: str, content_type: str) -> str:
    """What feedparser's resolve_relative_uris() then _sanitize_html() return for `markup`."""
    if "<" not in markup and "&" not in markup:
        return markup.strip().replace("\r\n", "\n")
    try:
        return _fast(markup, base, content_type == XHTML)
    except _Slow:
        if len(markup) > SLOW_PATH_LIMIT or markup.count("<") > SLOW_PATH_TAGS:
            # sgmllib reads 1-2 MB/s and some 100,000 tags a second; a field this large that
            # we cannot read ourselves is almost certainly hostile, and is kept as text
            # rather than parsed for seconds.
            return escape(markup.strip(), quote=False).replace("\r\n", "\n")
        resolved = resolve_relative_uris(markup, base, "utf-8", content_type)
        return str(_sanitize_html(resolved, "utf-8", content_type))


def is_safe_url(url: str) -> bool:
    """True when make_safe_absolute_uri(base, url) is `url` for any base."""
    return _SAFE_URL.match(url) is not None


def _fast(markup: str, base: str, xhtml: bool) -> str:
    data = markup
    if "<!" in data:
        if "<![CDATA[" in data:
            raise _Slow  # _sanitize_html escapes it between the passes
        data = _DECLARATION.sub(r"&lt;!\1", data)  # both passes start with this
        if _OTHER_DECLARATION.search(data):
            raise _Slow  # <!DOCTYPE ...>, <![if ...]>: sgmllib's declaration parser
    if "/>" in data:
        data = _shorttags(data)
    if "&#3" in data:
        data = data.replace("&#39;", "'").replace("&#34;", '"')
    if "<!--" in data:
        return _fast_scan(data, base, xhtml)
    tags = _ANY_TAG.findall(data)
    if data.count("<") == len(tags) and ("&" not in data or _refs_unchanged(data)):
        # The usual case: every < starts a tag and every reference stays as it is, so the
        # distinct tags can be rewritten with str.replace, in C.
        cache = _XHTML_CACHE if xhtml else _HTML_CACHE
        changes = {}
        # Tags already known to come out as they are (most of them) are set aside in C.
        for tag in set(tags).difference(_XHTML_UNCHANGED if xhtml else _HTML_UNCHANGED):
            new = cache.get(tag)
            if new is None:
                if _PLAIN_LINK.match(tag):
                    continue
                new = _canonical(tag, base, xhtml)
            if new != tag:
                changes[tag] = new
        if changes and not any(old in new for new in changes.values() for old in changes):
            for old, new in changes.items():
                data = data.replace(old, new)
            changes = {}
        if not changes:
            return data.strip().replace("\r\n", "\n")
    return _fast_scan(data, base, xhtml)


def _shorttags(data: str) -> str:
    """_SHORTTAG.sub(_shorttag_replace, data), looking only where a "/>" is.

    A match runs from the last "<" before a "/>" to it, so each "/>" has one candidate.
    """
    out = []
    pos = 0
    end = data.find("/>")
    while end != -1:
        start = data.rfind("<", pos, end)
        if start != -1:
            match = _SHORTTAG.fullmatch(data, start, end + 2)
            if match is not None:
                out.append(data[pos:start])
                out.append(_shorttag_replace(match))
                pos = end + 2
        end = data.find("/>", end + 2)
    if not out:
        return data
    out.append(data[pos:])
    return "".join(out)


def _canonical(tag: str, base: str, xhtml: bool) -> str:
    """A tag as both passes write it, cached when that does not depend on the base URI."""
    cache = _XHTML_CACHE if xhtml else _HTML_CACHE
    unchanged = _XHTML_UNCHANGED if xhtml else _HTML_UNCHANGED
    new = cache.get(tag)
    if new is None:
        if tag in unchanged or _PLAIN_LINK.match(tag):
            return tag
        if tag[1:2] == "/":
            new, cacheable = _tag(tag, True, base, xhtml)
        elif _TAG_START.match(tag):
            new, cacheable = _tag(tag, False, base, xhtml)
        else:
            raise _Slow  # "<3>", "< p>": sgmllib reads these as text; leave them to it
        if cacheable:
            if len(cache) + len(unchanged) >= _TAG_CACHE_MAX:
                cache.clear()
                unchanged.clear()
            if new == tag:
                unchanged.add(tag)
            else:
                cache[tag] = new
    return new


def _refs_unchanged(data: str) -> bool:
    """Whether every character or entity reference in `data` comes out of sgmllib as it is."""
    for match in _REF.finditer(data):
        number, name, semicolon = match.groups()
        if number is not None:
            if number[0] in "xX":
                if number[0] == "X" or number[1:] != number[1:].lower():
                    return False  # sgmllib lowercases it
                value = int(number[1:], 16)
            else:
                value = int(number)
            if value in _cp1252:
                return False  # rewritten to the code point cp1252 means
        elif not semicolon:
            # "&copy " gains a semicolon and "&T " becomes "&amp;T "; only a name at the
            # very end, which sgmllib cannot finish reading, stays as it is.
            if match.end() < len(data) or "-" in name or "." in name:
                return False
        elif name not in _KNOWN_ENTITIES:
            return False  # "&foo;" becomes "&amp;foo"
    return True


def _fast_scan(data: str, base: str, xhtml: bool) -> str:
    """Token by token, for markup with stray < or references sgmllib rewrites."""
    out: list[str] = []
    pos = 0
    for hit in _ANY.finditer(data):
        start = hit.start()
        if start < pos:
            continue  # inside a tag already handled
        match = _TOKEN.match(data, start)
        if match is None:
            continue  # a lone & or <, which both passes keep as it is
        if match.group(5) is not None:
            close = _COMMENT_CLOSE.search(data, start + 4)
            if close is None:
                raise _Slow  # the sanitizer drops everything after an unclosed comment
            out.append(data[pos:start])
            out.append(f"<!--{data[start + 4 : close.start()]}-->")  # both passes keep it
            pos = close.end()
            continue
        if match.group(2) is not None:
            replacement = _canonical(match.group(0), base, xhtml)
        elif match.group(3) is not None:
            replacement = _charref(match.group(3))
        elif match.group(4) is not None:
            name = match.group(4)
            replacement = f"&{name};" if name in _KNOWN_ENTITIES else f"&amp;{name}"
        else:
            raise _Slow
        out.append(data[pos:start])
        out.append(replacement)
        pos = match.end()
    out.append(data[pos:])
    return "".join(out).strip().replace("\r\n", "\n")


def _shorttag_replace(match: re.Match[str]) -> str:
    tag = match.group(1)
    return f"<{tag} />" if tag in _VOID else f"<{tag}></{tag}>"


def _charref(ref: str) -> str:
    """_BaseHTMLProcessor.handle_charref: lowercase, with cp1252 code points remapped."""
    ref = ref.lower()
    value = int(ref[1:], 16) if ref[0] == "x" else int(ref)
    if value in _cp1252:
        return f"&#{hex(ord(_cp1252[value]))[1:]};"
    return f"&#{ref};"


def _tag(text: str, end: bool, base: str, xhtml: bool) -> tuple[str, bool]:
    """One tag as both passes leave it, and whether that result is independent of `base`."""
    if end:
        match = _END_TAG.fullmatch(text)
        if match is None:
            raise _Slow
        name = match.group(1).lower()
        if name in _SLOW_ELEMENTS:
            raise _Slow
        if name in _VOID or name not in _ACCEPTABLE:
            return "", True
        return f"</{name}>", True
    match = _START_TAG.fullmatch(text)
    if match is None:
        raise _Slow
    name = match.group(1).lower()
    if name in _SLOW_ELEMENTS:
        raise _Slow
    if name not in _ACCEPTABLE:
        return "", True
    attrs: dict[str, str] = {}
    for key, quoted in _ATTR.findall(match.group(2)):
        if not quoted:
            value = key  # <input disabled>: the name is the value
        else:
            value = quoted[1:-1]
            if "&" in value:
                value = _ATTR_REF.sub(_attr_ref, value)
        attrs[key.lower()] = value
    cacheable = True
    parts: list[str] = []
    for key in sorted(attrs):
        value = attrs[key]
        if key in ("rel", "type"):
            value = value.lower()
        if (name, key) in _URI_ATTRS and not (_SAFE_URL.match(value) and value == value.strip()):
            cacheable = False  # resolved against the base: urljoin may change it
            value = make_safe_absolute_uri(base, value.strip()) or value
        if _NEEDS_ESCAPE.search(value):
            value = _escape(value)
            if "&#39;" in value or "&#34;" in value:
                raise _Slow  # the second pass would turn these into quotes
        if key == "style":
            value = _escape(_STYLE.sanitize_style(value))
            if not value:
                continue
        elif key not in _ACCEPTABLE_ATTRS:
            continue
        elif key == "href" and not _SAFE_URL.match(value):
            value = _escape(make_safe_absolute_uri(value))
        parts.append(f' {key}="{value}"')
    attr_text = "".join(parts)
    if name in _VOID:
        return f"<{name}{attr_text} />", cacheable
    if xhtml and match.group(3):
        return f"<{name}{attr_text}></{name}>", cacheable
    return f"<{name}{attr_text}>", cacheable


def _attr_ref(match: re.Match[str]) -> str:
    """sgmllib._convert_ref as _BaseHTMLProcessor configures it: references stay references."""
    if match.group(2):
        return f"&#{match.group(2)};"
    if match.group(3):
        return f"&{match.group(1)};"
    return f"&{match.group(1)}"


def _escape(value: str) -> str:
    """_BaseHTMLProcessor.unknown_starttag's escaping of an attribute value."""
    value = value.replace(">", "&gt;").replace("<", "&lt;").replace('"', "&quot;")
    return _BARE_AMPERSAND.sub("&amp;", value) if "&" in value else value
