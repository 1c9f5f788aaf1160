"""Every key the reader answers to, in one table.

The table is the single source for the bindings (each with a stable id, so the config's
`[keys]` table can remap it through `App.set_keymap`), the help screen, the command
palette and the README. Screen-level actions work from any pane; a pane repeats the ones
that matter to it with `show=True` and the same id, so the footer shows the keys of the
focused pane and one remapping moves both.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingType

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
        "main.next_unread",
        "n",
        "next_unread",
        "Next unread",
        "Open the next unread entry, in any feed",
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
    Key("headlines.open", "enter", "open", "Open", "Read the entry", ("headlines",)),
]

ARTICLE_KEYS = [
    Key("article.down", "j,down", "scroll_down", "Down", "Scroll down"),
    Key("article.up", "k,up", "scroll_up", "Up", "Scroll up"),
    Key("article.page_down", "space,pagedown", "page_down", "Page", "A page down", ("article",)),
    Key("article.page_up", "b,pageup", "page_up", "Page up", "A page up"),
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


def all_keys() -> list[tuple[str, list[Key]]]:
    """The keys by section, for the help screen and the README."""
    return [
        ("Everywhere", APP_KEYS + SCREEN_KEYS),
        ("Feed list", FEED_KEYS),
        ("Headlines", HEADLINE_KEYS),
        ("Article", ARTICLE_KEYS),
    ]
