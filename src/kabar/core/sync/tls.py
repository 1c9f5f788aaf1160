"""TLS for a sync server on plain http, set up only if a redirect ever leads to https.

httpx builds its TLS context (the CA bundle loaded) when the client is made: 20-30 ms of
CPU, a fifth of a nothing-changed sync, spent for nothing on an http:// server (at home,
on a LAN, on loopback). This context has the same checks (PROTOCOL_TLS_CLIENT: hostname
and certificate required) and hands every handshake to httpx's own default context,
built on the first one. An https:// server gets httpx's default context as usual.
(The feed fetcher makes its https transport lazily instead; it ignores the environment.
The sync client keeps httpx's environment, proxies and SSL_CERT_FILE included, so the
laziness is in the context, which every transport of the client shares.)
"""

from __future__ import annotations

import ssl
import threading
from typing import Any

import httpx

_BUILD = threading.Lock()


class TLSOnDemand(ssl.SSLContext):
    """An SSLContext that builds httpx's default one on the first TLS handshake."""

    _real: ssl.SSLContext | None = None
    _alpn: list[str] | None = None

    def __new__(cls) -> TLSOnDemand:
        return super().__new__(cls, ssl.PROTOCOL_TLS_CLIENT)

    def set_alpn_protocols(self, alpn_protocols: Any) -> None:
        self._alpn = list(alpn_protocols)  # httpcore sets them before each handshake

    def _context(self) -> ssl.SSLContext:
        with _BUILD:
            if self._real is None:
                self._real = httpx.create_ssl_context()
            if self._alpn is not None:
                self._real.set_alpn_protocols(self._alpn)
            return self._real

    def wrap_socket(self, *args: Any, **kwargs: Any) -> ssl.SSLSocket:
        return self._context().wrap_socket(*args, **kwargs)

    def wrap_bio(self, *args: Any, **kwargs: Any) -> ssl.SSLObject:
        return self._context().wrap_bio(*args, **kwargs)


def verify_for(url: str) -> ssl.SSLContext | bool:
    """httpx's `verify` for a server at `url`: the default (True) for https."""
    return TLSOnDemand() if url.lower().startswith("http://") else True
