"""Marking entries: by id from scripts, and a whole view at once (with undo)."""

from __future__ import annotations

from collections.abc import Sequence

from kabar.core.errors import KabarError
from kabar.core.store import Store
from kabar.core.store.navigation import ViewQuery

STATES = ("read", "unread", "saved", "unsaved")


def mark(store: Store, entry_ids: Sequence[int], state: str) -> None:
    """Set a state on entries; all of them or, when an id is unknown, none."""
    from kabar.core.library.saving import unkeep_entry

    if state not in STATES:
        raise KabarError(f"unknown state {state!r} (one of {', '.join(STATES)})")
    ids = list(dict.fromkeys(entry_ids))
    missing = [str(i) for i in ids if store.entry_key(i) is None]
    if missing:
        raise KabarError(f"no entry with id {', '.join(missing)} (see `kabar entries --json`)")
    if state in ("read", "unread"):
        store.set_read(ids, state == "read")
    elif state == "saved":
        store.set_saved(ids, True)
    else:
        for entry_id in ids:  # and its second copy goes
            unkeep_entry(store, entry_id)


def mark_all_read(store: Store, view: ViewQuery | Sequence[int]) -> list[int]:
    """Mark a view's unread entries read, or those of the listed ids that are unread (what
    a search shows); returns the ids it changed."""
    if isinstance(view, ViewQuery):
        return store.mark_view_read(view)
    ids = [i for i in view if (detail := store.get_entry(i)) and not detail.row.read]
    store.set_read(ids, True)
    return ids
