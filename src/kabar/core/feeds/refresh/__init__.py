"""Refresh feeds: fetch, parse and store, in shards over the available cores."""

from kabar.core.feeds.refresh.engine import deal, refresh_feeds, refresh_sync, shard_limits
from kabar.core.feeds.refresh.results import FeedResult, Outcome, ProgressCallback, RefreshSummary

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
