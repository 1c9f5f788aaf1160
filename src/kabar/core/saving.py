"""Saving an entry to keep it for good, complete enough to read with no network.

Saving an entry whose full text was never fetched fetches it first; when that fails (no
network, no article on the page) the entry is still saved with the feed's own text and the
result says so, so the reader can try again later.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kabar.core.config import Config
from kabar.core.errors import KabarError
from kabar.core.fulltext import fetch_full_text
from kabar.core.store import Store
from kabar.core.textsafety import safe_link


@dataclass(slots=True)
class SaveResult:
    entry_id: int
    saved: bool
    full_text: bool
    warning: str = ""


def save_entry(db_path: Path, config: Config, entry_id: int) -> SaveResult:
    """Save an entry, fetching its full text first when it has none yet."""
    with Store(db_path) as store:
        detail = store.get_entry(entry_id)
        if detail is None:
            raise KabarError(f"entry {entry_id} is no longer in the database")
        store.set_saved([entry_id], True)
        if detail.full_text or not safe_link(detail.row.link):
            return SaveResult(entry_id, True, bool(detail.full_text))
    try:
        fetch_full_text(db_path, config, entry_id)
    except KabarError as exc:
        return SaveResult(entry_id, True, False, f"saved with the feed's text only: {exc}")
    return SaveResult(entry_id, True, True)


def unsave_entry(db_path: Path, entry_id: int) -> None:
    with Store(db_path) as store:
        store.set_saved([entry_id], False)
