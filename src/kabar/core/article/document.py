"""The article document model: what Kabar stores, renders and exports.

Feed content, extracted web pages and saved articles all become an `Article`: a flat list
of typed blocks. The renderer, the exporters and the search index read only this model, so
what an extractor learned about a page (a caption is a caption, a byline is not body text)
survives every later step. The model is plain data and round-trips through JSON; the
`version` field lets us change it without misreading old rows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal, TypeAlias

DOCUMENT_VERSION = 1


@dataclass(slots=True)
class Span:
    """A run of inline text with one set of styles; `link` is an absolute URL or None."""

    text: str
    link: str | None = None
    bold: bool = False
    italic: bool = False
    code: bool = False

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"text": self.text}
        if self.link:
            data["link"] = self.link
        for flag in ("bold", "italic", "code"):
            if getattr(self, flag):
                data[flag] = True
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Span:
        return cls(
            text=str(data.get("text", "")),
            link=data.get("link") or None,
            bold=bool(data.get("bold")),
            italic=bool(data.get("italic")),
            code=bool(data.get("code")),
        )


Inline: TypeAlias = list[Span]


def plain(spans: Inline) -> str:
    """The text of some spans without styles or links."""
    return "".join(span.text for span in spans)


def _spans_json(spans: Inline) -> list[dict[str, Any]]:
    return [span.to_json() for span in spans]


def _spans_from(data: Any) -> Inline:
    if isinstance(data, str):
        return [Span(data)] if data else []
    return [Span.from_json(item) for item in data or []]


@dataclass(slots=True)
class Heading:
    level: int
    spans: Inline
    kind: Literal["heading"] = "heading"


@dataclass(slots=True)
class Paragraph:
    spans: Inline
    kind: Literal["paragraph"] = "paragraph"


@dataclass(slots=True)
class Figure:
    """An image with its caption and credit, kept apart from the body text.

    `src` may be empty for a caption whose image we could not resolve; `alt` is the image's
    alternative text, shown only when there is no caption.
    """

    src: str = ""
    caption: Inline = field(default_factory=list)
    credit: str = ""
    alt: str = ""
    kind: Literal["figure"] = "figure"


@dataclass(slots=True)
class Quote:
    paragraphs: list[Inline]
    cite: str = ""
    kind: Literal["quote"] = "quote"


@dataclass(slots=True)
class ListBlock:
    ordered: bool
    items: list[Inline]
    kind: Literal["list"] = "list"


@dataclass(slots=True)
class Code:
    text: str
    language: str = ""
    kind: Literal["code"] = "code"


@dataclass(slots=True)
class Table:
    """Rows of plain-text cells; the first row is a header when `header` is true."""

    rows: list[list[str]]
    header: bool = False
    kind: Literal["table"] = "table"


Block: TypeAlias = Heading | Paragraph | Figure | Quote | ListBlock | Code | Table


def block_to_json(block: Block) -> dict[str, Any]:
    """One block as a JSON-ready dict with a `type` key."""
    match block:
        case Heading(level, spans):
            return {"type": "heading", "level": level, "spans": _spans_json(spans)}
        case Paragraph(spans):
            return {"type": "paragraph", "spans": _spans_json(spans)}
        case Figure(src, caption, credit, alt):
            return {
                "type": "figure",
                "src": src,
                "caption": _spans_json(caption),
                "credit": credit,
                "alt": alt,
            }
        case Quote(paragraphs, cite):
            return {
                "type": "quote",
                "paragraphs": [_spans_json(p) for p in paragraphs],
                "cite": cite,
            }
        case ListBlock(ordered, items):
            return {"type": "list", "ordered": ordered, "items": [_spans_json(i) for i in items]}
        case Code(text, language):
            return {"type": "code", "text": text, "language": language}
        case Table(rows, header):
            return {"type": "table", "rows": rows, "header": header}
    raise TypeError(f"not a block: {block!r}")


def block_from_json(data: dict[str, Any]) -> Block:
    """The inverse of `block_to_json`; raises ValueError on an unknown type."""
    kind = data.get("type")
    if kind == "heading":
        return Heading(int(data.get("level", 2)), _spans_from(data.get("spans")))
    if kind == "paragraph":
        return Paragraph(_spans_from(data.get("spans")))
    if kind == "figure":
        return Figure(
            src=str(data.get("src", "")),
            caption=_spans_from(data.get("caption")),
            credit=str(data.get("credit", "")),
            alt=str(data.get("alt", "")),
        )
    if kind == "quote":
        return Quote(
            [_spans_from(p) for p in data.get("paragraphs", [])], str(data.get("cite", ""))
        )
    if kind == "list":
        return ListBlock(bool(data.get("ordered")), [_spans_from(i) for i in data.get("items", [])])
    if kind == "code":
        return Code(str(data.get("text", "")), str(data.get("language", "")))
    if kind == "table":
        rows = [[str(cell) for cell in row] for row in data.get("rows", [])]
        return Table(rows, bool(data.get("header")))
    raise ValueError(f"unknown block type {kind!r}")


@dataclass(slots=True)
class Article:
    """A readable article: metadata plus body blocks, in reading order."""

    url: str = ""
    title: str = ""
    author: str = ""
    published: str = ""
    site_name: str = ""
    language: str = ""
    lead_image: str = ""
    blocks: list[Block] = field(default_factory=list)
    version: int = DOCUMENT_VERSION

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "url": self.url,
            "title": self.title,
            "author": self.author,
            "published": self.published,
            "site_name": self.site_name,
            "language": self.language,
            "lead_image": self.lead_image,
            "blocks": [block_to_json(block) for block in self.blocks],
        }

    def dumps(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Article:
        return cls(
            url=str(data.get("url", "")),
            title=str(data.get("title", "")),
            author=str(data.get("author", "")),
            published=str(data.get("published", "")),
            site_name=str(data.get("site_name", "")),
            language=str(data.get("language", "")),
            lead_image=str(data.get("lead_image", "")),
            blocks=[block_from_json(b) for b in data.get("blocks", [])],
            version=int(data.get("version", DOCUMENT_VERSION)),
        )

    @classmethod
    def loads(cls, text: str) -> Article:
        return cls.from_json(json.loads(text))

    def figures(self) -> list[Figure]:
        return [block for block in self.blocks if isinstance(block, Figure)]

    def body_text(self) -> str:
        """The article's text without captions: what a reader reads as the body."""
        return "\n".join(
            line for block in self.blocks for line in block_lines(block) if line.strip()
        )

    def searchable_text(self) -> str:
        """The body and the captions and credits: every word a search should find."""
        lines: list[str] = []
        for block in self.blocks:
            if isinstance(block, Figure):
                lines += [plain(block.caption), block.credit]
            else:
                lines += block_lines(block)
        return "\n".join(line for line in lines if line.strip())

    def word_count(self) -> int:
        """Words in the body; CJK text counts each character as a word."""
        text = self.body_text()
        cjk = sum(1 for ch in text if _is_cjk(ch))
        return len(text.split()) + cjk


