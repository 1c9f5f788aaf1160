"""The hostile feeds in the real TUI (Pilot): titles show literally, nothing escapes into
the terminal, and no link a feed sent with an unsafe scheme can be opened."""

from __future__ import annotations

import webbrowser
from pathlib import Path

import pytest

from kabar.core.config.profile import Profile
from kabar.core.feeds.parse import parse_feed
from kabar.core.models import FeedUpdate
from kabar.core.store import Store
from kabar.ui.app import make_app
from kabar.ui.screens.main import MainScreen
from tests.hostile.test_corpus import LITERAL_TITLES

CORPUS = Path(__file__).parent.parent / "fixtures" / "hostile"


@pytest.mark.parametrize("name", ["escapes.rss", "escapes.json"])
async def test_hostile_titles_show_literally_in_every_pane(
    name: str, profile: Profile, store: Store
) -> None:
    feed = parse_feed((CORPUS / name).read_bytes(), "https://hostile.example/feed")
    row = store.add_feed("https://hostile.example/feed")
    store.apply_updates([FeedUpdate(row.id, 1.0, 200, parsed=feed)])
    app = make_app(profile, refresh_on_start=False)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await pilot.pause()
        headlines = screen.headlines
        lines = [headlines.render_line(y).text for y in range(headlines.size.height)]
        shown = "\n".join(lines)
        for title in LITERAL_TITLES.values():
            assert title[:20] in shown, title  # the pane may cut the end off
        assert not any(ch in shown for ch in "\x1b\x07\x9b\u202e")
        feeds = screen.feed_list
        feed_lines = "\n".join(feeds.render_line(y).text for y in range(feeds.size.height))
        assert "Hostile titles" in feed_lines and "\x1b" not in feed_lines
        # open the Rich-markup entry: its title is the literal text, not red bold "x"
        index = next(i for i, line in enumerate(lines) if "[bold red]x[/]" in line)
        await pilot.press("g", *["j"] * index, "enter")
        await pilot.pause()
        article = screen.article.plain_text(120)
        assert article.splitlines()[0].strip() == "[bold red]x[/]"
        assert "\x1b" not in article


async def test_unsafe_links_are_never_opened(
    profile: Profile, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    feed = parse_feed((CORPUS / "escapes.rss").read_bytes(), "https://hostile.example/feed")
    row = store.add_feed("https://hostile.example/feed")
    store.apply_updates([FeedUpdate(row.id, 1.0, 200, parsed=feed)])
    opened: list[str] = []

    class Browser(webbrowser.BaseBrowser):
        """The system's browser, as Python's webbrowser would hand it over."""

        def open(self, url: str, new: int = 0, autoraise: bool = True) -> bool:
            opened.append(url)
            return True

    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr(webbrowser, "get", lambda using=None: Browser())
    app = make_app(profile, refresh_on_start=False)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await pilot.pause()
        headlines = screen.headlines
        lines = [headlines.render_line(y).text for y in range(headlines.size.height)]
        index = next(i for i, line in enumerate(lines) if "bad links" in line)
        await pilot.press("g", *["j"] * index, "enter")
        await pilot.pause()
        await pilot.press("o", "1", "2", "3", "4")  # the page, and links 1-4 of the article
        await pilot.pause()
    # the entry's own javascript: link and its js/data/file links were never offered:
    # "o" had nothing to open, "1" opened the one safe link, "2"-"4" do not exist
    assert opened == ["https://ok.example/"]
