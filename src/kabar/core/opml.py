"""OPML 2.0 import and export: the feed list as every reader exchanges it.

Folders are nested outlines without an xmlUrl; we flatten nesting into a "A/B" folder path.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from email.utils import formatdate

from kabar.core.errors import OpmlError
from kabar.core.models import FeedRow
from kabar.core.parse.xmlfeed import strip_doctype
from kabar.core.textsafety import clean_line, safe_link


@dataclass(slots=True)
class OpmlFeed:
    url: str
    title: str = ""
    folder: str = ""
    site_url: str = ""


def parse_opml(data: bytes) -> list[OpmlFeed]:
    """The feeds listed in an OPML document, in document order, without duplicates."""
    try:
        root = ET.fromstring(strip_doctype(data))
    except ET.ParseError as exc:
        raise OpmlError(f"invalid OPML: {exc}") from exc
    if root.tag.lower() != "opml":
        raise OpmlError(f"not OPML: the root element is <{root.tag}>")
    body = root.find("body")
    if body is None:
        raise OpmlError("invalid OPML: no <body>")
    feeds: dict[str, OpmlFeed] = {}
    _walk(body, [], feeds)
    return list(feeds.values())


def _walk(node: ET.Element, folders: list[str], out: dict[str, OpmlFeed]) -> None:
    for outline in node.findall("outline"):
        url = safe_link(outline.get("xmlUrl") or outline.get("xmlurl") or "")
        title = clean_line(outline.get("title") or outline.get("text") or "")
        if url:
            if url not in out:
                site = safe_link(outline.get("htmlUrl") or outline.get("htmlurl") or "")
                out[url] = OpmlFeed(url, title, "/".join(folders), site)
        else:
            _walk(outline, [*folders, title] if title else folders, out)


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
