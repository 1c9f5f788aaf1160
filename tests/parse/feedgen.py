"""Random feeds for differential tests: the fast XML path against feedparser.

Each document mixes the constructs feedparser treats in order-dependent or surprising ways
(a second description, guid-as-link, xml:base, HTML that the sanitizer rewrites, odd dates,
duplicate elements, unknown namespaces...), so agreement on a few hundred of them says more
than any hand-written fixture. The output is deterministic for a given seed.
"""

# Long markup literals read best unbroken; the word list is a sentence on purpose.
# ruff: noqa: E501, SIM905

from __future__ import annotations

import random
from collections.abc import Callable
from html import escape

RSS_NS = {
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "atom": "http://www.w3.org/2005/Atom",
    "media": "http://search.yahoo.com/mrss/",
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "wfw": "http://wellformedweb.org/CommentAPI/",
    "slash": "http://purl.org/rss/1.0/modules/slash/",
    "x": "http://example.org/unknown#",
    "dcterms": "http://purl.org/dc/terms/",
}

WORDS = (
    "kabar news café naïve Zürich “quoted” Jakarta’s 東京 señor déjà — ½ Q&A AT&T "
    'x<y a>b tom\'s "q" ✓ 🙂'
).split()

HTML_SNIPPETS = [
    "<p>Plain paragraph.</p>",
    '<p>Link to <a href="/story/1">a relative story</a> and <a href="http://ex.com/a?b=1&amp;c=2">a query</a>.</p>',
    '<figure><img src="img/photo.jpg" alt="A photo" width="800" height="450"/><figcaption>Caption. Photo: Someone</figcaption></figure>',
    '<img src="http://cdn.ex.com/a.png" alt=""/>',
    "<p>Line one<br>Line two<br/>Line three<br />end</p>",
    "<script>alert('x')</script><p>after script</p>",
    "<style>p{color:red}</style><p>after style</p>",
    "<!-- a comment --><p>after comment</p>",
    '<iframe src="http://ex.com/embed"></iframe><p>after iframe</p>',
    '<p onclick="evil()" class="lead" style="color: red; position: absolute">styled</p>',
    '<a href="javascript:alert(1)">js link</a>',
    "<p>AT&T and Q&A and &amp; and &nbsp; and &copy and &foo; and &#150; and &#x2019; and &#X41;</p>",
    "<p>a < b and c > d</p>",
    '<IMG SRC="Upper.JPG" ALT="Upper">',
    "<img src=unquoted.jpg alt=x>",
    '<p/><span class="x"/><div>text</div>',
    '<svg xmlns="http://www.w3.org/2000/svg"><circle r="1"/></svg><p>after svg</p>',
    '<blockquote cite="quote.html"><p>quoted</p></blockquote>',
    "<ul><li>one</li><li>two</li></ul>",
    '<a href="  http://spaces.ex.com/  ">spaced href</a>',
    '<a href="">empty href</a>',
    '<p title="it&#39;s &quot;quoted&quot;">attr entities</p>',
    "<table><tr><th>h</th></tr><tr><td>d</td></tr></table>",
    "<pre><code>x = 1 &lt; 2</code></pre>",
    "<p>Mixed <b>bold</b> <i>italic</i> <em>em</em> <strong>strong</strong> <u>u</u></p>",
    "plain text without markup",
    "text with &lt;escaped&gt; markup",
    '<video src="v.mp4" poster="p.jpg"></video>',
    "<p>tab\tand\r\ncarriage</p>",
    "<p>control \x0b char</p>",
    "<div><div>nested <span>span</span></div></div>",
    '<a href="http://ex.com/x" rel="NoFollow" type="TEXT/HTML">rel type</a>',
    "<o:p>office</o:p><p>after office</p>",
    '<p>entity in attr <a href="http://ex.com/?a=1&b=2">bare amp</a></p>',
]

