"""A loopback proxy in front of the real FreshRSS that can misbehave on cue.

Each request is passed to a `fault` hook first: it may answer in FreshRSS's place (a 500,
an HTML page, an expired-token 401), hold the request until the test says so, or return
None to forward it unchanged. The proxy records every call's method and API name, and
the most requests it ever had in flight at once (two syncs overlapping would show as 2).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx


@dataclass
class Call:
    method: str
    path: str  # the path after /api/greader.php, without the query
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    alongside: int = 0  # other requests in flight when this one arrived


@dataclass
class Answer:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    # Sent instead of `body`, one chunk at a time with `pause` seconds between them and no
    # Content-Length (the answer ends when the connection closes): a slow or endless one.
    chunks: Iterable[bytes] | None = None
    pause: float = 0.0


Fault = Callable[[Call, int], Answer | None]  # (call, how many before it had this path)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass


class FaultyProxy:
    def __init__(self, upstream_api: str) -> None:
        self.upstream = upstream_api.rstrip("/")
        self.calls: list[Call] = []
        self.last_query = ""
        self.fault: Fault = lambda call, seen: None
        self.lock = threading.Lock()
        self.in_flight = 0
        self.most_in_flight = 0
        self.http = httpx.Client(timeout=30)
        self.httpd = _Server(("127.0.0.1", 0), self._handler())
        threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True).start()

    @property
    def api(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/api/greader.php"

    def count(self, suffix: str) -> int:
        return sum(1 for c in self.calls if c.path.endswith(suffix))

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.http.close()

    def _answer(self, method: str, raw_path: str, headers: dict[str, str], body: bytes) -> Answer:
        with self.lock:
            alongside = self.in_flight
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            return self._forward(method, raw_path, headers, body, alongside)
        finally:
            with self.lock:
                self.in_flight -= 1

    def _forward(
        self, method: str, raw_path: str, headers: dict[str, str], body: bytes, alongside: int
    ) -> Answer:
        path = raw_path.split("?", 1)[0].removeprefix("/api/greader.php")
        call = Call(method, path, body, {k.lower(): v for k, v in headers.items()}, alongside)
        query = raw_path.split("?", 1)[1] if "?" in raw_path else ""
        with self.lock:
            self.last_query = query
            seen = sum(1 for c in self.calls if c.path == path)
            self.calls.append(call)
        faulty = self.fault(call, seen)
        if faulty is not None:
            return faulty
        query = raw_path.split("?", 1)[1] if "?" in raw_path else ""
        forwarded = {
            k: v for k, v in headers.items() if k.lower() in ("authorization", "content-type")
        }
        reply = self.http.request(
            method,
            self.upstream + path + (f"?{query}" if query else ""),
            headers=forwarded,
            content=body,
        )
        return Answer(
            reply.status_code,
            reply.content,
            {"Content-Type": reply.headers.get("content-type", "text/plain")},
        )

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _serve(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                answer = proxy._answer(method, self.path, dict(self.headers.items()), body)
                try:
                    self.send_response(answer.status)
                    framing = {"Content-Length": str(len(answer.body))}
                    if answer.chunks is not None:
                        framing, self.close_connection = {"Connection": "close"}, True
                    for name, value in {**framing, **answer.headers}.items():
                        self.send_header(name, value)
                    self.end_headers()
                    for chunk in answer.chunks if answer.chunks is not None else [answer.body]:
                        self.wfile.write(chunk)
                        self.wfile.flush()
                        time.sleep(answer.pause)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def do_GET(self) -> None:
                self._serve("GET")

            def do_POST(self) -> None:
                self._serve("POST")

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler


HOLD = 30.0  # seconds a held request waits at most for the test to let it go


class Hold:
    """Hold the first request whose API name ends with `suffix` until `release`."""

    def __init__(self, proxy: FaultyProxy, suffix: str) -> None:
        self.suffix = suffix
        self.reached = threading.Event()
        self.released = threading.Event()
        proxy.fault = self

    def __call__(self, call: Call, seen: int) -> Answer | None:
        if call.path.endswith(self.suffix) and not self.reached.is_set():
            self.reached.set()
            self.released.wait(HOLD)
        return None

    def release(self) -> None:
        self.released.set()
