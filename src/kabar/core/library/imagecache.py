"""Pictures downloaded for reading, kept in the cache folder with a size cap.

The reader draws an article's pictures; downloading them again every time the article is
opened would waste the network and the reader's time. They are kept here, apart from the
images of saved articles (which live in the data folder and are never evicted): each file
is named by the hash of its content, so the same picture under two addresses is stored
once, and a small key file per address names the content it holds. When the folder grows
past its cap, the least recently used pictures go first (a read touches the file's mtime:
access times are unreliable, many systems mount with `noatime`).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
from pathlib import Path

from kabar.core.files import write_atomically

DEFAULT_MAX_BYTES = 100_000_000
FOLDER = "images"


def _url_key(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8", errors="replace")).hexdigest()[:40]


class ImageCache:
    """A content-addressed, size-bounded folder of pictures, safe to share between threads."""

    def __init__(self, folder: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.folder = folder
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._total: int | None = None  # bytes in blobs/, counted on the first write

    @classmethod
    def in_cache_dir(cls, cache_dir: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> ImageCache:
        return cls(cache_dir / FOLDER, max_bytes)

    def _blob(self, digest: str) -> Path:
        return self.folder / "blobs" / digest[:2] / digest

    def _key(self, url: str) -> Path:
        return self.folder / "urls" / _url_key(url)

    def get(self, url: str) -> bytes | None:
        """The picture last stored for `url`, or None; a hit counts as a use (for eviction)."""
        key = self._key(url)
        try:
            digest = key.read_text(encoding="ascii").strip()
            blob = self._blob(digest)
            data = blob.read_bytes()
        except (OSError, UnicodeDecodeError):
            return None
        if hashlib.sha256(data).hexdigest() != digest:
            blob.unlink(missing_ok=True)  # damaged on disk: forget it, it will be fetched again
            return None
        with contextlib.suppress(OSError):
            os.utime(blob)
        return data

    def put(self, url: str, data: bytes) -> str:
        """Keep `data` as the picture of `url`; returns its content hash. A picture larger
        than the whole cap is not kept (the reader still draws it this time)."""
        digest = hashlib.sha256(data).hexdigest()
        if not data or len(data) > self.max_bytes:
            return digest
        with self._lock:
            blob = self._blob(digest)
            if blob.exists():
                os.utime(blob)
            else:
                write_atomically(blob, data)
                if self._total is not None:
                    self._total += len(data)
            write_atomically(self._key(url), digest.encode("ascii"))
            self._evict(keep=blob)
        return digest

    def total_bytes(self) -> int:
        return sum(size for _, size, _ in self._blobs())

    def _blobs(self) -> list[tuple[float, int, Path]]:
        found: list[tuple[float, int, Path]] = []
        root = self.folder / "blobs"
        if not root.is_dir():
            return found
        for path in root.glob("*/*"):
            try:
                stat = path.stat()
            except OSError:
                continue
            if not path.name.startswith(".tmp-"):
                found.append((stat.st_mtime, stat.st_size, path))
        return found

    def _evict(self, keep: Path) -> None:
        """Remove the least recently used pictures until the folder is within its cap."""
        if self._total is None:
            self._total = self.total_bytes()
        if self._total <= self.max_bytes:
            return
        blobs = sorted(self._blobs())
        self._total = sum(size for _, size, _ in blobs)
        for _, size, path in blobs:
            if self._total <= self.max_bytes:
                break
            if path == keep:
                continue
            path.unlink(missing_ok=True)
            self._total -= size
        # Key files that now name a removed picture are dropped when next read (a miss).
