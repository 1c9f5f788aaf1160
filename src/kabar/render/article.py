"""Render an Article as Rich renderables, for the TUI's article pane and `kabar read`.

All text is put into `Text` objects span by span, never into markup strings: a title such
as `[bold red]x[/]` from a feed is shown literally. Links get a number (`[3]`) and a
reference list at the end, and are also OSC 8 hyperlinks where the terminal supports them.
Captions sit under a numbered image marker, dim and italic, never in the body's style.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.padding import Padding
from rich.rule import Rule
from rich.style import Style
from rich.table import Table as RichTable
from rich.text import Text

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

WORDS_PER_MINUTE = 230

TITLE = Style(bold=True)
META = Style(dim=True)
HEADING = Style(bold=True, color="bright_cyan")
LINK = Style(underline=True, color="cyan")
LINK_NUMBER = Style(color="cyan", dim=True)
CAPTION = Style(italic=True, dim=True)
CREDIT = Style(italic=True, dim=True)
IMAGE_MARKER = Style(color="magenta", bold=True)
QUOTE = Style(italic=True)
QUOTE_BAR = Style(color="bright_black")
CODE = Style(color="bright_green")


@dataclass
class RenderOptions:
    """What to show besides the body. `notice` is a line shown under the header (e.g. that the
    full text needs the network)."""

    feed_title: str = ""
    show_references: bool = True
    hyperlinks: bool = True
    notice: str = ""
    # Pictures drawn in place of the markers, by figure number (`kabar read` on a terminal),
    # and short notes for the markers of pictures that could not be drawn.
    pictures: dict[int, RenderableType] = field(default_factory=dict)
    notes: dict[int, str] = field(default_factory=dict)


@dataclass
class _Links:
    urls: list[str] = field(default_factory=list)

    def number(self, url: str) -> int:
        if url not in self.urls:
            self.urls.append(url)
        return self.urls.index(url) + 1


def reading_minutes(article: Article) -> int:
    return max(1, round(article.word_count() / WORDS_PER_MINUTE))


def article_links(article: Article) -> list[str]:
    """The article's links in the order their numbers are given (for `1`-`9` in the TUI)."""
    links = _Links()
    for block in article.blocks:
        for spans in _inline_runs(block):
            for span in spans:
                if span.link:
                    links.number(span.link)
    return links.urls


def render_article(article: Article, options: RenderOptions | None = None) -> Group:
    options = options or RenderOptions()
    links = _Links()
    parts: list[RenderableType] = [*_header(article, options)]
    figure_number = 0
    for block in article.blocks:
        if isinstance(block, Figure):
            figure_number += 1
            parts.extend(_figure(block, figure_number, options))
        else:
            parts.append(_block(block, links, options))
    if options.show_references and links.urls:
        parts.append(Rule("Links", style="bright_black", characters="─"))
        parts.append(_link_list(links.urls, options))
    return Group(*parts)


def _link_list(urls: list[str], options: RenderOptions) -> RichTable:
    """The numbered links, each URL folded onto as many lines as it needs, under itself."""
    grid = RichTable.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, justify="right")
    grid.add_column(overflow="fold", ratio=1)
    for number, url in enumerate(urls, 1):
        link = Text(url, style=Style(link=url) if options.hyperlinks else "", overflow="fold")
        grid.add_row(Text(f"[{number}]", style=LINK_NUMBER), link)
    return grid


class _Items:
    """Items joined by " · " that break between items, never inside one (unless an item is
    wider than the line): no line starts with "· 1 min read"."""

    def __init__(self, items: list[str], style: Style) -> None:
        self.items = items
        self.style = style

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        line = Text(style=self.style)
        for item in self.items:
            piece = f" · {item}" if line else item
            if line and line.cell_len + cell_len(piece) > width:
                yield _wrap(line)
                line = Text(item, style=self.style)
            else:
                line.append(piece)
        yield _wrap(line)


def _header(article: Article, options: RenderOptions) -> list[RenderableType]:
    out: list[RenderableType] = [_wrap(Text(article.title or "(untitled)", style=TITLE))]
    meta = [
        part
        for part in (
            options.feed_title or article.site_name,
            article.author,
            _date(article.published),
            f"{reading_minutes(article)} min read" if article.blocks else "",
        )
        if part
    ]
    if meta:
        out.append(_Items(meta, META))
    if options.notice:
        out.append(_wrap(Text(options.notice, style=Style(color="yellow", italic=True))))
    out.append(Text(""))
    return out


def _date(value: str) -> str:
    if not value:
        return ""
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    return when.astimezone().strftime("%a %d %b %Y %H:%M")


