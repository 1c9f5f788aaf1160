"""Drawing pictures in the terminal: which protocol it speaks, and a Rich renderable for one.

textual-image asks the terminal what it can draw (the Kitty graphics protocol, Sixel) when it
is imported, which only works before Textual takes over the terminal's input: the TUI calls
`detect()` while the app is being built, and the answer is remembered. Anything else (tmux,
the Linux console, a pipe in tests) gets coloured half-blocks. `KABAR_IMAGE_PROTOCOL=halfcell|
sixel|kitty` overrides the guess (the tests force half-blocks, so their screenshots are
stable).
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from rich.console import RenderableType

from kabar.core.article.picturedata import Fit, Picture

Protocol = Literal["halfcell", "sixel", "kitty"]
ENV = "KABAR_IMAGE_PROTOCOL"
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Terminal:
    protocol: Protocol
    cell_width: int = 10
    cell_height: int = 20

    @property
    def graphics(self) -> bool:
        """Whether the terminal draws more than half-blocks (for `images = "auto"`)."""
        return self.protocol != "halfcell"

    def fit(self, columns: int, rows: int) -> Fit:
        return Fit(columns, rows, self.cell_width, self.cell_height, not self.graphics)


_detected: Terminal | None = None


def detect() -> Terminal:
    """What this terminal can draw, asked once (before Textual starts reading input)."""
    global _detected
    forced = os.environ.get(ENV, "").strip().lower()
    if forced == "halfcell":
        return Terminal("halfcell")  # nothing to ask: the tests' deterministic choice
    if _detected is not None:
        return _detected
    if not forced and not _may_have_graphics():
        _detected = Terminal("halfcell")
        return _detected
    protocol: Protocol = "halfcell"
    cell = (10, 20)
    try:
        if forced in ("sixel", "kitty"):
            protocol = forced  # type: ignore[assignment]
        else:
            from textual_image import renderable

            if renderable.Image is renderable.SixelImage:
                protocol = "sixel"
            elif renderable.Image is renderable.TGPImage:
                protocol = "kitty"
        if protocol != "halfcell":
            from textual_image._terminal import get_cell_size

            size = get_cell_size()
            cell = (max(1, size.width), max(1, size.height))
    except Exception as exc:  # a terminal that answers oddly must not stop the reader
        log.warning("could not ask the terminal about pictures: %s", exc)
        protocol = "halfcell"
    _detected = Terminal(protocol, *cell)
    return _detected


# Terminals that draw pictures with the Kitty protocol or Sixel, known by what they put in
# the environment. Only these are asked (the answer can take up to 0.2 s of start-up when
# a terminal stays silent); any other gets half-blocks, or KABAR_IMAGE_PROTOCOL decides.
_GRAPHICS_VARIABLES = (
    "KITTY_WINDOW_ID",
    "GHOSTTY_RESOURCES_DIR",
    "WEZTERM_PANE",
    "KONSOLE_VERSION",
    "XTERM_VERSION",
    "WT_SESSION",
)
_GRAPHICS_TERMS = ("xterm-kitty", "xterm-ghostty", "foot", "wezterm", "mlterm", "contour")
_GRAPHICS_PROGRAMS = ("iTerm.app", "WezTerm", "ghostty", "mintty")


def _may_have_graphics(environ: Mapping[str, str] | None = None) -> bool:
    """Whether asking is worth its wait: a terminal known to draw pictures, and not in a
    pipe, tmux (which passes neither protocol on by default) or the Linux console."""
    env = os.environ if environ is None else environ
    stdout = sys.__stdout__
    if stdout is None or not stdout.isatty():
        return False
    term = env.get("TERM", "")
    if env.get("TMUX") or term in ("linux", "dumb") or term.startswith("screen"):
        return False
    return (
        any(env.get(name) for name in _GRAPHICS_VARIABLES)
        or term.startswith(_GRAPHICS_TERMS)
        or env.get("TERM_PROGRAM", "") in _GRAPHICS_PROGRAMS
    )


def picture_renderable(picture: Picture, protocol: Protocol) -> RenderableType:
    """A Rich renderable of the picture at its size in cells (for `kabar read`)."""
    from textual_image.renderable import HalfcellImage, SixelImage, TGPImage

    kind = {"halfcell": HalfcellImage, "sixel": SixelImage, "kitty": TGPImage}[protocol]
    drawn: RenderableType = kind(picture.image, picture.columns, picture.rows)
    return drawn
