"""Export articles as Markdown or HTML files, with their saved images beside them.

Each article becomes one file, `DATE-slug.md` or `.html`, and its saved images are copied
into `DATE-slug_files/` next to it, so the folder reads anywhere with no network.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from kabar.render.html import article_html
from kabar.render.markdown import article_markdown

if TYPE_CHECKING:
    from kabar.core.library.outcomes import ExportItem

Format = Literal["markdown", "html"]


def slug(text: str, limit: int = 60) -> str:
    """A file-name-safe slug that keeps the letters of every script."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"[^\w]+", "-", text, flags=re.UNICODE).strip("-_")
    return text[:limit].rstrip("-") or "article"


def export_articles(items: Iterable[ExportItem], folder: Path, fmt: Format) -> list[Path]:
    """Write one file per article (from `Library.articles`) into `folder`; returns the
    files written."""
    folder.mkdir(parents=True, exist_ok=True)
    suffix = ".md" if fmt == "markdown" else ".html"
    written: list[Path] = []
    for item in items:
        article, row = item.article, item.row
        name = f"{article.published[:10] or 'undated'}-{slug(article.title or row.title)}"
        if (folder / f"{name}{suffix}").exists() or name in {p.stem for p in written}:
            name = f"{name}-{row.id}"
        images = _copy_images(item.images, folder / f"{name}_files")
        if fmt == "markdown":
            text = article_markdown(article, images)
        else:
            text = article_html(article, images)
        path = folder / f"{name}{suffix}"
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def _copy_images(images: dict[str, Path], target: Path) -> dict[str, str]:
    """Copy saved images beside the export; returns image URL -> relative path."""
    local: dict[str, str] = {}
    for url, path in images.items():
        if path.is_file():
            target.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target / path.name)
            local[url] = f"{target.name}/{path.name}"
    return local
