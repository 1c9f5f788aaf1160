"""Recovery never loses data: damaged files give back every readable row, a crash during
recover changes nothing, and a full disk or a read-only folder is never called damage."""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from kabar.cli.main import main
from kabar.core.config.profile import Profile
from kabar.core.errors import (
    DiskFullError,
    ReadOnlyError,
    database_error,
    is_damage,
    is_disk_full,
)
from kabar.core.feeds.refresh.engine import refreshable_feeds
from kabar.core.library.rebuild import CRASH_VARIABLE
from kabar.core.library.recovery import check_database, recover_database
from kabar.core.library.salvage import SHAPES, salvage
from kabar.core.library.saving import PAGES_FEED_URL, PAGES_KIND
from kabar.core.models import FeedUpdate, ParsedEntry, ParsedFeed
from kabar.core.store import Store
from tests.damage import PAGE, Built, build_profile, overwrite, page_of, truncate
from tests.loopback import LoopbackServer, Reply

State = set[tuple[str, int, int]]  # (link, read, saved) of every entry


def state(db: Path) -> State:
    with Store(db) as store:
        return {
            (str(link), int(read), int(saved))
            for link, read, saved in store.conn.execute("SELECT link, read, saved FROM entries")
        }


def feeds(db: Path) -> dict[str, str]:
    with Store(db) as store:
        return dict(store.conn.execute("SELECT url, kind FROM feeds"))


def documents(db: Path) -> dict[str, str]:
    """Each stored article's document, by its entry's link."""
    with Store(db) as store:
        rows = store.conn.execute(
            "SELECT e.link, a.document FROM articles a JOIN entries e ON e.id = a.entry_id"
        ).fetchall()
    return {str(link): str(document) for link, document in rows}


def articles(db: Path) -> set[str]:
    return set(documents(db))


@pytest.fixture
def built(profile: Profile) -> Built:
    profile.paths.ensure()
    return build_profile(profile.paths.database)


def assert_copies_back(db: Path, built: Built) -> None:
    """Every saved article with a second copy is saved again, with its text, and the
    "Saved pages" list is not a feed that refresh would fetch."""
    saved = {link for link, _, s in state(db) if s}
    assert built.copied <= saved
    assert built.copied <= articles(db)
    assert feeds(db)[PAGES_FEED_URL] == PAGES_KIND
    assert PAGES_FEED_URL not in {f.url for f in refreshable_feeds(db, None)}


# Damage: every readable row comes back


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda db: overwrite(db, 0, b"\xff" * 100), id="garbage-header"),
        pytest.param(lambda db: overwrite(db, 100, b"\xa5" * (PAGE - 100)), id="garbage-page-1"),
        pytest.param(lambda db: overwrite(db, 0, b"\0" * PAGE), id="zeroed-page-1"),
    ],
)
def test_a_destroyed_first_page_loses_no_row(
    profile: Profile, built: Built, damage: Callable[[Path], None]
) -> None:
    db = profile.paths.database
    before, before_feeds, before_documents = state(db), set(feeds(db)), documents(db)
    assert all(len(d) > PAGE for d in before_documents.values())  # on overflow pages
    damage(db)
    assert check_database(db) != []
    report = recover_database(db)
    assert check_database(db) == []
    assert state(db) == before  # every entry, with its read and saved state
    assert set(feeds(db)) == before_feeds
    assert documents(db) == before_documents
    assert_copies_back(db, built)
    assert report.counts.salvaged["entries"] == len(before)
    assert report.damaged_copy is not None and report.damaged_copy.stat().st_size > PAGE


def test_half_a_database_gives_back_the_rows_on_the_half_that_is_left(
    profile: Profile, built: Built
) -> None:
    db = profile.paths.database
    before = state(db)
    kept_pages = db.stat().st_size // PAGE // 2
    with sqlite3.connect(db) as conn:  # the rows that live on the pages that stay
        on_kept = conn.execute(
            "SELECT count(*) FROM dbstat WHERE name = 'entries' AND pagetype = 'leaf' "
            "AND pageno <= ?",
            (kept_pages,),
        ).fetchone()[0]
    assert on_kept > 0
    truncate(db, kept_pages * PAGE)
    report = recover_database(db)
    after = state(db)
    # nothing invented, read and saved states intact (an entry restored only from its copy
    # comes back unread: the copy does not know)
    assert {e for e in after - before if e[0] not in built.copied} == set()
    assert len(after) >= len(before) * 0.4
    assert any(read for _, read, _ in after)
    assert report.counts.salvaged["entries"] > 0 and report.counts.salvaged["feeds"] > 0
    assert_copies_back(db, built)


