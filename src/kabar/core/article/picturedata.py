"""Pictures for reading: find an article's images, fetch the missing ones, decode them safely.

An image comes from what Kabar already keeps first (a saved article's image files, by entry
or by address, then the image cache), and only then from the network, with the fetcher's
limits (size cap, total deadline, per-host cap) and a check that the body really is an
image. Decoding is bounded too: a picture declaring more than `MAX_PIXELS` pixels is refused
before it is decoded (a decompression bomb), JPEGs are decoded at a reduced size when that
is enough, and only the scaled result is kept, so forty large photos cost a few megabytes.

Everything here raises `BrokenImage` with a short reason for the reader, never a traceback.
An SVG is refused (drawing it needs a browser engine); an animated GIF shows its first
frame, which is what a still reader can honestly show.
"""

from __future__ import annotations

import asyncio
import io
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from kabar.core.config.settings import Config
from kabar.core.errors import FetchError, KabarError
from kabar.core.library.imagecache import ImageCache

if TYPE_CHECKING:
    from types import ModuleType

    from PIL import Image

    from kabar.core.feeds.fetch import Fetcher
    from kabar.core.feeds.fetch.httpsession import FetchSession
    from kabar.core.store import Store

MAX_PIXELS = 40_000_000  # about 7,700 x 5,200: more than any news photo, less than a bomb

NOT_DOWNLOADED = "image not downloaded"


class BrokenImage(KabarError):
    """An image we cannot draw; the message is a short note shown under its marker."""

    title = "Cannot draw the image"


@dataclass(frozen=True, slots=True)
class Fit:
    """How to fit a picture: at most `columns` wide and `rows` tall, in cells of
    `cell_width` x `cell_height` pixels, drawn with `pixels_per_cell` pixel rows per cell
    row (2 for half-blocks, the cell height for graphics protocols)."""

    columns: int
    rows: int
    cell_width: int = 10
    cell_height: int = 20
    half_blocks: bool = True

    def cells(self, width: int, height: int) -> tuple[int, int]:
        """The picture's size in cells: the full measure, aspect kept, within `rows`."""
        columns = max(1, self.columns)
        rows = round(columns * self.cell_width * height / (width * self.cell_height))
        if rows > self.rows:
            rows = self.rows
            columns = round(rows * self.cell_height * width / (height * self.cell_width))
            columns = max(1, min(columns, self.columns))
        return columns, max(1, rows)

    def pixels(self, columns: int, rows: int) -> tuple[int, int]:
        if self.half_blocks:
            return columns, rows * 2
        return columns * self.cell_width, rows * self.cell_height


@dataclass(slots=True)
class Picture:
    """A decoded picture scaled for the pane: `image` is RGB at the size it is drawn."""

    image: Image.Image
    columns: int
    rows: int


def _pillow() -> ModuleType:
    """Pillow, imported on the first picture (not at start: the reader's first paint does
    not wait for it), with its own guards set for any decoder of ours."""
    from PIL import Image, ImageFile

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    return Image


def decode_picture(data: bytes, fit: Fit) -> Picture:
    """Decode, check and scale one image; raises BrokenImage with a short reason."""
    from kabar.core.library.images import sniff_type

    Image = _pillow()  # Pillow's module, under its usual name
    if not data:
        raise BrokenImage("empty image (0 bytes)")
    kind = sniff_type(data, "")
    if not kind:
        kind = sniff_type(data, "image/svg+xml")
        if kind:
            raise BrokenImage("an SVG image: not drawn in the terminal")
        raise BrokenImage("not an image")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width <= 0 or height <= 0:
                raise BrokenImage("an image with no size")
            if width * height > MAX_PIXELS:
                raise BrokenImage(f"too large to draw ({width}x{height} pixels)")
            columns, rows = fit.cells(width, height)
            target = fit.pixels(columns, rows)
            image.draft("RGB", target)  # JPEG: decode at a fraction of the size when enough
            image.seek(0)  # an animated image: its first frame
            image.load()
            frame = _flatten(image)
            scaled = frame.resize(target, Image.Resampling.LANCZOS, reducing_gap=2.0)
    except BrokenImage:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise BrokenImage("too large to draw") from exc
    except Exception as exc:  # Pillow raises many kinds on malformed files: all mean damaged
        reason = "truncated" if "truncated" in str(exc) else "damaged"
        raise BrokenImage(f"a {reason} image") from exc
    return Picture(scaled, columns, rows)


