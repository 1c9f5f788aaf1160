"""A second copy of every saved article, as a JSON file beside the database.

SQLite with WAL and transactions survives crashes, but not a disk error or a file someone
truncated. What a reader saved must survive even that, so each save also writes
`saved/<hash>.json` (the entry's metadata, feed, article document and image hashes),
atomically. `kabar recover` rebuilds saved articles from these files when the database
cannot give them back.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kabar.core.article.document import Article
from kabar.core.article.entryarticle import iso_date
from kabar.core.emptied import COPIES_FOLDER
from kabar.core.files import write_atomically
from kabar.core.models import EntryDetail

FOLDER = COPIES_FOLDER


@dataclass(slots=True)
class SavedCopy:
    feed_url: str
    feed_title: str
    key: str
    title: str
    link: str
    author: str
    published: str
    article: Article
    images: dict[str, str]  # image URL -> content hash


def copy_path(data_dir: Path, feed_url: str, key: str) -> Path:
    digest = hashlib.sha256(f"{feed_url}\n{key}".encode(errors="replace")).hexdigest()[:32]
    return data_dir / FOLDER / f"{digest}.json"


def write_copy(
    data_dir: Path, detail: EntryDetail, key: str, article: Article, images: dict[str, str]
) -> Path:
    """Write (or replace) the copy of a saved entry, atomically."""
    row = detail.row
    data = {
        "version": 1,
        "feed_url": detail.feed_url,
        "feed_title": row.feed_title,
        "key": key,
        "title": row.title,
        "link": row.link,
        "author": row.author,
        "published": iso_date(row.published),
        "article": article.to_json(),
        "images": images,
    }
    path = copy_path(data_dir, detail.feed_url, key)
    write_atomically(path, json.dumps(data, ensure_ascii=False).encode("utf-8"))
    return path


def remove_copy(data_dir: Path, feed_url: str, key: str) -> None:
    copy_path(data_dir, feed_url, key).unlink(missing_ok=True)


def read_copies(data_dir: Path) -> list[SavedCopy]:
    """Every readable copy; a damaged file is skipped, not fatal."""
    copies: list[SavedCopy] = []
    for path in sorted((data_dir / FOLDER).glob("*.json")):
        try:
            data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
            copies.append(
                SavedCopy(
                    feed_url=str(data["feed_url"]),
                    feed_title=str(data.get("feed_title", "")),
                    key=str(data["key"]),
                    title=str(data.get("title", "")),
                    link=str(data.get("link", "")),
                    author=str(data.get("author", "")),
                    published=str(data.get("published", "")),
                    article=Article.from_json(data["article"]),
                    images={str(k): str(v) for k, v in dict(data.get("images", {})).items()},
                )
            )
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return copies
