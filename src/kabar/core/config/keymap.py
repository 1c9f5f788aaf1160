"""Every key the reader answers to, in one table, and the check of the config's `[keys]`.

The table is the single source for the bindings (each with a stable id, so the config's
`[keys]` table can remap it), the help screen, the command palette and the README. It is
plain data: `kabar.ui.keys` turns it into Textual bindings, and the config loader checks a
remapping against it without starting (or importing) the UI.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

Pane = str  # "feeds", "headlines" or "article"


@dataclass(frozen=True, slots=True)
class Key:
    id: str
    keys: str
    action: str
    description: str  # short: the footer's label
    help: str  # a sentence: the help screen and the command palette
    panes: tuple[Pane, ...] = ()  # panes whose footer shows it
    palette: bool = True  # offered in the command palette


APP_KEYS = [
    Key("app.quit", "q", "quit", "Quit", "Quit Kabar"),
    Key(
        "app.help",
        "question_mark",
        "help",
        "Keys",
        "Show every key",
        ("feeds", "headlines", "article"),
    ),
    Key(
        "app.next_pane",
        "tab",
        "app.focus_next",
        "Next pane",
        "Move to the next pane",
        palette=False,
    ),
    Key(
        "app.prev_pane",
        "shift+tab",
        "app.focus_previous",
        "Previous pane",
        "Move to the previous pane",
        palette=False,
    ),
]

SCREEN_KEYS = [
    Key(
        "main.read_on",
        "space",
        "read_on",
        "Read on",
        "Page through the open article; at its end, open the next unread entry",
        ("headlines", "article"),
    ),
    Key(
        "main.next_unread",
        "n",
        "next_unread",
        "Next unread",
        "Open the next unread entry, in any feed (from the top after the last)",
        ("headlines",),
    ),
    Key(
        "main.prev_unread",
        "p",
        "prev_unread",
        "Prev unread",
        "Open the previous unread entry, in any feed",
    ),
    Key(
        "main.toggle_saved",
        "s",
        "toggle_saved",
        "Save",
        "Save or unsave the entry (saving keeps its full text)",
        ("headlines", "article"),
    ),
    Key(
        "main.toggle_read",
        "m",
        "toggle_read",
        "Read",
        "Mark the entry read or unread",
        ("headlines",),
    ),
    Key(
        "main.mark_all_read",
        "A",
        "mark_all_read",
        "All read",
        "Mark every entry of this view read (u undoes)",
        ("headlines",),
    ),
    Key("main.undo", "u", "undo", "Undo", "Undo marking a view read"),
    Key(
        "main.open_link",
        "o",
        "open_link",
        "Browser",
        "Open the entry's page in the browser",
        ("article",),
    ),
    Key(
        "main.copy_link",
        "y",
        "copy_link",
        "Copy link",
        "Copy the entry's link to the clipboard",
        ("article",),
    ),
    Key(
        "main.full_text",
        "f",
        "full_text",
        "Full text",
        "Fetch the full article from the entry's page",
        ("article",),
    ),
    Key(
        "main.search",
        "slash",
        "search",
        "Search",
        "Search titles, feed text and articles",
        ("feeds", "headlines"),
    ),
    Key(
        "main.refresh_feed", "r", "refresh_feed", "Refresh", "Refresh the selected feed", ("feeds",)
    ),
    Key("main.refresh_all", "R", "refresh_all", "Refresh all", "Refresh every feed"),
    Key(
        "main.add_feed",
        "a",
        "add_feed",
        "Add",
        "Add a feed, or a site whose feed is found for you",
        ("feeds",),
    ),
    Key(
        "main.remove_feed",
        "d",
        "remove_feed",
        "Remove",
        "Remove the selected feed (saved entries are kept)",
        ("feeds",),
    ),
    Key(
        "main.feed_error",
        "e",
        "feed_error",
        "Error",
        "Show why the selected feed failed",
        ("feeds",),
    ),
    Key("main.hide_read", "H", "toggle_hide_read", "Hide read", "Show or hide read entries"),
    Key("main.sort", "O", "toggle_sort", "Oldest first", "Sort by date, newest or oldest first"),
    Key(
        "main.toggle_feeds",
        "backslash,ctrl+b",
        "toggle_feeds",
        "Feeds",
        "Show or hide the feed list",
    ),
    Key(
        "main.back",
        "escape",
        "back",
        "Back",
        "Back to the previous pane, or close the search",
        ("article",),
    ),
] + [
    Key(
        f"main.link_{n}",
        str(n),
        f"follow_link({n})",
        f"Link {n}",
        f"Open link {n} of the article in the browser",
        palette=False,
    )
    for n in range(1, 10)
]

FEED_KEYS = [
    Key("feeds.down", "j,down", "cursor_down", "Down", "Next item"),
    Key("feeds.up", "k,up", "cursor_up", "Up", "Previous item"),
    Key("feeds.top", "g,home", "first", "Top", "First item"),
    Key("feeds.bottom", "G,end", "last", "Bottom", "Last item"),
    Key("feeds.fold", "space", "fold", "Fold", "Fold or unfold the folder"),
    Key("feeds.open", "enter", "select", "Open", "Show this view's headlines", ("feeds",)),
]

HEADLINE_KEYS = [
    Key("headlines.down", "j,down", "cursor_down", "Down", "Next headline"),
    Key("headlines.up", "k,up", "cursor_up", "Up", "Previous headline"),
    Key("headlines.top", "g,home", "first", "Top", "First headline"),
    Key("headlines.bottom", "G,end", "last", "Bottom", "Last headline"),
    Key("headlines.page_down", "pagedown", "page_down", "Page down", "A page down"),
    Key("headlines.page_up", "pageup", "page_up", "Page up", "A page up"),
    Key("headlines.half_down", "ctrl+d", "half_page_down", "Half down", "Half a page down"),
    Key("headlines.half_up", "ctrl+u", "half_page_up", "Half up", "Half a page up"),
    Key("headlines.open", "enter", "open", "Open", "Read the entry", ("headlines",)),
]

ARTICLE_KEYS = [
    Key("article.down", "j,down", "scroll_down", "Down", "Scroll down"),
    Key("article.up", "k,up", "scroll_up", "Up", "Scroll up"),
    Key("article.page_down", "pagedown", "page_down", "Page", "A page down"),
    Key("article.page_up", "b,pageup", "page_up", "Page up", "A page up"),
    Key("article.half_down", "ctrl+d", "half_page_down", "Half down", "Half a page down"),
    Key("article.half_up", "ctrl+u", "half_page_up", "Half up", "Half a page up"),
    Key("article.top", "g,home", "scroll_home", "Top", "Top of the article"),
    Key("article.bottom", "G,end", "scroll_end", "Bottom", "End of the article"),
    Key(
        "article.pictures",
        "i",
        "toggle_images",
        "Pictures",
        "Show or hide the article's pictures",
        ("article",),
    ),
]

PANE_KEYS: dict[Pane, list[Key]] = {
    "feeds": FEED_KEYS,
    "headlines": HEADLINE_KEYS,
    "article": ARTICLE_KEYS,
}


def all_keys() -> list[tuple[str, list[Key]]]:
    """The keys by section, for the help screen and the README."""
    return [
        ("Everywhere", APP_KEYS + SCREEN_KEYS),
        ("Feed list", FEED_KEYS),
        ("Headlines", HEADLINE_KEYS),
        ("Article", ARTICLE_KEYS),
    ]


def binding_ids() -> set[str]:
    """Every id a `[keys]` entry may name."""
    return {k.id for _, keys in all_keys() for k in keys}


_MODIFIERS = frozenset(("ctrl", "shift", "alt", "meta", "super", "hyper"))
# Textual's names for keys that are not characters (textual.keys.Keys, without modifiers).
_NAMED = frozenset(
    (
        "escape", "enter", "return", "tab", "space", "backspace", "delete", "insert",
        "home", "end", "pageup", "pagedown", "up", "down", "left", "right",
        *(f"f{n}" for n in range(1, 25)),
    )
)  # fmt: skip
# Textual's short names for some characters (textual.keys.KEY_NAME_REPLACEMENTS).
_SHORT_NAMES = frozenset(("slash", "backslash", "at", "minus", "plus", "underscore"))


def key_problem(spec: str) -> str | None:
    """Why a binding's keys (`"ctrl+f"`, `"j,down"`) are not keys Textual knows, or None.

    A key is modifiers joined by "+" to one base: a printable character, a named key
    ("pagedown", "f5") or a character's Unicode name as Textual spells it ("slash",
    "question_mark").
    """
    if not spec.strip():
        return "no key given"
    for key in spec.split(","):
        key = key.strip()
        *modifiers, base = key.split("+") if key != "+" else ["+"]
        if not key or any(m not in _MODIFIERS for m in modifiers):
            return f"{key!r} is not a key"
        if not _is_base(base):
            return f"{key!r} is not a key"
    return None


def _is_base(base: str) -> bool:
    if len(base) == 1:
        return base.isprintable() and not base.isspace() and base != ","
    if base in _NAMED or base in _SHORT_NAMES:
        return True
    if not base or base != base.lower() or not base.replace("_", "").isalnum():
        return False
    # a character's Unicode name, lower case, with "_" for both spaces and hyphens
    words = base.split("_")
    for n in range(1 << min(len(words) - 1, 4)):
        name = words[0]
        for i, word in enumerate(words[1:]):
            name += ("-" if n >> i & 1 else " ") + word
        try:
            unicodedata.lookup(name)
        except KeyError:
            continue
        return True
    return False


def keymap_problem(keymap: dict[str, str]) -> tuple[str, str] | None:
    """The first `[keys]` entry that names no binding or no key: (binding id, why)."""
    known = binding_ids()
    for binding_id, spec in keymap.items():
        if binding_id not in known:
            return binding_id, "is not a binding id (the help screen, ?, lists them)"
        problem = key_problem(spec)
        if problem is not None:
            return binding_id, f'must be keys such as "ctrl+f" or "j,down": {problem}'
    return None


def keymap_conflicts(keymap: dict[str, str]) -> list[str]:
    """Keys a remapping gives a binding that another binding answers to where both work
    (the same pane, or everywhere): Textual would silently let one of them win."""
    scopes: dict[str, list[Key]] = {"everywhere": APP_KEYS + SCREEN_KEYS, **PANE_KEYS}
    scope_of = {key.id: scope for scope, table in scopes.items() for key in table}
    defaults = {key.id: key.keys for table in scopes.values() for key in table}

    def split(keys: str) -> set[str]:
        return {k.strip() for k in keys.split(",") if k.strip()}

    def meet(a: str, b: str) -> bool:
        """Whether two bindings can both answer a key (one works everywhere, or both in
        the same pane)."""
        return "everywhere" in (scope_of[a], scope_of[b]) or scope_of[a] == scope_of[b]

    keys_of = {id: split(keymap.get(id, keys)) for id, keys in defaults.items()}
    found: list[str] = []
    for remapped in keymap:
        if remapped not in defaults:
            continue
        new = keys_of[remapped] - split(defaults[remapped])
        for key in sorted(new):
            others = [
                other
                for other, other_keys in keys_of.items()
                if other != remapped and key in other_keys and meet(remapped, other)
            ]
            if others:
                found.append(f"{key} is bound to {remapped} and to {', '.join(others)}")
    return found
