"""OPML 2.0 import and export: the feed list as every reader exchanges it.

Folders are nested outlines without an xmlUrl; we flatten nesting into a "A/B" folder path.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.utils import formatdate

from kabar.core.errors import OpmlError
from kabar.core.feeds.parse.xmlfeed import strip_doctype
from kabar.core.feeds.urls import InvalidURL, feed_url
from kabar.core.models import FeedRow
from kabar.core.textsafety import clean_line, safe_link
from kabar.core.wording import plural


@dataclass(slots=True)
class OpmlFeed:
    url: str
    title: str = ""
    folder: str = ""
    site_url: str = ""


@dataclass(slots=True)
class SkippedOutline:
    """An outline that did not become a subscription, and why (shown after an import)."""

    name: str  # its title, else its URL
    reason: str


@dataclass(slots=True)
class OpmlImport:
    feeds: list[OpmlFeed] = field(default_factory=list)
    skipped: list[SkippedOutline] = field(default_factory=list)


# Folders nest a few levels in real files; a deeper outline is skipped (and reported), and
# the walk is a loop, so a file nested 5,000 levels deep cannot exhaust Python's stack.
MAX_DEPTH = 50


def parse_opml(data: bytes) -> list[OpmlFeed]:
    """The feeds listed in an OPML document, in document order, without duplicates."""
    return read_opml(data).feeds


def read_opml(data: bytes) -> OpmlImport:
    """The feeds of an OPML document, and the outlines skipped with the reason for each."""
    try:
        root = ET.fromstring(strip_doctype(data))
    except ET.ParseError as exc:
        raise OpmlError(f"invalid OPML: {exc}") from exc
    except RecursionError as exc:  # pragma: no cover - expat builds the tree in a loop
        raise OpmlError("invalid OPML: nested too deeply") from exc
    if root.tag.lower() != "opml":
        raise OpmlError(f"not OPML: the root element is <{clean_line(root.tag)[:40]}>")
    body = root.find("body")
    if body is None:
        raise OpmlError("invalid OPML: no <body>")
    result = OpmlImport()
    seen: set[str] = set()
    deep = 0
    # (outline, its folder path); a stack so that document order is kept
    stack: list[tuple[ET.Element, tuple[str, ...]]] = [
        (child, ()) for child in reversed(body.findall("outline"))
    ]
    while stack:
        outline, folders = stack.pop()
        raw_url = outline.get("xmlUrl") or outline.get("xmlurl") or ""
        title = clean_line(outline.get("title") or outline.get("text") or "")
        if raw_url:
            name = title or clean_line(raw_url)[:200]
            try:
                url = feed_url(raw_url)  # the one check every subscription passes
            except InvalidURL as exc:
                result.skipped.append(SkippedOutline(name, str(exc)))
                continue
            if url in seen:
                result.skipped.append(SkippedOutline(name, "listed twice"))
                continue
            seen.add(url)
            site = safe_link(outline.get("htmlUrl") or outline.get("htmlurl") or "")
            result.feeds.append(OpmlFeed(url, title, "/".join(folders), site))
            continue
        children = outline.findall("outline")
        if not children:
            other = outline.get("url") or outline.get("htmlUrl") or outline.get("htmlurl")
            if other:
                name = title or clean_line(other)[:200]
                result.skipped.append(SkippedOutline(name, "no feed URL (xmlUrl)"))
            continue
        if len(folders) >= MAX_DEPTH:
            deep += 1
            continue
        inner = (*folders, title) if title else folders
        stack.extend((child, inner) for child in reversed(children))
    if deep:
        result.skipped.append(
            SkippedOutline(
                plural(deep, "folder"), f"nested deeper than {MAX_DEPTH} levels, with all they hold"
            )
        )
    return result


def export_opml(feeds: Sequence[FeedRow | OpmlFeed], title: str = "Kabar feeds") -> str:
    """An OPML 2.0 document with one folder outline per folder (a feed listed twice, as
    a sync server's feed with two labels is, appears under each)."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "dateCreated").text = formatdate(usegmt=True)
    body = ET.SubElement(root, "body")
    folders: dict[str, ET.Element] = {}
    for feed in feeds:
        parent = body
        if feed.folder:
            path = ""
            for part in feed.folder.split("/"):
                path = f"{path}/{part}" if path else part
                if path not in folders:
                    folders[path] = ET.SubElement(parent, "outline", text=part, title=part)
                parent = folders[path]
        name = feed.display_title if isinstance(feed, FeedRow) else feed.title or feed.url
        attrs = {"type": "rss", "text": name, "title": name}
        attrs["xmlUrl"] = feed.url
        if feed.site_url:
            attrs["htmlUrl"] = feed.site_url
        ET.SubElement(parent, "outline", attrs)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
