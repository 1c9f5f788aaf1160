"""Colours that stay legible in every theme.

Textual's themes pick their accent, warning and muted colours for their own widgets, not
for running text: in a light theme an accent-coloured date or a 60 % "muted" grey can fall
under 2:1 against the background. Kabar derives its text colours from each theme, moved
toward black or white just enough to reach the WCAG contrast ratios (4.5:1 for body text,
3:1 for muted text), and muted text always dimmer than body text.

Two ways in: CSS variables (`$kabar-muted`, `$kabar-accent`, ...) for the lists, the
status line and the key bar; and `ThemeColours`, a line filter for the article pane, whose
text is rendered by Rich with ANSI colour names (`kabar read` prints the same renderables
to a terminal with its own palette) and `dim`, which Textual blends to half contrast.
"""

from __future__ import annotations

from functools import lru_cache

from rich.segment import Segment
from rich.style import Style
from textual.color import Color, ColorParseError
from textual.filter import LineFilter
from textual.widget import Widget

BODY = 4.5  # WCAG AA for body text
MUTED = 3.2  # WCAG's 3:1 for muted text, with a little to spare
BLACK = Color(0, 0, 0)
WHITE = Color(255, 255, 255)


def luminance(color: Color) -> float:
    """WCAG relative luminance."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)


def contrast(a: Color, b: Color) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@lru_cache(512)
def legible(color: Color, background: Color, ratio: float = BODY) -> Color:
    """`color` (alpha blended onto the background), moved toward black or white, whichever
    contrasts more with the background, just enough to reach `ratio`."""
    color = background.blend(color.with_alpha(1.0), color.a) if color.a < 1 else color
    extreme = WHITE if contrast(WHITE, background) >= contrast(BLACK, background) else BLACK
    for step in range(21):
        candidate = color.blend(extreme, step / 20)
        if contrast(candidate, background) >= ratio:
            return candidate
    return extreme


def _parse(value: str, fallback: Color) -> Color:
    try:
        return Color.parse(value)
    except ColorParseError:  # "auto 87%", "ansi_default": not a colour until drawn
        return fallback


def text_variables(variables: dict[str, str]) -> dict[str, str]:
    """The `kabar-*` CSS variables for a theme's variables (as Textual generates them)."""
    background = _parse(variables.get("background", ""), BLACK)
    extreme = WHITE if contrast(WHITE, background) >= contrast(BLACK, background) else BLACK
    foreground = _parse(variables.get("foreground", ""), extreme)
    panel = _parse(variables.get("panel", ""), background)
    footer = _parse(variables.get("footer-background", ""), panel)

    def on(name: str, ground: Color, ratio: float = BODY) -> str:
        return legible(_parse(variables.get(name, ""), foreground), ground, ratio).hex

    text = legible(foreground, background)
    return {
        "kabar-text": text.hex,
        "kabar-muted": legible(text.blend(background, 0.5), background, MUTED).hex,
        "kabar-accent": on("accent", background),
        "kabar-warning": on("warning", background),
        "kabar-error": on("error", background),
        "kabar-status-text": legible(foreground, panel).hex,
        "kabar-key": on("accent", footer),
        "kabar-key-description": legible(foreground, footer).hex,
    }


# ANSI colour number (mod 8) -> the theme colour it stands for in the reader.
_ANSI_ROLES = {1: "error", 2: "success", 3: "warning", 4: "primary", 5: "accent", 6: "primary"}


class ThemeColours(LineFilter):
    """Draw Rich's ANSI colours in the theme's own colours at a legible contrast, and `dim`
    as the theme's muted text colour instead of half the contrast."""

    def __init__(self, variables: dict[str, str]) -> None:
        super().__init__()
        background = _parse(variables.get("background", ""), BLACK)
        extreme = WHITE if contrast(WHITE, background) >= contrast(BLACK, background) else BLACK
        self.foreground = _parse(variables.get("foreground", ""), extreme)
        self.roles = {
            number: _parse(variables.get(role, ""), self.foreground)
            for number, role in _ANSI_ROLES.items()
        }

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        restyle = self.restyle
        return [
            Segment(text, None if style is None else restyle(style, background), control)
            for text, style, control in segments
        ]

    @lru_cache(1024)  # noqa: B019 - one filter per theme, a few dozen styles each
    def restyle(self, style: Style, background: Color) -> Style:
        ground = background
        if style.bgcolor is not None and style.bgcolor.triplet is not None:
            ground = Color.from_rich_color(style.bgcolor)
        color = style.color
        base: Color | None = None
        number = color.number if color is not None and color.triplet is None else None
        if number is not None and number < 16:  # the 16 ANSI colours, not the 256 palette
            base = self.foreground if number in (0, 7, 8, 15) else self.roles[number % 8]
            if number == 8:  # bright black: a rule, a quote's bar: muted
                style += Style(dim=True)
        if style.dim:
            source = base or (
                Color.from_rich_color(color) if color is not None and color.triplet else None
            )
            source = source or self.foreground
            muted = legible(source.blend(ground, 0.5), ground, MUTED)
            return style + Style(color=muted.rich_color, dim=False)
        if base is None:
            return style
        return style + Style(color=legible(base, ground).rich_color)


_FILTERS: dict[tuple[str, str, str], ThemeColours] = {}


def theme_filters(widget: Widget) -> list[LineFilter]:
    """A widget's line filters with `ThemeColours` first (use in `get_line_filters`)."""
    app = widget.app
    variables = app.theme_variables
    key = (app.theme, variables.get("background", ""), variables.get("foreground", ""))
    colours = _FILTERS.get(key)
    if colours is None:
        colours = _FILTERS[key] = ThemeColours(variables)
    return [colours, *app.get_line_filters()]