def quote_blocks(inside: list[Block], cite: str = "") -> list[Block]:
    """What a quote holds, as blocks: its text as Quote blocks, and a figure, table or code
    block inside it kept in its place between them (a quote holds only text, and these
    were lost with their captions). The cite goes with the first part."""
    out: list[Block] = []
    paragraphs: list[Inline] = []

    def close() -> None:
        if paragraphs:
            first = not any(isinstance(b, Quote) for b in out)
            out.append(Quote(list(paragraphs), cite if first else ""))
            paragraphs.clear()

    for block in inside:
        if isinstance(block, (Paragraph, Heading)):
            paragraphs.append(block.spans)
        elif isinstance(block, ListBlock):
            paragraphs.extend(block.items)
        elif isinstance(block, Quote):  # a quote in a quote: its text, one level
            paragraphs.extend(block.paragraphs)
        else:
            close()
            out.append(block)
    close()
    return out


def block_lines(block: Block) -> list[str]:
    """The plain text of a block, a line for each paragraph, list item, quote paragraph or
    table row (cells joined by tabs); none for a figure, whose caption is not body text."""
    match block:
        case Heading(_, spans) | Paragraph(spans):
            return [plain(spans)]
        case Quote(paragraphs):
            return [plain(p) for p in paragraphs]
        case ListBlock(_, items):
            return [plain(i) for i in items]
        case Code(text):
            return [text]
        case Table(rows):
            return ["\t".join(row) for row in rows]
    return []


def block_text(block: Block) -> str:
    """The plain text of a block ("" for a figure), for matching and filtering."""
    return "\n".join(block_lines(block))


def _is_cjk(ch: str) -> bool:
    code = ord(ch)
    return (
        0x3040 <= code <= 0x30FF  # kana
        or 0x3400 <= code <= 0x9FFF  # CJK ideographs
        or 0xAC00 <= code <= 0xD7AF  # hangul
        or 0xF900 <= code <= 0xFAFF
    )
