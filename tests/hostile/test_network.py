"""The fetch engine against servers that misbehave: every case ends in a clear FetchError,
in bounded time and memory."""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Iterator

import pytest

from kabar.core.errors import ExtractError, FetchError
from kabar.core.feeds.fetch import Fetcher, FetchLimits
from kabar.core.library.fulltext import fetch_page
from tests.misbehaving import MisbehavingServer


@pytest.fixture
def bad() -> Iterator[MisbehavingServer]:
    server = MisbehavingServer()
    yield server
    server.close()


async def test_a_trickling_server_is_cut_off_by_the_total_deadline(bad: MisbehavingServer) -> None:
    started = time.monotonic()
    async with Fetcher(FetchLimits(timeout=1.0)) as fetcher:
        with pytest.raises(FetchError, match="timed out after 1 s"):
            await fetcher.get(bad.url("/trickle"))
    assert time.monotonic() - started < 2.0  # not 1000 bytes x 0.2 s


async def test_a_connection_reset_mid_body(bad: MisbehavingServer) -> None:
    async with Fetcher(FetchLimits(timeout=5)) as fetcher:
        with pytest.raises(FetchError, match=r"connection lost while talking to 127\.0\.0\.1"):
            await fetcher.get(bad.url("/reset"))


async def test_a_stacked_gzip_bomb_is_refused_in_bounded_memory(bad: MisbehavingServer) -> None:
    tracemalloc.start()
    try:
        async with Fetcher(FetchLimits(max_bytes=10_000_000)) as fetcher:
            with pytest.raises(FetchError, match="larger than 10,000,000 bytes after decoding"):
                await fetcher.get(bad.url("/stacked-bomb"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 40_000_000  # 1 GiB inside; we never held more than the cap and a step


async def test_an_endless_body_stops_at_the_size_cap(bad: MisbehavingServer) -> None:
    async with Fetcher(FetchLimits(max_bytes=2_000_000, timeout=10)) as fetcher:
        with pytest.raises(FetchError, match="larger than 2,000,000 bytes"):
            await fetcher.get(bad.url("/endless"))


async def test_garbage_instead_of_http(bad: MisbehavingServer) -> None:
    async with Fetcher(FetchLimits(timeout=5)) as fetcher:
        with pytest.raises(FetchError, match="the server broke the protocol"):
            await fetcher.get(bad.url("/garbage"))


async def test_an_image_where_a_page_was_expected(bad: MisbehavingServer) -> None:
    async with Fetcher() as fetcher:
        with pytest.raises(ExtractError, match=r"not a web page \(image/png\)"):
            await fetch_page(fetcher, bad.url("/wrong-type"))


async def test_certificate_errors_are_errors() -> None:
    server = MisbehavingServer(tls=True)
    try:
        async with Fetcher(FetchLimits(timeout=5)) as fetcher:
            with pytest.raises(FetchError, match="TLS certificate error"):
                await fetcher.get(server.url("/feed"))
    finally:
        server.close()
