"""A picture in the article, drawn by textual-image in whatever the terminal can show.

Half-blocks are plain coloured characters: they become lines of the article pane itself
(no widget, so opening and scrolling cost what text costs). The Kitty graphics protocol and
Sixel need textual-image's widgets, which the pane lays over the rows it keeps free.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time

from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from textual.app import ComposeResult
from textual.strip import Strip
from textual.widget import Widget

from kabar.core.library import Picture
from kabar.render.pictures import Terminal, detect


def detect_for_tui() -> Terminal:
    """Ask the terminal before Textual starts: its protocol, and (on import of the widgets)
    its cell size in pixels."""
    terminal = detect()
    if terminal.graphics:
        with contextlib.suppress(Exception):  # an odd answer: half-blocks need no cell size
            import textual_image.widget  # noqa: F401
    return terminal


_janitor: queue.SimpleQueue[object] | None = None


def discard(item: object) -> None:
    """Free a large structure (an article's lines: tens of thousands of coloured cells) in
    a background thread: freeing it on the UI thread would hold up the next article's frame.
    The caller must drop its own references at once."""
    global _janitor
    if _janitor is None:
        _janitor = queue.SimpleQueue()
        threading.Thread(target=_sweep, args=(_janitor,), name="kabar-janitor", daemon=True).start()
    _janitor.put(item)


def _sweep(items: queue.SimpleQueue[object]) -> None:
    while True:
        item = items.get()
        time.sleep(0.5)  # after the next frame; the caller's last reference is gone by then
        del item


def half_block_lines(picture: Picture) -> list[Strip]:
    """The picture as lines of coloured half-blocks (`▀`: the upper pixel in the foreground,
    the lower in the background), made in the calling thread (a worker). Drawn as part of
    the article's own lines, they scroll and repaint like text."""
    image = picture.image
    width, height = image.size
    data = image.tobytes()
    lines: list[Strip] = []
    for row in range(0, height - 1, 2):
        top, bottom = row * width * 3, (row + 1) * width * 3
        segments: list[Segment] = []
        last: bytes = b""
        run = 0
        for x in range(width):
            pair = data[top + 3 * x : top + 3 * x + 3] + data[bottom + 3 * x : bottom + 3 * x + 3]
            if pair == last:
                run += 1
                continue
            if run:
                segments.append(_cell(last, run))
            last, run = pair, 1
        if run:
            segments.append(_cell(last, run))
        lines.append(Strip(segments, width))
    return lines


def _cell(pair: bytes, run: int) -> Segment:
    upper = Color.from_rgb(pair[0], pair[1], pair[2])
    lower = Color.from_rgb(pair[3], pair[4], pair[5])
    return Segment("▀" * run, Style(color=upper, bgcolor=lower))


class PictureView(Widget):
    """One figure's picture, placed by the article pane over the rows it keeps free."""

    DEFAULT_CSS = """
    PictureView { position: absolute; width: auto; height: auto; }
    """

    def __init__(self, number: int, picture: Picture, terminal: Terminal) -> None:
        super().__init__(classes="picture")
        self.number = number
        self.picture = picture
        self.terminal = terminal
        self.styles.width = picture.columns
        self.styles.height = picture.rows

    def compose(self) -> ComposeResult:
        from textual_image.widget import HalfcellImage, SixelImage, TGPImage

        kind = {"halfcell": HalfcellImage, "sixel": SixelImage, "kitty": TGPImage}
        image = kind[self.terminal.protocol](self.picture.image)
        image.styles.width = self.picture.columns
        image.styles.height = self.picture.rows
        yield image
