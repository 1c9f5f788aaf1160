"""The search box above the headlines: type, and the results replace the list."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Input

HINT = "Search: words, feed:NAME, saved:yes, unread:yes"


class SearchBox(Input):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "screen.focus_results", "Results", id="search.results"),
        Binding("escape", "screen.back", "Close", id="search.close"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder=HINT, id=id)
