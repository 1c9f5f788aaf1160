"""A one-line-per-item list drawn with Textual's line API: the base of both lists.

Only the visible lines are ever rendered, and an item is asked for only when its line is
drawn, so a list of 100,000 entries costs what a list of 30 does. A cursor move repaints
two lines. The mouse wheel scrolls the view without moving the cursor (the selection is
the reader's, not the pointer's); a click moves the cursor. An item may take more than one
line (`item_height`, the same for every item, so a line maps to its item by division).
"""

from __future__ import annotations

from rich.text import Text
from textual.cache import LRUCache
from textual.events import Click
from textual.geometry import Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget


def set_virtual_size(widget: Widget, size: Size) -> None:
    """Give a line-API pane a new scrollable size without reflowing the whole screen.

    Textual's `virtual_size` is a layout reactive: assigning it re-arranges every widget
    on the screen and repaints them all, which costs more than the rest of opening an
    article. A pane whose place in the layout never depends on its content only needs its
    scrollbars updated, which is what Textual itself does when a size changes without a
    layout (`Widget._size_updated(layout=False)` calls `_scroll_update`).
    """
    if size == widget.virtual_size:
        return
    widget.set_reactive(Widget.virtual_size, size)
    widget._scroll_update(size)
    widget.refresh()


class LineList(ScrollView, can_focus=True, inherit_bindings=False):
    """Subclasses say how many items there are (`item_count`) and draw one (`render_item`)."""

    DEFAULT_CSS = """
    LineList { overflow-x: hidden; }
    LineList > .line-list--cursor { background: $accent 30%; }
    LineList:focus > .line-list--cursor { background: $accent; color: $text; }
    """
    COMPONENT_CLASSES = {"line-list--cursor"}

    cursor: reactive[int] = reactive(0, always_update=True, init=False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._strips: LRUCache[tuple[object, ...], Strip] = LRUCache(1024)
        self._line_styles: tuple[object, ...] = ()
        self.item_height = 1  # lines per item, the same for all

    def set_item_height(self, height: int) -> None:
        """Change the lines per item, keeping the cursor's item on screen."""
        if height == self.item_height:
            return
        self.item_height = height
        self._strips.clear()
        set_virtual_size(self, Size(0, self.item_count * height))
        self.refresh()
        self.call_after_refresh(self.scroll_to_item, self.cursor)

    @property
    def item_count(self) -> int:
        raise NotImplementedError

    def item_key(self, index: int) -> object:
        """Everything an item's line depends on besides its width, the cursor and focus:
        lines are cached under it, so a focus change or a scroll redraws from the cache."""
        raise NotImplementedError

    def render_item(self, index: int, width: int) -> Text | None:
        """The line for item `index`, or None for a blank line."""
        raise NotImplementedError

    def render_item_lines(self, index: int, width: int) -> list[Text] | None:
        """The `item_height` lines of item `index` (one-line lists need only `render_item`)."""
        text = self.render_item(index, width)
        return None if text is None else [text]

    def cursor_moved(self, index: int) -> None:
        """Called after the cursor moved (not when only the view scrolled)."""

    def item_clicked(self, index: int, *, again: bool) -> None:
        """A click on an item; `again` when it was already selected or it was a double click."""

    # -- size and cursor -----------------------------------------------------------------
    def resize_to_items(self) -> None:
        """Call after the number of items changed."""
        set_virtual_size(self, Size(0, self.item_count * self.item_height))
        self.refresh()

    def validate_cursor(self, value: int) -> int:
        count = self.item_count
        return max(0, min(value, count - 1)) if count else 0

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh_item(old)
        self.refresh_item(new)
        self.scroll_to_item(new)
        self.cursor_moved(new)

    def move_cursor(self, index: int) -> None:
        self.cursor = index

    def scroll_to_item(self, index: int) -> None:
        """Scroll just enough for the item to be visible."""
        top = round(self.scroll_offset.y)
        height = self.scrollable_content_region.height
        first, last = index * self.item_height, (index + 1) * self.item_height - 1
        if first < top:
            self.scroll_to(y=first, animate=False)
        elif height and last >= top + height:
            self.scroll_to(y=last - height + 1, animate=False)

    def refresh_item(self, index: int) -> None:
        """Repaint the item's line if it is on screen (ScrollView's `refresh_line` takes the
        virtual line and subtracts the scroll offset itself)."""
        top = round(self.scroll_offset.y)
        for line in range(index * self.item_height, (index + 1) * self.item_height):
            if top <= line < top + self.size.height:
                self.refresh_line(line)

    @property
    def page_height(self) -> int:
        """Items in a page, less one kept in view."""
        return max(1, self.scrollable_content_region.height // self.item_height - 1)

    # -- actions ---------------------------------------------------------------------------
    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor - 1)

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        self.move_cursor(self.item_count - 1)

    def action_page_down(self) -> None:
        self.move_cursor(self.cursor + self.page_height)

    def action_page_up(self) -> None:
        self.move_cursor(self.cursor - self.page_height)

    def action_half_page_down(self) -> None:
        self.move_cursor(self.cursor + max(1, (self.page_height + 1) // 2))

    def action_half_page_up(self) -> None:
        self.move_cursor(self.cursor - max(1, (self.page_height + 1) // 2))

    def on_click(self, event: Click) -> None:
        index = (round(self.scroll_offset.y) + event.y) // self.item_height
        if 0 <= index < self.item_count:
            again = index == self.cursor or event.chain > 1
            self.move_cursor(index)
            self.item_clicked(index, again=again)

    def on_resize(self) -> None:
        set_virtual_size(self, Size(0, self.item_count * self.item_height))
        self.scroll_to_item(self.cursor)  # a pane that shrank under the cursor keeps it

    # -- drawing -------------------------------------------------------------------------
    def notify_style_update(self) -> None:
        # Focus moving in or out also lands here. Only the cursor's line depends on focus,
        # and it is cached under the focus state, so the cache is cleared only when the
        # styles the other lines are drawn with changed (a theme or CSS change): opening an
        # article (focus moves to the article pane) then redraws one line, not forty.
        styles = self._item_styles()
        if styles != self._line_styles:
            self._line_styles = styles
            self._strips.clear()
        super().notify_style_update()

    def _item_styles(self) -> tuple[object, ...]:
        names = sorted(type(self)._get_component_classes() - {"line-list--cursor"})
        try:
            return tuple(self.get_component_rich_style(name) for name in names)
        except KeyError:
            return ()  # styles not applied yet (before mount): nothing cached to keep

    def render_line(self, y: int) -> Strip:
        index, part = divmod(round(self.scroll_offset.y) + y, self.item_height)
        width = self.scrollable_content_region.width or self.size.width
        base = self.rich_style
        if not 0 <= index < self.item_count:
            return Strip.blank(width, base)
        key = (index, part, width, index == self.cursor, self.has_focus, self.item_key(index))
        strip = self._strips.get(key)
        if strip is None:
            lines = self.render_item_lines(index, width)
            if lines is None or part >= len(lines):
                return Strip.blank(width, base)
            text = lines[part]
            if index == self.cursor:
                text.stylize(self.get_component_rich_style("line-list--cursor"))
            segments = list(text.render(self.app.console))
            strip = Strip(segments).extend_cell_length(width).crop(0, width)
            self._strips[key] = strip
        return strip.apply_style(base)


def fit(text: Text, width: int) -> Text:
    """Cut a one-line text to `width` cells with an ellipsis, padding it to exactly width."""
    text.no_wrap = True
    text.end = ""
    text.truncate(max(0, width), overflow="ellipsis", pad=True)
    return text
