"""Every text style the reader draws is legible in every Textual theme: the contrast of each
run of text against its own background meets WCAG (4.5:1 for body text, 3:1 for muted text
such as dates, read headlines and captions), and read headlines are dimmer than unread ones.

The screen is rendered as the terminal would get it (Textual's compositor, ANSI colours
turned into the theme's truecolour, `dim` blended), then read back a run at a time.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from rich.color import Color
from rich.console import Console

from kabar.core.profile import Profile
from kabar.ui.app import KabarApp
from tests.ui.conftest import main_screen, seeded_app
from tests.ui.data import Seeded

BODY = 4.5
MUTED = 3.0
# Runs of text that must read as body text (the rest must at least read as muted text).
BODY_TEXT = [
    "Why some characters",  # an unread headline
    "From December the ferry",  # the article's body
    "What changes",  # a heading
    "Local",  # a folder in the feed list
    "Tech",
    "All · ",  # the status line
]
READ_TITLE = "A calm prompt"
UNREAD_TITLE = "Lighthouse open day"


@dataclass(frozen=True, slots=True)
class Run:
    text: str
    contrast: float


def luminance(color: Color) -> float:
    """WCAG relative luminance."""
    triplet = color.get_truecolor()

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(triplet.red)
        + 0.7152 * channel(triplet.green)
        + 0.0722 * channel(triplet.blue)
    )


def contrast(a: Color, b: Color) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def screen_runs(app: KabarApp) -> list[Run]:
    """Each run of text on screen with its contrast, as the terminal would draw it."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        record=True,
    )
    console.print(app.screen._compositor.render_update(full=True))
    runs = []
    for segment in console._record_buffer:
        style = segment.style
        if style is None or not any(ch.isalnum() for ch in segment.text):
            continue
        fg, bg = style.color, style.bgcolor
        assert fg is not None and bg is not None, segment
        if style.reverse:
            fg, bg = bg, fg
        runs.append(Run(segment.text, contrast(fg, bg)))
    return runs


def weakest(runs: list[Run], fragment: str) -> float:
    found = [run.contrast for run in runs if fragment in run.text]
    assert found, f"{fragment!r} is not on screen"
    return min(found)


async def test_every_style_is_legible_in_every_theme(profile: Profile, seeded: Seeded) -> None:
    app = seeded_app(profile)
    problems: list[str] = []
    async with app.run_test(size=(140, 40)) as pilot:
        screen = main_screen(app)
        screen.headlines.move_cursor(screen.headlines.position(seeded.captioned) or 0)
        await pilot.press("enter")
        await pilot.pause()
        # ANSI themes draw in the terminal's own colours: nothing to measure.
        themes = sorted(name for name, theme in app.available_themes.items() if not theme.ansi)
        assert {"atom-one-light", "textual-light", "catppuccin-latte", "solarized-light"} <= set(
            themes
        )
        for theme in themes:
            app.theme = theme
            await pilot.pause()
            runs = screen_runs(app)
            for run in runs:
                if run.contrast < MUTED:
                    problems.append(f"{theme}: {run.text.strip()!r} {run.contrast:.2f}")
            for fragment in BODY_TEXT:
                if (ratio := weakest(runs, fragment)) < BODY:
                    problems.append(f"{theme}: body {fragment!r} {ratio:.2f}")
            read, unread = weakest(runs, READ_TITLE), weakest(runs, UNREAD_TITLE)
            if read >= unread:
                problems.append(f"{theme}: read {read:.2f} not dimmer than unread {unread:.2f}")
    assert not problems, "\n".join(problems)
