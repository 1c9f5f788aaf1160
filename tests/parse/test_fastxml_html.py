"""fasthtml.sanitize_html gives exactly what feedparser's two sgmllib passes give.

Property test over markup assembled from fragments chosen for sgmllib's corner cases
(references with and without semicolons, self-closing tags, unquoted and duplicate
attributes, comments, stray < and &, relative and unsafe URLs, elements the sanitizer drops
with or without their text), in both HTML and XHTML modes and against several base URIs.
"""

from __future__ import annotations

from feedparser.sanitizer import _sanitize_html
from feedparser.urls import resolve_relative_uris
from hypothesis import given, settings
from hypothesis import strategies as st

from kabar.core.feeds.parse.fasthtml import XHTML, sanitize_html

FRAGMENTS = [
    "<p>", "</p>", '<a href="x.html">', "<a href='http://e.example/a?b=1&c=2'>", "</a>",
    "<br>", "<br/>", "<br />", '<img src="i.png" alt="x"/>', '<IMG SRC="A.PNG">',
    "<img src=a.png>", '<span class="c"/>', "<div/>", "<script>", "</script>", "<style>",
    "</style>", '<iframe src="f">', "</iframe>", "&amp;", "&lt;", "&gt;", "&quot;", "&apos;",
    "&#39;", "&#34;", "&#150;", "&#x2019;", "&#X41;", "&#xAB;", "&nbsp;", "&copy", "&foo;",
    "&T", "&", "&#", "&#12", " ", "\n", "\t", "\r\n", "text", "é", "’", "<", ">", "a<b",
    "< p", "<3", "<!-- c -->", "<!--", "-->", "<!DOCTYPE x>", "<![CDATA[x]]>", "<?pi?>",
    '<p title="a&amp;b &#39;q&#39; &foo">', '<a href="javascript:x()">', '<a href="">',
    '<a href=" http://e.example ">', '<p style="color: red; background: url(x)">',
    '<p onclick="x()" class="k" id="i">', '<td colspan="2" valign=TOP>', "<input disabled>",
    '<a rel="NoFollow" type="TEXT/HTML" href="/r">', "<svg>", "</svg>", "<o:p>", "</o:p>",
    '<p\n class="x"\n>', '<blockquote cite="q">', '<video poster="p.jpg" src="v">',
    '<p title="x>y">', "<p title='x\"y'>", '<a href="x"title="y">', "</ p>", "<>",
    '<img src="http://[::1]/x">', '<a href="HTTP://E.EXAMPLE">', '<a href="//proto.rel/x">',
    '<a href="../up">', '<a href="?q=1">', '<a href="#frag">', '<area href="m">',
    '<figure>', '</figure>', '<figcaption>', '</figcaption>', '<a href="http://e.example/p">',
]  # fmt: skip
BASES = ["http://b.example/dir/page.html", "", "https://x.example/", "feed.xml"]


def feedparser_html(markup: str, base: str, content_type: str) -> str:
    resolved = resolve_relative_uris(markup, base, "utf-8", content_type)
    return str(_sanitize_html(resolved, "utf-8", content_type))


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=14),
    st.sampled_from(BASES),
    st.sampled_from(["text/html", XHTML]),
)
def test_same_markup_as_feedparser(parts: list[str], base: str, content_type: str) -> None:
    markup = "".join(parts)
    assert sanitize_html(markup, base, content_type) == feedparser_html(markup, base, content_type)


def test_typical_article_markup() -> None:
    markup = (
        '<p>Read <a href="/a/1.html">this</a> &amp; <strong>that</strong>.</p>\n'
        '<figure><img src="img/x.jpg" alt="A &quot;photo&quot;" width="800" height="450"/>'
        "<figcaption>Caption. Photo: Someone</figcaption></figure><!-- more -->"
    )
    base = "https://news.example/section/"
    got = sanitize_html(markup, base, "text/html")
    assert got == feedparser_html(markup, base, "text/html")
    assert (
        '<img alt="A &quot;photo&quot;" height="450" src="https://news.example/section/img/x.jpg"'
        in got
    )


def test_dropped_elements_and_attributes() -> None:
    markup = '<script>x()</script><p onclick="y()">kept</p><iframe src="z"></iframe>'
    assert sanitize_html(markup, "", "text/html") == "<p>kept</p>"
