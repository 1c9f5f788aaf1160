"""Site furniture that reaches the text is dropped, and only that: exact blocks per case.

Every case is the same three-paragraph article with one kind of furniture placed where
sites put it (inside the article body, where trafilatura's class-name filters do not see
it); the extracted blocks must be exactly the article's heading and paragraphs.
"""

from __future__ import annotations

import pytest

from kabar.core.article.document import Block, Heading, Paragraph, Span, block_text, plain
from kabar.core.article.extract import extract_article
from kabar.core.article.extract.furniture import drop_furniture, is_furniture_line

P1 = (
    "The city council voted on Tuesday to extend the riverside cycle path by four kilometres, "
    "a project residents have asked for since 2015 and that planners expect to finish next year."
)
P2 = (
    "Work will start in the spring, and the contractor has promised to keep one lane of the "
    "old towpath open at all times so that commuters are not pushed onto the main road."
)
P3 = (
    "The council puts the cost at 3.2 million, most of it from a regional transport grant, "
    "and says it will publish every response to the public consultation on its website."
)
EXPECTED = [("paragraph", P1), ("paragraph", P2), ("paragraph", P3)]


def _page(middle: str = "", end: str = "", after: str = "") -> str:
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Council backs longer cycle path | Riverside Ledger</title>
<meta property="og:title" content="Council backs longer cycle path"></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Council backs longer cycle path</h1>
<div class="entry-content"><p>{P1}</p><p>{P2}</p>{middle}<p>{P3}</p>{end}</div></article>
{after}<footer><p>Riverside Ledger</p></footer></body></html>"""


def _blocks(html: str) -> list[tuple[str, str]]:
    article = extract_article(html, "https://ledger.example/news/path")
    return [(b.kind, block_text(b)) for b in article.blocks]


CASES = {
    "baca juga": _page(
        middle='<p><strong>Baca Juga:</strong> <a href="/a/1">Banjir Rendam Jalan Protokol</a></p>'
    ),
    "read also": _page(middle='<p>Read also: <a href="/a/2">New bus timetable from Monday</a></p>'),
    "see also": _page(middle='<p>SEE ALSO: <a href="/a/3">Roadworks enter final week</a></p>'),
    "related list": _page(
        end='<h3>Related articles</h3><ul><li><a href="/a/4">Ring road roadworks enter final '
        'week</a></li><li><a href="/a/5">New bus timetable from Monday</a></li></ul>'
    ),
    "share bar": _page(
        end='<p>Share this article on <a href="https://facebook.com/s">Facebook</a></p>'
        '<div class="share-buttons"><a href="https://twitter.com/i">Twitter</a></div>'
    ),
    "newsletter": _page(
        end='<div class="newsletter-box"><h3>Sign up for our newsletter</h3><p>Sign up for our '
        "daily newsletter and get the best stories in your inbox.</p></div>"
    ),
    "leave a reply": _page(
        after='<div id="respond"><h3 class="comment-reply-title">Leave a Reply</h3><p>Your '
        "email address will not be published. Required fields are marked *</p></div>"
    ),
    "tinggalkan balasan": _page(
        end="<h3>Tinggalkan Balasan</h3><p>Alamat email Anda tidak akan dipublikasikan. "
        "Ruas yang wajib ditandai *</p>"
    ),
    "empty labels": _page(end="<p>Penulis:</p><p>Author:</p><p>Editor:</p>"),
    "copy protection": _page(
        after='<div id="wpcp-error-message" class="msgmsg-box-wpcp hideme"><span>error: '
        "</span>Content is protected !!</div>",
        end="<p>error: Content is protected !!</p>",
    ),
    "cookie notice": _page(
        end='<p>This website uses cookies to improve your experience. <a href="/c">Accept</a></p>'
    ),
    "tag list": _page(
        end='<p>Tags: <a href="/t/cycling">cycling</a>, <a href="/t/council">council</a></p>'
    ),
    "author box": _page(
        end='<div class="author-box"><h4>About the author</h4><p>Rina Hartono covers city '
        "hall and transport for the Ledger and has lived in Millbrook since 2009.</p></div>"
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_furniture_is_dropped_and_the_article_kept(case: str) -> None:
    assert _blocks(CASES[case]) == EXPECTED


def test_headings_of_the_article_are_kept() -> None:
    html = _page(middle="<h2>What happens next</h2>")
    assert _blocks(html) == [*EXPECTED[:2], ("heading", "What happens next"), EXPECTED[2]]


@pytest.mark.parametrize(
    "line",
    [
        "Baca Juga: Banjir Rendam Jalan Protokol",
        "Read also: New timetable",
        "See also: Roadworks",
        "Leave a Reply",
        "Tinggalkan Balasan",
        "Penulis:",
        "Author:",
        "error: Content is protected !!",
        "We use cookies to give you the best experience.",
        "Tags: cycling, council",
        "Share this article on Facebook",
        "Sign up for our newsletter and get the best stories in your inbox.",
    ],
)
def test_furniture_lines(line: str) -> None:
    assert is_furniture_line(line)


@pytest.mark.parametrize(
    "line",
    [
        P1,
        "Read the council's report, which runs to 200 pages, before the vote next week.",
        "The author of the report, Jane Doe, said the path was overdue.",
        "Comments from residents were mostly positive, the council said.",
        "Tags on the new bikes will let the council count journeys.",
    ],
)
def test_prose_is_not_furniture(line: str) -> None:
    assert not is_furniture_line(line)


def test_a_comment_heading_drops_what_follows_it() -> None:
    blocks: list[Block] = [
        Paragraph([Span(P1)]),
        Heading(3, [Span("3 Comments")]),
        Paragraph([Span("Great news, about time!")]),
        Paragraph([Span("I ride there every day and this will help a lot, thank you.")]),
    ]
    assert [plain(b.spans) for b in drop_furniture(blocks) if isinstance(b, Paragraph)] == [P1]