DATES = [
    "Sat, 01 Mar 2025 07:00:00 +0700",
    "Sat, 01 Mar 2025 07:00:00 GMT",
    "01 Mar 2025 07:00:00 -0500",
    "Mon, 3 Mar 2025 10:15 EST",
    "Tue, 04 Mar 2025 10:15:00 +05:30",
    "Wed, 05 Mar 25 10:15:00 +0000",
    "Thursday, 06 March 2025 10:15:00 PST",
    "2025-03-01T07:00:00Z",
    "2025-03-01T07:00:00+07:00",
    "2025-03-01T07:00:00.123-03:30",
    "2025-03-01T07:00",
    "2025-03-01",
    "2025-03-01 07:00:00",
    "2025-03-01T07:00:00+0700",
    "20250301T070000Z",
    "Sat Mar  1 07:00:00 2025",
    "not a date",
    "",
    "Sat, 30 Feb 2025 07:00:00 +0000",
    "Sat, 01 Mar 2025 25:00:00 +0000",
    "1970-01-01T00:00:00Z",
    "Sat, 01 Mar 2025 07:00:00 Z",
    "Sat, 01 Mar 2025 07:00:00 UT",
    "Sat, 01 Mar 2025 07:00:00 CEST",
]

URLS = [
    "http://news.example.com/story/1",
    "https://news.example.com/a/2.html?x=1&y=2",
    "/relative/path",
    "relative/file.html",
    "tag:example.com,2025:1",
    "urn:uuid:1234",
    "javascript:alert(1)",
    "http://news.example.com/q?",
    "  http://news.example.com/spaced  ",
    "HTTP://NEWS.EXAMPLE.COM/UPPER",
    "http://[::1]/v6",
    "",
    "12345",
    "http://news.example.com/a&amp;b;c",
]

AUTHORS = [
    "Jane Doe",
    "jane@example.com (Jane Doe)",
    "jane@example.com",
    "Jane Doe <jane@example.com>",
    "  spaced   name  ",
    "",
]


