"""A refresh as the reader follows it: one at a time, feeds added meanwhile queued for
the next, failures counted as they come, the headlines re-read at a bounded rate."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the refresh machinery is imported by the worker, not at start
    from kabar.core.library import FeedResult

RELOAD_EVERY = 0.5  # seconds: the headline list is re-read at most this often in a refresh
SHOWN_FAILURES = 5


class RefreshRun:
    def __init__(self) -> None:
        self.running = False
        self.pending: list[str] | None = None  # feeds added during a refresh
        self.failed = 0
        self.last_reload = 0.0

    def queue(self, urls: list[str]) -> bool:
        """Keep these feeds for after the running refresh; False when none is running."""
        if not self.running:
            return False
        self.pending = [*(self.pending or []), *urls]
        return True

    def progressed(self, errors: int) -> int:
        """Count a batch's failures; the failures so far."""
        self.failed += errors
        return self.failed

    def reload_due(self, now: float) -> bool:
        """Whether to re-read the headlines now (at most every RELOAD_EVERY seconds)."""
        if now - self.last_reload < RELOAD_EVERY:
            return False
        self.last_reload = now
        return True

    def finish(self) -> list[str] | None:
        """The refresh ended; the feeds queued meanwhile, to refresh next."""
        self.running, self.failed = False, 0
        pending, self.pending = self.pending, None
        return pending


def failures_note(failed: Sequence[FeedResult]) -> str:
    """The feeds that failed, one a line, the first few only."""
    lines = [f"{r.title}: {r.error}" for r in failed[:SHOWN_FAILURES]]
    if len(failed) > len(lines):
        lines.append(f"… and {len(failed) - len(lines)} more (e on a feed shows its error)")
    return "\n".join(lines)
