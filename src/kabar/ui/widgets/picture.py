"""A picture in the article, drawn by textual-image in whatever the terminal can show.

Half-blocks are plain coloured characters: they become lines of the article pane itself
(no widget, so opening and scrolling cost what text costs). The Kitty graphics protocol and
Sixel need textual-image's widgets, which the pane lays over the rows it keeps free.
"""

from __future__ import annotations

import contextlib
import io

from rich.console import Console
from textual.app import ComposeResult
from textual.strip import Strip
from textual.widget import Widget

from kabar.core.pictures import Picture
from kabar.render.pictures import Terminal, detect, picture_renderable


def detect_for_tui() -> Terminal:
    """Ask the terminal before Textual starts: its protocol, and (on import of the widgets)
    its cell size in pixels."""
    terminal = detect()
    with contextlib.suppress(Exception):  # an odd answer: half-blocks need no cell size
        import textual_image.widget  # noqa: F401
    return terminal


def half_block_lines(picture: Picture) -> list[Strip]:
    """The picture as lines of coloured half-blocks, made in the calling thread (a worker):
    drawn as part of the article's own lines, they scroll and repaint like text."""
    console = Console(width=max(1, picture.columns), file=io.StringIO(), color_system="truecolor")
    rendered = console.render_lines(
        picture_renderable(picture, "halfcell"), console.options, pad=False, new_lines=False
    )
    return [Strip(segments) for segments in rendered]


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
