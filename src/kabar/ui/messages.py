"""Messages that workers post to the app: past tense, carrying plain core data."""

from __future__ import annotations

from textual.message import Message

from kabar.core.document import Article
from kabar.core.refresh import FeedResult, RefreshSummary


class RefreshProgressed(Message):
    """Some feeds finished; `results` are those since the last message (bursts coalesced)."""

    def __init__(self, results: list[FeedResult], done: int, total: int) -> None:
        super().__init__()
        self.results = results
        self.done = done
        self.total = total


class RefreshFinished(Message):
    def __init__(self, summary: RefreshSummary) -> None:
        super().__init__()
        self.summary = summary


class FullTextFetched(Message):
    """An entry's article page was fetched, extracted and stored."""

    def __init__(self, entry_id: int, article: Article) -> None:
        super().__init__()
        self.entry_id = entry_id
        self.article = article


class FullTextFailed(Message):
    def __init__(self, entry_id: int, error: str, *, offline: bool = False) -> None:
        super().__init__()
        self.entry_id = entry_id
        self.error = error
        self.offline = offline
