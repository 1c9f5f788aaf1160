"""What follows a refresh, for both faces: retention limits, then prefetching.

Both are off unless the config asks (a retention limit, `general.prefetch`), and prefetch
never starts when the refresh found the network down.
"""

from __future__ import annotations

from dataclasses import dataclass

from kabar.core.config.settings import Config
from kabar.core.feeds.refresh import RefreshSummary
from kabar.core.library.retention import cleanup, has_limits
from kabar.core.store import Store


@dataclass(slots=True)
class Upkeep:
    removed: int = 0  # entries let go by the retention limits
    prefetched: int = 0  # articles fetched for offline reading


def after_refresh(store: Store, config: Config, summary: RefreshSummary) -> Upkeep:
    """The upkeep, on the calling thread's connection (the Library's `store`)."""
    done = Upkeep()
    if has_limits(config):
        done.removed = cleanup(store, config).entries
    if config.general.prefetch and not summary.offline:
        from kabar.core.library.prefetch import prefetch  # trafilatura: only when asked for

        done.prefetched = prefetch(store, config)
    return done
