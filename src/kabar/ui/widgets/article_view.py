"""The article pane: a scrollable view of one rendered article."""

from __future__ import annotations

from rich.console import RenderableType
from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static


class ArticleView(VerticalScroll):
    BINDINGS = [
        Binding("j,down", "scroll_down", "Down", id="article.down", show=False),
        Binding("k,up", "scroll_up", "Up", id="article.up", show=False),
        Binding("space,pagedown", "page_down", "Page down", id="article.page_down", show=False),
        Binding("b,pageup", "page_up", "Page up", id="article.page_up", show=False),
        Binding("g,home", "scroll_home", "Top", id="article.top", show=False),
        Binding("G,end", "scroll_end", "Bottom", id="article.bottom", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, can_focus=True)
        self.entry_id: int | None = None

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(
            Text("Select a headline and press Enter to read it.", style="dim"), id="article-body"
        )

    def show(self, renderable: RenderableType, entry_id: int | None) -> None:
        self.entry_id = entry_id
        self.query_one("#article-body", Static).update(renderable)
        self.scroll_home(animate=False)

    @property
    def body(self) -> Static:
        return self.query_one("#article-body", Static)
