"""Find the main content with trafilatura.

trafilatura is the best open-source main-content finder we measured; we ask it for its XML
body (with formatting, links and tables) and keep its images off: turning images on makes
it keep more page furniture around them (about 0.04 F1 on the benchmark), and we find the
figures in the page ourselves, with their captions, which trafilatura drops.
"""

from __future__ import annotations

import copy
import logging

from lxml import etree
from lxml.html import HtmlElement, tostring
from trafilatura import bare_extraction

from kabar.core.article.document import Block, Figure
from kabar.core.article.htmldoc import html_to_blocks

# trafilatura reports pages it cannot extract with a WARNING; we raise ExtractError instead,
# so its records only matter to someone debugging it.
logging.getLogger("trafilatura").setLevel(logging.ERROR)


def main_content(tree: HtmlElement, url: str = "") -> etree._Element | None:
    """trafilatura's XML body of the page, or None when it finds no main text.

    trafilatura works on its own copy of `tree`, so the caller's tree stays whole for the
    figure search.
    """
    document = bare_extraction(
        tree,
        url=None,  # links are resolved by us; trafilatura's resolver is slow
        include_comments=False,
        output_format="xml",
        include_formatting=True,
        include_links=True,
        include_tables=True,
        include_images=False,
    )
    if document is None or isinstance(document, dict):
        return None
    body = document.body
    return body if body is not None and len(body) else None


# What a short page's fallback leaves out: navigation and page chrome, never article text.
_CHROME = ("nav", "footer", "aside", "form", "script", "style", "noscript", "template", "iframe")


def flattened(body: etree._Element) -> bool:
    """Whether trafilatura gave up on structure: one paragraph holding the page's text line
    by line. It does that for short pages outside an `<article>` (three paragraphs and a
    heading), where its last resort joins every text node with newlines."""
    return (
        len(body) == 1
        and body[0].tag == "p"
        and "\n" in "".join(str(t) for t in body[0].itertext())
    )


def short_page_blocks(tree: HtmlElement, url: str = "") -> list[Block]:
    """The blocks of a short page read as it is written, headings and links kept, minus
    its chrome (navigation, footers, forms). Figures are left to the figure search."""
    root = tree.find(".//body")
    if root is None:
        return []
    page = copy.deepcopy(root)
    for el in [*page.iter(*_CHROME)]:
        el.drop_tree()
    for header in [*page.iter("header")]:
        if header.find(".//h1") is None:  # a site header; an article's header has its h1
            header.drop_tree()
    markup = tostring(page, encoding="unicode")
    return [b for b in html_to_blocks(markup, url) if not isinstance(b, Figure)]
