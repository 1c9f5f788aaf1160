"""Where the commands print: Rich consoles, made on first use.

Rich costs tens of milliseconds to import; `kabar refresh` under cron, which prints one
plain summary line, should not pay for it: `say` writes plain lines without Rich when the
output is not a terminal.
"""

from __future__ import annotations

import sys
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.segment import Segment


@cache
def out() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True)


@cache
def err() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def say(text: str, *, style: str = "", stderr: bool = False) -> None:
    """Print one line of plain text (never read as markup); styled only on a terminal."""
    stream = sys.stderr if stderr else sys.stdout
    if not stream.isatty():
        stream.write(text + "\n")
        return
    from rich.text import Text

    (err() if stderr else out()).print(Text(text, style=style))


def print_trimmed(console: Console, renderable: RenderableType) -> None:
    """Print without the spaces Rich pads each line with up to the console width.

    Padding, grids and rules fill their width with spaces; piped into a file or `less`,
    every line would end in a run of blanks. Trailing unstyled blanks are cut; a blank with
    a background colour (a code block's) is kept, as it shows.
    """
    from rich.segment import Segment, Segments

    lines = console.render_lines(renderable, console.options, pad=False, new_lines=False)
    segments: list[Segment] = []
    for line in lines:
        segments.extend(_rstrip(line))
        segments.append(Segment.line())
    console.print(Segments(segments), soft_wrap=True)


def _rstrip(line: list[Segment]) -> list[Segment]:
    from rich.segment import Segment

    kept = list(line)
    while kept:
        last = kept[-1]
        if last.control or (last.style is not None and last.style.bgcolor is not None):
            break
        text = last.text.rstrip(" ")
        if text:
            kept[-1] = Segment(text, last.style)
            break
        kept.pop()
    return kept
