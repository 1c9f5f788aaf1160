"""A loopback server that misbehaves on purpose, at the socket level.

http.server cannot trickle a body, reset a connection mid-body or lie about lengths, so
this one writes raw bytes. Each path is one bad behaviour; see `BEHAVIOURS`.
"""

from __future__ import annotations

import socket
import ssl
import struct
import threading
import time
from collections.abc import Callable
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "hostile"
FEED = b"<rss version='2.0'><channel><title>t</title><item><title>x</title></item></channel></rss>"


def _head(status: str, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status}", *(f"{k}: {v}" for k, v in headers.items()), "", ""]
    return "\r\n".join(lines).encode()


def trickle(conn: socket.socket) -> None:
    conn.sendall(_head("200 OK", {"Content-Length": "1000", "Content-Type": "application/rss+xml"}))
    for _ in range(1000):
        conn.sendall(b" ")
        time.sleep(0.2)


def reset_mid_body(conn: socket.socket) -> None:
    conn.sendall(_head("200 OK", {"Content-Length": "10000"}) + FEED[:50])
    time.sleep(0.05)
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def stacked_bomb(conn: socket.socket) -> None:
    body = (FIXTURES / "gzip-gzip-1GiB.bin").read_bytes()
    headers = {"Content-Length": str(len(body)), "Content-Encoding": "gzip, gzip"}
    conn.sendall(_head("200 OK", headers) + body)


def endless(conn: socket.socket) -> None:
    conn.sendall(_head("200 OK", {"Transfer-Encoding": "chunked"}))
    chunk = b"x" * 65536
    while True:
        conn.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))


def wrong_type(conn: socket.socket) -> None:
    body = b"\x89PNG\r\n\x1a\n" + b"\0" * 100
    conn.sendall(
        _head("200 OK", {"Content-Length": str(len(body)), "Content-Type": "image/png"}) + body
    )


def garbage_status(conn: socket.socket) -> None:
    conn.sendall(b"THIS IS NOT HTTP\r\n\r\n")


BEHAVIOURS: dict[str, Callable[[socket.socket], None]] = {
    "/trickle": trickle,
    "/reset": reset_mid_body,
    "/stacked-bomb": stacked_bomb,
    "/endless": endless,
    "/wrong-type": wrong_type,
    "/garbage": garbage_status,
}


class MisbehavingServer:
    def __init__(self, tls: bool = False) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.tls = tls
        self.context: ssl.SSLContext | None = None
        if tls:
            self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self.context.load_cert_chain(FIXTURES / "selfsigned.pem", FIXTURES / "selfsigned.key")
        self.running = True
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def base(self) -> str:
        scheme = "https" if self.tls else "http"
        return f"{scheme}://127.0.0.1:{self.sock.getsockname()[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def _serve(self) -> None:
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        try:
            if self.context is not None:
                conn = self.context.wrap_socket(conn, server_side=True)
            request = b""
            while b"\r\n\r\n" not in request:
                data = conn.recv(4096)
                if not data:
                    return
                request += data
            path = request.split(b" ", 2)[1].decode()
            behaviour = BEHAVIOURS.get(path)
            if behaviour is None:
                conn.sendall(_head("200 OK", {"Content-Length": str(len(FEED))}) + FEED)
            else:
                behaviour(conn)
        except (OSError, ssl.SSLError):
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self.running = False
        self.sock.close()
