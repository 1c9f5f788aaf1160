"""Sync with a feed server (the Google Reader API): client, engine, account.

The Library reaches it through its source seam (`core/library/sources.py`, `GReaderSync`)
and its account (`core/library/syncaccount.py`): one sync at a time, the login kept.
"""

from __future__ import annotations

from kabar.core.sync.client import AuthError, SyncError
from kabar.core.sync.syncer import SyncSummary, sync

__all__ = ["AuthError", "SyncError", "SyncSummary", "sync"]
