"""Reading a local file (`kabar read FILE`, `kabar import FILE`), bounded like a download.

A local file gets the same limit as a page from the network (`network.max_feed_bytes`,
after decompression): a 50 MB page, or a small `.html.gz` that inflates to gigabytes, is
refused after reading at most the limit, never loaded whole. Every way the file can fail
(missing, a folder, unreadable, not a page at all) is one line that says which.
"""

from __future__ import annotations

import errno
import gzip
import os
import zlib
from pathlib import Path
from typing import BinaryIO

from kabar.core.errors import KabarError

_CHUNK = 1 << 16


class PageFileError(KabarError):
    title = "Cannot read the file"


def read_page_file(path: Path, max_bytes: int, kind: str = "an HTML file") -> bytes:
    """The bytes of an HTML file (a `.gz` one decompressed), at most `max_bytes` of them.

    `kind` names what the file should be, for the message when it is a folder.
    """
    shown = _shown(path)
    try:
        if path.is_dir():
            raise PageFileError(f"{shown} is a folder, not {kind}")
        with path.open("rb") as handle:
            if path.suffix.lower() == ".gz" or handle.read(2) == b"\x1f\x8b":
                handle.seek(0)
                return _read_gzip(handle, shown, max_bytes)
            handle.seek(0)
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise PageFileError(_os_message(shown, exc, kind)) from exc
    if len(data) > max_bytes:
        raise PageFileError(f"{shown} is too large: over {_size(max_bytes)} {_LIMIT}")
    return data


_LIMIT = "(the limit is network.max_feed_bytes)"


def _read_gzip(handle: BinaryIO, shown: str, max_bytes: int) -> bytes:
    """Decompress in chunks, stopping as soon as the output passes the limit."""
    parts: list[bytes] = []
    total = 0
    try:
        with gzip.GzipFile(fileobj=handle, mode="rb") as stream:
            while chunk := stream.read(_CHUNK):
                total += len(chunk)
                if total > max_bytes:
                    raise PageFileError(f"{shown} decompresses to over {_size(max_bytes)} {_LIMIT}")
                parts.append(chunk)
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        raise PageFileError(f"{shown} is not a readable gzip file ({exc})") from exc
    return b"".join(parts)


def _os_message(shown: str, exc: OSError, kind: str) -> str:
    if exc.errno == errno.ENOENT:
        return f"cannot read {shown}: no such file"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"cannot read {shown}: permission denied"
    if exc.errno == errno.EISDIR:
        return f"{shown} is a folder, not {kind}"
    return f"cannot read {shown}: {exc.strerror or exc}"


def _shown(path: Path) -> str:
    """The path for a message, bytes that are not UTF-8 as \\xff escapes."""
    name = os.fsdecode(path)
    try:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        return name.encode("utf-8", "backslashreplace").decode("utf-8")


def _size(n: int) -> str:
    return f"{n / 1_000_000:g} MB" if n >= 1_000_000 else f"{n:,} bytes"


def shown_path(path: Path) -> str:
    """A path as messages show it."""
    return _shown(path)


def describe_content(data: bytes) -> str:
    """What a file that is not a web page seems to be, for the error that says so."""
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    if not head:
        return "an empty file"
    lowered = head[:256].lower()
    if lowered.startswith(b"<?xml") or b"<rss" in lowered or b"<feed" in lowered:
        return "an XML document (a feed? add it with kabar add)"
    if head[:1] in (b"{", b"["):
        return "JSON"
    try:
        text = data[:4096].decode("utf-8")
    except UnicodeDecodeError:
        text = ""
    if text and sum(ch.isprintable() or ch in "\n\r\t" for ch in text) > 0.95 * len(text):
        return "plain text"
    return "binary data"


_MAGIC = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or an office document)"),
    (b"\x1f\x8b", "gzip data"),
    (b"\x7fELF", "a program (ELF)"),
    (b"SQLite format 3", "an SQLite database"),
)
