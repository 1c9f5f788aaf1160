"""One HTTP client for many operations: a Fetcher living on its own event-loop thread.

httpx's async client belongs to the event loop it was made on, so a client that outlives
one `asyncio.run` needs a loop that outlives it too. `FetchSession` keeps one loop in a
daemon thread and one Fetcher on it, both made on first use; any thread hands it work
(`run`) and waits for the answer. Saving an entry (full text, then its images) thus uses
one client and one pool of connections instead of one per step.

`fetch_with(None, ...)` is the one-shot form for callers with no session: a fresh Fetcher
on a fresh loop, closed at once (what every core function did before the Library).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from typing import TypeVar

from kabar.core.feeds.fetch.fetcher import Fetcher, FetchLimits

T = TypeVar("T")
Work = Callable[[Fetcher], Awaitable[T]]


class FetchSession:
    """A lazily started event loop and Fetcher, shared by the threads that call `run`."""

    def __init__(self, limits: FetchLimits | None = None) -> None:
        self.limits = limits or FetchLimits()
        self.clients = 0  # Fetchers made (one for the life of the session)
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._fetcher: Fetcher | None = None

    def run(self, work: Work[T]) -> T:
        """Run `work(fetcher)` on the session's loop and return its result (or raise).

        Not to be called from the session's own loop (it would wait on itself)."""
        loop = self._start()
        return asyncio.run_coroutine_threadsafe(self._call(work), loop).result()

    async def _call(self, work: Work[T]) -> T:
        if self._fetcher is None:  # made on the loop it will be used on
            self._fetcher = Fetcher(self.limits)
            self.clients += 1
        return await work(self._fetcher)

    def _start(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                thread = threading.Thread(target=loop.run_forever, name="kabar-fetch", daemon=True)
                thread.start()
                self._loop, self._thread = loop, thread
            return self._loop

    def close(self) -> None:
        """Close the client and stop the loop (a session is not used after this)."""
        with self._lock:
            loop, thread, self._loop, self._thread = self._loop, self._thread, None, None
        if loop is None or thread is None:
            return
        fetcher, self._fetcher = self._fetcher, None
        if fetcher is not None:
            asyncio.run_coroutine_threadsafe(fetcher.aclose(), loop).result()
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        loop.close()


def fetch_with(session: FetchSession | None, limits: FetchLimits, work: Work[T]) -> T:
    """`work(fetcher)` on the session's client, or on a one-shot client with `limits`."""
    if session is not None:
        return session.run(work)

    async def once() -> T:
        async with Fetcher(limits) as fetcher:
            return await work(fetcher)

    return asyncio.run(once())
