"""feedparser's private names, which the fast XML path replays, behind a version gate.

The fast path (fastxml and its helpers) reproduces feedparser's reading step by step and
calls some of its private functions and tables. A private name may change meaning in any
release, so this is the one module that imports them, and `fast_parser()` hands out the
fast path only when the installed feedparser is a release of the minor version it was
tested against and every name is there. Otherwise it says so in one log line and returns
None: feedparser then reads every RSS and Atom feed (slower, never wrong). pyproject.toml
pins feedparser to the same range; a new minor release means re-running tests/parse and
bench/parsers.py, then widening both.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

import feedparser

if TYPE_CHECKING:
    from kabar.core.models import ParsedFeed

TESTED_MINOR = (6, 0)
"""feedparser's (major, minor) release the fast path was checked against (tests/parse)."""

log = logging.getLogger(__name__)

try:
    from feedparser.api import StrictFeedParser
    from feedparser.datetimes import _parse_date
    from feedparser.encodings import convert_to_utf8
    from feedparser.exceptions import CharacterEncodingOverride
    from feedparser.html import _cp1252
    from feedparser.mixin import _FeedParserMixin
    from feedparser.sanitizer import _HTMLSanitizer, _sanitize_html, replace_doctype
    from feedparser.urls import (
        RelativeURIResolver,
        _urljoin,
        make_safe_absolute_uri,
        resolve_relative_uris,
    )
except ImportError as exc:  # a release that moved or dropped one of them
    _MISSING = f"{exc.__class__.__name__}: {exc}"
else:
    _MISSING = ""

__all__ = [
    "TESTED_MINOR",
    "CharacterEncodingOverride",
    "RelativeURIResolver",
    "StrictFeedParser",
    "_FeedParserMixin",
    "_HTMLSanitizer",
    "_cp1252",
    "_parse_date",
    "_sanitize_html",
    "_urljoin",
    "convert_to_utf8",
    "fast_parser",
    "make_safe_absolute_uri",
    "replace_doctype",
    "reset",
    "resolve_relative_uris",
    "version_mismatch",
]

FastParser = Callable[[bytes, str, str], "ParsedFeed | None"]
_decided: list[FastParser | None] = []


def version_mismatch(version: str) -> str:
    """Why this feedparser version is not one the fast path was tested on ("" when it is)."""
    parts = version.split(".")
    try:
        minor = (int(parts[0]), int(parts[1]))
    except (IndexError, ValueError):
        minor = None
    if minor == TESTED_MINOR:
        return ""
    tested = ".".join(map(str, TESTED_MINOR))
    return f"feedparser {version or '(no version)'} is not the tested {tested}.x"


def fast_parser() -> FastParser | None:
    """The fast XML parser (`fastxml.parse_xml_fast`), or None when it is off.

    Decided once per process (`reset` decides again); when off, one warning says why.
    """
    if _decided:
        return _decided[0]
    reason = version_mismatch(str(getattr(feedparser, "__version__", ""))) or _MISSING
    parser: FastParser | None = None
    if not reason:
        try:
            from kabar.core.feeds.parse.fastxml import parse_xml_fast
        except (ImportError, AttributeError) as exc:  # a table or class it reads has changed
            reason = f"{exc.__class__.__name__}: {exc}"
        else:
            parser = parse_xml_fast
    if reason:
        log.warning("fast feed parser off (%s); feedparser reads every RSS and Atom feed", reason)
    _decided.append(parser)
    return parser


def reset() -> None:
    """Forget the decision, so the next `fast_parser()` checks feedparser again."""
    _decided.clear()
