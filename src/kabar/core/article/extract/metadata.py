"""Article metadata from the page head: title, author, date, site, language, image, URL.

We read what publishers put there for search engines and social cards (Open Graph,
Twitter cards, JSON-LD `Article` objects, Dublin Core and common `<meta>` names) instead
of calling trafilatura's metadata pass: that pass runs htmldate over the whole page and
costs more than the text extraction itself, while the declared fields are what sites keep
accurate, because their search traffic depends on them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from kabar.core.textsafety import clean_line, safe_join


@dataclass(slots=True)
class Metadata:
    """What the page says about itself; every field may be empty."""

    url: str = ""
    title: str = ""
    author: str = ""
    published: str = ""
    site_name: str = ""
    language: str = ""
    lead_image: str = ""
    # what the page repeats above the text: the title as the site wrote it in several places,
    # and its summary (often shown again as the standfirst)
    title_variants: tuple[str, ...] = ()
    description: str = ""


_ARTICLE_TYPES = re.compile(r"(Article|BlogPosting|Report|Posting|WebPage)$", re.I)
_TITLE_SEPARATORS = re.compile(r"\s+(?:[|\u2013\u2014•·»:]|-{1,2}|::)\s+")
_BY = re.compile(r"^(by|oleh|von|par|por|di|door)\s+", re.I)
_DATE_ONLY = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_LANG = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$")

_TITLE_KEYS = ("og:title", "twitter:title", "dc.title", "headline")
_AUTHOR_KEYS = (
    "author",
    "article:author",
    "dc.creator",
    "parsely-author",
    "sailthru.author",
    "byl",
    "twitter:creator",
)
_DATE_KEYS = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "publication_date",
    "date",
    "dc.date",
    "dc.date.issued",
    "dcterms.created",
    "parsely-pub-date",
    "sailthru.date",
    "article.published",
    "og:published_time",
)
_IMAGE_KEYS = (
    "og:image:secure_url",
    "og:image:url",
    "og:image",
    "twitter:image",
    "twitter:image:src",
)


def read_metadata(root: HtmlElement, url: str = "") -> Metadata:
    """The metadata of a parsed page; `url` is where it was fetched, the base for links."""
    meta = _meta_tags(root)
    ld = _json_ld_article(root)
    base = url
    canonical = _canonical(root, meta, base)
    if canonical:
        base = canonical

    title = _first(meta, _TITLE_KEYS) or _ld_text(ld.get("headline"))
    site_name = meta.get("og:site_name") or _ld_name(ld.get("publisher")) or ""
    title = _strip_site(clean_line(title), clean_line(site_name))
    title = title or _heading_title(root, clean_line(site_name))
    if not title:
        title = _strip_site(clean_line(_title_tag(root)), clean_line(site_name))
    if not title:
        h1 = root.find(".//h1")
        title = clean_line(h1.text_content()) if h1 is not None else ""

    author = _ld_name(ld.get("author")) or _first(meta, _AUTHOR_KEYS) or _byline(root)
    author = _clean_author(author)
    published = _iso_date(_ld_text(ld.get("datePublished")) or _first(meta, _DATE_KEYS))
    if not published:
        published = _iso_date(_time_element(root))
    image = _first(meta, _IMAGE_KEYS) or _ld_image(ld.get("image")) or _link_href(root, "image_src")
    language = _language(root, meta, ld)
    variants = (
        title,
        meta.get("og:title", ""),
        meta.get("twitter:title", ""),
        _ld_text(ld.get("headline")),
        _title_tag(root),
        *(h1.text_content() for h1 in root.iter("h1")),
    )
    description = (
        meta.get("og:description") or meta.get("description") or _ld_text(ld.get("description"))
    )
    return Metadata(
        url=canonical or url,
        title=title,
        author=author,
        published=published,
        site_name=clean_line(site_name) or _host(canonical or url),
        language=language,
        lead_image=safe_join(base, image.strip()) if image else "",
        title_variants=tuple(dict.fromkeys(clean_line(v) for v in variants if v and v.strip())),
        description=clean_line(description),
    )


def _meta_tags(root: HtmlElement) -> dict[str, str]:
    """`<meta>` contents by lower-cased property/name/itemprop; the first one wins."""
    found: dict[str, str] = {}
    for el in root.iter("meta"):
        key = el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv")
        content = el.get("content")
        if key and content and content.strip():
            found.setdefault(key.strip().lower(), content.strip())
    return found


def _first(meta: dict[str, str], keys: tuple[str, ...]) -> str:
    for key in keys:
        value = meta.get(key)
        if value:
            return value
    return ""


def _json_ld_article(root: HtmlElement) -> dict[str, Any]:
    """The first JSON-LD object that describes an article (searching `@graph` too)."""
    for script in root.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue
        for item in _ld_items(data):
            kind = item.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if any(isinstance(k, str) and _ARTICLE_TYPES.search(k) for k in kinds) and (
                "headline" in item or "datePublished" in item or "author" in item
            ):
                return item
    return {}


def _ld_items(data: Any) -> list[dict[str, Any]]:
    if isinstance(data, list):
        return [item for entry in data for item in _ld_items(entry)]
    if isinstance(data, dict):
        graph = data.get("@graph")
        return [data, *(_ld_items(graph) if graph else [])]
    return []


def _ld_text(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    return value.strip() if isinstance(value, str) else ""


def _ld_name(value: Any) -> str:
    """A name from a JSON-LD Person/Organization, a list of them, or a plain string."""
    if isinstance(value, list):
        names = [_ld_name(v) for v in value]
        return ", ".join(n for n in names if n)
    if isinstance(value, dict):
        return _ld_text(value.get("name"))
    return _ld_text(value)


def _ld_image(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, dict):
        return _ld_text(value.get("url") or value.get("contentUrl"))
    return _ld_text(value)


def _heading_title(root: HtmlElement, site_name: str = "") -> str:
    """The page's own <h1> when the <title> repeats it ("Test page | My Blog" over an h1 of
    "Test page"): the h1 is the headline as written, the <title> adds the site's name.

    An h1 that is the site's name (a logo heading linking home, or og:site_name) is not
    the headline; of several, the one the <title> opens with wins."""
    tag = clean_line(_title_tag(root)).casefold()
    found: list[str] = []
    for h1 in root.iter("h1"):
        text = clean_line(h1.text_content())
        if not text or (tag and text.casefold() not in tag) or _site_heading(h1, site_name):
            continue
        if tag.startswith(text.casefold()):
            return text
        found.append(text)
    return found[0] if found else ""


def _site_heading(h1: HtmlElement, site_name: str) -> bool:
    """A heading that names the site: its name, or a logo heading whose link goes home."""
    if site_name and clean_line(h1.text_content()).casefold() == site_name.casefold():
        return True
    marks = f"{h1.get('class') or ''} {h1.get('id') or ''}".lower()
    if any(word in marks for word in ("site-title", "site-name", "logo", "brand")):
        return True
    return any(urlsplit(a.get("href") or "").path in ("", "/") for a in h1.iter("a"))


def _title_tag(root: HtmlElement) -> str:
    el = root.find(".//title")
    return el.text_content() if el is not None else ""


def _strip_site(title: str, site: str) -> str:
    """'Headline | Site' -> 'Headline': the site name is shown apart."""
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    if site and parts[-1].strip().lower() == site.lower():
        return " - ".join(parts[:-1]).strip()
    if site and parts[0].strip().lower() == site.lower():
        return " - ".join(parts[1:]).strip()
    # an unknown suffix is removed only when it is short, like a site name
    if len(parts[-1]) <= 30 < len(" ".join(parts[:-1])):
        return title[: title.rfind(parts[-1])].rstrip(" |-–—•·»:")
    return title


def _canonical(root: HtmlElement, meta: dict[str, str], url: str) -> str:
    href = _link_href(root, "canonical") or meta.get("og:url", "")
    if not href:
        return ""
    link = safe_join(url, href.strip())
    return link if link.startswith(("http://", "https://")) else ""


def _link_href(root: HtmlElement, rel: str) -> str:
    for el in root.iter("link"):
        if rel in (el.get("rel") or "").lower().split() and el.get("href"):
            return str(el.get("href"))
    return ""


def _byline(root: HtmlElement) -> str:
    for el in root.iter("a", "span", "div", "p"):
        if el.get("rel") == "author" or el.get("itemprop") == "author":
            text = clean_line(el.text_content())
            if 2 < len(text) < 80:
                return text
    return ""


def _clean_author(author: str) -> str:
    author = clean_line(author)
    if author.startswith(("http://", "https://", "@")) and " " not in author:
        return ""  # a profile URL or a handle, not a name
    return _BY.sub("", author).strip()


def _time_element(root: HtmlElement) -> str:
    for el in root.iter("time"):
        value = el.get("datetime")
        if value:
            return str(value)
    return ""


def _iso_date(value: str) -> str:
    """The date in ISO 8601 (with its offset when the page gave one), or ""."""
    text = clean_line(value)
    if not text:
        return ""
    parsed: datetime | None = None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            parsed = None
    if parsed is not None:
        return parsed.isoformat()
    match = _DATE_ONLY.search(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        try:
            return datetime(year, month, day).date().isoformat()
        except ValueError:
            return ""
    return ""


def _language(root: HtmlElement, meta: dict[str, str], ld: dict[str, Any]) -> str:
    candidates = (
        root.get("lang"),
        root.get("{http://www.w3.org/XML/1998/namespace}lang"),
        meta.get("content-language"),
        meta.get("og:locale"),
        _ld_text(ld.get("inLanguage")),
    )
    for value in candidates:
        value = (value or "").strip().split(",")[0].strip()
        if value and _LANG.match(value):
            return value.replace("_", "-")
    return ""


def _host(url: str) -> str:
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")
