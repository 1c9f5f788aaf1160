"""The article's title: the page's headline, not its <title> with the site's name."""

from __future__ import annotations

import pytest

from kabar.core.article.extract import extract_article

SENTENCE = "The harbour board met on Tuesday to discuss the new quay and its cost. "
BODY = "<p>" + SENTENCE * 6 + "</p>"


def page(head: str, before: str = "", heading: str = "") -> str:
    return (
        f"<html><head>{head}</head><body>{before}<main><article>{heading}{BODY}"
        f"<h2>What comes next</h2>{BODY}</article></main></body></html>"
    )


@pytest.mark.parametrize(
    ("html", "title"),
    [
        # the <title> repeats the h1 and adds the site: the h1 is the headline
        (page("<title>Test page | My Blog</title>", heading="<h1>Test page</h1>"), "Test page"),
        # a logo heading that names the site is not the headline
        (
            page(
                "<title>Test page | My Blog</title>",
                '<header><h1 class="site-title"><a href="/">My Blog</a></h1></header>',
                "<h1>Test page</h1>",
            ),
            "Test page",
        ),
        (
            page(
                "<title>Quay plans – My Blog</title>",
                '<header><h1><a href="https://blog.example/">My Blog</a></h1></header>',
            ),
            "Quay plans – My Blog",  # only the site's heading: the <title> as it is
        ),
        # og:title says it outright
        (
            page(
                '<title>Test page | My Blog</title><meta property="og:title" content="Og title">',
                heading="<h1>Test page</h1>",
            ),
            "Og title",
        ),
        # an h1 the <title> does not repeat is not taken over it
        (page("<title>The quay plans</title>", heading="<h1>Contents</h1>"), "The quay plans"),
    ],
)
def test_the_title_is_the_headline(html: str, title: str) -> None:
    assert extract_article(html).title == title


def test_the_h2_of_a_long_article_stays() -> None:
    article = extract_article(page("<title>Quay</title>", heading="<h1>Quay</h1>"))
    assert [b.kind for b in article.blocks].count("heading") == 1
