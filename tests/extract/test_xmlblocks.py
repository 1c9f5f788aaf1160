"""trafilatura's XML to blocks: what a quote holds besides its text."""

from __future__ import annotations

from lxml import etree

from kabar.core.article.document import Code, Quote, Table, plain
from kabar.core.article.xmlblocks import xml_to_blocks


def test_a_table_or_code_inside_a_quote_is_kept_in_place() -> None:
    body = etree.fromstring(
        "<body><quote><p>The figures, as read out:</p>"
        "<table><row><cell>Jakarta</cell><cell>41</cell></row></table>"
        "<code>x = 1</code><p>End of quote.</p><quote><p>Inner.</p></quote></quote></body>"
    )
    blocks = xml_to_blocks(body, "https://example.org/")
    assert [type(b).__name__ for b in blocks] == ["Quote", "Table", "Code", "Quote"]
    first, table, code, last = blocks
    assert isinstance(first, Quote) and isinstance(last, Quote)
    assert isinstance(table, Table) and isinstance(code, Code)
    assert [plain(p) for p in first.paragraphs] == ["The figures, as read out:"]
    assert code.text == "x = 1"
    assert [plain(p) for p in last.paragraphs] == ["End of quote.", "Inner."]
