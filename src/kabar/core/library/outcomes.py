"""What the Library's operations return (beside the core's own results)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kabar.core.article.document import Article
    from kabar.core.feeds.refresh import RefreshSummary
    from kabar.core.library.upkeep import Upkeep
    from kabar.core.models import EntryRow
    from kabar.core.sync import SyncSummary


@dataclass(slots=True)
class Refreshed:
    """What `Library.refresh` did: Kabar's own fetches, the sync, and the upkeep after."""

    summary: RefreshSummary | None = None  # None: no feed was fetched by Kabar itself
    synced: SyncSummary | None = None  # None: no sync account
    upkeep: Upkeep | None = None


@dataclass(slots=True)
class SyncStanding:
    """The sync account as the last sync left it, read from the store (no network): what
    the reader's status line shows at start."""

    account: str
    last_sync: float | None = None  # seconds since the epoch; None: never synced
    last_error: str = ""
    queued: int = 0  # local changes waiting for the next sync


@dataclass(slots=True)
class ExportItem:
    """One article to export: its entry, its article and its stored images."""

    row: EntryRow
    article: Article
    images: dict[str, Path] = field(default_factory=dict)
