"""The fetch engine against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import gzip
from typing import Any

import pytest

from kabar.core.errors import FetchError
from kabar.core.feeds.fetch import USER_AGENT, Fetcher, FetchLimits, HTTPStatusError
from tests.loopback import LoopbackServer, Reply, Request

FEED = b"<rss version='2.0'><channel><title>t</title></channel></rss>"


async def get(
    server: LoopbackServer, path: str, limits: FetchLimits | None = None, **kw: Any
) -> object:
    async with Fetcher(limits) as fetcher:
        return await fetcher.get(server.url(path), **kw)


async def test_200_with_validators_and_user_agent(server: LoopbackServer) -> None:
    headers = {
        "ETag": '"abc"',
        "Last-Modified": "Mon, 02 Nov 2026 10:00:00 GMT",
        "Content-Type": "application/rss+xml",
    }
    server.route("/feed", Reply(200, FEED, headers))
    async with Fetcher() as fetcher:
        response = await fetcher.get(server.url("/feed"))
    assert (response.status, response.content, response.etag) == (200, FEED, '"abc"')
    assert response.last_modified == "Mon, 02 Nov 2026 10:00:00 GMT"
    assert response.content_type == "application/rss+xml"
    (request,) = server.hits("/feed")
    assert request.headers["User-Agent"] == USER_AGENT
    assert "Kabar/" in USER_AGENT
    assert "gzip" in request.headers["Accept-Encoding"]


def conditional(request: Request) -> Reply:
    if request.headers.get("If-None-Match") == '"v1"':
        return Reply(304, headers={"ETag": '"v1"'})
    if request.headers.get("If-Modified-Since") == "Mon, 02 Nov 2026 10:00:00 GMT":
        return Reply(304)
    return Reply(200, FEED, {"ETag": '"v1"'})


async def test_304_with_etag(server: LoopbackServer) -> None:
    server.route("/feed", conditional)
    async with Fetcher() as fetcher:
        response = await fetcher.get(server.url("/feed"), etag='"v1"')
    assert response.not_modified and response.content == b""
    assert server.hits("/feed")[0].headers["If-None-Match"] == '"v1"'


async def test_304_with_last_modified(server: LoopbackServer) -> None:
    server.route("/feed", conditional)
    async with Fetcher() as fetcher:
        response = await fetcher.get(
            server.url("/feed"), last_modified="Mon, 02 Nov 2026 10:00:00 GMT"
        )
    assert response.status == 304
    assert "If-None-Match" not in server.hits("/feed")[0].headers


async def test_404_is_an_http_status_error(server: LoopbackServer) -> None:
    async with Fetcher() as fetcher:
        with pytest.raises(HTTPStatusError, match="HTTP 404 Not Found") as info:
            await fetcher.get(server.url("/missing"))
    assert info.value.status == 404


async def test_503_carries_retry_after(server: LoopbackServer) -> None:
    server.route("/busy", Reply(503, b"", {"Retry-After": "120"}))
    async with Fetcher() as fetcher:
        with pytest.raises(HTTPStatusError) as info:
            await fetcher.get(server.url("/busy"))
    assert info.value.retry_after == 120.0


async def test_total_deadline(server: LoopbackServer) -> None:
    server.route("/slow", Reply(200, FEED, delay=3.0))
    async with Fetcher(FetchLimits(timeout=0.5)) as fetcher:
        with pytest.raises(FetchError, match="timed out"):
            await fetcher.get(server.url("/slow"))


@pytest.mark.parametrize(
    ("status", "permanent"), [(301, True), (308, True), (302, False), (307, False)]
)
async def test_redirects_report_permanent_moves_only(
    server: LoopbackServer, status: int, permanent: bool
) -> None:
    server.route("/old", Reply(status, headers={"Location": "/new"}))
    server.route("/new", Reply(200, FEED))
    async with Fetcher() as fetcher:
        response = await fetcher.get(server.url("/old"))
    assert response.content == FEED
    assert response.final_url == server.url("/new")
    assert response.permanent_url == (server.url("/new") if permanent else "")


async def test_redirect_loop_is_detected(server: LoopbackServer) -> None:
    server.route("/a", Reply(302, headers={"Location": "/b"}))
    server.route("/b", Reply(302, headers={"Location": "/a"}))
    async with Fetcher() as fetcher:
        with pytest.raises(FetchError, match="redirect loop"):
            await fetcher.get(server.url("/a"))


async def test_gzip_is_decoded(server: LoopbackServer) -> None:
    server.route("/gz", Reply(200, gzip.compress(FEED), {"Content-Encoding": "gzip"}))
    async with Fetcher() as fetcher:
        response = await fetcher.get(server.url("/gz"))
    assert response.content == FEED


async def test_size_cap_applies_after_decompression(server: LoopbackServer) -> None:
    bomb = gzip.compress(b"\0" * 50_000_000)
    server.route("/bomb", Reply(200, bomb, {"Content-Encoding": "gzip"}))
    async with Fetcher(FetchLimits(max_bytes=1_000_000)) as fetcher:
        with pytest.raises(FetchError, match="larger than 1,000,000 bytes after decoding"):
            await fetcher.get(server.url("/bomb"))


async def test_declared_oversize_body_is_refused(server: LoopbackServer) -> None:
    server.route("/big", Reply(200, b"x" * 2_000_000))
    async with Fetcher(FetchLimits(max_bytes=1_000_000)) as fetcher:
        with pytest.raises(FetchError, match="over the 1,000,000 limit"):
            await fetcher.get(server.url("/big"))


async def test_connection_refused_is_a_fetch_error() -> None:
    async with Fetcher(FetchLimits(timeout=3)) as fetcher:
        with pytest.raises(FetchError, match="cannot connect"):
            await fetcher.get("http://127.0.0.1:9/feed")


async def test_per_host_cap_is_observed_by_the_server(server: LoopbackServer) -> None:
    server.route("/slow", Reply(200, FEED, delay=0.2))
    async with Fetcher(FetchLimits(max_connections=8, max_per_host=2)) as fetcher:
        await asyncio.gather(*(fetcher.get(server.url("/slow")) for _ in range(6)))
    assert server.max_in_flight == 2


async def test_deadline_does_not_count_time_queued_behind_the_caps(server: LoopbackServer) -> None:
    server.route("/slowish", Reply(200, FEED, delay=0.3))
    async with Fetcher(FetchLimits(timeout=0.6, max_connections=1, max_per_host=1)) as fetcher:
        responses = await asyncio.gather(*(fetcher.get(server.url("/slowish")) for _ in range(4)))
    assert [r.status for r in responses] == [200] * 4


async def test_brotli_and_stacked_encodings_are_decoded(server: LoopbackServer) -> None:
    import brotli

    server.route("/br", Reply(200, brotli.compress(FEED), {"Content-Encoding": "br"}))
    server.route(
        "/twice", Reply(200, gzip.compress(gzip.compress(FEED)), {"Content-Encoding": "gzip, gzip"})
    )
    async with Fetcher() as fetcher:
        assert (await fetcher.get(server.url("/br"))).content == FEED
        assert (await fetcher.get(server.url("/twice"))).content == FEED


async def test_keep_alive_survives_304s(server: LoopbackServer) -> None:
    server.route("/feed", conditional)
    async with Fetcher(FetchLimits(max_connections=1, max_per_host=1)) as fetcher:
        for _ in range(5):
            assert (await fetcher.get(server.url("/feed"), etag='"v1"')).status == 304
    assert server.connections == 1
