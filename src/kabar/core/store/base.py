"""The Store's connection and transactions, shared by the query mixins."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress


class StoreBase:
    """One SQLite connection, used from one thread."""

    conn: sqlite3.Connection
    path: str
    read_only: bool = False  # opened read-only, in a folder Kabar cannot write

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """A read transaction: every read inside sees the database as it was at the first,
        whatever other connections commit meanwhile (WAL readers never block a writer).
        For reads that must agree with each other, such as a count and a position."""
        if self.conn.in_transaction:
            yield self.conn
            return
        self.conn.execute("BEGIN DEFERRED")
        try:
            yield self.conn
        finally:
            rollback(self.conn)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction taken up front (BEGIN IMMEDIATE), so it never fails half-way
        on a lock upgrade. Inside another one it is part of it: several changes that must
        all be kept or none (on a full disk) nest their calls in one transaction."""
        if self.conn.in_transaction:
            yield self.conn
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            rollback(self.conn)
            raise
        try:
            self.conn.execute("COMMIT")
        except BaseException:
            rollback(self.conn)
            raise


def rollback(conn: sqlite3.Connection) -> None:
    """Roll back what is still open. SQLite has already rolled back by itself after a
    full disk or an I/O error, and a second ROLLBACK would hide the error that matters."""
    if conn.in_transaction:
        with suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
