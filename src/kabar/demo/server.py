"""A loopback web server for the demo corpus bundled in `kabar/demo/site`.

It stands in for the internet so `kabar --demo` exercises the real fetch, parse, store and
render path with no network. `{{BASE}}` in the files becomes this server's base URL. It
answers conditional GETs like a well-behaved feed server, and binds 127.0.0.1 only.
"""

from __future__ import annotations

import hashlib
import mimetypes
import threading
from functools import cached_property
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from importlib.resources.abc import Traversable
from urllib.parse import urlsplit

_TYPES = {
    ".xml": "application/rss+xml; charset=utf-8",
    ".atom": "application/atom+xml; charset=utf-8",
    ".rdf": "application/rdf+xml; charset=utf-8",
    ".json": "application/feed+json; charset=utf-8",
    ".html": "text/html; charset=utf-8",
}
_TEMPLATED = frozenset((".xml", ".atom", ".rdf", ".json", ".html"))
_LAST_MODIFIED = "Sun, 29 Nov 2026 18:00:00 GMT"


def site_root() -> Traversable:
    return resources.files("kabar.demo") / "site"


class _QuietServer(ThreadingHTTPServer):
    """A client hanging up mid-request is normal here: no traceback on stderr."""

    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass


class DemoServer:
    """Serves the demo site on 127.0.0.1 in a daemon thread. Use as a context manager."""

    def __init__(self, port: int = 0, root: Traversable | None = None) -> None:
        self.root = root or site_root()
        self.httpd = _QuietServer(("127.0.0.1", port), self._handler())
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    @cached_property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return f"{self.base_url}/{path.lstrip('/')}"

    def start(self) -> DemoServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> DemoServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            server_version = "KabarDemo/1"

            def do_GET(self) -> None:
                body = server.read(urlsplit(self.path).path)
                if body is None:
                    self._send(404, b"not found", "text/plain")
                    return
                data, content_type = body
                etag = '"' + hashlib.sha1(data).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match") == etag:
                    self._send(304, b"", content_type, etag)
                    return
                self._send(200, data, content_type, etag)

            def _send(self, status: int, data: bytes, content_type: str, etag: str = "") -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Last-Modified", _LAST_MODIFIED)
                if etag:
                    self.send_header("ETag", etag)
                self.end_headers()
                if status != 304:
                    self.wfile.write(data)

            def log_message(self, format: str, *args: object) -> None:
                pass  # the demo runs under a TUI: nothing may write to the terminal

        return Handler

    def read(self, path: str) -> tuple[bytes, str] | None:
        """The bytes and content type for a URL path, or None."""
        parts = [p for p in path.split("/") if p]
        if any(p in ("..", ".") or p.startswith(".") for p in parts):
            return None
        node = self.root
        for part in parts or ["index.html"]:
            node = node / part
        if node.is_dir():
            node = node / "index.html"
        if not node.is_file():
            return None
        data = node.read_bytes()
        suffix = "." + node.name.rpartition(".")[2] if "." in node.name else ""
        if suffix in _TEMPLATED:
            data = data.replace(b"{{BASE}}", self.base_url.encode())
        content_type = (
            _TYPES.get(suffix) or mimetypes.guess_type(node.name)[0] or "application/octet-stream"
        )
        return data, content_type
