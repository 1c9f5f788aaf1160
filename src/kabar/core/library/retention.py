"""Retention: letting old entries go by the config's limits, never what the reader kept.

Saved entries are never removed; unread entries are removed only when they are older than
`keep_days`; the per-feed count limit removes only read entries. Image files go when no
article uses them any more. Runs after each refresh when the config sets a limit, and
`kabar vacuum` runs it and then gives the space back to the file system.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kabar.core.config.settings import Config
from kabar.core.store import Store
from kabar.core.store.keeping import RetentionRule


@dataclass(slots=True)
class CleanupResult:
    entries: int = 0
    images: int = 0


def has_limits(config: Config) -> bool:
    """Whether the config sets any retention limit at all."""
    return bool(
        config.general.keep_days
        or config.general.max_entries_per_feed
        or any(f.max_entries for f in config.feeds.values())
    )


def retention_rule(store: Store, config: Config) -> RetentionRule:
    limits: dict[int, int] = {}
    for feed in store.list_feeds(counts=False):
        limit = config.feed(feed.url).max_entries or config.general.max_entries_per_feed
        if limit > 0:
            limits[feed.id] = limit
    return RetentionRule(config.general.keep_days, limits)


def cleanup(store: Store, config: Config, now: float | None = None) -> CleanupResult:
    """Apply the retention limits and delete image files nothing uses any more."""
    result = CleanupResult(entries=store.purge(retention_rule(store, config), now))
    orphans = store.orphan_images()
    for _, path in orphans:
        path.unlink(missing_ok=True)
    store.forget_images([hash_ for hash_, _ in orphans])
    result.images = len(orphans)
    return result


def vacuum(store: Store, config: Config) -> tuple[CleanupResult, int, int]:
    """Clean up, then compact the database; returns the result and the size before/after.
    Refused before anything changes when the disk cannot hold a copy (`room_to_vacuum`)."""
    from kabar.core.library.space import room_to_vacuum

    db_path = Path(store.path)
    room_to_vacuum(db_path)
    before = _size(db_path)
    result = cleanup(store, config)
    store.vacuum()
    return result, before, _size(db_path)


def _size(db_path: Path) -> int:
    return sum(
        p.stat().st_size for p in (db_path, db_path.with_name(db_path.name + "-wal")) if p.exists()
    )