def _flatten(image: Image.Image) -> Image.Image:
    """RGB, transparent parts over a neutral grey (a terminal's background is unknown)."""
    if image.mode in ("RGBA", "LA", "P", "PA"):
        rgba = image.convert("RGBA")
        ground: Image.Image = _pillow().new("RGBA", rgba.size, (128, 128, 128, 255))
        ground.alpha_composite(rgba)
        return ground.convert("RGB")
    return image.convert("RGB")


class PictureSource:
    """Where the reader gets an article's images: stored first, then (when allowed) fetched."""

    def __init__(
        self,
        store: Callable[[], Store] | None,
        cache: ImageCache | None,
        config: Config,
        web: Callable[[], FetchSession] | None = None,
        end_thread: Callable[[], None] | None = None,
    ) -> None:
        self.store = store  # the calling thread's connection (the Library's), if any
        self._end_thread = end_thread
        self.cache = cache
        self.config = config
        self.web = web  # the Library's HTTP client (made on first use); None: one per `fetch`

    def saved_files(self, entry_id: int | None, urls: Iterable[str]) -> dict[str, Path]:
        """The saved image files among `urls` (by this entry, or any saved article); the
        bytes are read one picture at a time later."""
        found: dict[str, Path] = {}
        if self.store is None:
            return found
        try:
            store = self.store()
            by_entry = store.article_images(entry_id) if entry_id is not None else {}
            for url in urls:
                path = by_entry.get(url) or store.saved_image_for(url)
                if path is not None:
                    found[url] = path
        except KabarError:
            pass
        return found

    def thread_done(self) -> None:
        """A worker thread that read `saved_files` is ending: close its connection."""
        if self._end_thread is not None:
            self._end_thread()

    def stored(self, url: str, saved: Path | None = None) -> bytes | None:
        """The image if Kabar already keeps it: a saved file, else the image cache."""
        if saved is not None:
            try:
                return saved.read_bytes()
            except OSError:
                pass
        return self.cache.get(url) if self.cache is not None else None

    def fetch(
        self, urls: Iterable[str], on_result: Callable[[str, bytes | BrokenImage], None]
    ) -> None:
        """Download images (one engine: the per-host cap holds across them); each result,
        bytes or the reason it failed, is passed to `on_result` as soon as it arrives."""
        wanted = list(dict.fromkeys(urls))
        if not wanted:
            return
        # httpx: on the first download, not when the reader starts
        from kabar.core.feeds.fetch import limits_from
        from kabar.core.feeds.fetch.httpsession import fetch_with

        async def run(fetcher: Fetcher) -> None:
            async def one(url: str) -> None:
                try:
                    data = await self._download(fetcher, url)
                except BrokenImage as exc:
                    on_result(url, exc)
                else:
                    on_result(url, data)

            await asyncio.gather(*(one(url) for url in wanted))

        limits = replace(limits_from(self.config), max_bytes=self.config.network.max_image_bytes)
        fetch_with(self.web() if self.web is not None else None, limits, run)

    async def _download(self, fetcher: Fetcher, url: str) -> bytes:
        from kabar.core.library.images import ACCEPT_IMAGES, sniff_type

        try:
            response = await fetcher.get(
                url, accept=ACCEPT_IMAGES, max_bytes=self.config.network.max_image_bytes
            )
        except FetchError as exc:
            if exc.status is not None:
                raise BrokenImage(f"{NOT_DOWNLOADED} (HTTP {exc.status})") from exc
            if "larger" in str(exc) or "limit" in str(exc):
                raise BrokenImage(f"{NOT_DOWNLOADED}: over the size limit") from exc
            raise BrokenImage(NOT_DOWNLOADED) from exc
        declared = response.content_type.split(";", 1)[0].strip().lower()
        if declared and not declared.startswith(("image/", "application/octet-stream")):
            raise BrokenImage(f"not an image ({declared})")
        data = response.content
        if not data:
            raise BrokenImage("empty image (0 bytes)")
        if sniff_type(data, declared) and self.cache is not None:
            await asyncio.to_thread(self.cache.put, url, data)
        return data
