"""Sync with a feed server (the Google Reader API): client, engine, account.

`GReaderSource` is the entry point a refresh path calls; it has the shape of the source
seam the architecture issue plans (`refresh(db_path, config) -> summary`), so it can plug in
behind that protocol later without change.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from kabar.core.config.settings import Config
from kabar.core.sync.client import AuthError, SyncError
from kabar.core.sync.syncer import SyncSummary, sync

__all__ = ["AuthError", "GReaderSource", "Source", "SyncError", "SyncSummary", "sync"]


class Source(Protocol):
    """Where entries come from: something that brings the store up to date."""

    def refresh(self, db_path: Path, config: Config) -> SyncSummary: ...


class GReaderSource:
    """A Google Reader API account ([sync] kind = "greader")."""

    def refresh(self, db_path: Path, config: Config) -> SyncSummary:
        return sync(db_path, config)
