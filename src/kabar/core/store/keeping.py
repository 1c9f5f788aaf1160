"""Keeping and letting go: saved images, retention, and a few counters.

Images of saved articles are files named by their content hash under `images/` beside the
database; the rows here say which article uses which image, so an image shared by two
articles is stored once and deleted only when neither needs it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from kabar.core.store.base import StoreBase


@dataclass(slots=True)
class RetentionRule:
    """Remove entries older than `keep_days` (0: no age limit) and, per feed, read entries
    beyond the newest `max_entries` (0: no count limit). Saved entries are never removed."""

    keep_days: int = 0
    max_entries: dict[int, int] | None = None  # feed id -> limit


class KeepingQueries(StoreBase):
    # -- images ------------------------------------------------------------------------------
    @property
    def images_dir(self) -> Path:
        return Path(self.path).parent / "images"

    def add_image(
        self, entry_id: int, url: str, hash_: str, relpath: str, type_: str, size: int
    ) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO images (hash, path, type, size) VALUES (?, ?, ?, ?)",
                (hash_, relpath, type_, size),
            )
            conn.execute(
                "INSERT OR REPLACE INTO article_images (entry_id, url, hash) VALUES (?, ?, ?)",
                (entry_id, url, hash_),
            )

    def article_images(self, entry_id: int) -> dict[str, Path]:
        """The saved images of an entry, by their original URL."""
        return {
            url: self.images_dir / path
            for url, path in self.conn.execute(
                "SELECT ai.url, i.path FROM article_images ai JOIN images i ON i.hash = ai.hash "
                "WHERE ai.entry_id = ?",
                (entry_id,),
            )
        }

    def saved_image_for(self, url: str) -> Path | None:
        """A saved image file for this address, whichever article saved it."""
        row = self.conn.execute(
            "SELECT i.path FROM article_images ai JOIN images i ON i.hash = ai.hash "
            "WHERE ai.url = ? LIMIT 1",
            (url,),
        ).fetchone()
        return None if row is None else self.images_dir / row[0]

    def article_image_hashes(self, entry_id: int) -> dict[str, str]:
        return dict(
            self.conn.execute(
                "SELECT url, hash FROM article_images WHERE entry_id = ?", (entry_id,)
            ).fetchall()
        )

    def saved_image_bytes(self, entry_id: int) -> int:
        row = self.conn.execute(
            "SELECT COALESCE(sum(i.size), 0) FROM article_images ai "
            "JOIN images i ON i.hash = ai.hash WHERE ai.entry_id = ?",
            (entry_id,),
        ).fetchone()
        return int(row[0])

    def orphan_images(self) -> list[tuple[str, Path]]:
        """Images no article uses any more (safe to delete)."""
        return [
            (hash_, self.images_dir / path)
            for hash_, path in self.conn.execute(
                "SELECT hash, path FROM images WHERE hash NOT IN (SELECT hash FROM article_images)"
            )
        ]

    def forget_images(self, hashes: list[str]) -> None:
        with self.transaction() as conn:
            conn.executemany(
                "DELETE FROM images WHERE hash = ? "
                "AND hash NOT IN (SELECT hash FROM article_images)",
                [(h,) for h in hashes],
            )

    # -- retention ---------------------------------------------------------------------------
    def purge(self, rule: RetentionRule, now: float | None = None) -> int:
        """Remove entries the rule lets go; returns how many. Saved entries always stay.

        Removed entries leave a tombstone (their key) so that a feed still listing them
        does not bring them back as new and unread.
        """
        now = time.time() if now is None else now
        doomed: set[int] = set()
        if rule.keep_days > 0:
            cutoff = now - rule.keep_days * 86400
            doomed.update(
                r[0]
                for r in self.conn.execute(
                    "SELECT id FROM entries WHERE saved = 0 AND sort_date < ?", (cutoff,)
                )
            )
        for feed_id, limit in (rule.max_entries or {}).items():
            if limit > 0:
                doomed.update(
                    r[0]
                    for r in self.conn.execute(
                        "SELECT id FROM entries WHERE feed_id = ? AND saved = 0 AND read = 1 "
                        "AND id NOT IN (SELECT id FROM entries WHERE feed_id = ? "
                        "ORDER BY sort_date DESC, id DESC LIMIT ?)",
                        (feed_id, feed_id, limit),
                    )
                )
        if not doomed:
            return 0
        ids = [(i,) for i in sorted(doomed)]
        with self.transaction() as conn:
            conn.executemany(
                "INSERT OR IGNORE INTO purged (feed_id, key) "
                "SELECT feed_id, key FROM entries WHERE id = ? AND saved = 0",
                ids,
            )
            conn.executemany("DELETE FROM entries WHERE id = ? AND saved = 0", ids)
        return len(ids)

    def vacuum(self) -> None:
        self.conn.execute("INSERT INTO search (search) VALUES ('optimize')")
        self.conn.execute("VACUUM")

    # -- counters ----------------------------------------------------------------------------
    def counter(self, key: str) -> int:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return int(row[0]) if row else 0

    def add_to_counter(self, key: str, amount: int) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + excluded.value",
                (key, amount),
            )
