"""What a refresh reports: one result per feed and a summary of the run."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from kabar.core.wording import plural


class Outcome(StrEnum):
    OK = "ok"
    NOT_MODIFIED = "not modified"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass(slots=True)
class FeedResult:
    feed_id: int
    url: str
    title: str
    outcome: Outcome
    new: int = 0
    updated: int = 0
    error: str = ""
    unreachable: bool = False


@dataclass(slots=True)
class RefreshSummary:
    results: list[FeedResult] = field(default_factory=list)
    elapsed: float = 0.0

    def count(self, outcome: Outcome) -> int:
        return sum(1 for r in self.results if r.outcome is outcome)

    @property
    def new_entries(self) -> int:
        return sum(r.new for r in self.results)

    @property
    def failed(self) -> list[FeedResult]:
        return [r for r in self.results if r.outcome is Outcome.FAILED]

    @property
    def offline(self) -> bool:
        """True when no feed could be reached at all: report "offline" once, not per feed."""
        tried = [r for r in self.results if r.outcome is not Outcome.SKIPPED]
        return bool(tried) and all(r.unreachable for r in tried)

    def line(self) -> str:
        if self.offline:
            return f"Offline: none of {plural(len(self.results), 'feed')} could be reached."
        skipped = self.count(Outcome.SKIPPED)
        return (
            f"{plural(len(self.results), 'feed')}: {self.count(Outcome.OK)} ok, "
            f"{self.count(Outcome.NOT_MODIFIED)} not modified, {self.count(Outcome.FAILED)} failed"
            + (f", {skipped} skipped" if skipped else "")
            + f"; {plural(self.new_entries, 'new entry', 'new entries')} in {self.elapsed:.1f} s"
        )


ProgressCallback = Callable[[FeedResult, int, int], None]
