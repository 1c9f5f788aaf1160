"""The status line: the refresh state on the left, what the headline list shows on the right.

The refresh state is one of: nothing yet, "Refreshing 120/500 · 3 failed", the summary of
the last refresh, or "Offline". It is plain text built with `Text`, never markup, because
feed titles and error messages end up in it.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text
from textual.filter import LineFilter
from textual.widgets import Static

from kabar.ui.palette import theme_filters


class StatusLine(Static):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.left = Text()
        self.right = Text()

    def get_line_filters(self) -> Sequence[LineFilter]:
        return theme_filters(self)  # Rich's ANSI colours and dim, legible in the theme

    def show_progress(self, done: int, total: int, errors: int) -> None:
        text = Text(f"Refreshing {done}/{total}")
        if errors:
            text.append(f" · {errors} failed", style="red")
        self._set(left=text)

    def show_sync_progress(self, done: int, total: int) -> None:
        self._set(left=Text(f"Syncing: {done:,} of {total:,} new entries"))

    def show_message(self, message: str, *, warning: bool = False) -> None:
        self._set(left=Text(message, style="yellow" if warning else ""))

    def show_view(self, description: str) -> None:
        """What the headline list shows, e.g. "Unread · 1,204 · oldest first"."""
        self._set(right=Text(description))

    @property
    def message(self) -> str:
        return self.left.plain

    def _set(self, *, left: Text | None = None, right: Text | None = None) -> None:
        self.left = left if left is not None else self.left
        self.right = right if right is not None else self.right
        grid = Table.grid(expand=True, padding=(0, 1), pad_edge=False)  # a gap between
        grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        grid.add_column(justify="right", no_wrap=True)
        grid.add_row(self.left, self.right)
        self.update(grid)
