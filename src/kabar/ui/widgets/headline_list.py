"""The headline list: a virtual list drawn with Textual's line API.

Rows come from SQLite a page at a time and only the visible lines are rendered, so a view
over 100,000 cached entries costs the same as one over ten.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.events import Click
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from kabar.core.models import EntryRow
from kabar.core.store import EntryFilter, Store

PAGE = 200


def relative_date(timestamp: float, now: float | None = None) -> str:
    """A short age: '5m', '3h', '2d', else the date."""
    now = time.time() if now is None else now
    age = now - timestamp
    if age < 0:
        return time.strftime("%d %b", time.localtime(timestamp))
    if age < 3600:
        return f"{max(1, int(age // 60))}m"
    if age < 86400:
        return f"{int(age // 3600)}h"
    if age < 7 * 86400:
        return f"{int(age // 86400)}d"
    return time.strftime("%d %b", time.localtime(timestamp))


@dataclass
class _Pages:
    """Rows of the current view, fetched from the store a page at a time."""

    store: Store
    flt: EntryFilter
    count: int = 0

    def __post_init__(self) -> None:
        self.cache: dict[int, list[EntryRow]] = {}
        self.count = self.store.count_entries(self.flt)

    def row(self, index: int) -> EntryRow | None:
        if not 0 <= index < self.count:
            return None
        page, offset = divmod(index, PAGE)
        rows = self.cache.get(page)
        if rows is None:
            if len(self.cache) > 64:
                self.cache.clear()
            rows = self.store.list_entries(self.flt, limit=PAGE, offset=page * PAGE)
            self.cache[page] = rows
        return rows[offset] if offset < len(rows) else None

    def index_of(self, entry_id: int) -> int | None:
        for page, rows in self.cache.items():
            for offset, row in enumerate(rows):
                if row.id == entry_id:
                    return page * PAGE + offset
        return None


class HeadlineList(ScrollView, can_focus=True):
    """Entries of the selected view, newest first."""

    BINDINGS = [
        Binding("j,down", "cursor_down", "Down", id="headlines.down", show=False),
        Binding("k,up", "cursor_up", "Up", id="headlines.up", show=False),
        Binding("g,home", "first", "Top", id="headlines.top", show=False),
        Binding("G,end", "last", "Bottom", id="headlines.bottom", show=False),
        Binding("pagedown", "page_down", "Page down", id="headlines.page_down", show=False),
        Binding("pageup", "page_up", "Page up", id="headlines.page_up", show=False),
        Binding("enter", "open", "Open", id="headlines.open"),
    ]
    COMPONENT_CLASSES = {
        "headline-list--cursor",
        "headline-list--unread",
        "headline-list--read",
        "headline-list--meta",
        "headline-list--saved",
    }
    DEFAULT_CSS = """
    HeadlineList { overflow-x: hidden; }
    HeadlineList > .headline-list--cursor { background: $accent 30%; }
    HeadlineList:focus > .headline-list--cursor { background: $accent; color: $text; }
    HeadlineList > .headline-list--unread { text-style: bold; }
    HeadlineList > .headline-list--read { color: $text-muted; }
    HeadlineList > .headline-list--meta { color: $text-muted; }
    HeadlineList > .headline-list--saved { color: $warning; }
    """

    cursor: reactive[int] = reactive(0, always_update=True)

    class Highlighted(Message):
        def __init__(self, row: EntryRow | None) -> None:
            super().__init__()
            self.row = row

    class Opened(Message):
        def __init__(self, row: EntryRow) -> None:
            super().__init__()
            self.row = row

    def __init__(self, store: Store, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.store = store
        self.pages = _Pages(store, EntryFilter())
        self.show_feed = True

    # -- data ----------------------------------------------------------------------------
    def show(self, flt: EntryFilter, *, show_feed: bool = True) -> None:
        """Switch to another view; the cursor goes to the top."""
        self.show_feed = show_feed
        self.pages = _Pages(self.store, flt)
        self._resize()
        self.cursor = 0
        self.scroll_to(0, 0, animate=False)

    def reload(self) -> None:
        """Re-read the current view after a refresh, keeping the selected entry selected."""
        current = self.current
        self.pages = _Pages(self.store, self.pages.flt)
        self._resize()
        if current is not None:
            index = self.store.entry_position(self.pages.flt, current.id)
            if index is not None:
                self.cursor = index
                return
        self.cursor = min(self.cursor, max(0, self.pages.count - 1))

    def update_row(self, row: EntryRow) -> None:
        """Redraw one entry after its read/saved flag changed."""
        index = self.pages.index_of(row.id)
        if index is not None:
            page, offset = divmod(index, PAGE)
            self.pages.cache[page][offset] = row
            self.refresh_line(index)

    @property
    def count(self) -> int:
        return self.pages.count

    @property
    def current(self) -> EntryRow | None:
        return self.pages.row(self.cursor)

    def _resize(self) -> None:
        self.virtual_size = Size(0, self.pages.count)
        self.refresh()

    # -- cursor --------------------------------------------------------------------------
    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, self.pages.count - 1)) if self.pages.count else 0

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh_line(old)
        self.refresh_line(new)
        self.scroll_to_region_of(new)
        self.post_message(self.Highlighted(self.current))

    def scroll_to_region_of(self, index: int) -> None:
        top = int(self.scroll_offset.y)
        height = self.scrollable_content_region.height
        if index < top:
            self.scroll_to(y=index, animate=False)
        elif height and index >= top + height:
            self.scroll_to(y=index - height + 1, animate=False)

    def refresh_line(self, index: int) -> None:
        y = index - int(self.scroll_offset.y)
        if 0 <= y < self.size.height:
            super().refresh_line(y)

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = self.pages.count - 1

    def action_page_down(self) -> None:
        self.cursor += max(1, self.scrollable_content_region.height - 1)

    def action_page_up(self) -> None:
        self.cursor -= max(1, self.scrollable_content_region.height - 1)

    def action_open(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(self.Opened(row))

    def on_click(self, event: Click) -> None:
        index = int(self.scroll_offset.y) + event.y
        if 0 <= index < self.pages.count:
            already = index == self.cursor
            self.cursor = index
            if already or event.chain > 1:
                self.action_open()

    # -- drawing -------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        index = int(self.scroll_offset.y) + y
        width = self.scrollable_content_region.width or self.size.width
        row = self.pages.row(index)
        base = self.rich_style
        if row is None:
            return Strip.blank(width, base)
        text = self._line(row, width)
        if index == self.cursor:
            text.stylize(self.get_component_rich_style("headline-list--cursor"))
        segments = list(text.render(self.app.console))
        strip = Strip(segments).extend_cell_length(width, base).crop(0, width)
        return strip.apply_style(base)

    def _line(self, row: EntryRow, width: int) -> Text:
        meta_style = self.get_component_rich_style("headline-list--meta", partial=True)
        title_style = self.get_component_rich_style(
            "headline-list--read" if row.read else "headline-list--unread", partial=True
        )
        marker = Text("● " if not row.read else "  ", style=Style(color="cyan", bold=True))
        marker.append(
            "★ " if row.saved else "  ",
            style=self.get_component_rich_style("headline-list--saved", partial=True),
        )
        meta = Text()
        if self.show_feed and row.feed_title:
            feed_width = max(8, min(18, width // 5))
            feed = Text(row.feed_title, style=meta_style, no_wrap=True, end="")
            feed.truncate(feed_width, overflow="ellipsis", pad=True)
            meta.append("  ")
            meta.append_text(feed)
        meta.append(f" {relative_date(row.sort_date):>6} ", style=meta_style)
        room = max(4, width - marker.cell_len - meta.cell_len)
        title = Text(row.title or "(untitled)", style=title_style, no_wrap=True, end="")
        title.truncate(room, overflow="ellipsis", pad=True)
        line = Text.assemble(marker, title, meta, no_wrap=True, end="")
        line.truncate(width, overflow="ellipsis")
        return line

    def on_resize(self) -> None:
        self.virtual_size = Size(0, self.pages.count)
