"""`kabar mark read|unread|saved|unsaved ID...`: change state from scripts.

Works the same for local and synced feeds: the store queues the change for the sync
server in the same transaction, and the next `kabar refresh` sends it.
"""

from __future__ import annotations

import argparse

from kabar.cli.output import say
from kabar.core.errors import KabarError
from kabar.core.profile import load_profile


def cmd_mark(args: argparse.Namespace) -> int:
    profile = load_profile()
    ids: list[int] = list(dict.fromkeys(args.ids))
    with profile.open_store() as store:
        missing = [str(i) for i in ids if store.entry_key(i) is None]
        if missing:
            raise KabarError(f"no entry with id {', '.join(missing)} (see `kabar entries --json`)")
        if args.state in ("read", "unread"):
            store.set_read(ids, args.state == "read")
        elif args.state == "saved":
            store.set_saved(ids, True)
        queued = store.queue_length()
    if args.state == "unsaved":
        from kabar.core.saving import unsave_entry

        for entry_id in ids:
            unsave_entry(profile.paths.database, entry_id)
    if not args.quiet:
        line = f"Marked {len(ids)} entries {args.state}."
        if profile.config.sync is not None and queued:
            line += f" {queued} changes wait for the next sync."
        say(line)
    return 0
