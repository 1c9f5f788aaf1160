"""The key bar: the keys that matter in the focused pane, on one line.

Textual's Footer rebuilds a widget per key every time focus moves, which cost about 20 ms
of the 50 ms budget for opening an article (the focus moves to the article pane). This
bar draws the same keys, from the same active bindings, as one line of text, redrawn only
when the keys shown change. A click on a key presses it.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import RenderResult
from textual.events import Click
from textual.screen import Screen
from textual.widget import Widget


class KeyBar(Widget):
    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description"}
    DEFAULT_CSS = """
    KeyBar {
        height: 1;
        dock: bottom;
        background: $footer-background;
    }
    KeyBar > .key-bar--key {
        color: $kabar-key;
        background: $footer-key-background;
        text-style: bold;
    }
    KeyBar > .key-bar--description {
        color: $kabar-key-description;
        background: $footer-description-background;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.keys: list[tuple[str, str, str]] = []  # (key to press, key shown, description)
        self._spans: list[tuple[int, int, str]] = []  # (start, end, key to press)

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        keys: list[tuple[str, str, str]] = []
        seen: set[str] = set()
        palette = None
        for _node, binding, enabled, _tooltip in screen.active_bindings.values():
            if binding.action == "app.command_palette" or binding.action == "command_palette":
                palette = (binding.key, self.app.get_key_display(binding), "palette")
                continue
            if not binding.show or not enabled or binding.action in seen:
                continue
            seen.add(binding.action)
            keys.append((binding.key, self.app.get_key_display(binding), binding.description))
        if palette is not None:
            keys.append(palette)
        if keys != self.keys:
            self.keys = keys
            self.refresh()

    def render(self) -> RenderResult:
        key_style = self.get_component_rich_style("key-bar--key")
        description_style = self.get_component_rich_style("key-bar--description")
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        self._spans = []
        for press, shown, description in self.keys:
            start = text.cell_len
            text.append(f" {shown} ", style=key_style)
            text.append(f"{description} ", style=description_style)
            self._spans.append((start, text.cell_len, press))
        return text

    def on_click(self, event: Click) -> None:
        for start, end, press in self._spans:
            if start <= event.x < end:
                self.app.simulate_key(press.split(",")[0].strip())
                return
