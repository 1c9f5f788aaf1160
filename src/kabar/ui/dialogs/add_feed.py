"""Add a feed: type a feed URL, or a site's, and the feeds the site names are found.

Discovery runs in a thread worker (`Library.discover`) while the dialog stays responsive;
a site with several feeds lists them to choose from. The dialog only finds feeds: it hands
the chosen ones back, each with the parse discovery made of it (its first update, so the
feed is not fetched again), and the main screen subscribes to them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, SelectionList, Static
from textual.widgets.selection_list import Selection

from kabar.core.errors import KabarError

if TYPE_CHECKING:
    from kabar.core.library import FeedCandidate, Library


@dataclass(frozen=True, slots=True)
class AddRequest:
    urls: list[str]
    folder: str = ""
    candidates: list[FeedCandidate] = field(default_factory=list)  # discovery's, when found


class FeedsDiscovered(Message):
    def __init__(self, url: str, candidates: list[FeedCandidate]) -> None:
        super().__init__()
        self.url = url
        self.candidates = candidates


class DiscoveryFailed(Message):
    def __init__(self, url: str, error: str) -> None:
        super().__init__()
        self.url = url
        self.error = error


class FeedChoices(SelectionList[str]):
    """The feeds a site names: Space picks, Enter adds the picked ones (or the one under the
    cursor when none is picked)."""

    BINDINGS = [Binding("enter", "screen.add_selected", "Add", id="add.choose")]


class AddFeedDialog(ModalScreen[AddRequest | None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="add.cancel"),
        Binding("ctrl+s", "add_selected", "Add selected", id="add.confirm", show=False),
    ]
    DEFAULT_CSS = """
    AddFeedDialog { align: center middle; }
    AddFeedDialog > Vertical {
        width: 76; max-width: 95%; height: auto; max-height: 90%;
        border: round $accent; background: $surface; padding: 1 2;
    }
    AddFeedDialog #add-title { text-style: bold; margin-bottom: 1; }
    AddFeedDialog Input { margin-bottom: 1; }
    AddFeedDialog Label { color: $kabar-text; }
    AddFeedDialog #add-status { height: auto; color: $text-muted; }
    AddFeedDialog #add-status.-error { color: $error; }
    AddFeedDialog SelectionList { height: auto; max-height: 12; display: none; }
    AddFeedDialog SelectionList.-shown { display: block; }
    """

    def __init__(self, library: Library, folder: str = "") -> None:
        super().__init__()
        self.library = library
        self.folder = folder
        self.pending_url = ""
        self.found: list[FeedCandidate] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Add a feed"), id="add-title")
            # Labels, not only placeholders: a prefilled field hides its placeholder.
            yield Label(Text("Feed or site URL"), id="add-url-label")
            yield Input(placeholder="e.g. https://example.org", id="add-url")
            yield Label(Text("Folder (optional)"), id="add-folder-label")
            yield Input(self.folder, placeholder="no folder", id="add-folder")
            yield FeedChoices(id="add-choices")
            yield Static(Text("Enter looks for the feed. Esc cancels."), id="add-status")

    def on_mount(self) -> None:
        self.query_one("#add-url", Input).focus()

    @property
    def status(self) -> Static:
        return self.query_one("#add-status", Static)

    @on(Input.Submitted)
    def look_up(self) -> None:
        url = self.query_one("#add-url", Input).value.strip()
        if not url:
            return
        if "://" not in url:
            url = "https://" + url
        self.pending_url = url
        self.status.set_class(False, "-error")
        self.status.update(Text(f"Looking for feeds at {url}…"))
        self._discover(url)

    @work(thread=True, exclusive=True, group="discovery", exit_on_error=False)
    def _discover(self, url: str) -> None:
        try:
            found = self.library.discover(url)
        except KabarError as exc:
            self.post_message(DiscoveryFailed(url, str(exc)))
        else:
            self.post_message(FeedsDiscovered(url, found))

    def on_discovery_failed(self, message: DiscoveryFailed) -> None:
        if message.url != self.pending_url:
            return  # an older look-up: the reader has typed another URL since
        self.status.set_class(True, "-error")
        self.status.update(Text(message.error))

    def on_feeds_discovered(self, message: FeedsDiscovered) -> None:
        if message.url != self.pending_url:
            return
        self.found = message.candidates
        if len(message.candidates) == 1:
            self._choose([message.candidates[0].url])
            return
        choices = self.query_one(FeedChoices)
        choices.clear_options()
        for index, candidate in enumerate(message.candidates):
            label = Text(candidate.title or "(untitled)", style="bold")
            label.append(f"  {candidate.kind}, {candidate.entries} entries  ", style="dim")
            label.append(candidate.url, style="dim")
            choices.add_option(Selection(label, candidate.url, index == 0))
        choices.add_class("-shown")
        choices.focus()
        self.status.update(
            Text(f"{len(message.candidates)} feeds found: Space picks, Enter adds them.")
        )

    def action_add_selected(self) -> None:
        choices = self.query_one(FeedChoices)
        chosen = list(choices.selected)
        if not chosen and choices.highlighted is not None:
            chosen = [choices.get_option_at_index(choices.highlighted).value]
        if chosen:
            self._choose(chosen)

    def _choose(self, urls: list[str]) -> None:
        candidates = [c for c in self.found if c.url in urls]
        self.dismiss(AddRequest(urls, self._folder(), candidates))

    def action_cancel(self) -> None:
        self.dismiss(None)

    def _folder(self) -> str:
        return self.query_one("#add-folder", Input).value.strip()
