"""Refresh shards in forked child processes, and what happens when one of them dies.

Each child runs `refresh_shard` and sends up its pipe a note as each feed's fetch starts
and a `FeedResult` as each feed is stored. So when a child dies (a segfault in a C
library, the OOM killer, SIGKILL) the parent knows exactly which feeds it had in flight:

- feeds it never started are dealt to fresh children;
- feeds it had in flight are retried one per child, so that the feed that kills its
  process is found and reported failed by name, and only that one;
- a feed is tried at most `MAX_ATTEMPTS` times.

A child that finds the disk full (or the database unwritable) says so once; the others are
stopped and the parent raises DiskFullError (or StoreError). A child's traceback goes to
the log, never to the terminal.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import signal
import threading
import time
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

from kabar.core.config.settings import Config
from kabar.core.errors import DiskFullError, StoreError
from kabar.core.feeds.fetch import FetchLimits
from kabar.core.feeds.refresh.results import FeedResult, Outcome
from kabar.core.feeds.refresh.shard import Report, backoff, refresh_shard, stop_if_unwritable
from kabar.core.models import FeedRow, FeedUpdate
from kabar.core.store import Store

MAX_ATTEMPTS = 3  # a feed whose process died this often is reported, not tried again
log = logging.getLogger(__name__)


def run_processes(
    db_path: Path,
    config: Config,
    shards: list[list[FeedRow]],
    limits: FetchLimits,
    force: bool,
    report: Report,
) -> None:
    """Every shard in a child process, at most `len(shards)` at a time; this process
    only gathers results (so no Kabar process holds more than one shard's working set)."""
    width = len(shards)
    attempts: dict[int, int] = {}
    queue = list(shards)
    deaths: list[tuple[FeedRow, str]] = []
    while queue:
        batch, queue = queue[:width], queue[width:]
        children = _run_round(db_path, config, batch, limits, force, report)
        fatal = next((c.fatal for c in children if c.fatal), None)
        if fatal is not None:
            kind, message = fatal
            raise DiskFullError(message) if kind == "disk" else StoreError(message)
        unstarted: list[FeedRow] = []
        for child in children:
            for feed in child.shard:
                if feed.id in child.reported:
                    continue
                tries = attempts[feed.id] = attempts.get(feed.id, 0) + 1
                if feed.id in child.started and (len(child.shard) == 1 or tries >= MAX_ATTEMPTS):
                    deaths.append(
                        (feed, f"the refresh process died on this feed ({child.death()})")
                    )
                elif feed.id in child.started:
                    queue.append([feed])  # a suspect: alone, so a second death names it
                elif tries >= MAX_ATTEMPTS:
                    deaths.append(
                        (feed, f"not refreshed: its process kept dying ({child.death()})")
                    )
                else:
                    unstarted.append(feed)
        if unstarted:
            count = min(width, len(unstarted))
            queue[:0] = [unstarted[i::count] for i in range(count)]
    if deaths:
        _record(db_path, deaths)
        for feed, error in deaths:
            report(FeedResult(feed.id, feed.url, feed.display_title, Outcome.FAILED, error=error))


def _record(db_path: Path, deaths: list[tuple[FeedRow, str]]) -> None:
    """Store each death as its feed's error (shown by `e` and `kabar feeds`), with backoff."""
    now = time.time()
    updates = [
        FeedUpdate(feed.id, now, error=error, next_fetch=now + backoff(feed.error_count + 1))
        for feed, error in deaths
    ]
    try:
        with Store(db_path) as store:
            store.apply_updates(updates)
    except Exception as exc:
        stop_if_unwritable(exc, str(db_path))
        log.warning("could not record the feeds whose refresh process died", exc_info=True)


class _Child:
    """One shard's process and what it has said: feeds started and reported, a fatal error."""

    def __init__(self, process: BaseProcess, receiver: Connection, shard: list[FeedRow]) -> None:
        self.process = process
        self.receiver = receiver
        self.shard = shard
        self.started: set[int] = set()
        self.reported: set[int] = set()
        self.fatal: tuple[str, str] | None = None

    def death(self) -> str:
        code = self.process.exitcode
        if code is not None and code < 0:
            try:
                return f"killed by {signal.Signals(-code).name}"
            except ValueError:
                return f"killed by signal {-code}"
        return f"exit code {code}"


def _run_round(
    db_path: Path,
    config: Config,
    shards: list[list[FeedRow]],
    limits: FetchLimits,
    force: bool,
    report: Report,
) -> list[_Child]:
    """Fork one child per shard and gather what they say until every one has ended."""
    ctx = multiprocessing.get_context("fork")
    children: list[_Child] = []
    for shard in shards:
        receiver, sender = ctx.Pipe(duplex=False)
        process: BaseProcess = ctx.Process(
            target=_child, args=(db_path, config, shard, limits, force, sender), daemon=True
        )
        process.start()
        sender.close()
        children.append(_Child(process, receiver, shard))
    readers = [
        threading.Thread(target=_drain, args=(child, children, report), daemon=True)
        for child in children
    ]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join()
    for child in children:
        child.process.join()
    return children


def _child(
    db_path: Path,
    config: Config,
    feeds: list[FeedRow],
    limits: FetchLimits,
    force: bool,
    sender: Connection,
) -> None:
    """A shard's process: results, "started" notes and a fatal error go up the pipe."""
    try:
        asyncio.run(
            refresh_shard(
                db_path,
                config,
                feeds,
                limits,
                force=force,
                report=sender.send,
                started=lambda feed_id: sender.send(("started", feed_id)),
            )
        )
    except DiskFullError as exc:
        _send(sender, ("fatal", ("disk", str(exc))))
    except StoreError as exc:
        _send(sender, ("fatal", ("store", str(exc))))
    except BaseException:
        log.exception("a refresh shard failed")
    finally:
        sender.close()


def _send(sender: Connection, message: object) -> None:
    with contextlib.suppress(OSError):  # the parent is gone: nobody left to tell
        sender.send(message)


def _drain(child: _Child, children: list[_Child], report: Report) -> None:
    with child.receiver as receiver:
        while True:
            try:
                message = receiver.recv()
            except (EOFError, OSError):
                return
            if isinstance(message, FeedResult):
                child.reported.add(message.feed_id)
                report(message)
            elif message[0] == "started":
                child.started.add(message[1])
            elif message[0] == "fatal":
                child.fatal = message[1]
                for other in children:  # every shard would hit the same full disk or lock
                    if other is not child and other.process.is_alive():
                        other.process.terminate()
