"""An Article as Markdown: for `kabar read --format markdown` and exported articles.

Captions stay captions: each figure is `![alt](src)` followed by an italic caption line
(and its credit), never mixed into the paragraphs around it.
"""

from __future__ import annotations

import re
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
    plain,
)

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def escape(text: str) -> str:
    """Escape characters Markdown would read as syntax."""
    return _SPECIAL.sub(r"\\\1", text)


def inline(spans: Inline) -> str:
    out: list[str] = []
    for span in spans:
        text = span.text
        if span.code:
            fence = "``" if "`" in text else "`"
            piece = f"{fence}{text}{fence}"
        else:
            piece = escape(text)
            lead = piece[: len(piece) - len(piece.lstrip())]
            trail = piece[len(piece.rstrip()) :]
            core = piece.strip()
            if core and span.bold:
                core = f"**{core}**"
            if core and span.italic:
                core = f"*{core}*"
            piece = lead + core + trail
        if span.link:
            piece = f"[{piece}]({span.link.replace(')', '%29')})"
        out.append(piece)
    return "".join(out).replace("\n", "  \n")


def figure_markdown(figure: Figure, src: str | None = None) -> str:
    """The image line, then the caption as its own italic line, then the credit."""
    lines = []
    source = figure.src if src is None else src
    if source:
        lines.append(f"![{escape(figure.alt)}]({source})")
    caption = plain(figure.caption).strip()
    if caption:
        lines.append(f"*{escape(caption)}*")
    if figure.credit:
        lines.append(f"*{escape(figure.credit)}*")
    return "  \n".join(lines)


def block_markdown(block: Block, images: Mapping[str, str] | None = None) -> str:
    """One block; `images` maps image URLs to local copies to point at instead."""
    match block:
        case Heading(level, spans):
            return f"{'#' * min(6, level + 1)} {inline(spans)}"
        case Paragraph(spans):
            return inline(spans)
        case Figure():
            return figure_markdown(block, (images or {}).get(block.src))
        case Quote(paragraphs, _):
            return "\n>\n".join(f"> {inline(p)}" for p in paragraphs)
        case ListBlock(ordered, items):
            return "\n".join(
                f"{n}. {inline(item)}" if ordered else f"- {inline(item)}"
                for n, item in enumerate(items, 1)
            )
        case Code(text, language):
            fence = "````" if "```" in text else "```"
            return f"{fence}{language}\n{text}\n{fence}"
        case Table(rows, header):
            width = max(len(row) for row in rows)
            cells = [[_cell(c) for c in row] + [""] * (width - len(row)) for row in rows]
            head = cells[0] if header else [""] * width
            body = cells[1:] if header else cells
            lines = ["| " + " | ".join(head) + " |", "|" + "---|" * width]
            lines += ["| " + " | ".join(row) + " |" for row in body]
            return "\n".join(lines)
    return ""


def _cell(text: str) -> str:
    return escape(text).replace("\n", " ")


def article_markdown(article: Article, images: Mapping[str, str] | None = None) -> str:
    """The whole article: title, a metadata line, the body and the source link."""
    parts = [f"# {escape(article.title or 'Untitled')}"]
    meta = [m for m in (article.site_name, article.author, article.published) if m]
    if meta:
        parts.append("*" + escape(" · ".join(meta)) + "*")
    parts.extend(md for md in (block_markdown(b, images) for b in article.blocks) if md)
    if article.url:
        parts.append(f"Source: <{article.url}>")
    return "\n\n".join(parts) + "\n"
