"""A picture in the article, drawn by textual-image in whatever the terminal can show."""

from __future__ import annotations

import contextlib

from textual.app import ComposeResult
from textual.widget import Widget

from kabar.core.pictures import Picture
from kabar.render.pictures import Terminal, detect


def detect_for_tui() -> Terminal:
    """Ask the terminal before Textual starts: its protocol, and (on import of the widgets)
    its cell size in pixels."""
    terminal = detect()
    with contextlib.suppress(Exception):  # an odd answer: half-blocks need no cell size
        import textual_image.widget  # noqa: F401
    return terminal


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