def test_a_4k_stub_still_gives_back_the_copies(profile: Profile, built: Built) -> None:
    db = profile.paths.database
    truncate(db, PAGE)
    report = recover_database(db)
    assert report.counts.restored_saved == len(built.copied)
    assert_copies_back(db, built)


def test_a_damaged_interior_page_costs_no_rows(profile: Profile, built: Built) -> None:
    db = profile.paths.database
    before = state(db)
    interior = page_of(db, "entries", kind="internal")
    assert interior
    for number in interior:
        overwrite(db, (number - 1) * PAGE, b"\xee" * 16)
    recover_database(db)
    assert state(db) == before


def test_the_sync_queue_and_item_map_survive_a_recover(profile: Profile, built: Built) -> None:
    """Changes queued for the sync server are a reader's own work: a recover keeps them."""
    db = profile.paths.database
    with Store(db) as store:
        entry_id = store.conn.execute("SELECT min(id) FROM entries").fetchone()[0]
        with store.transaction() as conn:
            conn.execute("INSERT INTO sync_items (item_id, entry_id) VALUES (?, ?)", (77, entry_id))
            conn.execute(
                "INSERT INTO sync_queue (item_id, field, value, queued) VALUES (77, 'read', 1, 0)"
            )
            conn.execute("INSERT INTO sync_state (key, value) VALUES ('account', 'kabar@h')")
    interior = page_of(db, "entries", kind="internal")
    for number in interior:
        overwrite(db, (number - 1) * PAGE, b"\xee" * 16)
    recover_database(db)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT item_id, entry_id FROM sync_items").fetchall() == [
            (77, entry_id)
        ]
        queued = conn.execute("SELECT item_id, field, value FROM sync_queue").fetchall()
        assert (77, "read", 1) in queued
        assert conn.execute("SELECT value FROM sync_state").fetchall() == [("kabar@h",)]


def state_without_wal(db: Path) -> State:
    with sqlite3.connect(f"{db.as_uri()}?immutable=1", uri=True) as conn:
        rows = conn.execute("SELECT link, read, saved FROM entries").fetchall()
    return {(str(link), int(read), int(saved)) for link, read, saved in rows}


def test_rows_still_in_the_wal_are_salvaged_too(
    profile: Profile, built: Built, tmp_path: Path
) -> None:
    """A process killed before a checkpoint leaves its last transactions in the WAL only."""
    db = profile.paths.database
    code = (
        "import os, signal, sys; from kabar.core.store import Store; s = Store(sys.argv[1]); "
        "s.conn.execute('PRAGMA wal_autocheckpoint = 0'); "
        "s.conn.execute('UPDATE entries SET read = 1 WHERE id % 2 = 0'); "
        "s.conn.execute(\"UPDATE feeds SET title = 'renamed in the WAL'\"); "
        "os.kill(os.getpid(), signal.SIGKILL)"
    )
    subprocess.run([sys.executable, "-c", code, str(db)], check=False, timeout=60)
    wal = Path(f"{db}-wal")
    assert wal.stat().st_size > 0
    elsewhere = tmp_path / "expected"  # reading it here would checkpoint the WAL away
    elsewhere.mkdir()
    shutil.copyfile(db, elsewhere / db.name)
    shutil.copyfile(wal, elsewhere / wal.name)
    before = state(elsewhere / db.name)
    assert before != state_without_wal(db)
    overwrite(db, 0, b"\xff" * 100)  # SQLite can no longer open it, WAL or not
    assert wal.stat().st_size > 0
    # the pages alone (SQLite may still read this one through its WAL's page 1)
    found = salvage(db)
    assert {(str(r["link"]), r["read"], r["saved"]) for r in found.records("entries")} == before
    assert sum(1 for _ in found.records("entries")) == len(before)
    report = recover_database(db)
    assert report.counts.rows("entries") == len(before)
    assert state(db) == before
    with Store(db) as store:
        titles = {r[0] for r in store.conn.execute("SELECT title FROM feeds WHERE kind = 'atom'")}
    assert titles == {"renamed in the WAL"}


