"""Images of saved articles: downloaded once, kept as files named by their content hash.

A saved article must stay complete with no network, forever, so its pictures are copied
into the data folder. Each image is capped in size, each article in total, and identical
images (the same logo on every page, the same photo in two articles) are stored once.
Anything that is not really an image (an HTML error page served with a 200) is refused.
"""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path

from kabar.core.article.document import Article
from kabar.core.config.settings import Config
from kabar.core.errors import FetchError
from kabar.core.feeds.fetch import Fetcher, limits_from
from kabar.core.feeds.fetch.httpsession import FetchSession, fetch_with
from kabar.core.files import write_atomically
from kabar.core.library.imagecache import ImageCache
from kabar.core.store import Store
from kabar.core.textsafety import safe_link
from kabar.core.wording import plural

ACCEPT_IMAGES = "image/avif, image/webp, image/png, image/jpeg, image/gif, image/svg+xml;q=0.8"
_SUFFIX = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "image/avif": ".avif",
    "image/svg+xml": ".svg",
}
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


@dataclass(slots=True)
class ImageReport:
    saved: int = 0
    skipped: list[str] = field(default_factory=list)  # "url: reason" for each image not kept

    def warning(self) -> str:
        """One line for the reader about the images not kept (the first one's reason)."""
        if not self.skipped:
            return ""
        return f"{plural(len(self.skipped), 'image')} not kept: {self.skipped[0]}"


def image_urls(article: Article) -> list[str]:
    """The pictures an article shows, lead image first, each once."""
    urls = [article.lead_image] + [f.src for f in article.figures()]
    return list(dict.fromkeys(u for u in (safe_link(u) for u in urls if u) if u))


def sniff_type(data: bytes, declared: str) -> str:
    """The image type from its first bytes (or a declared SVG/WebP/AVIF), else ''."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[4:12] in (b"ftypavif", b"ftypavis"):
        return "image/avif"
    declared = declared.split(";", 1)[0].strip().lower()
    if declared == "image/svg+xml" and b"<svg" in data[:2048].lower():
        return declared
    return ""


def keep_images(
    store: Store,
    config: Config,
    entry_id: int,
    article: Article,
    session: FetchSession | None,
    cache: ImageCache | None,
) -> ImageReport:
    """Download the article's images that are not stored yet, within the size caps, on
    the shared HTTP client `session`; an image the reader already fetched into the image
    `cache` is taken from there."""
    have = store.article_images(entry_id)
    budget = config.network.max_saved_bytes - store.saved_image_bytes(entry_id)
    images_dir = store.images_dir
    wanted = [u for u in image_urls(article) if u not in have]
    report = ImageReport()
    if not wanted:
        return report
    cached = {u: data for u in wanted if cache is not None and (data := cache.get(u))}
    missing = [u for u in wanted if u not in cached]
    max_bytes = config.network.max_image_bytes

    async def run(fetcher: Fetcher) -> list[tuple[str, tuple[bytes, str] | str]]:
        return await _download(fetcher, missing, max_bytes)

    downloads = (
        fetch_with(session, replace(limits_from(config), max_bytes=max_bytes), run)
        if missing
        else []
    )
    for url, data in cached.items():
        kind = sniff_type(data, "")
        if kind:
            downloads.append((url, (data, kind)))
    for url, result in downloads:
        if isinstance(result, str):
            report.skipped.append(f"{url}: {result}")
            continue
        data, kind = result
        if len(data) > budget:
            report.skipped.append(f"{url}: over the {config.network.max_saved_bytes:,}-byte limit")
            continue
        digest = hashlib.sha256(data).hexdigest()
        relpath = f"{digest[:2]}/{digest}{_SUFFIX.get(kind, '')}"
        _write_once(images_dir / relpath, data)
        store.add_image(entry_id, url, digest, relpath, kind, len(data))
        budget -= len(data)
        report.saved += 1
    return report


async def _download(
    fetcher: Fetcher, urls: list[str], max_bytes: int
) -> list[tuple[str, tuple[bytes, str] | str]]:
    async def one(url: str) -> tuple[str, tuple[bytes, str] | str]:
        try:
            response = await fetcher.get(url, accept=ACCEPT_IMAGES, max_bytes=max_bytes)
        except FetchError as exc:
            return url, str(exc)
        kind = sniff_type(response.content, response.content_type)
        if not kind:
            return url, f"not an image ({response.content_type or 'unknown type'})"
        return url, (response.content, kind)

    return list(await asyncio.gather(*(one(u) for u in urls)))


def _write_once(path: Path, data: bytes) -> None:
    """A content-addressed file: if it exists it is already right."""
    if not path.exists():
        write_atomically(path, data)
