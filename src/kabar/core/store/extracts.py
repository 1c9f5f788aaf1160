"""Extracted articles stored beside their entries."""

from __future__ import annotations

import time

from kabar.core.store.base import StoreBase


class ArticleQueries(StoreBase):
    def store_article(
        self,
        entry_id: int,
        url: str,
        document: str,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO articles (entry_id, url, document, fetched, etag, "
                "last_modified) VALUES (?, ?, ?, ?, ?, ?)",
                (entry_id, url, document, time.time(), etag, last_modified),
            )
            conn.execute("UPDATE entries SET indexed = 0 WHERE id = ?", (entry_id,))

    def date_undated_entry(self, entry_id: int, published: float) -> bool:
        """Give an entry its feed left undated the date its page states; it then sorts by
        that date, not by when it was first seen. Returns whether the entry changed."""
        with self.transaction() as conn:
            cursor = conn.execute(
                "UPDATE entries SET published = ?, sort_date = ? "
                "WHERE id = ? AND published IS NULL",
                (published, published, entry_id),
            )
        return cursor.rowcount > 0

    def article_validators(self, entry_id: int) -> tuple[str | None, str | None]:
        """The ETag and Last-Modified of the stored page, for a conditional re-fetch."""
        row = self.conn.execute(
            "SELECT etag, last_modified FROM articles WHERE entry_id = ?", (entry_id,)
        ).fetchone()
        return (None, None) if row is None else (row[0], row[1])

    def article(self, entry_id: int) -> str | None:
        row = self.conn.execute(
            "SELECT document FROM articles WHERE entry_id = ?", (entry_id,)
        ).fetchone()
        return None if row is None else str(row[0])
