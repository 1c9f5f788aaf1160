"""The search box above the headlines: type, and the results replace the list.

The box owns its typing delay: it says `Paused` once the reader stops typing for a moment,
so a search runs per pause, not per key.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input

HINT = "Search: words, feed:NAME, saved:yes, unread:yes"
DELAY = 0.12  # seconds of typing pause before a search starts


class SearchBox(Input):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "screen.focus_results", "Results", id="search.results"),
        Binding("escape", "screen.back", "Close", id="search.close"),
    ]

    class Paused(Message):
        """The reader stopped typing: time to search for the box's `terms`."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder=HINT, id=id)
        self._waiting: Timer | None = None

    @property
    def terms(self) -> str:
        return self.value.strip()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.stop_waiting()
        self._waiting = self.set_timer(DELAY, lambda: self.post_message(self.Paused()))

    def stop_waiting(self) -> None:
        """Forget a pause still to come (the search was closed)."""
        if self._waiting is not None:
            self._waiting.stop()
