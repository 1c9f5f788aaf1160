"""Bytes of a web page to text, honouring what the server and the page say about the charset.

Browsers decide a page's encoding in a fixed order: a byte-order mark wins, then the HTTP
`Content-Type` charset, then a `<meta charset>` (or `http-equiv`) in the first bytes, and
only then a guess. We follow the same order, because a page that declares its charset is
right far more often than a detector is, and a detector is slow on large pages. The guess
(charset-normalizer, installed with trafilatura) runs only on pages that declare nothing
and are not valid UTF-8.
"""

from __future__ import annotations

import codecs
import re

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_HTTP_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)
_XML_ENCODING = re.compile(rb"<\?xml[^>]+encoding\s*=\s*[\"']([\w.:-]+)", re.I)
# What the WHATWG encoding standard maps these labels to: a page saying iso-8859-1 or
# ascii is decoded as windows-1252 by every browser, and its authors wrote it for them.
_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "iso-8859-9": "cp1254",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-sjis": "shift_jis",
    "utf8": "utf-8",
}
_LATIN_LOOKALIKES = frozenset(
    (
        "cp1250",
        "cp1252",
        "cp1254",
        "cp1257",
        "latin_1",
        "mac_latin2",
        "mac_roman",
        "mac_iceland",
        *(f"iso8859_{n}" for n in (2, 3, 4, 9, 10, 13, 14, 15, 16)),
    )
)
_PREFIX = 4096  # where a meta charset must appear, by the HTML standard (1024) with slack


def decode_html(data: bytes, content_type: str = "") -> str:
    """The page's text; never raises, undecodable bytes become U+FFFD."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    for declared in (_http_charset(content_type), _meta_charset(data[:_PREFIX])):
        encoding = _known(declared)
        if encoding:
            if encoding in ("utf-16", "utf-16-le", "utf-16-be"):
                # A page served as bytes cannot really be UTF-16 without a BOM; browsers
                # treat such a meta declaration as UTF-8.
                encoding = "utf-8"
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                if encoding != "utf-8":
                    return data.decode(encoding, errors="replace")
                break  # declared UTF-8 but is not: guess below
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    return _guess(data)


def _http_charset(content_type: str) -> str:
    match = _HTTP_CHARSET.search(content_type or "")
    return match.group(1) if match else ""


def _meta_charset(head: bytes) -> str:
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return match.group(1).decode("ascii", errors="ignore") if match else ""


def _known(label: str) -> str:
    """A Python codec name for a charset label, or "" if Python does not know it."""
    label = label.strip().lower()
    if not label:
        return ""
    label = _ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return ""


def _guess(data: bytes) -> str:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - installed with trafilatura
        return data.decode("cp1252", errors="replace")
    best = from_bytes(data[: 1 << 18]).best()
    encoding = best.encoding if best is not None else "cp1252"
    if encoding in _LATIN_LOOKALIKES:
        # The detector cannot tell these apart on short texts (it reads Portuguese "ã" as
        # Romanian "ă"); an undeclared Latin-script page is windows-1252, as browsers assume.
        encoding = "cp1252"
    return data.decode(encoding, errors="replace")
