"""The article pane: a scrollable view of one rendered article."""

from __future__ import annotations

import io

from rich.console import Console, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from kabar.core.document import Article
from kabar.render.article import RenderOptions, render_article

PLACEHOLDER = Text("Select a headline and press Enter to read it.", style="dim")


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
        self.article: Article | None = None
        self.renderable: RenderableType = PLACEHOLDER

    def compose(self) -> ComposeResult:
        yield Static(self.renderable, id="article-body")

    def show_article(self, article: Article, entry_id: int | None, options: RenderOptions) -> None:
        self.entry_id = entry_id
        self.article = article
        self.renderable = render_article(article, options)
        self.query_one("#article-body", Static).update(self.renderable)
        self.scroll_home(animate=False)

    def plain_text(self, width: int = 80) -> str:
        """What the pane shows, as plain text (for tests and copying)."""
        buffer = io.StringIO()
        Console(width=width, file=buffer, color_system=None).print(self.renderable)
        return buffer.getvalue()
