"""The key table (`kabar.core.config.keymap`) as Textual bindings.

Each binding keeps its table id, so the config's `[keys]` table remaps it through
`App.set_keymap`. Screen-level actions work from any pane; a pane repeats the ones that
matter to it with `show=True` and the same id, so the footer shows the keys of the focused
pane and one remapping moves both.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

from kabar.core.config.keymap import (
    APP_KEYS,
    ARTICLE_KEYS,
    FEED_KEYS,
    HEADLINE_KEYS,
    PANE_KEYS,
    SCREEN_KEYS,
    Key,
    Pane,
    all_keys,
    keymap_conflicts,
)

__all__ = [
    "APP_KEYS",
    "ARTICLE_KEYS",
    "FEED_KEYS",
    "HEADLINE_KEYS",
    "PANE_KEYS",
    "SCREEN_KEYS",
    "Key",
    "Pane",
    "all_keys",
    "bindings",
    "keymap_conflicts",
    "pane_bindings",
]


def bindings(keys: list[Key], *, show: bool = False) -> list[BindingType]:
    return [
        Binding(k.keys, k.action, k.description, show=show, id=k.id, tooltip=k.help) for k in keys
    ]


def pane_bindings(pane: Pane) -> list[BindingType]:
    """A pane's own keys, then the shared keys its footer shows (run on the screen or app)."""
    own: list[BindingType] = [
        Binding(k.keys, k.action, k.description, show=pane in k.panes, id=k.id, tooltip=k.help)
        for k in PANE_KEYS[pane]
    ]
    shared: list[BindingType] = [
        Binding(k.keys, f"{prefix}.{k.action}", k.description, id=k.id, tooltip=k.help)
        for prefix, table in (("screen", SCREEN_KEYS), ("app", APP_KEYS))
        for k in table
        if pane in k.panes
    ]
    return own + shared
