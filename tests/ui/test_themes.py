"""Every text style the reader draws is legible in every Textual theme: the contrast of each
run of text against its own background meets WCAG (4.5:1 for body text, 3:1 for muted text
such as dates, read headlines and captions), and read headlines are dimmer than unread ones.

The screen is rendered as the terminal would get it (Textual's compositor, ANSI colours
turned into the theme's truecolour, `dim` blended), then read back a run at a time.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from rich.color import Color
from rich.console import Console
from textual.containers import VerticalScroll
from textual.geometry import Region
from textual.theme import BUILTIN_THEMES

from kabar.core.config.profile import Profile
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


def screen_runs(app: KabarApp, within: Region | None = None) -> list[Run]:
    """Each run of text on screen (or within a region) with its contrast, as the terminal
    would draw it."""
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
    x = y = 0
    for segment in console._record_buffer:  # what was printed, segment by segment
        if segment.text == "\n":
            x, y = 0, y + 1
            continue
        start, x = x, x + segment.cell_length
        style = segment.style
        if style is None or not any(ch.isalnum() for ch in segment.text):
            continue
        if within is not None and not within.contains(start, y):
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


# Every theme Textual registers, less the ANSI ones (drawn in the terminal's own colours:
# nothing to measure). Kabar registers none of its own; the last test checks that.
THEMES = sorted(name for name, theme in BUILTIN_THEMES.items() if not theme.ansi)


def test_the_light_themes_are_walked() -> None:
    assert {"atom-one-light", "textual-light", "catppuccin-latte", "solarized-light"} <= set(THEMES)


@pytest.mark.parametrize("theme", THEMES)
async def test_every_style_is_legible(theme: str, profile: Profile, seeded: Seeded) -> None:
    profile.config.general.theme = theme
    app = seeded_app(profile)
    async with app.run_test(size=(140, 40)) as pilot:
        assert app.theme == theme
        screen = main_screen(app)
        screen.headlines.move_cursor(screen.headlines.position(seeded.captioned) or 0)
        await pilot.press("enter")  # the article focused: the headline cursor is not
        await pilot.pause()
        runs = screen_runs(app)
        screen.headlines.focus()
        await pilot.pause()
        others = screen_runs(app)
        await pilot.press("question_mark")
        await pilot.pause()
        help_box = app.screen.query_one(VerticalScroll).region  # not the dimmed screen below
        others += screen_runs(app, help_box)
        assert any("Show every key" in run.text for run in others)
    problems = [
        f"{run.text.strip()!r} {run.contrast:.2f}" for run in runs + others if run.contrast < MUTED
    ]
    for fragment in BODY_TEXT:
        if (ratio := weakest(runs, fragment)) < BODY:
            problems.append(f"body {fragment!r} {ratio:.2f}")
    read, unread = weakest(runs, READ_TITLE), weakest(runs, UNREAD_TITLE)
    if read >= unread:
        problems.append(f"read {read:.2f} not dimmer than unread {unread:.2f}")
    assert not problems, "\n".join(problems)


async def test_kabar_adds_no_theme_of_its_own(profile: Profile) -> None:
    app = seeded_app(profile)
    async with app.run_test(size=(80, 24)):
        assert set(app.available_themes) == set(BUILTIN_THEMES)
