"""Fault injection for the tests of "one feed never stops the others". Test-only.

`KABAR_TEST_FAULTS` holds comma-separated `stage:text` pairs; a feed whose URL contains
`text` fails at `stage`: `fetch`, `decode`, `parse` or `store` raise InjectedFault there,
`memory` raises MemoryError while fetching, `full` fails the feed's write as a full disk
does (SQLITE_FULL's message), and `kill` or `segv` sends SIGKILL or SIGSEGV to the refresh
child process as the feed's fetch starts (only in a forked shard, never in the process
that forked it). Unset (always, outside the tests), `inject` is one dictionary look-up.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3

ENV = "KABAR_TEST_FAULTS"
_SIGNALS = {"kill": signal.SIGKILL, "segv": signal.SIGSEGV}


class InjectedFault(RuntimeError):
    """The error a test asked for; nothing but the tests ever raises it."""


def inject(stage: str, url: str) -> None:
    spec = os.environ.get(ENV)
    if not spec:
        return
    for item in spec.split(","):
        wanted, _, text = item.partition(":")
        if not text or text not in url:
            continue
        if wanted == stage:
            raise InjectedFault(f"injected fault while {stage.rstrip('e')}ing")
        if stage == "store" and wanted == "full":
            raise sqlite3.OperationalError("database or disk is full")
        if stage == "fetch" and wanted == "memory":
            raise MemoryError
        if stage == "fetch" and wanted in _SIGNALS and multiprocessing.parent_process():
            os.kill(os.getpid(), _SIGNALS[wanted])
