"""A database file that is there but empty, beside second copies of saved articles.

Such a file is a lost database (truncated by a crash, a full disk, a sync tool), not a new
profile: building a fresh schema in it would hide the loss. Kept apart from `savedcopies`
(which imports the document model) so that opening the store stays cheap.
"""

from __future__ import annotations

from pathlib import Path

COPIES_FOLDER = "saved"  # where `savedcopies` writes the second copies


def emptied_with_copies(database: Path) -> int:
    """How many second copies sit beside `database` when it is there but empty (0 bytes,
    no WAL); 0 otherwise."""
    try:
        if not database.is_file() or database.stat().st_size:
            return 0
        wal = Path(f"{database}-wal")
        if wal.exists() and wal.stat().st_size:
            return 0
        return sum(1 for _ in (database.parent / COPIES_FOLDER).glob("*.json"))
    except OSError:
        return 0


def emptied_message(database: Path, copies: int) -> str:
    return (
        f"the database {database} is empty (0 bytes), but {copies} saved articles have "
        "copies beside it. Run `kabar recover` to restore them (or delete the empty file "
        "to start a new profile)."
    )
