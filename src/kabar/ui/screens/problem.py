"""The screen shown instead of the reader when the database fails under it.

A damaged page, a full disk or a read-only folder found while reading is not a bug to
dump as a traceback: the reader says what is wrong and what to do, and quits cleanly with
that line printed again on the terminal.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static

from kabar.core.errors import StoreError


class DatabaseProblemScreen(Screen[None]):
    BINDINGS = [Binding("q,escape,enter", "quit_reader", "Quit", id="problem.quit")]
    DEFAULT_CSS = """
    DatabaseProblemScreen { align: center middle; }
    DatabaseProblemScreen > Vertical {
        width: 80%; height: auto; border: heavy $error; padding: 1 2;
    }
    DatabaseProblemScreen .problem-title { text-style: bold; color: $error; }
    """

    def __init__(self, problem: StoreError) -> None:
        super().__init__()
        self.problem = problem

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.problem.title), classes="problem-title")
            yield Static(Text(str(self.problem)))
            yield Static(Text("Press q to quit."))

    def action_quit_reader(self) -> None:
        self.app.exit(return_code=3)
