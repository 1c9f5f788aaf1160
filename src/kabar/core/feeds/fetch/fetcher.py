"""The HTTP fetch engine shared by feed refresh, discovery and full-text extraction.

One httpx.AsyncClient per engine (connection reuse), a global and a per-host concurrency
cap, conditional GET, redirects followed by hand (so we know whether a move was permanent
and can stop loops), a total deadline per request, and a size cap enforced while the body
streams in and after decoding.
"""

from __future__ import annotations

import asyncio
import errno
import socket
import time
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

from kabar import __version__
from kabar.core.config.settings import Config
from kabar.core.errors import FetchError
from kabar.core.feeds.fetch.decoding import BoundedDecoder
from kabar.core.feeds.fetch.policy import freshness, retry_after
from kabar.core.feeds.urls import InvalidURL, feed_url, shown

USER_AGENT = f"Kabar/{__version__} (terminal news reader; +https://github.com/kabar-reader/kabar)"
MAX_REDIRECTS = 8
_PERMANENT = frozenset((301, 308))
_ACCEPT_FEED = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)


@dataclass(frozen=True, slots=True)
class FetchLimits:
    timeout: float = 20.0
    connect_timeout: float = 10.0
    max_connections: int = 16
    max_per_host: int = 4
    max_bytes: int = 10_000_000


def limits_from(config: Config, jobs: int | None = None) -> FetchLimits:
    """The fetch limits a config asks for; `jobs` overrides both concurrency caps."""
    net = config.network
    return FetchLimits(
        timeout=net.timeout,
        connect_timeout=net.connect_timeout,
        max_connections=jobs or net.max_connections,
        max_per_host=jobs or net.max_per_host,
        max_bytes=net.max_feed_bytes,
    )


@dataclass(slots=True)
class Response:
    """A completed fetch. `status` 304 means not modified (and `content` is empty)."""

    url: str
    final_url: str
    status: int
    content: bytes = b""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    permanent_url: str = ""  # set when every redirect on the way was permanent
    fresh_for: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class HTTPStatusError(FetchError):
    """A final response that was not 200 or 304; carries Retry-After when the server sent it."""

    def __init__(self, status: int, url: str, retry_after: float | None = None) -> None:
        reason = httpx.codes.get_reason_phrase(status) or "error"
        super().__init__(f"HTTP {status} {reason} for {url}", status=status)
        self.retry_after = retry_after


