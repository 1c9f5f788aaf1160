"""The status line's words for a [sync] account: after a sync in this session, and at start
from what the last sync left in the store (so the reader sees the account's state at once,
before any network)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from kabar.core.wording import plural

if TYPE_CHECKING:
    from kabar.core.library import SyncStanding, SyncSummary


def queued_note(queued: int) -> str:
    return f" · {plural(queued, 'change')} queued" if queued else ""


def sync_status(summary: SyncSummary, queued: int) -> tuple[str, bool]:
    """The status line after a sync: the account, the time of the last sync, the changes
    still queued and the error, if any (and whether it is a warning)."""
    when = time.strftime("%H:%M", time.localtime())
    if summary.error:
        return (f"{summary.line()} · {plural(queued, 'change')} queued", True)
    return (f"{summary.account}: synced at {when}, {summary.new} new" + queued_note(queued), False)


def ago(seconds: float) -> str:
    """How long ago, in the largest whole unit: "just now", "5 min ago", "3 h ago"."""
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h ago"
    return f"{plural(int(seconds // 86400), 'day')} ago"


def standing_status(standing: SyncStanding, now: float) -> tuple[str, bool]:
    """The status line at start, from the store: e.g. "alice@rss.example.net · synced 5 min
    ago · 3 changes queued", or the last sync's error (a warning)."""
    if standing.last_sync is None:
        when = "not synced yet"
    else:
        when = f"synced {ago(max(0.0, now - standing.last_sync))}"
    line = f"{standing.account} · {when}"
    if standing.last_error:
        line += f" · last sync failed: {standing.last_error}"
    return (line + queued_note(standing.queued), bool(standing.last_error))
