"""The key help screen, built from the key table itself so it can never go stale.

Keys are shown as the config's `[keys]` table remapped them, with each binding's id so a
reader knows what to write there.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.filter import LineFilter
from textual.screen import ModalScreen
from textual.widgets import Static

from kabar.ui.keys import Key
from kabar.ui.palette import theme_filters

KEY_NAMES = {
    "question_mark": "?",
    "escape": "Esc",
    "enter": "Enter",
    "space": "Space",
    "slash": "/",
    "backslash": "\\",
    "tab": "Tab",
    "shift+tab": "Shift+Tab",
    "pagedown": "PgDn",
    "pageup": "PgUp",
    "home": "Home",
    "end": "End",
    "down": "↓",
    "up": "↑",
}


def key_display(keys: str) -> str:
    """'j,down' -> 'j, ↓'; 'ctrl+b' -> 'Ctrl+B'."""
    names = []
    for key in keys.split(","):
        key = key.strip()
        name = KEY_NAMES.get(key)
        if name is None and key.startswith("ctrl+"):
            name = "Ctrl+" + key[5:].upper()
        names.append(name or key)
    return ", ".join(names)


def keys_table(sections: list[tuple[str, list[Key]]], keymap: dict[str, str]) -> Table:
    table = Table(box=None, show_header=False, padding=(0, 2, 0, 0))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    table.add_column(style="dim", no_wrap=True)
    for title, keys in sections:
        table.add_row(Text(title, style="bold underline"), "", "")
        links = [k for k in keys if k.id.startswith("main.link_")]
        for key in keys:
            if key in links[1:]:
                continue
            if key is (links[0] if links else None):
                table.add_row("1 … 9", Text("Open link N of the article"), "main.link_N")
                continue
            shown = key_display(keymap.get(key.id, key.keys))
            table.add_row(shown, Text(key.help), key.id)
        table.add_row("", "", "")
    return table


class HelpText(Static):
    """Help text whose `dim` and ANSI colours are drawn legibly in the theme."""

    def get_line_filters(self) -> Sequence[LineFilter]:
        return theme_filters(self)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
        Binding("j,down", "scroll('down')", "Down", id="help.down", show=False),
        Binding("k,up", "scroll('up')", "Up", id="help.up", show=False),
    ]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 96; max-width: 100%; max-height: 100%; height: auto;
        border: round $accent; background: $surface; padding: 0 1;
    }
    """

    def __init__(self, sections: list[tuple[str, list[Key]]], keymap: dict[str, str]) -> None:
        super().__init__()
        self.sections = sections
        self.keymap = keymap

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield HelpText(Text("Keys", style="bold"), id="help-title")
            yield HelpText(keys_table(self.sections, self.keymap), id="help-keys")
            yield HelpText(
                Text(
                    'Remap a key in config.toml: [keys] "main.search" = "ctrl+f". '
                    "Ctrl+P lists every action. Esc, q or ? closes this help.",
                    style="dim",
                )
            )

    def action_scroll(self, direction: str) -> None:
        scroll = self.query_one(VerticalScroll)
        if direction == "down":
            scroll.scroll_down()
        else:
            scroll.scroll_up()
