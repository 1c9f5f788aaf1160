"""Refresh feeds: fetch, parse and store, in shards over the available cores.

The engine is imported when first used: a profile that only syncs with a server still
reports in a `RefreshSummary`, and should not pay for the fetch and parse machinery.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kabar.core.feeds.refresh.results import FeedResult, Outcome, ProgressCallback, RefreshSummary

if TYPE_CHECKING:
    from kabar.core.feeds.refresh.engine import deal, refresh_feeds, refresh_sync, shard_limits

_ENGINE = frozenset(("deal", "refresh_feeds", "refresh_sync", "shard_limits"))

__all__ = [
    "FeedResult",
    "Outcome",
    "ProgressCallback",
    "RefreshSummary",
    "deal",
    "refresh_feeds",
    "refresh_sync",
    "shard_limits",
]


def __getattr__(name: str) -> Any:
    if name in _ENGINE:
        from kabar.core.feeds.refresh import engine

        return getattr(engine, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
