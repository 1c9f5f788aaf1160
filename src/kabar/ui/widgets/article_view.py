"""The article pane: one rendered article, scrollable, at a readable measure.

The article is rendered to lines once (not on every layout, as a `Static` would) and
shown with the line API. Only the first screenful is rendered before the pane is painted;
the rest follows in small slices between frames, so a long article opens as fast as a
short one and the keys keep answering meanwhile. The text never grows wider than
`MEASURE` cells however wide the terminal is: long lines are hard to read.

Pictures (see `article_pictures`) fill in after the text: each figure's marker line gives
way to the picture's lines (half-blocks), or to blank rows with a picture widget laid over
them (Kitty graphics, Sixel), scrolled with the text.
"""

from __future__ import annotations

import io
import time
from collections.abc import Sequence

from rich.console import Console, Group, RenderableType
from rich.style import Style
from rich.text import Text
from textual.filter import LineFilter
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from kabar.core.article.document import Article
from kabar.render.article import (
    FigureSlot,
    RenderOptions,
    article_links,
    figure_marker,
    render_article,
)
from kabar.ui.keys import pane_bindings
from kabar.ui.palette import theme_filters
from kabar.ui.widgets.article_pictures import ArticlePictures
from kabar.ui.widgets.line_list import set_virtual_size
from kabar.ui.widgets.picture import discard

PLACEHOLDER = Text("Select a headline and press Enter to read it.", style="dim")
MEASURE = 96  # the widest the text gets, in cells
SLICE = 0.008  # seconds of rendering between frames while an article is being laid out