class Fetcher:
    """Async HTTP GETs with Kabar's limits. Use as an async context manager."""

    def __init__(self, limits: FetchLimits | None = None, user_agent: str = USER_AGENT) -> None:
        self.limits = limits or FetchLimits()
        pool = httpx.Limits(
            max_connections=self.limits.max_connections,
            max_keepalive_connections=self.limits.max_connections,
        )
        self._client = httpx.AsyncClient(
            headers={"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate, br"},
            timeout=httpx.Timeout(self.limits.timeout, connect=self.limits.connect_timeout),
            limits=pool,
            follow_redirects=False,
            trust_env=False,
            transport=_PlainHTTPTransport(pool),
            mounts={"https://": _LazyTLSTransport(pool)},
        )
        self._all = asyncio.Semaphore(self.limits.max_connections)
        self._hosts: defaultdict[str, asyncio.Semaphore] = defaultdict(
            lambda: asyncio.Semaphore(self.limits.max_per_host)
        )

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    async def get(
        self,
        url: str,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str = _ACCEPT_FEED,
        max_bytes: int | None = None,
    ) -> Response:
        """GET `url`, following redirects, within the total deadline.

        The deadline covers every hop from the first byte sent to the last received (so a
        server trickling one byte a second is cut off), but not the time spent queued behind
        the concurrency caps. Raises FetchError (HTTPStatusError for a bad status).
        """
        budget = [self.limits.timeout]
        seen: set[str] = set()
        try:
            # A space in an article link is common enough to encode rather than refuse.
            current = start = feed_url(url.replace(" ", "%20"))
        except InvalidURL as exc:
            raise FetchError(str(exc)) from None
        permanent = True
        for _ in range(MAX_REDIRECTS + 1):
            if current in seen:
                raise FetchError(f"redirect loop at {current}")
            seen.add(current)
            headers = {"Accept": accept}
            # Validators belong to the original URL's response; send them along redirects too,
            # a server that moved a feed answers them for the new location.
            if etag:
                headers["If-None-Match"] = etag
            if last_modified:
                headers["If-Modified-Since"] = last_modified
            response = await self._request(current, headers, budget, max_bytes)
            if isinstance(response, tuple):
                status, current = response
                permanent = permanent and status in _PERMANENT
                continue
            response.url = url
            if current != start and permanent:
                response.permanent_url = current
            return response
        raise FetchError(f"more than {MAX_REDIRECTS} redirects from {url}")

    async def _request(
        self, url: str, headers: dict[str, str], budget: list[float], max_bytes: int | None = None
    ) -> Response | tuple[int, str]:
        """One request: a Response, or a redirect's status and absolute target URL.

        `budget` holds the seconds left of the deadline; this request spends from it.
        """
        host = urlsplit(url).hostname or ""  # valid: get() checked it, and every redirect
        async with self._all, self._hosts[host]:
            started = time.monotonic()
            try:
                async with asyncio.timeout(max(0.0, budget[0])):
                    return await self._exchange(url, headers, max_bytes)
            except TimeoutError as exc:
                raise FetchError(f"timed out after {self.limits.timeout:g} s: {url}") from exc
            finally:
                budget[0] -= time.monotonic() - started

    async def _exchange(
        self, url: str, headers: dict[str, str], max_bytes: int | None = None
    ) -> Response | tuple[int, str]:
        try:
            async with self._client.stream("GET", url, headers=headers) as resp:
                status = resp.status_code
                if status == 200:
                    body = await self._read(resp, max_bytes)
                    return self._response(url, resp, body)
                # Read what little body the other answers carry: an unread response
                # cannot go back to the pool, and its connection would be closed.
                await _drain(resp)
                if status in (301, 302, 303, 307, 308):
                    location = resp.headers.get("location")
                    if not location:
                        raise FetchError(f"HTTP {status} without a Location from {url}")
                    return status, _redirect_target(url, location)
                if status == 304:
                    return self._response(url, resp, b"")
                delay = retry_after(resp.headers.get("retry-after"))
                raise HTTPStatusError(status, url, delay)
        except httpx.HTTPError as exc:
            raise FetchError(_describe(exc, url), unreachable=_network_down(exc)) from exc
        except httpx.InvalidURL as exc:
            # Our URL was checked: httpx raises this while it builds the request for a
            # redirect's Location (javascript:, data:, a relative path with a colon...).
            raise FetchError(f"redirect from {url} to a URL Kabar does not follow ({exc})") from exc
        except (ValueError, UnicodeError, OSError, ExceptionGroup) as exc:
            # What httpx and the socket layer raise besides HTTPError for a URL or a peer
            # they cannot handle: still this feed's error, never the whole refresh's.
            raise FetchError(f"cannot fetch {shown(url)}: {_one_line(exc)}") from exc

    async def _read(self, resp: httpx.Response, max_bytes: int | None = None) -> bytes:
        limit = max_bytes or self.limits.max_bytes
        declared = resp.headers.get("content-length", "")
        encoding = resp.headers.get("content-encoding", "")
        if declared.isdigit() and int(declared) > limit:
            raise FetchError(f"response of {int(declared):,} bytes is over the {limit:,} limit")
        decoder = BoundedDecoder(encoding, limit)
        raw = 0
        async for chunk in resp.aiter_raw():
            raw += len(chunk)
            if raw > limit:
                raise FetchError(f"response larger than {limit:,} bytes")
            decoder.feed(chunk)
        return decoder.finish()

    def _response(self, url: str, resp: httpx.Response, body: bytes) -> Response:
        h = resp.headers
        return Response(
            url=url,
            final_url=url,
            status=resp.status_code,
            content=body,
            content_type=h.get("content-type", ""),
            etag=h.get("etag"),
            last_modified=h.get("last-modified"),
            fresh_for=freshness(h.get("cache-control"), h.get("expires"), h.get("date")),
            headers={"retry-after": h.get("retry-after", "")},
        )


