"""An Article as a standalone HTML page: for exported articles that open with no network.

No scripts and no remote resources are needed: the style is inline and images point at the
local copies when there are any. Every piece of text is escaped; figures stay `<figure>`
with their `<figcaption>`.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

from kabar.core.article.document import (
    Article,
    Block,
    Code,
    Figure,
    Heading,
    Inline,
    ListBlock,
    Paragraph,
    Quote,
    Table,
)

STYLE = (
    "body{max-width:42rem;margin:2rem auto;padding:0 1rem;font:18px/1.6 Georgia,serif;"
    "color:#222}figure{margin:1.5rem 0}img{max-width:100%;height:auto}"
    "figcaption{font-size:.9rem;color:#555;font-style:italic}.credit{color:#777}"
    "blockquote{border-left:3px solid #ccc;margin-left:0;padding-left:1rem;color:#444}"
    "pre{background:#f4f4f4;padding:1rem;overflow:auto}.meta{color:#666}"
    "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem}"
)
_e = html.escape


def article_html(article: Article, images: Mapping[str, str] | None = None) -> str:
    """The page; `images` maps image URLs to local copies to point at instead."""
    images = images or {}
    meta = " · ".join(x for x in (article.site_name, article.author, article.published) if x)
    parts = [
        "<!doctype html>",
        f'<html lang="{_e(article.language)}"><head><meta charset="utf-8">',
        f"<title>{_e(article.title)}</title><style>{STYLE}</style></head><body><article>",
        f"<h1>{_e(article.title)}</h1>",
    ]
    if meta:
        parts.append(f'<p class="meta">{_e(meta)}</p>')
    parts.extend(block_html(block, images) for block in article.blocks)
    if article.url:
        link = _e(article.url)
        parts.append(f'<p class="meta">Source: <a href="{link}">{link}</a></p>')
    parts.append("</article></body></html>\n")
    return "\n".join(parts)


def inline_html(spans: Inline) -> str:
    out = []
    for span in spans:
        piece = _e(span.text).replace("\n", "<br>")
        if span.code:
            piece = f"<code>{piece}</code>"
        if span.bold:
            piece = f"<strong>{piece}</strong>"
        if span.italic:
            piece = f"<em>{piece}</em>"
        if span.link:
            piece = f'<a href="{_e(span.link)}">{piece}</a>'
        out.append(piece)
    return "".join(out)


def block_html(block: Block, images: Mapping[str, str]) -> str:
    match block:
        case Heading(level, spans):
            tag = f"h{min(6, level + 1)}"
            return f"<{tag}>{inline_html(spans)}</{tag}>"
        case Paragraph(spans):
            return f"<p>{inline_html(spans)}</p>"
        case Figure(src, caption, credit, alt):
            img = f'<img src="{_e(images.get(src, src))}" alt="{_e(alt)}">' if src else ""
            text = inline_html(caption)
            if credit:
                text += f' <span class="credit">{_e(credit)}</span>'
            caption_html = f"<figcaption>{text}</figcaption>" if text else ""
            return f"<figure>{img}{caption_html}</figure>"
        case Quote(paragraphs, _):
            inner = "".join(f"<p>{inline_html(p)}</p>" for p in paragraphs)
            return f"<blockquote>{inner}</blockquote>"
        case ListBlock(ordered, items):
            tag = "ol" if ordered else "ul"
            inner = "".join(f"<li>{inline_html(i)}</li>" for i in items)
            return f"<{tag}>{inner}</{tag}>"
        case Code(text, _):
            return f"<pre><code>{_e(text)}</code></pre>"
        case Table(rows, header):
            out = ["<table>"]
            for index, row in enumerate(rows):
                cell = "th" if header and index == 0 else "td"
                out.append("<tr>" + "".join(f"<{cell}>{_e(c)}</{cell}>" for c in row) + "</tr>")
            return "".join(out) + "</table>"
    return ""
