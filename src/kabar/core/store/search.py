"""The search index: kept up to date after refreshes, queried as the reader types.

Indexing is not part of a refresh (a cold refresh of 1000 feeds would spend seconds in
FTS5); new and changed entries are marked `indexed = 0` and `index_pending` catches up
afterwards, in a worker in the TUI or before `kabar search` answers.
"""

from __future__ import annotations

from kabar.core.models import EntryRow
from kabar.core.store.base import StoreBase
from kabar.core.store.query import ENTRY_COLUMNS, EntryQuery, entry_row, entry_where
from kabar.core.store.searchtext import SearchQuery, cjk_bigrams, html_text, parse_query

INDEX_BATCH = 500


class SearchQueries(StoreBase):
    def index_pending(self, batch: int = INDEX_BATCH) -> int:
        """Index up to `batch` entries that are new or changed; returns how many."""
        rows = self.conn.execute(
            "SELECT e.id, e.title, e.summary, e.content, a.document FROM entries e "
            "LEFT JOIN articles a ON a.entry_id = e.id WHERE e.indexed = 0 LIMIT ?",
            (batch,),
        ).fetchall()
        if not rows:
            return 0
        documents = [(entry_id, *_document(title, summary, content, article))
                     for entry_id, title, summary, content, article in rows]  # fmt: skip
        with self.transaction() as conn:
            conn.executemany("DELETE FROM search WHERE rowid = ?", [(d[0],) for d in documents])
            conn.executemany("INSERT INTO search (rowid, title, body) VALUES (?, ?, ?)", documents)
            conn.executemany(
                "UPDATE entries SET indexed = 1 WHERE id = ?", [(d[0],) for d in documents]
            )
        return len(documents)

    def index_all(self) -> int:
        total = 0
        while count := self.index_pending():
            total += count
        return total

    def search(self, query: str | SearchQuery, limit: int = 200) -> list[EntryRow]:
        """Entries matching a query (with `feed:`, `saved:`, `unread:` filters), best first."""
        parsed = parse_query(query) if isinstance(query, str) else query
        filters = parsed.feed or parsed.saved is not None or parsed.unread is not None
        where, params = entry_where(
            EntryQuery(
                feed_match=parsed.feed or "",
                unread_only=parsed.unread is True,
                read_only=parsed.unread is False,
                saved_only=parsed.saved is True,
                unsaved_only=parsed.saved is False,
            )
        )
        match = parsed.fts()
        if match:
            sql = (
                f"SELECT {ENTRY_COLUMNS} FROM search s JOIN entries e ON e.id = s.rowid "
                f"JOIN feeds f ON f.id = e.feed_id {where} AND search MATCH ? "
                "ORDER BY bm25(search, 4.0, 1.0), e.sort_date DESC LIMIT ?"
            )
            params = (*params, match)
        elif filters:
            sql = (
                f"SELECT {ENTRY_COLUMNS} FROM entries e JOIN feeds f ON f.id = e.feed_id "
                f"{where} ORDER BY e.sort_date DESC LIMIT ?"
            )
        else:
            return []
        return [entry_row(r) for r in self.conn.execute(sql, (*params, limit))]


def _document(title: str, summary: str, content: str, article: str | None) -> tuple[str, str]:
    body = html_text(content or summary)
    if article:
        body += "\n" + _article_text(article)
    return cjk_bigrams(title), cjk_bigrams(body)


def _article_text(document: str) -> str:
    """The extracted article's text, captions included (they are worth finding)."""
    from kabar.core.article.document import Article  # not at the store's import: start-up

    try:
        return Article.loads(document).searchable_text()
    except (ValueError, TypeError, KeyError, AttributeError):  # a damaged stored document
        return ""