class _PlainHTTPTransport(httpx.AsyncBaseTransport):
    """Plain HTTP only: HTTPS goes to `_LazyTLSTransport`, and this refuses it outright
    rather than ever sending it over a transport that does not verify certificates."""

    def __init__(self, limits: httpx.Limits) -> None:
        # verify=False only spares loading the certificate store: no TLS happens here.
        self._transport = httpx.AsyncHTTPTransport(limits=limits, verify=False, trust_env=False)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.scheme != "http":
            raise httpx.UnsupportedProtocol(f"not plain HTTP: {request.url}")
        return await self._transport.handle_async_request(request)

    async def aclose(self) -> None:
        await self._transport.aclose()


class _LazyTLSTransport(httpx.AsyncBaseTransport):
    """The HTTPS transport, made on the first HTTPS request.

    Loading the certificate store costs a process about 60 ms; a refresh of plain-HTTP
    feeds (or a forked refresh shard) should not pay it. Certificates are verified as
    always once the transport exists.
    """

    def __init__(self, limits: httpx.Limits) -> None:
        self._limits = limits
        self._transport: httpx.AsyncHTTPTransport | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self._transport is None:
            self._transport = httpx.AsyncHTTPTransport(limits=self._limits, trust_env=False)
        return await self._transport.handle_async_request(request)

    async def aclose(self) -> None:
        if self._transport is not None:
            await self._transport.aclose()


async def _drain(resp: httpx.Response, limit: int = 65536) -> None:
    """Consume a small body so the connection can be reused; give up on a big one."""
    read = 0
    async for chunk in resp.aiter_raw():
        read += len(chunk)
        if read > limit:
            return


def _redirect_target(url: str, location: str) -> str:
    """The absolute URL a redirect points to; FetchError when it is not one we follow."""
    try:
        return feed_url(urljoin(url, location.strip()))
    except (InvalidURL, ValueError) as exc:
        reason = str(exc) if isinstance(exc, InvalidURL) else f"{shown(location)} ({exc})"
        raise FetchError(f"redirect from {url} to a URL Kabar does not follow: {reason}") from None


_NETWORK_DOWN = frozenset((errno.ENETUNREACH, errno.ENETDOWN, errno.EHOSTUNREACH))


def _network_down(exc: BaseException) -> bool:
    """True when a connection failed the way it does with no network: a DNS failure, or
    no route to the network or host. A refused connection, a timeout or a TLS error means
    the network works and the feed's server has a problem."""
    if not isinstance(exc, httpx.ConnectError):
        return False
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, socket.gaierror):
            return True
        if isinstance(cause, OSError) and cause.errno in _NETWORK_DOWN:
            return True
        cause = cause.__cause__ or cause.__context__
    return False


def _one_line(exc: BaseException) -> str:
    """A short description of an exception, the first of a group's."""
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    text = " ".join(str(exc).split())[:200]
    return f"{exc.__class__.__name__}: {text}" if text else exc.__class__.__name__


def _describe(exc: httpx.HTTPError, url: str) -> str:
    """A one-line reason a user can act on."""
    if isinstance(exc, httpx.ConnectTimeout):
        return f"connection timed out: {url}"
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out: {url}"
    if isinstance(exc, httpx.ConnectError):
        text = str(exc) or "connection failed"
        if "CERTIFICATE" in text.upper():
            return f"TLS certificate error for {url}: {text}"
        return f"cannot connect to {urlsplit(url).netloc}: {text}"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"the server broke the protocol: {url} ({exc or 'no details'})"
    if isinstance(exc, (httpx.ReadError, httpx.WriteError)):
        return f"connection lost while talking to {urlsplit(url).netloc} ({url})"
    return f"{exc.__class__.__name__} for {url}: {exc}"