def test_saved_entries_outlive_their_lost_feed_rows(profile: Profile, built: Built) -> None:
    db = profile.paths.database
    before = state(db)
    saved_before = {link for link, _, saved in before if saved}
    for number in page_of(db, "feeds"):  # every feed row gone for good
        overwrite(db, (number - 1) * PAGE, b"\xee" * 16)
    report = recover_database(db)
    after = state(db)
    assert {link for link, _, saved in after if saved} == saved_before
    assert after <= before | {(link, 0, 1) for link in built.copied}
    with Store(db) as store:
        by_url = {f.url: f for f in store.list_feeds(counts=False)}
        stand_ins = [f for f in by_url.values() if f.url.startswith("kabar:lost-feed-")]
        assert stand_ins and all(f.disabled for f in stand_ins)
        # a second copy gave its feed the address back
        for link in built.copied:
            row = store.conn.execute(
                "SELECT f.url FROM entries e JOIN feeds f ON f.id = e.feed_id WHERE e.link = ?",
                (link,),
            ).fetchone()
            assert not str(row[0]).startswith("kabar:lost-feed-")
    assert report.counts.orphaned.get("entries", 0) > 0  # the unsaved ones are left out
    assert report.counts.adopted == len(saved_before)
    assert any("Recovered saved entries" in line for line in report.lines())
    assert not {f.url for f in refreshable_feeds(db, None) if not f.disabled} & {
        f.url for f in stand_ins
    }


@pytest.mark.parametrize("seed", range(6))
def test_random_garbage_anywhere_never_stops_recover(
    profile: Profile, built: Built, seed: int
) -> None:
    """Random bytes over random parts of the file: recover always ends with a sound
    database, invents no entry, and gives every saved article with a copy back."""
    db = profile.paths.database
    before = state(db)
    rng = random.Random(seed)
    size = db.stat().st_size
    hits = rng.randint(1, 12)
    for _ in range(hits):
        start = rng.randrange(size)
        overwrite(db, start, rng.randbytes(min(size - start, rng.choice((4, 100, PAGE * 3)))))
    recover_database(db)
    assert check_database(db) == []
    assert_copies_back(db, built)
    # a row whose own bytes were overwritten may come back with them (SQLite reads it so
    # too), but nothing is made up out of the garbage itself
    links = {link for link, _, _ in before} | built.copied
    garbled = {link for link, _, _ in state(db)} - links
    assert len(garbled) <= hits, garbled


def test_a_lock_is_not_damage(profile: Profile, built: Built) -> None:
    db = profile.paths.database
    holder = sqlite3.connect(db, isolation_level=None)
    waiter = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        with pytest.raises(sqlite3.OperationalError) as raised:
            waiter.execute("BEGIN IMMEDIATE")
    finally:
        holder.close()
        waiter.close()
    assert not is_damage(raised.value) and not is_disk_full(raised.value, db)
    message = str(database_error(str(db), raised.value))
    assert "locked" in message and "damaged" not in message and "recover" not in message


def test_salvage_shapes_follow_the_schema(store: Store) -> None:
    """A column added by a new migration must be added to the salvage shapes too."""
    for table, shape in SHAPES.items():
        columns = [r[1] for r in store.conn.execute(f"PRAGMA table_info({table})")]
        assert list(shape.columns) == columns, table


def test_deleted_rows_on_free_pages_stay_deleted(profile: Profile, built: Built) -> None:
    db = profile.paths.database
    with Store(db) as store:
        store.conn.execute("PRAGMA secure_delete = OFF")
        unsaved = store.conn.execute(
            "SELECT url FROM feeds WHERE url != ? AND id NOT IN "
            "(SELECT feed_id FROM entries WHERE saved = 1)",
            (PAGES_FEED_URL,),
        ).fetchall()
        doomed = {str(r[0]) for r in unsaved[:12]}
        for url in doomed:
            store.remove_feed(url)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        assert store.conn.execute("PRAGMA freelist_count").fetchone()[0] > 0
    before = state(db)
    for number in page_of(db, "entries", kind="internal"):  # SQLite cannot walk the table
        overwrite(db, (number - 1) * PAGE, b"\xee" * 16)
    report = recover_database(db)
    assert report.counts.salvaged["entries"] > 0
    assert state(db) == before
    assert not doomed & set(feeds(db))
    assert not report.counts.orphaned  # the deleted feeds' entries were not read back


# A 0-byte database beside saved copies


