"""The status line's words for a [sync] account: after a sync in this session, and at start
from what the last sync left in the store (so the reader sees the account's state at once,
before any network).

The line must say what matters at 80 columns: a failure comes first ("Sync failed: ..."),
the server's host is named once (in the account, not again in the error), and a long
account is shortened in the middle, so the time of the last sync and the queue still show.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from kabar.core.wording import plural

if TYPE_CHECKING:
    from kabar.core.library import SyncStanding, SyncSummary


ACCOUNT_WIDTH = 32  # characters of the account shown; a longer one loses its middle


def queued_note(queued: int) -> str:
    return f" · {plural(queued, 'change')} queued" if queued else ""


def short_account(account: str, width: int = ACCOUNT_WIDTH) -> str:
    """`account` in at most `width` characters: the start and the end kept, "…" between."""
    if len(account) <= width:
        return account
    head = (width - 1) // 2
    return account[:head] + "…" + account[len(account) - (width - 1 - head) :]


def failure(error: str, account: str) -> str:
    """ "Sync failed: <error>", without the host and user the account names already (the
    client's messages name both, for a line read on its own)."""
    user, _, host = account.rpartition("@")
    error = error.replace(f"sync server {host}", "the server")
    error = error.replace(f" for {user!r}", "").replace("the server refused the", "server refused")
    return "Sync failed: " + error


def sync_status(summary: SyncSummary, queued: int) -> tuple[str, bool]:
    """The status line after a sync: the account, the time of the last sync, the changes
    still queued and the error, if any (and whether it is a warning)."""
    account = short_account(summary.account)
    if summary.error:
        line = f"{failure(summary.error, summary.account)} · {account}"
        return (line + queued_note(queued), True)
    when = time.strftime("%H:%M", time.localtime())
    return (f"{account}: synced at {when}, {summary.new} new" + queued_note(queued), False)


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
    ago · 3 changes queued", after the last sync's error when it failed (a warning)."""
    if standing.last_sync is None:
        when = "not synced yet"
    else:
        when = f"synced {ago(max(0.0, now - standing.last_sync))}"
    line = f"{short_account(standing.account)} · {when}"
    if standing.last_error:
        line = f"{failure(standing.last_error, standing.account)} · {line}"
    return (line + queued_note(standing.queued), bool(standing.last_error))
