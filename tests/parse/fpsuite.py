"""feedparser's own test suite (tests/fixtures/feedparser-tests) run through Kabar.

Each suite file is a feed whose leading comment holds a `Description:`, an `Expect:` line
(a Python expression over feedparser's result) and sometimes `Header:` lines (the HTTP
headers feedparser's test server sends with it). For every file we record:

* whether `parse_feed` raised anything but FeedParseError (it must not);
* whether the fast path, when it accepts the document, reads it as xmlfeed (feedparser)
  does, field by field (tests/parse/compare.py);
* how Kabar's reading fares against the `Expect:` line. Kabar keeps fewer fields than
  feedparser, so the expression is evaluated over a feedparser-shaped view of the
  ParsedFeed (`kabar_view`); `bozo`, `encoding`, `version` and the like, which Kabar does not
  keep, come from feedparser's own result. An expression about a field Kabar does not keep
  raises (KeyError...) and counts as "not applicable". Files where feedparser itself fails
  its expectation here (it expected its own test server) are "feedparser fails" and left
  out of the comparison.
"""

from __future__ import annotations

import io
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import feedparser
from feedparser.util import FeedParserDict

from kabar.core.errors import FeedParseError
from kabar.core.feeds.parse import parse_feed
from kabar.core.feeds.parse.fastxml import parse_xml_fast
from kabar.core.models import ParsedFeed
from tests.parse.compare import differences, reference

SUITE = Path(__file__).resolve().parent.parent / "fixtures" / "feedparser-tests" / "tests"
SERVER = "http://127.0.0.1:8097/tests"
_EXPECT = re.compile(r"Expect:\s*(.*?)\s*-->", re.S)
_HEADER = re.compile(r"Header:\s*([^:\n]+?):\s*(.*?)\s*$", re.M)
_ENCODINGS = (
    "utf-8",
    "utf-16",
    "utf-32",
    "utf-16-be",
    "utf-16-le",
    "utf-32-be",
    "utf-32-le",
    "cp500",
)


@dataclass
class Outcome:
    path: str  # relative to the suite folder
    crash: str = ""  # an exception other than FeedParseError from parse_feed
    fast_differs: list[str] | None = None
    expect: str = ""
    verdict: str = ""  # "agrees", "differs", "rejected", "n/a", "feedparser fails", "no expect"


def files() -> list[Path]:
    return sorted(p for p in SUITE.rglob("*") if p.is_file())


def _comment(data: bytes) -> str:
    for encoding in _ENCODINGS:
        text = data[:4096].decode(encoding, errors="replace")
        if "Expect:" in text:
            return text
    return ""


def run_file(path: Path) -> Outcome:
    data = path.read_bytes()
    outcome = Outcome(path.relative_to(SUITE).as_posix())
    comment = _comment(data)
    match = _EXPECT.search(comment)
    outcome.expect = match.group(1).strip() if match else ""
    headers = {k.strip().lower(): v for k, v in _HEADER.findall(comment.split("-->")[0])}
    if headers or path.name.startswith("http") or outcome.path.startswith("http/"):
        # served by feedparser's test server, which gives the document's URL and a type
        headers.setdefault("content-location", f"{SERVER}/{outcome.path}")
        headers.setdefault("content-type", "application/xml")
    url = headers.get("content-location", "")
    content_type = headers.get("content-type", "")
    kabar: ParsedFeed | None = None
    try:
        kabar = parse_feed(data, url, content_type)
    except FeedParseError:
        pass
    except Exception as exc:
        outcome.crash = f"{exc.__class__.__name__}: {exc}"
    try:
        fast = parse_xml_fast(data, url, content_type)
    except Exception as exc:
        outcome.crash = outcome.crash or f"fast path: {exc.__class__.__name__}: {exc}"
        fast = None
    if fast is not None:
        try:
            outcome.fast_differs = differences(reference(data, url, content_type), fast)
        except FeedParseError as exc:
            outcome.fast_differs = [f"feedparser path refused it: {exc}"]
    if not outcome.expect:
        outcome.verdict = "no expect"
        return outcome
    response_headers = dict(headers)
    raw = feedparser.parse(io.BytesIO(data), response_headers=response_headers)
    if not _holds(outcome.expect, raw):
        outcome.verdict = "feedparser fails"
        return outcome
    view = kabar_view(kabar, raw)
    try:
        holds = bool(eval(outcome.expect, {"time": time, "feedparser": feedparser}, view))
    except (KeyError, AttributeError, IndexError, TypeError):
        outcome.verdict = "rejected" if kabar is None else "n/a"
        return outcome
    if holds:
        outcome.verdict = "agrees"
    else:
        outcome.verdict = "rejected" if kabar is None else "differs"
    return outcome


def _holds(expect: str, env: Any) -> bool:
    try:
        return bool(eval(expect, {"time": time, "feedparser": feedparser}, env))
    except Exception:
        return False


def kabar_view(feed: ParsedFeed | None, raw: Any) -> FeedParserDict:
    """Kabar's reading shaped like feedparser's result, for the `Expect:` expressions.

    Only the fields Kabar keeps are present (under feedparser's names, so its aliases such
    as `description` and `guid` work); everything else Kabar does not keep comes from
    feedparser's result: `bozo`, `encoding`, `version`, `namespaces`, `headers`, ...
    """
    view = FeedParserDict()
    for key in raw:
        if key not in ("feed", "entries"):
            view[key] = raw[key]
    view["feed"] = _Kept()
    view["entries"] = []
    if feed is None:
        return view
    view["feed"] = _some(
        title=feed.title,
        link=feed.link,
        subtitle=feed.description,
        language=feed.language,
        ttl=str(feed.ttl_minutes) if feed.ttl_minutes is not None else "",
    )
    for entry in feed.entries:
        item = _some(
            id=entry.guid,
            link=entry.link,
            title=entry.title,
            author=entry.author,
            summary=entry.summary,
        )
        if entry.content:
            item["content"] = [_Kept(value=entry.content)]
        if entry.published is not None:
            item["published_parsed"] = time.gmtime(entry.published)
        if entry.updated is not None:
            item["updated_parsed"] = time.gmtime(entry.updated)
        if entry.enclosures:
            item["enclosures"] = [
                _some(href=e.url, type=e.type, length=str(e.length) if e.length else "")
                for e in entry.enclosures
            ]
        if entry.tags:
            item["tags"] = [_Kept(term=t) for t in entry.tags]
        view["entries"].append(item)
    return view


class _Kept(FeedParserDict):  # type: ignore[misc]
    """A feedparser dict whose get() of a field Kabar does not keep raises KeyError, so
    that `entries[0].get('where') == {}` counts as not applicable, not as a difference."""

    def get(self, key: Any, default: Any = None) -> Any:
        if key not in _KEPT:
            raise KeyError(key)
        return super().get(key, default)


_KEPT = frozenset(
    [
        "title",
        "link",
        "subtitle",
        "description",
        "tagline",
        "language",
        "ttl",
        "id",
        "guid",
        "author",
        "summary",
        "content",
        "published_parsed",
        "updated_parsed",
        "date_parsed",
        "enclosures",
        "tags",
        "href",
        "type",
        "length",
        "term",
        "value",
    ]
)


def _some(**fields: str) -> FeedParserDict:
    return _Kept({k: v for k, v in fields.items() if v})
