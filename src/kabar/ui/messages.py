"""Messages that workers post: past tense, carrying plain core data.

A worker calls one core function and posts one of these; only the handlers touch widgets
(a worker thread may only post). Each carries what its handler needs to tell whether the
result is still wanted: the entry id, the query, the view.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:  # the refresh, fetch and save machinery is imported when first used
    from kabar.core.article.document import Article
    from kabar.core.library import FeedResult, RefreshSummary, SaveResult
    from kabar.core.models import EntryRow


class RefreshProgressed(Message):
    """Some feeds finished; `results` are those since the last message (bursts coalesced)."""

    def __init__(self, results: list[FeedResult], done: int, total: int) -> None:
        super().__init__()
        self.results = results
        self.done = done
        self.total = total


class SyncProgressed(Message):
    """A sync stored another contents batch: `done` of `total` new items (coalesced)."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done = done
        self.total = total


class RefreshFinished(Message):
    """A refresh ended; `sync_status` is the line (and whether it warns) that a sync
    before it wants shown instead of the refresh's own."""

    def __init__(
        self, summary: RefreshSummary, sync_status: tuple[str, bool] | None = None
    ) -> None:
        super().__init__()
        self.summary = summary
        self.sync_status = sync_status


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


class EntrySaved(Message):
    """An entry was saved; `result.warning` says when only the feed's text could be kept."""

    def __init__(self, result: SaveResult) -> None:
        super().__init__()
        self.result = result


class EntryUnsaved(Message):
    def __init__(self, entry_id: int) -> None:
        super().__init__()
        self.entry_id = entry_id


class SaveFailed(Message):
    def __init__(self, entry_id: int, saved: bool, error: str) -> None:
        super().__init__()
        self.entry_id = entry_id
        self.saved = saved  # what the reader asked for
        self.error = error


class SearchFinished(Message):
    def __init__(self, query: str, rows: list[EntryRow]) -> None:
        super().__init__()
        self.query = query
        self.rows = rows


class IndexCaughtUp(Message):
    """The search index now covers every entry; `indexed` were added just now."""

    def __init__(self, indexed: int) -> None:
        super().__init__()
        self.indexed = indexed


class UpkeepDone(Message):
    """After a refresh: old entries let go (retention) and articles prefetched."""

    def __init__(self, removed: int, prefetched: int) -> None:
        super().__init__()
        self.removed = removed
        self.prefetched = prefetched
