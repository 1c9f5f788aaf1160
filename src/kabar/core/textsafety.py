"""Make untrusted text safe to store and to show in a terminal.

Every string from a feed or a web page passes through `clean_text` before it is stored:
terminal escape sequences (CSI, OSC, DCS, ...) and other control characters could move the
cursor, set the clipboard (OSC 52) or forge hyperlinks (OSC 8); bidi overrides can make text
read differently from what it is; lone surrogates make sqlite3 refuse the row. Links pass
through `safe_link`, which only lets web and mail schemes through, so a `javascript:` or
`file:` URL is never made clickable or opened.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

# ESC-introduced sequences: CSI (ESC [ ... final), OSC/DCS/SOS/PM/APC (ESC ] ... BEL or ST),
# and two-character escapes. Their 8-bit C1 forms (0x9B CSI, 0x9D OSC ...) are removed as
# single characters: without the introducer the rest is plain text, and U+009B/U+009D are
# far more often mojibake ("ś" is C5 9B, "”" is E2 80 9D read as Latin-1) whose next letters
# must not go with them.
_ESCAPES = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]?                     # CSI
  | \x1b[\]PX^_].*?(?:\x07|\x1b\\|\x9c|$)          # OSC, DCS, SOS, PM, APC up to BEL or ST
  | \x1b[!-/]*[0-~]?                              # other escapes (after a space: text)
    """,
    re.VERBOSE | re.DOTALL,
)
# C0 controls except tab and newline, DEL, C1 controls, lone surrogates, noncharacters.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_CONTROLS_NO_NEWLINE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# Bidi embeddings, overrides and isolates: neutralised by removal.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")

_SAFE_SCHEMES = frozenset(("http", "https", "mailto", "gemini", "gopher", "ftp"))


def clean_text(text: str | None, *, keep_newlines: bool = False) -> str:
    """Text with escape sequences, control characters and bidi overrides removed.

    Without `keep_newlines`, newlines and tabs become spaces; with it they stay, and
    carriage returns become newlines. Text with nothing to remove (most of it) is returned
    after one scan.
    """
    if not text:
        return ""
    if (_UNSAFE_KEEPING_LINES if keep_newlines else _UNSAFE).search(text) is not None:
        text = _ESCAPES.sub("", text)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if not keep_newlines:
            text = text.replace("\t", " ")
        text = (_CONTROLS if keep_newlines else _CONTROLS_NO_NEWLINE).sub(
            "" if keep_newlines else _drop_or_space, text
        )
        text = _BIDI.sub("", text)
    return text


def _drop_or_space(match: re.Match[str]) -> str:
    return " " if match.group() == "\n" else ""


_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")
# Tabs and newlines are fine in multi-line text (a whole page, feed content): a scan that
# stops at them would send nearly every document through the full clean-up.
_UNSAFE_KEEPING_LINES = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)


# Whitespace that a line collapses: ASCII white space and the Unicode line and paragraph
# separators. Other spaces are characters an author chose ("testing &nbsp; entity" keeps its
# U+00A0, an em space stays an em space), as feedparser keeps them.
_COLLAPSIBLE = re.compile("[ \t\n\r\x0b\x0c\x1c-\x1f\x85\u2028\u2029]+")


def clean_line(text: str | None) -> str:
    """One line of clean text with runs of whitespace collapsed (titles, names)."""
    return _COLLAPSIBLE.sub(" ", clean_text(text)).strip()


def collapse_spaces(text: str) -> str:
    """Runs of ASCII white space (newlines included) as one space; other spaces are kept."""
    return _COLLAPSIBLE.sub(" ", text)


def safe_link(url: str | None, *, allow_data: bool = False) -> str:
    """The URL if its scheme is safe to show and open, else an empty string."""
    if not url:
        return ""
    url = clean_line(url)
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return ""
    if scheme in _SAFE_SCHEMES or (allow_data and scheme == "data"):
        return url
    return ""


def safe_join(base: str, link: str, *, allow_data: bool = False) -> str:
    """`link` resolved against `base` and passed through `safe_link`; "" when either is not
    a URL at all (urljoin raises ValueError on `http://[oops/`, and one bad link in a feed
    or a page must cost that link, not the entry)."""
    try:
        return safe_link(urljoin(base, link), allow_data=allow_data)
    except ValueError:
        return ""


_NUMERIC_REF = re.compile(r"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));?")


def _html_ref(match: re.Match[str]) -> str:
    hexa, decimal = match.groups()
    digits = (hexa or decimal).lstrip("0")
    if len(digits) > 8:
        return "\ufffd"  # far past U+10FFFF (and int() of 5,000 digits is refused)
    code = int(digits or "0", 16 if hexa else 10)
    if code in (0x9, 0xA, 0xD):
        return match.group()
    if code < 0x20 or code == 0x7F:
        return ""  # a control character: dropped, the page kept
    if 0x80 <= code <= 0x9F:
        # HTML reads these as windows-1252 (&#150; is an en dash); the five it leaves
        # undefined are controls, dropped
        try:
            return bytes([code]).decode("cp1252")
        except UnicodeDecodeError:
            return ""
    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return "\ufffd"
    return match.group()


def fix_html_char_refs(markup: str) -> str:
    """HTML with the numeric character references that name no printable character fixed.

    `&#27;` or `&#7;` would become a control character inside lxml's tree, where
    clean_text could only remove it with the text after it (or lxml gives up on the page);
    references past U+10FFFF overflow. Controls are dropped, the rest read as browsers do.
    """
    if "&#" not in markup:
        return markup
    return _NUMERIC_REF.sub(_html_ref, markup)
