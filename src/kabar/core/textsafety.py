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
# and two-character escapes. Also their 8-bit C1 forms (0x9B CSI, 0x9D OSC, 0x90 DCS ...).
_ESCAPES = re.compile(
    r"""
    (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?             # CSI
  | (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])        # OSC, DCS, SOS, PM, APC ...
      .*?(?:\x07|\x1b\\|\x9c|$)                    # ... up to BEL or ST (or the end)
  | \x1b[ -/]*[0-~]?                              # other escapes
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


def clean_line(text: str | None) -> str:
    """One line of clean text with runs of whitespace collapsed (titles, names)."""
    return " ".join(clean_text(text).split())


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
