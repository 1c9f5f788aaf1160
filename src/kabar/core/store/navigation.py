"""Queries the reader's movement needs beyond plain lists (owned by the TUI work)."""

from __future__ import annotations

from kabar.core.store.base import StoreBase


class NavigationQueries(StoreBase):
    """Next/previous unread across feeds and similar moves through the cache."""
