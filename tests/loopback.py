"""A real HTTP server on 127.0.0.1 for tests, with routes the test defines.

Each route is a function from the request to a `Reply`. The server records every request
(path, headers, time, how many were in flight to it at once), so tests can assert what the
client really sent: conditional headers, the User-Agent, the per-host concurrency cap.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    started: float
    in_flight: int


Route = Callable[[Request], Reply]


class _QuietServer(ThreadingHTTPServer):
    """A client hanging up mid-request is normal here: no traceback on stderr."""

    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass


class LoopbackServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self.lock = threading.Lock()
        self.in_flight = 0
        self.max_in_flight = 0
        self.connections = 0
        self.httpd = _QuietServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def route(self, path: str, reply: Reply | Route) -> None:
        if isinstance(reply, Reply):
            fixed = reply
            self.routes[path] = lambda _request: fixed
        else:
            self.routes[path] = reply

    def hits(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path == path]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self) -> None:
                super().setup()
                with server.lock:
                    server.connections += 1

            def do_GET(self) -> None:
                path = urlsplit(self.path).path
                with server.lock:
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                    request = Request(
                        path, dict(self.headers.items()), time.time(), server.in_flight
                    )
                    server.requests.append(request)
                try:
                    route = server.routes.get(path)
                    reply = route(request) if route else Reply(404, b"not found")
                    if reply.delay:
                        time.sleep(reply.delay)
                    self.send_response(reply.status)
                    headers = {"Content-Length": str(len(reply.body)), **reply.headers}
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    if reply.status != 304:
                        self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                finally:
                    with server.lock:
                        server.in_flight -= 1

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler
