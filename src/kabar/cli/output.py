"""Where the commands print: Rich consoles, made on first use.

Rich costs tens of milliseconds to import; `kabar refresh` under cron, which prints
nothing when all went well, should not pay for it.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console


@cache
def out() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True)


@cache
def err() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def say(text: str, *, style: str = "", stderr: bool = False) -> None:
    """Print one line of plain text (never read as markup)."""
    from rich.text import Text

    (err() if stderr else out()).print(Text(text, style=style))