class FeedGen:
    """Build one random feed document per call."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def pick(self, options: list[str] | tuple[str, ...]) -> str:
        return self.rng.choice(options)

    def one_of(self, makers: list[Callable[[], str]]) -> str:
        """The output of one of `makers`, chosen at random."""
        return self.rng.choice(makers)()

    def words(self, n: int = 4) -> str:
        return " ".join(self.rng.choice(WORDS) for _ in range(n))

    def text(self) -> str:
        """Character data, escaped for XML, sometimes as CDATA."""
        kind = self.rng.random()
        if kind < 0.15:
            return "<![CDATA[" + self.words().replace("]]>", "") + "]]>"
        if kind < 0.25:
            return ""
        if kind < 0.35:
            return "  " + escape(self.words(), quote=False) + "\n  "
        return escape(self.words(), quote=False)

    def html(self, n: int | None = None) -> str:
        parts = [self.pick(HTML_SNIPPETS) for _ in range(n or self.rng.randint(1, 4))]
        return "".join(parts)

    def html_text(self) -> str:
        """HTML carried in XML: escaped, or in CDATA."""
        markup = self.html()
        if self.chance(0.5) and "]]>" not in markup:
            return "<![CDATA[" + markup + "]]>"
        return escape(markup, quote=False)

    def attr(self, value: str) -> str:
        return escape(value, quote=True)

    def base_attr(self) -> str:
        if self.chance(0.12):
            return f' xml:base="{self.attr(self.pick(["http://base.example.org/dir/", "sub/", "/root/", "https://other.example/"]))}"'
        return ""

    def lang_attr(self) -> str:
        return f' xml:lang="{self.pick(["en", "id_ID", "", "ja"])}"' if self.chance(0.2) else ""

    # -- RSS ---------------------------------------------------------------------------------
    def rss(self) -> str:
        version = self.pick(["2.0", "2.0", "2.0", "0.91", "0.92", "", "2.01"])
        used = [p for p in RSS_NS if self.chance(0.6)]
        decls = "".join(f' xmlns:{p}="{RSS_NS[p]}"' for p in used)
        if "dc" not in used and self.chance(0.3):
            decls += f' xmlns:d="{RSS_NS["dc"]}"'  # Dublin Core under another prefix
            used.append("d")
        if self.chance(0.1):
            decls += ' xmlns="http://backend.userland.com/rss2"'
        version_attr = f' version="{version}"' if version else ""
        out = [f"<rss{version_attr}{decls}{self.lang_attr()}{self.base_attr()}>\n<channel>\n"]
        for _ in range(self.rng.randint(0, 6)):
            out.append(self.rss_channel_child(used))
        for _ in range(self.rng.randint(0, 5)):
            out.append(self.rss_item(used))
        for _ in range(self.rng.randint(0, 2)):
            out.append(self.rss_channel_child(used))
        out.append("</channel>\n</rss>\n")
        return "".join(out)

    def rss_channel_child(self, used: list[str]) -> str:
        options: list[Callable[[], str]] = [
            lambda: f"<title>{self.text()}</title>",
            lambda: f"<link>{escape(self.pick(URLS))}</link>",
            lambda: (
                f"<description>{self.html_text() if self.chance(0.3) else self.text()}</description>"
            ),
            lambda: f"<language>{self.pick(['en-us', 'id', ' ja ', ''])}</language>",
            lambda: f"<ttl>{self.pick(['60', ' 30 ', 'soon', ''])}</ttl>",
            lambda: f"<lastBuildDate>{self.pick(DATES)}</lastBuildDate>",
            lambda: (
                "<image><url>http://ex.com/logo.gif</url><title>Logo title</title>"
                "<link>http://ex.com/</link><width>88</width></image>"
            ),
            lambda: (
                "<textInput><title>Search</title><description>d</description>"
                "<name>q</name><link>http://ex.com/s</link></textInput>"
            ),
            lambda: f"<generator>{self.text()}</generator>",
            lambda: f"<copyright>{self.text()}</copyright>",
            lambda: f"<managingEditor>{escape(self.pick(AUTHORS))}</managingEditor>",
            lambda: (
                '<cloud domain="ex.com" port="80" path="/rpc" registerProcedure="p" protocol="xml-rpc"/>'
            ),
            lambda: f"<category>{self.text()}</category>",
        ]
        if "atom" in used:
            options.append(
                lambda: (
                    f'<atom:link href="{self.attr(self.pick(URLS))}" rel="{self.pick(["self", "alternate", "hub"])}" type="application/rss+xml"/>'
                )
            )
            options.append(lambda: f'<atom:link href="{self.attr(self.pick(URLS))}"/>')
        if "dc" in used:
            options.append(lambda: f"<dc:language>{self.pick(['fr', 'de'])}</dc:language>")
        if "itunes" in used:
            options.append(lambda: f"<itunes:subtitle>{self.text()}</itunes:subtitle>")
            options.append(lambda: f"<itunes:summary>{self.text()}</itunes:summary>")
            options.append(
                lambda: (
                    "<itunes:owner><itunes:name>Owner</itunes:name>"
                    "<itunes:email>o@ex.com</itunes:email></itunes:owner>"
                )
            )
            options.append(lambda: '<itunes:image href="http://ex.com/i.jpg"/>')
            options.append(
                lambda: (
                    '<itunes:category text="News"><itunes:category text="Tech"/></itunes:category>'
                )
            )
            options.append(lambda: "<itunes:explicit>no</itunes:explicit>")
        return self.one_of(options) + "\n"

    def rss_item(self, used: list[str]) -> str:
        children = []
        for _ in range(self.rng.randint(0, 12)):
            children.append(self.rss_item_child(used))
        attrs = self.base_attr()
        return f"<item{attrs}>\n" + "\n".join(children) + "\n</item>\n"

    def rss_item_child(self, used: list[str]) -> str:
        options: list[Callable[[], str]] = [
            lambda: f"<title>{self.text()}</title>",
            lambda: f"<title>{self.html_text()}</title>",
            lambda: f"<link>{escape(self.pick(URLS))}</link>",
            lambda: f"<guid>{escape(self.pick(URLS))}</guid>",
            lambda: (
                f'<guid isPermaLink="{self.pick(["true", "false", "True", "FALSE"])}">{escape(self.pick(URLS))}</guid>'
            ),
            lambda: f"<pubDate>{escape(self.pick(DATES))}</pubDate>",
            lambda: f"<description>{self.html_text()}</description>",
            lambda: f"<description>{self.text()}</description>",
            lambda: f"<author>{escape(self.pick(AUTHORS))}</author>",
            lambda: f'<category domain="{self.attr(self.pick(URLS))}">{self.text()}</category>',
            lambda: f"<category>{self.text()}</category>",
            lambda: (
                f'<enclosure url="{self.attr(self.pick(URLS))}" length="{self.pick(["1234", "", "x", "0"])}" type="{self.pick(["audio/mpeg", "IMAGE/JPEG", ""])}"/>'
            ),
            lambda: "<comments>http://ex.com/c</comments>",
            lambda: f'<source url="http://src.ex.com/feed">{self.text()}</source>',
            lambda: f"<unknownelement>{self.text()}</unknownelement>",
            lambda: f'<unknownwithattr a="1">{self.text()}</unknownwithattr>',
            lambda: f"<Title>{self.text()}</Title>",
            lambda: f"<PubDate>{escape(self.pick(DATES))}</PubDate>",
            lambda: (
                f"<wrapper><title>{self.text()}</title><link>{escape(self.pick(URLS))}</link></wrapper>"
            ),
            lambda: f'<wrapattr a="b"><description>{self.text()}</description></wrapattr>',
            lambda: (
                "<image><title>In-item image</title><url>http://ex.com/i.gif</url><link>http://ex.com/</link></image>"
            ),
            lambda: f"<description{self.base_attr()}>{self.html_text()}</description>",
            lambda: f"<link{self.base_attr()}>{escape(self.pick(URLS))}</link>",
            lambda: f'<guid isPermaLink="true"{self.base_attr()}>{escape(self.pick(URLS))}</guid>',
        ]
        if "content" in used:
            options += [lambda: f"<content:encoded>{self.html_text()}</content:encoded>"] * 2
        if "dc" in used:
            options += [
                lambda: f"<dc:creator>{escape(self.pick(AUTHORS))}</dc:creator>",
                lambda: f"<dc:date>{escape(self.pick(DATES))}</dc:date>",
                lambda: f"<dc:subject>{self.text()}</dc:subject>",
                lambda: f"<dc:title>{self.text()}</dc:title>",
                lambda: f"<dc:description>{self.text()}</dc:description>",
            ]
        if "d" in used:
            options.append(lambda: f"<d:creator>{escape(self.pick(AUTHORS))}</d:creator>")
            options.append(lambda: f"<d:date>{escape(self.pick(DATES))}</d:date>")
        if "dcterms" in used:
            options.append(
                lambda: f"<dcterms:modified>{escape(self.pick(DATES))}</dcterms:modified>"
            )
        if "media" in used:
            options += [
                lambda: self.media_content(),
                lambda: (
                    "<media:group>"
                    + self.media_content()
                    + self.media_content()
                    + self.media_extras()
                    + "</media:group>"
                ),
                lambda: f'<media:thumbnail url="{self.attr(self.pick(URLS))}" width="100"/>',
                lambda: f"<media:title>{self.text()}</media:title>",
                lambda: f"<media:credit>{self.text()}</media:credit>",
                lambda: f'<media:category scheme="urn:x">{self.text()}</media:category>',
                lambda: f"<media:keywords>{self.pick(['a, b ,c', '', 'one'])}</media:keywords>",
            ]
        if "itunes" in used:
            options += [
                lambda: f"<itunes:author>{escape(self.pick(AUTHORS))}</itunes:author>",
                lambda: f"<itunes:summary>{self.text()}</itunes:summary>",
                lambda: f"<itunes:keywords>{self.pick(['x, y', 'z'])}</itunes:keywords>",
                lambda: "<itunes:duration>12:34</itunes:duration>",
            ]
        if "atom" in used:
            options.append(
                lambda: (
                    f'<atom:link href="{self.attr(self.pick(URLS))}" rel="{self.pick(["alternate", "enclosure", "related"])}"/>'
                )
            )
        if "wfw" in used:
            options.append(lambda: "<wfw:commentRss>http://ex.com/rss</wfw:commentRss>")
        if "slash" in used:
            options.append(lambda: "<slash:comments>3</slash:comments>")
        if "x" in used:
            options.append(lambda: f"<x:thing>{self.text()}</x:thing>")
            options.append(lambda: f"<x:title>{self.text()}</x:title>")
            options.append(lambda: f"<x:wrap><title>{self.text()}</title></x:wrap>")
            options.append(
                lambda: f'<y:thing xmlns:y="http://other.example/ns">{self.text()}</y:thing>'
            )
            options.append(
                lambda: (
                    f'<thing xmlns="http://other.example/default"><title>{self.text()}</title></thing>'
                )
            )
        return self.one_of(options)

    def media_content(self) -> str:
        inner = self.media_extras() if self.chance(0.7) else ""
        return (
            f'<media:content url="{self.attr(self.pick(URLS))}" type="{self.pick(["image/jpeg", "video/mp4", ""])}"'
            f' medium="image">{inner}</media:content>'
        )

    def media_extras(self) -> str:
        parts = []
        if self.chance(0.6):
            kind = self.pick(["plain", "html"])
            body = self.text() if kind == "plain" else self.html_text()
            parts.append(f'<media:description type="{kind}">{body}</media:description>')
        if self.chance(0.5):
            parts.append(f'<media:credit role="photographer">{self.text()}</media:credit>')
        if self.chance(0.3):
            parts.append(f"<media:title>{self.text()}</media:title>")
        return "".join(parts)

    # -- RSS 1.0 / 0.90 -----------------------------------------------------------------------
    def rdf(self) -> str:
        netscape = self.chance(0.2)
        default = (
            "http://my.netscape.com/rdf/simple/0.9/" if netscape else "http://purl.org/rss/1.0/"
        )
        out = [
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            f'xmlns="{default}" xmlns:dc="{RSS_NS["dc"]}" xmlns:content="{RSS_NS["content"]}">\n'
            f'<channel rdf:about="http://ex.com/rss"><title>{self.text()}</title>'
            f"<link>{escape(self.pick(URLS))}</link><description>{self.text()}</description>"
            f"<dc:language>{self.pick(['en', 'id'])}</dc:language></channel>\n"
        ]
        for _ in range(self.rng.randint(0, 4)):
            about = f' rdf:about="{self.attr(self.pick(URLS))}"' if self.chance(0.8) else ""
            children = [
                self.one_of(
                    [
                        lambda: f"<title>{self.text()}</title>",
                        lambda: f"<link>{escape(self.pick(URLS))}</link>",
                        lambda: f"<description>{self.text()}</description>",
                        lambda: f"<description>{self.html_text()}</description>",
                        lambda: f"<dc:date>{escape(self.pick(DATES))}</dc:date>",
                        lambda: f"<dc:creator>{escape(self.pick(AUTHORS))}</dc:creator>",
                        lambda: f"<dc:subject>{self.text()}</dc:subject>",
                        lambda: f"<content:encoded>{self.html_text()}</content:encoded>",
                    ]
                )
                for _ in range(self.rng.randint(0, 8))
            ]
            out.append(f"<item{about}>" + "".join(children) + "</item>\n")
        out.append("</rdf:RDF>\n")
        return "".join(out)

    # -- Atom ---------------------------------------------------------------------------------
    def atom(self) -> str:
        old = self.chance(0.2)
        ns = "http://purl.org/atom/ns#" if old else "http://www.w3.org/2005/Atom"
        version = ' version="0.3"' if old else ""
        extra = f' xmlns:media="{RSS_NS["media"]}"' if self.chance(0.3) else ""
        out = [f'<feed xmlns="{ns}"{version}{extra}{self.lang_attr()}{self.base_attr()}>\n']
        for _ in range(self.rng.randint(0, 5)):
            out.append(self.atom_feed_child(old))
        for _ in range(self.rng.randint(0, 4)):
            out.append(self.atom_entry(old, bool(extra)))
        out.append("</feed>\n")
        return "".join(out)

    def atom_text(self, name: str) -> str:
        kind = self.pick(["", "text", "html", "xhtml", "html", "TEXT/HTML"])
        type_attr = f' type="{kind}"' if kind else ""
        base = self.base_attr()
        if kind == "xhtml":
            body = self.xhtml_body()
        elif kind.lower() in ("html", "text/html"):
            body = self.html_text()
        else:
            body = self.text()
        return f"<{name}{type_attr}{base}>{body}</{name}>"

    def xhtml_body(self) -> str:
        inner = self.pick(
            [
                "<p>Para <b>bold</b> &amp; more</p>",
                '<p>Link <a href="rel/x.html">rel</a><img src="i.png" alt="i"/></p>',
                "text &lt;lt&gt; only",
                '<figure><img src="a.jpg" alt="A"/><figcaption>Cap</figcaption></figure>',
                "<br/>",
                '<span class="x"/><p>after</p>',
            ]
        )
        wrapper = self.pick(["div", "div", "none", "two"])
        ns = 'xmlns="http://www.w3.org/1999/xhtml"'
        if wrapper == "div":
            return f"<div {ns}>{inner}</div>"
        if wrapper == "two":
            return f"<div {ns}>{inner}</div><div {ns}>second</div>"
        return inner if inner.startswith("text") else f'<div {ns} class="c">{inner}</div> '

    def atom_feed_child(self, old: bool) -> str:
        return (
            self.one_of(
                [
                    lambda: self.atom_text("title"),
                    lambda: self.atom_text("subtitle" if not old else "tagline"),
                    lambda: (
                        f'<link rel="{self.pick(["alternate", "self", ""])}" href="{self.attr(self.pick(URLS))}"/>'
                    ),
                    lambda: f"<id>{escape(self.pick(URLS))}</id>",
                    lambda: f"<updated>{escape(self.pick(DATES))}</updated>",
                    lambda: "<author><name>Feed Author</name></author>",
                    lambda: f"<rights>{self.text()}</rights>",
                    lambda: '<generator uri="http://gen.ex.com" version="1">Gen</generator>',
                ]
            )
            + "\n"
        )

    def atom_entry(self, old: bool, media: bool) -> str:
        children = []
        for _ in range(self.rng.randint(0, 10)):
            children.append(self.atom_entry_child(old, media))
        return f"<entry{self.base_attr()}>\n" + "\n".join(children) + "\n</entry>\n"

    def atom_entry_child(self, old: bool, media: bool) -> str:
        options: list[Callable[[], str]] = [
            lambda: self.atom_text("title"),
            lambda: self.atom_text("summary"),
            lambda: self.atom_text("content"),
            lambda: f'<content src="{self.attr(self.pick(URLS))}" type="text/html"/>',
            lambda: f'<link href="{self.attr(self.pick(URLS))}"/>',
            lambda: (
                f'<link rel="{self.pick(["alternate", "enclosure", "related", "self", "replies"])}" type="{self.pick(["text/html", "audio/mpeg", "application/xhtml+xml", "TEXT/HTML"])}" href="{self.attr(self.pick(URLS))}" length="{self.pick(["10", "x"])}"/>'
            ),
            lambda: f"<id>{escape(self.pick(URLS))}</id>",
            lambda: (
                f"<{'issued' if old else 'published'}>{escape(self.pick(DATES))}</{'issued' if old else 'published'}>"
            ),
            lambda: (
                f"<{'modified' if old else 'updated'}>{escape(self.pick(DATES))}</{'modified' if old else 'updated'}>"
            ),
            lambda: (
                "<author>"
                + (f"<name>{self.text()}</name>" if self.chance(0.8) else "")
                + (f"<email>{self.pick(['a@ex.com', ''])}</email>" if self.chance(0.4) else "")
                + ("<uri>http://ex.com/~a</uri>" if self.chance(0.3) else "")
                + "</author>"
            ),
            lambda: "<contributor><name>Contrib</name></contributor>",
            lambda: (
                f'<category term="{self.attr(self.words(1))}" scheme="http://s.ex.com" label="L"/>'
            ),
            lambda: f'<category term="{self.attr(self.words(1))}"/>',
            lambda: f"<source><title>{self.text()}</title><id>src-id</id></source>",
        ]
        if media:
            options += [
                lambda: self.media_content(),
                lambda: (
                    "<media:group>" + self.media_content() + self.media_extras() + "</media:group>"
                ),
            ]
        return self.one_of(options)

    # -- documents ---------------------------------------------------------------------------
    def document(self) -> tuple[bytes, str, str]:
        """A feed document, the URL it came from and its Content-Type header."""
        body = self.rng.choice([self.rss, self.rss, self.atom, self.atom, self.rdf])()
        encoding = self.pick(["utf-8", "utf-8", "utf-8", "UTF-8", "iso-8859-1", "windows-1252", ""])
        prolog = f'<?xml version="1.0" encoding="{encoding}"?>\n' if encoding else ""
        if self.chance(0.1):
            prolog = '<?xml version="1.0"?>\n'
        text = prolog + body
        if encoding.lower() in ("iso-8859-1", "windows-1252"):
            data = text.encode(encoding, errors="xmlcharrefreplace")
        else:
            data = text.encode("utf-8")
        url = self.pick(
            ["http://feeds.example.com/path/feed.xml", "", "https://ex.com/f", "feed.xml"]
        )
        ctype = self.pick(
            ["application/rss+xml", "application/atom+xml", "application/xml", "", "text/xml",
             "text/xml; charset=utf-8", "application/rss+xml; charset=iso-8859-1"]
        )  # fmt: skip
        return data, url, ctype