def _inline(
    spans: Inline, links: _Links, options: RenderOptions, base: Style | None = None
) -> Text:
    text = Text(style=base or Style())
    for span in spans:
        style = Style(
            bold=span.bold or None,
            italic=span.italic or None,
            color="bright_green" if span.code else None,
        )
        if span.link:
            style += LINK
            if options.hyperlinks:
                style += Style(link=span.link)
        text.append(span.text, style=style)
        if span.link and options.show_references:
            text.append(f"[{links.number(span.link)}]", style=LINK_NUMBER)
    return text


def _block(block: Block, links: _Links, options: RenderOptions) -> RenderableType:
    match block:
        case Heading(level, spans):
            text = _wrap(_inline(spans, links, options, HEADING))
            if level <= 2:
                text.stylize(Style(underline=True))
            return Padding(text, (1 if level <= 3 else 0, 0, 0, 0))
        case Paragraph(spans):
            return Padding(_wrap(_inline(spans, links, options)), (0, 0, 1, 0))
        case Quote(paragraphs, _):
            rows = RichTable.grid(padding=(0, 1))
            rows.add_column(width=1, style=QUOTE_BAR)
            rows.add_column(ratio=1)
            for spans in paragraphs:
                rows.add_row("▌", _wrap(_inline(spans, links, options, QUOTE)))
            return Padding(rows, (0, 0, 1, 2))
        case ListBlock(ordered, items):
            rows = RichTable.grid(padding=(0, 1))
            rows.add_column(justify="right", no_wrap=True)
            rows.add_column(ratio=1)
            for number, spans in enumerate(items, 1):
                marker = f"{number}." if ordered else "•"
                rows.add_row(marker, _wrap(_inline(spans, links, options)))
            return Padding(rows, (0, 0, 1, 1))
        case Code(text, _):
            code = _wrap(Text(text, style=CODE))  # folded, not cut: code must stay whole
            return Padding(code, (0, 0, 1, 2))
        case Table(rows, header):
            table = RichTable(show_header=header, header_style="bold", expand=False)
            width = max(len(r) for r in rows)
            for index in range(width):
                table.add_column(Text(rows[0][index]) if header and index < len(rows[0]) else "")
            for row in rows[1:] if header else rows:
                table.add_row(*(_wrap(Text(cell)) for cell in row))
            return Padding(table, (0, 0, 1, 0))
    return Text("")


NOT_DOWNLOADED = "image not downloaded"


@dataclass
class FigureSlot:
    """Where a figure's picture goes: the picture when there is one, else its marker.

    The article pane finds these among the rendered parts to put a picture widget there.
    """

    figure: Figure
    number: int
    note: str = ""
    picture: RenderableType | None = None

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if self.picture is not None:
            yield self.picture
        else:
            yield figure_marker(self.figure, self.number, self.note)


def figure_marker(figure: Figure, number: int, note: str = "") -> Text:
    """`▣ Image N`, then what stands in for the picture: its alt text when there is no
    caption, and why it is not drawn (never a bare marker with nothing under it)."""
    marker = Text(f"▣ Image {number}", style=IMAGE_MARKER)
    caption = plain(figure.caption)
    alt = figure.alt.strip()
    if alt and not caption:
        marker.append(f"  {alt}", style=META)
    if note:
        marker.append(f"  ({note})", style=META)
    elif not (alt or caption or figure.credit):
        marker.append(f"  ({NOT_DOWNLOADED})", style=META)
    return _wrap(marker)


def _figure(figure: Figure, number: int, options: RenderOptions) -> list[RenderableType]:
    slot = FigureSlot(figure, number, options.notes.get(number, ""), options.pictures.get(number))
    lines: list[RenderableType] = []
    if figure.caption:
        caption = Text(style=CAPTION)
        caption.append(plain(figure.caption))
        lines.append(Padding(_wrap(caption), (0, 0, 0, 2)))
    if figure.credit:
        lines.append(Padding(_wrap(Text(figure.credit, style=CREDIT)), (0, 0, 0, 2)))
    return [slot, Padding(Group(*lines), (0, 0, 1, 0))]


def _wrap(text: Text) -> Text:
    """Fold words longer than the line instead of letting them overflow."""
    text.overflow = "fold"
    return text


def _inline_runs(block: Block) -> list[Inline]:
    match block:
        case Heading(_, spans) | Paragraph(spans):
            return [spans]
        case Quote(paragraphs):
            return list(paragraphs)
        case ListBlock(_, items):
            return list(items)
    return []