def test_an_emptied_database_is_not_taken_for_a_new_profile(
    profile: Profile, built: Built, capsys: pytest.CaptureFixture[str]
) -> None:
    db = profile.paths.database
    truncate(db, 0)
    assert main(["feeds"]) == 2
    err = capsys.readouterr().err
    assert "empty (0 bytes)" in err and "kabar recover" in err and err.count("\n") == 1
    assert db.stat().st_size == 0  # nothing was built over it
    assert main(["check"]) == 1
    assert "kabar recover" in capsys.readouterr().err
    assert main(["recover"]) == 0
    assert f"{len(built.copied)} saved articles restored" in capsys.readouterr().out
    assert_copies_back(db, built)
    assert main(["entries", "--saved"]) == 0


# Atomic: a crash at any moment leaves the original or the complete new database


def run_kabar(
    args: list[str], env: dict[str, str] | None = None, *, fsize: int | None = None
) -> subprocess.CompletedProcess[str]:
    """`kabar ARGS` in a child process (optionally with a file size limit: a full disk)."""
    code = "import sys; from kabar.cli.main import main; sys.exit(main(sys.argv[1:]))"

    def limit() -> None:
        import resource
        import signal

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        assert fsize is not None
        resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    return subprocess.run(
        [sys.executable, "-c", code, *args],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=limit if fsize else None,
    )


