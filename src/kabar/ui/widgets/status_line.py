"""The status line: refresh progress and the outcome of the last refresh."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class StatusLine(Static):
    def show_progress(self, done: int, total: int, errors: int) -> None:
        text = Text(f"Refreshing {done}/{total}")
        if errors:
            text.append(f" · {errors} failed", style="red")
        self.update(text)

    def show_message(self, message: str, *, warning: bool = False) -> None:
        self.update(Text(message, style="yellow" if warning else ""))
