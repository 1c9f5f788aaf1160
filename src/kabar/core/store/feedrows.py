"""Feed rows: subscribe, unsubscribe, list with unread counts."""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence

from kabar.core.config.settings import FeedConfig, normal_url
from kabar.core.errors import StoreError
from kabar.core.models import PAGES_FEED_URL, FeedRow
from kabar.core.store.base import StoreBase

# meta key: {feed URL: [folder the config gives it, folder it had before]}
_CONFIG_FOLDERS = "config_folders"

_FEED_COLUMNS = (
    "f.id, f.url, f.title, f.site_url, f.folder, f.kind, f.last_error, f.last_fetched, "
    "f.disabled, f.etag, f.last_modified, f.next_fetch, f.min_interval, f.custom_title, f.tags, "
    "f.stream_id, f.error_count"
)


class FeedQueries(StoreBase):
    def add_feed(self, url: str, title: str = "", folder: str = "", site_url: str = "") -> FeedRow:
        """Add a feed, or bring back one that was removed; an existing feed is returned as is."""
        now = time.time()
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO feeds (url, title, folder, site_url, added) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (url) DO UPDATE SET removed = NULL WHERE removed IS NOT NULL",
                (url, title, folder, site_url, now),
            )
        feed = self.feed_by_url(url)
        assert feed is not None
        return feed

    def add_feeds(self, feeds: Sequence[tuple[str, str, str, str]]) -> int:
        """Add many feeds (url, title, folder, site URL) in one transaction, so that an
        import that fails (a full disk) adds none; returns how many were new."""
        now = time.time()
        added = 0
        with self.transaction() as conn:
            for url, title, folder, site_url in feeds:
                added += conn.execute(
                    "INSERT INTO feeds (url, title, folder, site_url, added) "
                    "VALUES (?, ?, ?, ?, ?) "
                    "ON CONFLICT (url) DO UPDATE SET removed = NULL WHERE removed IS NOT NULL",
                    (url, title, folder, site_url, now),
                ).rowcount
        return added

    def remove_feed(self, url: str) -> int:
        """Remove a feed; returns how many saved entries were kept.

        Saved entries are never deleted with their feed: a feed with saved entries is only
        marked removed (hidden, not refreshed) and loses its unsaved entries.
        """
        feed = self.feed_by_url(url)
        if feed is None:
            raise StoreError(f"no feed with URL {url}")
        with self.transaction() as conn:
            saved = conn.execute(
                "SELECT count(*) FROM entries WHERE feed_id = ? AND saved = 1", (feed.id,)
            ).fetchone()[0]
            if saved:
                conn.execute("DELETE FROM entries WHERE feed_id = ? AND saved = 0", (feed.id,))
                conn.execute("UPDATE feeds SET removed = ? WHERE id = ?", (time.time(), feed.id))
            else:
                conn.execute("DELETE FROM feeds WHERE id = ?", (feed.id,))
        return int(saved)

    def feed_by_url(self, url: str) -> FeedRow | None:
        if not url.isascii() and not _encodable(url):
            return None  # undecodable bytes from a command line: never a stored URL
        rows = self._feeds("WHERE f.url = ? AND f.removed IS NULL", (url,))
        return rows[0] if rows else None

    def feed_by_id(self, feed_id: int) -> FeedRow | None:
        rows = self._feeds("WHERE f.id = ?", (feed_id,))
        return rows[0] if rows else None

    def list_feeds(
        self, urls: Sequence[str] | None = None, *, counts: bool = True
    ) -> list[FeedRow]:
        """Active feeds by folder then title, with unread and total counts unless `counts`
        is false (a refresh needs none, and counting reads every entry).

        The hidden row that holds stand-alone saved pages is not a feed: never listed."""
        if urls:
            marks = ",".join("?" * len(urls))
            where = f"WHERE f.removed IS NULL AND f.url != ? AND f.url IN ({marks})"
            return self._feeds(where, (PAGES_FEED_URL, *urls), counts)
        return self._feeds("WHERE f.removed IS NULL AND f.url != ?", (PAGES_FEED_URL,), counts)

    def _feeds(self, where: str, params: tuple[object, ...], counts: bool = True) -> list[FeedRow]:
        # Two counts, each read from an index alone (entries_by_feed_date, and the partial
        # entries_unread): `sum(read = 0)` read every entry row, content and all, five
        # times slower at 30,000 entries.
        joined = (
            "LEFT JOIN (SELECT feed_id, count(*) AS total FROM entries GROUP BY feed_id) t "
            "ON t.feed_id = f.id "
            "LEFT JOIN (SELECT feed_id, count(*) AS unread FROM entries WHERE read = 0 "
            "GROUP BY feed_id) u ON u.feed_id = f.id "
        )
        sql = (
            f"SELECT {_FEED_COLUMNS}, "
            + ("COALESCE(u.unread, 0), COALESCE(t.total, 0) FROM feeds f " + joined
               if counts else "0, 0 FROM feeds f ")
            + f"{where} ORDER BY f.folder, "
            "lower(COALESCE(NULLIF(f.custom_title, ''), NULLIF(f.title, ''), f.url))"
        )  # fmt: skip
        return [
            FeedRow(
                id=r[0],
                url=r[1],
                title=r[2],
                site_url=r[3],
                folder=r[4],
                kind=r[5],
                last_error=r[6],
                last_fetched=r[7],
                disabled=r[8],
                etag=r[9],
                last_modified=r[10],
                next_fetch=r[11],
                min_interval=r[12],
                custom_title=r[13],
                tags=[t for t in r[14].split("\n") if t],
                stream_id=r[15],
                error_count=r[16],
                unread=r[17],
                total=r[18],
            )
            for r in self.conn.execute(sql, params)
        ]

    def apply_feed_settings(self, settings: Mapping[str, FeedConfig]) -> None:
        """Copy the config's per-feed title, folder and tags into the feed rows.

        Done when a profile opens the store, so every face (CLI, TUI, export) sees them; a
        feed that has left the config loses its custom title and tags, and the folder the
        config gave it goes back to the one it had before (unless the reader has moved the
        feed since). Which folders came from the config is remembered in `meta`. Nothing is
        written when nothing changed, so opening the store never waits behind a refresh.
        """
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (_CONFIG_FOLDERS,))
        found = row.fetchone()
        applied: dict[str, list[str]] = json.loads(found[0]) if found else {}
        remembered = dict(applied)
        changes = []
        rows = self.conn.execute("SELECT url, custom_title, tags, folder FROM feeds").fetchall()
        applied = {url: applied[url] for url, *_ in rows if url in applied}  # feeds deleted
        for url, title, tags, folder in rows:
            # Stored URLs are normal already but for rows older than the check: normalising
            # is a fallback, and with no [feeds] table (most profiles) nothing to look up.
            setting = (settings.get(url) or settings.get(normal_url(url))) if settings else None
            want = (setting.title, "\n".join(setting.tags)) if setting else ("", "")
            want_folder = setting.folder if setting else ""
            new_folder = folder
            if want_folder:
                before = applied[url][1] if url in applied else folder
                applied[url] = [want_folder, before]
                new_folder = want_folder
            elif url in applied:
                given, before = applied.pop(url)
                if folder == given:  # still where the config put it
                    new_folder = before
            if (title, tags, folder) != (*want, new_folder):
                changes.append((*want, new_folder, url))
        if (changes or applied != remembered) and not self.read_only:  # next time
            with self.transaction() as conn:
                conn.executemany(
                    "UPDATE feeds SET custom_title = ?, tags = ?, folder = ? WHERE url = ?",
                    changes,
                )
                conn.execute(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                    (_CONFIG_FOLDERS, json.dumps(applied, ensure_ascii=False)),
                )

    def set_feed_folder(self, feed_id: int, folder: str) -> None:
        """List a feed under another folder (`kabar add --folder` of a known feed)."""
        with self.transaction() as conn:
            conn.execute("UPDATE feeds SET folder = ? WHERE id = ?", (folder, feed_id))


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
