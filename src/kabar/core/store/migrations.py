"""Versioned schema migrations.

Each migration is a list of statements applied in one transaction together with the bump of
`PRAGMA user_version`, so a crash mid-migration leaves the previous version intact. Append
new migrations; never edit one that has shipped.
"""

from __future__ import annotations

import sqlite3

MIGRATIONS: list[list[str]] = [
    # 1: feeds, entries and extracted articles
    [
        """CREATE TABLE feeds (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL DEFAULT '',
            site_url TEXT NOT NULL DEFAULT '',
            folder TEXT NOT NULL DEFAULT '',
            kind TEXT NOT NULL DEFAULT '',
            etag TEXT,
            last_modified TEXT,
            last_fetched REAL,
            last_status INTEGER,
            last_error TEXT NOT NULL DEFAULT '',
            error_count INTEGER NOT NULL DEFAULT 0,
            next_fetch REAL,
            min_interval REAL NOT NULL DEFAULT 0,
            disabled TEXT NOT NULL DEFAULT '',
            removed REAL,
            added REAL NOT NULL
        )""",
        """CREATE TABLE entries (
            id INTEGER PRIMARY KEY,
            feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            title TEXT NOT NULL DEFAULT '',
            link TEXT NOT NULL DEFAULT '',
            author TEXT NOT NULL DEFAULT '',
            published REAL,
            updated REAL,
            sort_date REAL NOT NULL,
            summary TEXT NOT NULL DEFAULT '',
            content TEXT NOT NULL DEFAULT '',
            enclosures TEXT NOT NULL DEFAULT '[]',
            first_seen REAL NOT NULL,
            read INTEGER NOT NULL DEFAULT 0,
            saved INTEGER NOT NULL DEFAULT 0,
            UNIQUE (feed_id, key)
        )""",
        "CREATE INDEX entries_by_feed_date ON entries (feed_id, sort_date DESC)",
        "CREATE INDEX entries_by_date ON entries (sort_date DESC)",
        "CREATE INDEX entries_unread ON entries (feed_id) WHERE read = 0",
        "CREATE INDEX entries_saved ON entries (sort_date DESC) WHERE saved = 1",
        """CREATE TABLE articles (
            entry_id INTEGER PRIMARY KEY REFERENCES entries(id) ON DELETE CASCADE,
            url TEXT NOT NULL,
            document TEXT NOT NULL,
            fetched REAL NOT NULL,
            etag TEXT,
            last_modified TEXT
        )""",
    ],
    # 2: full-text search over titles, feed content and extracted articles
    [
        "ALTER TABLE entries ADD COLUMN indexed INTEGER NOT NULL DEFAULT 0",
        "CREATE INDEX entries_unindexed ON entries (id) WHERE indexed = 0",
        "CREATE VIRTUAL TABLE search USING fts5"
        "(title, body, tokenize = 'unicode61 remove_diacritics 2')",
        """CREATE TRIGGER entries_search_delete AFTER DELETE ON entries BEGIN
            DELETE FROM search WHERE rowid = old.id;
        END""",
    ],
    # 3: per-feed settings from the config file (a title of the reader's own, tags)
    [
        "ALTER TABLE feeds ADD COLUMN custom_title TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE feeds ADD COLUMN tags TEXT NOT NULL DEFAULT ''",
    ],
    # 4: saved images, retention tombstones, and a small key-value table for counters
    [
        """CREATE TABLE images (
            hash TEXT PRIMARY KEY,
            path TEXT NOT NULL,
            type TEXT NOT NULL DEFAULT '',
            size INTEGER NOT NULL
        )""",
        """CREATE TABLE article_images (
            entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
            url TEXT NOT NULL,
            hash TEXT NOT NULL REFERENCES images(hash),
            PRIMARY KEY (entry_id, url)
        )""",
        "CREATE INDEX article_images_by_hash ON article_images (hash)",
        """CREATE TABLE purged (
            feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            PRIMARY KEY (feed_id, key)
        ) WITHOUT ROWID""",
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
    ],
    # 5: sync with a feed server: a feed's server stream id, which entry is which server
    # item, the durable queue of local state changes, and the account's sync state
    [
        "ALTER TABLE feeds ADD COLUMN stream_id TEXT NOT NULL DEFAULT ''",
        "CREATE INDEX feeds_by_stream ON feeds (stream_id) WHERE stream_id != ''",
        """CREATE TABLE sync_items (
            item_id INTEGER PRIMARY KEY,
            entry_id INTEGER NOT NULL UNIQUE REFERENCES entries(id) ON DELETE CASCADE
        )""",
        """CREATE TABLE sync_queue (
            seq INTEGER PRIMARY KEY,
            item_id INTEGER NOT NULL,
            field TEXT NOT NULL,
            value INTEGER NOT NULL,
            queued REAL NOT NULL
        )""",
        "CREATE INDEX sync_queue_by_item ON sync_queue (item_id)",
        "CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
    ],
]

SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection) -> int:
    """Apply every pending migration; returns how many ran.

    The connection must be in autocommit mode (isolation_level=None) so that the explicit
    BEGIN/COMMIT below are the only transaction boundaries.
    """
    applied = 0
    while (current := schema_version(conn)) < SCHEMA_VERSION:
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Re-read inside the write lock: another process may have migrated meanwhile.
            current = schema_version(conn)
            if current >= SCHEMA_VERSION:
                conn.execute("COMMIT")
                break
            for statement in MIGRATIONS[current]:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {current + 1}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:  # a full disk has already rolled it back
                conn.execute("ROLLBACK")
            raise
        applied += 1
    return applied
