"""The headline list: a line per entry (unread and saved markers, title, feed, age).

Where the pane is too narrow for a title on one line beside its feed and age, every entry
takes two lines: the title wraps onto the second, which ends with the feed and the age.

A `LineList` over an `EntrySource`, so a view of 100,000 cached entries draws only the
lines on screen and reads them from SQLite a page at a time. A reload after a refresh
keeps the selected entry selected and on the same screen row, however many headlines
arrived above it.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from rich.text import Text
from textual.message import Message
from textual.strip import Strip

from kabar.core.library import Headlines, ViewQuery
from kabar.core.models import EntryRow
from kabar.ui.data.entry_pages import EntryPages, EntrySource, FixedRows
from kabar.ui.keys import pane_bindings
from kabar.ui.widgets.line_list import LineList, fit

Clock = Callable[[], float]
TWO_LINES_BELOW = 48  # cells of title room on one line under which entries take two lines


def relative_date(timestamp: float, now: float) -> str:
    """A short age that fits six cells: '5m', '3h', '2d', else '12 Jan', else the year."""
    age = now - timestamp
    if 0 <= age < 3600:
        return f"{max(1, int(age // 60))}m"
    if 0 <= age < 86400:
        return f"{int(age // 3600)}h"
    if 0 <= age < 7 * 86400:
        return f"{int(age // 86400)}d"
    when, today = time.gmtime(timestamp), time.gmtime(now)
    return time.strftime("%d %b" if when.tm_year == today.tm_year else "%Y", when)


class HeadlineList(LineList):
    """Entries of the selected view (or the search results), newest first by default."""

    BINDINGS = pane_bindings("headlines")
    COMPONENT_CLASSES = {
        "headline-list--unread",
        "headline-list--read",
        "headline-list--meta",
        "headline-list--saved",
        "headline-list--marker",
        "headline-list--empty",
    }
    DEFAULT_CSS = """
    HeadlineList > .headline-list--unread { color: $kabar-text; text-style: bold; }
    HeadlineList > .headline-list--read { color: $kabar-muted; }
    HeadlineList > .headline-list--meta { color: $kabar-muted; }
    HeadlineList > .headline-list--saved { color: $kabar-warning; }
    HeadlineList > .headline-list--marker { color: $kabar-accent; text-style: bold; }
    HeadlineList > .headline-list--empty { color: $kabar-muted; text-style: italic; }
    """

    class Opened(Message):
        """The reader asked to read this entry (Enter, or a click on the selected line)."""

        def __init__(self, row: EntryRow) -> None:
            super().__init__()
            self.row = row

    def __init__(self, headlines: Headlines, clock: Clock, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.headlines = headlines
        self.clock = clock
        self.source: EntrySource = FixedRows([])
        self.view_query: ViewQuery | None = None
        self.show_feed = True
        self.empty_message = "No entries here yet."

    # -- data ----------------------------------------------------------------------------
    @property
    def item_count(self) -> int:
        return self.source.count

    @property
    def count(self) -> int:
        return self.source.count

    @property
    def current(self) -> EntryRow | None:
        return self.source.row(self.cursor)

    def row(self, index: int) -> EntryRow | None:
        return self.source.row(index)

    def show(self, query: ViewQuery, *, show_feed: bool = True, empty: str = "") -> None:
        """Switch to a view; the cursor goes to the top."""
        self.view_query = query
        self.show_feed = show_feed
        self.empty_message = empty or "No entries here yet."
        self._choose_item_height()
        self._set_source(EntryPages(self.headlines, query))
        self.scroll_to(0, 0, animate=False)
        self.cursor = 0

    def show_rows(self, rows: list[EntryRow], *, empty: str = "No matches.") -> None:
        """Show a fixed list (search results) instead of a view."""
        self.view_query = None
        self.show_feed = True
        self.empty_message = empty
        self._choose_item_height()
        self._set_source(FixedRows(rows))
        self.scroll_to(0, 0, animate=False)
        self.cursor = 0

    def reload(self) -> None:
        """Re-read the view (after a refresh): the selected entry stays selected, on the same
        line of the screen, while new headlines appear above or below it."""
        if self.view_query is None:
            return
        current = self.current
        screen_row = self.cursor * self.item_height - round(self.scroll_offset.y)
        # The count, the position and the cursor's page are read in one snapshot: a refresh
        # committing between them would shift the rows, and the cursor onto another entry.
        with self.headlines.snapshot():
            pages = EntryPages(self.headlines, self._pages_query())
            index = pages.position(current.id) if current is not None else None
            if index is not None:
                pages.row(index)
        self._set_source(pages)
        if index is None:
            self.cursor = min(self.cursor, max(0, pages.count - 1))
            return
        top = index * self.item_height - screen_row
        self.scroll_to(y=max(0, top), animate=False, immediate=True)
        self.set_reactive(HeadlineList.cursor, index)
        self.refresh()

    def update_row(self, row: EntryRow) -> None:
        """Redraw one entry after its read or saved flag changed."""
        index = self.source.replace_row(row)
        if index is not None:
            self.refresh_item(index)

    def position(self, entry_id: int) -> int | None:
        return self.source.position(entry_id)

    def _pages_query(self) -> ViewQuery:
        source = self.source
        if isinstance(source, EntryPages):
            return source.query  # keeps the entries read since the view was entered
        assert self.view_query is not None
        return self.view_query

    def _set_source(self, source: EntrySource) -> None:
        self.source = source
        self.resize_to_items()

    # -- events --------------------------------------------------------------------------
    def action_open(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(self.Opened(row))

    def item_clicked(self, index: int, *, again: bool) -> None:
        if again:
            self.action_open()

    # -- drawing -------------------------------------------------------------------------
    def render_line_empty(self, width: int) -> Text:
        style = self.get_component_rich_style("headline-list--empty")
        return fit(Text(" " + self.empty_message, style=style), width)

    def item_key(self, index: int) -> object:
        row = self.source.row(index)
        if row is None:
            return None
        minute = int(self.clock() // 60)  # relative dates move on by the minute
        return (row.id, row.read, row.saved, row.title, self.show_feed, minute)

    def on_resize(self) -> None:
        self._choose_item_height()

    def _choose_item_height(self) -> None:
        """Two lines per entry where a title would get too few cells on one."""
        width = self.scrollable_content_region.width or self.size.width
        if width > 0:
            self.set_item_height(2 if self.title_room(width) < TWO_LINES_BELOW else 1)

    def title_room(self, width: int) -> int:
        """Cells left for a title on a one-line headline of this width."""
        return width - 5 - self._meta_width(width, one_line=True)

    def _meta_width(self, width: int, *, one_line: bool) -> int:
        """The feed name's and the age's cells: the feed gets more on a second line."""
        feed = 0
        if self.show_feed and width >= 50:
            feed = 1 + (max(8, min(20, width // 5)) if one_line else min(24, width // 3))
        return feed + 8

    def render_item(self, index: int, width: int) -> Text | None:
        row = self.source.row(index)
        return None if row is None else self.headline(row, width)

    def render_item_lines(self, index: int, width: int) -> list[Text] | None:
        row = self.source.row(index)
        if row is None:
            return None
        if self.item_height == 1:
            return [self.headline(row, width)]
        return self.two_line_headline(row, width)

    def _markers(self, row: EntryRow) -> Text:
        style = self.get_component_rich_style
        line = Text(no_wrap=True, end="")
        line.append(" ● " if not row.read else "   ", style=style("headline-list--marker"))
        line.append("★ " if row.saved else "  ", style=style("headline-list--saved"))
        return line

    def _title(self, row: EntryRow) -> Text:
        name = "headline-list--read" if row.read else "headline-list--unread"
        return Text(row.title or "(untitled)", style=self.get_component_rich_style(name))

    def _meta(self, row: EntryRow, width: int, *, one_line: bool) -> Text:
        meta_style = self.get_component_rich_style("headline-list--meta")
        meta = Text(no_wrap=True, end="")
        feed_cells = self._meta_width(width, one_line=one_line) - 8
        if feed_cells and row.feed_title:
            meta.append_text(fit(Text(" " + row.feed_title, style=meta_style), feed_cells))
        # "~": undated by its feed and page, so the time Kabar first saw it
        age = ("~" if row.published is None else "") + relative_date(row.sort_date, self.clock())
        meta.append(f" {age:>6} ", style=meta_style)
        return meta

    def headline(self, row: EntryRow, width: int) -> Text:
        line = self._markers(row)
        meta = self._meta(row, width, one_line=True)
        room = max(4, width - line.cell_len - meta.cell_len)
        line.append_text(fit(self._title(row), room))
        line.append_text(meta)
        return fit(line, width)

    def two_line_headline(self, row: EntryRow, width: int) -> list[Text]:
        """The title wrapped at a word onto a second line, which ends with feed and age."""
        first = self._markers(row)
        title = self._title(row)
        room = max(4, width - first.cell_len)
        wrapped = title.wrap(self.app.console, room, overflow="fold")
        head = wrapped[0].plain.rstrip() if wrapped else ""
        first.append_text(fit(title[: len(head)], room))
        second = Text(" " * 5, no_wrap=True, end="")
        meta = self._meta(row, width, one_line=False)
        start = len(head)
        while title.plain[start : start + 1] == " ":
            start += 1
        rest = title[start:]
        second.append_text(fit(rest, max(4, width - 5 - meta.cell_len)))
        second.append_text(meta)
        return [fit(first, width), fit(second, width)]

    def render_line(self, y: int) -> Strip:
        if self.item_count == 0 and y == 0:
            width = self.scrollable_content_region.width or self.size.width
            segments = list(self.render_line_empty(width).render(self.app.console))
            return Strip(segments).apply_style(self.rich_style)
        return super().render_line(y)
