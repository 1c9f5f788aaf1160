"""A refresh as the reader follows it: one at a time, feeds added meanwhile queued for
the next, failures counted as they come, the headlines re-read at a bounded rate.

With a [sync] account a refresh is a sync, and changes of the server's subscriptions (an
add, a remove) are sync-server work too: they all take turns in one lane, so two never
talk to the server at once. What is asked for while one runs waits (`queue`, `queue_job`)
or is folded into one more refresh after it (`queue_again`).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the refresh machinery is imported by the worker, not at start
    from kabar.core.library import FeedResult

RELOAD_EVERY = 0.5  # seconds: the headline list is re-read at most this often in a refresh
SHOWN_FAILURES = 5


@dataclass(frozen=True, slots=True)
class LaneJob:
    """Work on the sync server that waits for the lane: `run` in a worker thread."""

    name: str  # the worker group, named in an error
    run: Callable[[], None]
    status: str  # the status line while it runs


@dataclass(frozen=True, slots=True)
class Again:
    """One more whole refresh, with this force flag."""

    force: bool


Next = LaneJob | Again | list[str] | None


class RefreshRun:
    def __init__(self) -> None:
        self.running = False
        self.pending: list[str] | None = None  # feeds added during a refresh
        self.again: bool | None = None  # a whole refresh asked for meanwhile (its force)
        self.jobs: deque[LaneJob] = deque()
        self.failed = 0
        self.last_reload = 0.0

    def queue(self, urls: list[str]) -> bool:
        """Keep these feeds for after the running refresh; False when none is running."""
        if not self.running:
            return False
        self.pending = [*(self.pending or []), *urls]
        return True

    def queue_again(self, force: bool) -> bool:
        """Fold a request for a whole refresh into one more after the running one; False
        when none is running. However many come, one follows."""
        if not self.running:
            return False
        self.again = force or bool(self.again)
        return True

    def queue_job(self, job: LaneJob) -> bool:
        """Keep a server job for after the running one; False when none is running."""
        if not self.running:
            return False
        self.jobs.append(job)
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

    def finish(self) -> Next:
        """The refresh (or server job) ended: what to start next. A waiting server job
        first (the feeds queued wait on behind it), else one whole refresh asked for
        meanwhile (it covers the feeds queued), else the feeds queued, else None."""
        self.running, self.failed = False, 0
        if self.jobs:
            return self.jobs.popleft()
        again, self.again = self.again, None
        pending, self.pending = self.pending, None
        return Again(again) if again is not None else pending


def failures_note(failed: Sequence[FeedResult]) -> str:
    """The feeds that failed, one a line, the first few only."""
    lines = [f"{r.title}: {r.error}" for r in failed[:SHOWN_FAILURES]]
    if len(failed) > len(lines):
        lines.append(f"… and {len(failed) - len(lines)} more (e on a feed shows its error)")
    return "\n".join(lines)
