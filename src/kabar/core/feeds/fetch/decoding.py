"""Content-Encoding decoding with a hard limit on the decoded size.

We decode ourselves instead of letting httpx do it because httpx inflates each network chunk
in one call: a 64 KB chunk of a gzip bomb (or of `Content-Encoding: gzip, gzip`) can become
gigabytes before any size check runs. Here every layer produces at most `limit` bytes, in
bounded steps, so a bomb is refused while the process holds only a few megabytes.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable

import brotli

from kabar.core.errors import FetchError

_STEP = 1 << 20  # decode at most 1 MiB per call


class _Layer:
    """One decoding layer: bytes in, at most `step` bytes out per `decode` call."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self._brotli: brotli.Decompressor | None = None
        self._zlib: zlib._Decompress | None = None
        self._raw_deflate_tried = False
        if encoding in ("gzip", "x-gzip"):
            self._zlib = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)
        elif encoding == "deflate":
            self._zlib = zlib.decompressobj()
        elif encoding == "br":
            self._brotli = brotli.Decompressor()
        else:
            raise FetchError(f"unsupported Content-Encoding '{encoding}'")

    def decode(self, data: bytes, emit: Callable[[bytes], None]) -> None:
        try:
            if self._brotli is not None:
                out = self._brotli.process(data, output_buffer_limit=_STEP)
                emit(out)
                while not self._brotli.can_accept_more_data():
                    emit(self._brotli.process(b"", output_buffer_limit=_STEP))
                return
            assert self._zlib is not None
            pending = data
            while pending:
                out = self._decompress(pending)
                emit(out)
                pending = self._zlib.unconsumed_tail
                if self._zlib.eof:
                    return  # trailing garbage after the stream is ignored, as browsers do
        except (zlib.error, brotli.error) as exc:
            raise FetchError(f"corrupt {self.encoding} data: {exc}") from exc

    def _decompress(self, data: bytes) -> bytes:
        assert self._zlib is not None
        try:
            return self._zlib.decompress(data, _STEP)
        except zlib.error:
            # Some servers send raw deflate without the zlib header.
            if self.encoding != "deflate" or self._raw_deflate_tried:
                raise
            self._raw_deflate_tried = True
            self._zlib = zlib.decompressobj(wbits=-zlib.MAX_WBITS)
            return self._zlib.decompress(data, _STEP)

    def flush(self, emit: Callable[[bytes], None]) -> None:
        if self._zlib is not None:
            emit(self._zlib.flush())


class BoundedDecoder:
    """Decodes a stack of content encodings (applied in the order the header lists them)
    and raises FetchError as soon as the decoded body would exceed `limit` bytes."""

    def __init__(self, content_encoding: str, limit: int) -> None:
        names = [e.strip().lower() for e in content_encoding.split(",")]
        names = [n for n in names if n and n != "identity"]
        if len(names) > 3:
            raise FetchError("too many stacked Content-Encodings")
        # The header lists encodings in the order they were applied: undo them in reverse.
        self.layers = [_Layer(name) for name in reversed(names)]
        self.limit = limit
        self.size = 0
        self.chunks: list[bytes] = []

    def feed(self, data: bytes) -> None:
        self._push(0, data)

    def _push(self, depth: int, data: bytes) -> None:
        if not data:
            return
        if depth == len(self.layers):
            self.size += len(data)
            if self.size > self.limit:
                raise FetchError(f"response larger than {self.limit:,} bytes after decoding")
            self.chunks.append(data)
            return
        self.layers[depth].decode(data, lambda out: self._push(depth + 1, out))

    def finish(self) -> bytes:
        for depth, layer in enumerate(self.layers):
            layer.flush(lambda out, d=depth: self._push(d + 1, out))  # type: ignore[misc]
        return b"".join(self.chunks)
