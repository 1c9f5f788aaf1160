"""Messages that workers post to the app: past tense, carrying plain core data."""

from __future__ import annotations

from textual.message import Message

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
