"""`kabar mark read|unread|saved|unsaved ID...`: change state from scripts.

Works the same for local and synced feeds: the store queues the change for the sync
server in the same transaction, and the next `kabar refresh` sends it.
"""

from __future__ import annotations

import argparse

from kabar.cli.output import say
from kabar.core.library import Library


def cmd_mark(args: argparse.Namespace) -> int:
    ids: list[int] = list(dict.fromkeys(args.ids))
    with Library.open() as library:
        library.mark(ids, args.state)
        if not args.quiet:
            line = f"Marked {len(ids)} entries {args.state}."
            if library.syncing and (queued := library.queued_changes()):
                line += f" {queued} changes wait for the next sync."
            say(line)
    return 0