class ArticleView(ScrollView, can_focus=True, inherit_bindings=False):
    BINDINGS = pane_bindings("article")
    DEFAULT_CSS = """
    ArticleView { overflow-x: hidden; scrollbar-gutter: stable; }
    """

    @property
    def is_container(self) -> bool:
        """A line-API pane, and the container of the pictures laid over its text."""
        return bool(self.pictures.placed)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entry_id: int | None = None
        self.article: Article | None = None
        self.links: list[str] = []
        self.renderable: RenderableType = PLACEHOLDER
        self._parts: list[RenderableType] = [PLACEHOLDER]
        self._next_part = 0
        self._lines: list[Strip] = []
        self._width = 0
        self._generation = 0
        self.pictures = ArticlePictures(self)
        # Lines as drawn (padded, cropped, in the pane's style), by index: a picture's line
        # has a style per cell, too many to combine again on every j/k.
        self._styled: dict[int, tuple[Strip, Strip]] = {}
        self._styled_key: tuple[int, Style] | None = None

    def show_article(
        self,
        article: Article,
        entry_id: int | None,
        options: RenderOptions,
        *,
        keep_scroll: bool = False,
    ) -> None:
        """Show an article; `keep_scroll` keeps the reader's place (same entry, new text)."""
        same = keep_scroll and entry_id == self.entry_id
        self.entry_id = entry_id
        self.article = article
        self.links = article_links(article)
        group = render_article(article, options)
        self.pictures.load(article, entry_id)
        self._start(list(group.renderables), keep_scroll=same)

    def clear(self) -> None:
        self.entry_id = None
        self.article = None
        self.links = []
        self.pictures.load(None, None)
        self._start([PLACEHOLDER], keep_scroll=False)

    def plain_text(self, width: int = 80) -> str:
        """What the pane shows, as plain text (for tests and copying)."""
        buffer = io.StringIO()
        Console(width=width, file=buffer, color_system=None).print(self.renderable)
        return buffer.getvalue()

    # -- rendering -------------------------------------------------------------------------
    @property
    def text_width(self) -> int:
        return min(self.scrollable_content_region.width or self.size.width, MEASURE)

    def _start(self, parts: list[RenderableType], *, keep_scroll: bool) -> None:
        self.renderable = Group(*parts)
        self._parts = parts
        self._generation += 1
        self._relayout(first_lines=self.size.height + round(self.scroll_offset.y) + 10)
        if not keep_scroll:
            self.scroll_to(0, 0, animate=False, immediate=True)

    def _relayout(self, first_lines: int) -> None:
        """Render from the top: enough lines for the screen now, the rest after it."""
        self._next_part = 0
        discard((self._lines, self._styled))  # pictures' cells: freed off the UI thread
        self._lines, self._styled = [], {}
        self.pictures.forget_slots()
        self._width = self.text_width
        if self._width > 0:
            self._render_parts(lines=first_lines)
        self._resize()
        if self._next_part < len(self._parts):
            self.call_after_refresh(self._render_rest, self._generation)

    def _render_parts(self, *, lines: int | None = None, seconds: float | None = None) -> None:
        console = self.app.console
        options = console.options.update_width(self._width)
        started = time.perf_counter()
        while self._next_part < len(self._parts):
            if lines is not None and len(self._lines) >= lines:
                return
            if seconds is not None and time.perf_counter() - started >= seconds:
                return
            part = self._parts[self._next_part]
            self._next_part += 1
            if isinstance(part, FigureSlot):
                self._render_slot(part)
                continue
            rendered = console.render_lines(part, options, pad=False, new_lines=False)
            self._lines.extend(Strip(segments) for segments in rendered)

    def render_strips(self, renderable: RenderableType) -> list[Strip]:
        """Lines of one renderable at the text's width."""
        console = self.app.console
        options = console.options.update_width(max(1, self._width))
        rendered = console.render_lines(renderable, options, pad=False, new_lines=False)
        return [Strip(segments) for segments in rendered]

    def _render_slot(self, slot: FigureSlot) -> None:
        """A figure's picture rows when its picture is ready, else its marker line."""
        start = len(self._lines)
        picture = self.pictures.lines_for(slot.number)
        if picture is not None:
            self._lines.extend(picture)
        else:
            note = self.pictures.note_for(slot.number) or slot.note
            self._lines.extend(self.render_strips(figure_marker(slot.figure, slot.number, note)))
        self.pictures.slot_rendered(slot.number, start, len(self._lines) - start)

    def splice(self, start: int, old: int, lines: list[Strip]) -> None:
        """Replace `old` lines at `start` (a picture arrived); the reader's place is kept."""
        self._lines[start : start + old] = lines
        delta = len(lines) - old
        top = self.scroll_offset.y
        self._resize()
        if delta and start < top:
            self.scroll_to(y=top + delta, animate=False, immediate=True)

    def redraw(self) -> None:
        """Lay the same article out again (pictures shown or hidden), keeping the place."""
        self._start(self._parts, keep_scroll=True)

    def shown_lines(self) -> list[str]:
        """The text of the lines laid out so far (tests: what is where)."""
        return [strip.text for strip in self._lines]

    def action_toggle_images(self) -> None:
        self.pictures.toggle()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if self.pictures.placed and round(old_value) != round(new_value):
            self._refresh_scroll()  # the pictures move with the text

    def _render_rest(self, generation: int) -> None:
        if generation != self._generation or self._width <= 0:
            return  # another article (or width) since: that one is being rendered
        self._render_parts(seconds=SLICE)
        self._resize()
        if self._next_part < len(self._parts):
            self.set_timer(0.001, lambda: self._render_rest(generation))

    def _resize(self) -> None:
        set_virtual_size(self, Size(self._width, len(self._lines)))
        self.refresh()

    def on_resize(self) -> None:
        if self.text_width != self._width:
            top = round(self.scroll_offset.y)
            self._generation += 1
            self._relayout(first_lines=top + self.size.height + 10)
            self.pictures.width_changed()

    def action_half_page_down(self) -> None:
        self.scroll_to(y=self.scroll_y + max(1, self.size.height // 2), animate=False)

    def action_half_page_up(self) -> None:
        self.scroll_to(y=self.scroll_y - max(1, self.size.height // 2), animate=False)

    def get_line_filters(self) -> Sequence[LineFilter]:
        return theme_filters(self)  # Rich's ANSI colours and dim, legible in the theme

    def render_line(self, y: int) -> Strip:
        if self.pictures.pending:
            self.pictures.painted()
        index = round(self.scroll_offset.y) + y
        width = self.scrollable_content_region.width or self.size.width
        if not 0 <= index < len(self._lines):
            return Strip.blank(width).apply_style(self.rich_style)
        key = (width, self.rich_style)
        if key != self._styled_key:
            self._styled.clear()
            self._styled_key = key
        cached = self._styled.get(index)
        if cached is not None and cached[0] is self._lines[index]:
            return cached[1]
        line = self._lines[index]
        strip = line.extend_cell_length(width).crop(0, width).apply_style(self.rich_style)
        self._styled[index] = (line, strip)
        return strip
