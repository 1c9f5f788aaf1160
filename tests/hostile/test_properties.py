"""Property tests: whatever bytes or text arrive, the parsers and the renderer raise nothing
but our own errors, and nothing they output can drive the terminal."""

from __future__ import annotations

import io
import json
import os
from xml.sax.saxutils import escape

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

from kabar.core.article.document import Article, Figure, Heading, ListBlock, Paragraph, Quote, Span
from kabar.core.article.htmldoc import html_to_blocks
from kabar.core.errors import FeedParseError
from kabar.core.feeds.parse import parse_feed
from kabar.core.textsafety import clean_text, safe_link
from kabar.render.article import render_article

FAST = settings(
    max_examples=int(os.environ.get("KABAR_FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
CONTROL = {chr(c) for c in range(0x20) if c not in (0x0A,)} | {chr(c) for c in range(0x7F, 0xA0)}


def _parse(data: bytes, content_type: str = "") -> None:
    try:
        feed = parse_feed(data, "https://fuzz.example/feed", content_type)
    except FeedParseError:
        return
    for text in [feed.title, *(e.title for e in feed.entries), *(e.author for e in feed.entries)]:
        assert not (set(text) & CONTROL), repr(text)
        text.encode("utf-8")  # no lone surrogates: sqlite3 would refuse them


@FAST
@given(st.binary(max_size=3000))
def test_random_bytes(data: bytes) -> None:
    _parse(data)
    _parse(data, "application/json")


@FAST
@given(st.text(max_size=400), st.text(max_size=400), st.booleans())
def test_random_text_inside_a_feed(title: str, body: str, escaped: bool) -> None:
    title_xml = escape(title) if escaped else title
    doc = (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title_xml}'
        f"</title><item><title>{title_xml}</title><description>{escape(body)}</description>"
        "</item></channel></rss>"
    )
    _parse(doc.encode("utf-8", "surrogatepass"))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=30,
)


@FAST
@given(
    json_values,
    st.lists(
        st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "url",
                    "title",
                    "content_html",
                    "content_text",
                    "summary",
                    "date_published",
                    "authors",
                    "author",
                    "attachments",
                    "tags",
                    "image",
                ]
            ),
            json_values,
            max_size=8,
        ),
        max_size=5,
    ),
)
def test_random_json_feeds(extra: object, items: list[dict[str, object]]) -> None:
    doc = {"version": "https://jsonfeed.org/version/1.1", "title": extra, "items": items}
    _parse(json.dumps(doc).encode())
    _parse(json.dumps(items).encode())  # as a WordPress listing


@FAST
@given(st.text(max_size=300), st.text(max_size=300), st.text(max_size=100))
def test_the_renderer_shows_any_text_literally_and_safely(title: str, text: str, link: str) -> None:
    article = Article(
        title=clean_text(title),
        author=clean_text(text[:20]),
        blocks=[
            Heading(2, [Span(clean_text(text))]),
            Paragraph([Span(clean_text(text), link=safe_link(link) or None)]),
            Figure("https://x.example/a.png", [Span(clean_text(title))], clean_text(text[:10])),
            Quote([[Span(clean_text(text))]]),
            ListBlock(False, [[Span(clean_text(title))]]),
        ],
    )
    buffer = io.StringIO()
    Console(file=buffer, width=60, color_system=None).print(render_article(article))
    output = buffer.getvalue()
    assert "\x1b" not in output and "\x9b" not in output


@FAST
@given(st.text(max_size=500))
def test_html_to_blocks_never_raises(markup: str) -> None:
    for block in html_to_blocks(markup, "https://fuzz.example/"):
        assert block is not None