@pytest.mark.parametrize("stage", ["kept", "copying", "filled", "built", "swapped"])
def test_recover_killed_at_any_stage_loses_nothing(
    profile: Profile, built: Built, stage: str
) -> None:
    db = profile.paths.database
    truncate(db, db.stat().st_size * 3 // 4)
    original = db.read_bytes()
    result = run_kabar(["recover"], {CRASH_VARIABLE: stage})
    assert result.returncode == -9, result.stderr
    if stage == "swapped":
        assert db.read_bytes() != original and check_database(db) == []
        assert_copies_back(db, built)
    else:
        assert db.read_bytes() == original
    # the original is kept aside whole, from the first stage on
    (aside,) = db.parent.glob("kabar.db.damaged-*[0-9]")
    assert aside.read_bytes() == original
    # and the next recover finishes the job and clears the leftovers
    assert run_kabar(["recover"]).returncode == 0
    assert check_database(db) == []
    assert_copies_back(db, built)
    assert not list(db.parent.glob(".kabar.db.recovering*"))


# Disk full is not damage


def test_sqlite_full_is_a_full_disk_not_damage(profile: Profile, built: Built) -> None:
    db = profile.paths.database
    before = state(db)
    with Store(db) as store:
        pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
        store.conn.execute(f"PRAGMA max_page_count = {pages}")
        feed = store.list_feeds(counts=False)[0]
        many = [ParsedEntry(guid=f"new{n}", title="x" * 2000) for n in range(200)]
        update = FeedUpdate(feed.id, 0.0, status=200, parsed=ParsedFeed("rss", entries=many))
        with pytest.raises(sqlite3.OperationalError) as raised:
            store.apply_updates([update])
        assert not store.conn.in_transaction
    assert is_disk_full(raised.value) and not is_damage(raised.value)
    problem = database_error(str(db), raised.value)
    assert isinstance(problem, DiskFullError)
    assert str(problem).startswith("the disk is full (") and "recover" not in str(problem)
    assert state(db) == before and check_database(db) == []


def test_commands_on_a_full_disk_say_so_and_change_nothing(
    profile: Profile, built: Built, tmp_path: Path
) -> None:
    db = profile.paths.database
    original, before = db.read_bytes(), state(db)
    opml = tmp_path / "many.opml"
    outlines = "".join(
        f'<outline type="rss" xmlUrl="https://n{i}.example/f.xml" text="n{i}"/>'
        for i in range(3000)
    )
    opml.write_text(f'<opml version="2.0"><body>{outlines}</body></opml>')
    profile.paths.log_file.write_text("an old log line\n" * 8000)  # it cannot grow either
    for args in (["vacuum"], ["import", str(opml)], ["recover"]):
        result = run_kabar(args, fsize=64 * 1024)
        assert result.returncode != 0, args
        assert result.stderr.startswith("kabar: the disk is full ("), (args, result.stderr)
        assert result.stderr.count("\n") == 1, result.stderr  # one line, no logging errors
        assert "is damaged" not in result.stderr and "to rebuild" not in result.stderr
        assert db.read_bytes() == original, args
        assert not list(db.parent.glob("kabar.db.damaged-*")), args
    assert check_database(db) == [] and state(db) == before
    assert len(feeds(db)) == len(built.feeds) + 1


def test_saving_on_a_full_disk_says_so(
    profile: Profile, built: Built, server: LoopbackServer
) -> None:
    db = profile.paths.database
    before = state(db)
    text = "".join(
        f"<p>Part {n} of a long story about the harbour, told in full.</p>" for n in range(3000)
    )
    body = f"<html><head><title>Long</title></head><body><article>{text}</article></body>"
    server.route("/long", Reply(200, body.encode(), {"Content-Type": "text/html"}))
    result = run_kabar(["save", server.url("/long")], fsize=64 * 1024)
    assert result.returncode != 0
    assert result.stderr.startswith("kabar: the disk is full ("), result.stderr
    assert result.stderr.count("\n") == 1 and "recover" not in result.stderr
    assert check_database(db) == []
    assert {e for e in state(db) if e[2]} == {e for e in before if e[2]}  # nothing saved
    assert len(list((db.parent / "saved").glob("*.json"))) == len(built.copied)
    assert state(db) == before, state(db) - before


def test_vacuum_refuses_to_start_without_room(
    profile: Profile,
    built: Built,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db = profile.paths.database
    with Store(db) as store:
        store.conn.execute("UPDATE entries SET first_seen = 0, published = 0, sort_date = 0")
    profile.paths.config_file.write_text("[general]\nkeep_days = 1\n")
    before = state(db)
    usage = shutil.disk_usage(db.parent)
    monkeypatch.setattr(shutil, "disk_usage", lambda _: usage._replace(free=1000))
    assert main(["vacuum"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kabar: the disk is full") and "Nothing was changed" in err
    assert state(db) == before  # the retention clean-up did not run either
    monkeypatch.setattr(shutil, "disk_usage", lambda _: usage)
    assert main(["vacuum"]) == 0  # with room, it would have removed entries
    assert len(state(db)) < len(before)


def test_recover_refuses_to_start_without_room(
    profile: Profile, built: Built, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = profile.paths.database
    original = db.read_bytes()
    usage = shutil.disk_usage(db.parent)
    monkeypatch.setattr(shutil, "disk_usage", lambda _: usage._replace(free=len(original) // 2))
    with pytest.raises(DiskFullError, match="Nothing was changed"):
        recover_database(db)
    assert db.read_bytes() == original and not list(db.parent.glob("kabar.db.damaged-*"))


# A read-only folder


def make_read_only(folder: Path) -> list[Path]:
    """Make a folder and its files read-only, for root too (chattr +i); [] when this
    machine cannot."""
    paths = [folder, *folder.iterdir()]
    if os.geteuid() != 0:
        for path in paths:
            path.chmod(0o555 if path.is_dir() else 0o444)
        return paths
    files = [p for p in paths if p.is_file()]
    result = subprocess.run(["chattr", "+i", *map(str, files), str(folder)], capture_output=True)
    return [*files, folder] if result.returncode == 0 else []


def make_writable(paths: list[Path]) -> None:
    if os.geteuid() != 0:
        for path in paths:
            path.chmod(0o755 if path.is_dir() else 0o644)
    elif paths:
        subprocess.run(["chattr", "-i", *map(str, paths)], check=True)


def test_a_read_only_folder_is_not_damage(
    profile: Profile, built: Built, capsys: pytest.CaptureFixture[str]
) -> None:
    db = profile.paths.database
    problem = database_error(str(db), PermissionError(30, "Read-only file system", str(db)))
    assert isinstance(problem, ReadOnlyError) and "read-only" in str(problem)
    assert "recover" not in str(problem)
    locked = make_read_only(db.parent)
    if not locked:
        pytest.skip("cannot make a folder read-only here (root without chattr)")
    try:
        assert main(["check"]) == 0
        assert "ok" in capsys.readouterr().out
        assert main(["recover"]) == 2
        err = capsys.readouterr().err
        assert "read-only" in err and "unexpected error" not in err and err.count("\n") == 1
        # reading still works; a change says why it cannot be kept
        assert main(["entries", "--saved"]) == 0
        assert "A kept page" in capsys.readouterr().out
        assert main(["add", "--no-fetch", "https://new.example/feed.xml"]) == 3
        err = capsys.readouterr().err
        assert "read-only" in err and "damaged (" not in err and err.count("\n") == 1
    finally:
        make_writable(locked)
    assert not list(db.parent.glob("kabar.db.damaged-*"))
    assert check_database(db) == []
