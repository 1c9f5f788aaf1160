"""One feed never stops the others: whatever one feed does (or whatever goes wrong while
fetching, decoding, parsing or storing it), it becomes that feed's recorded error and every
other feed is fetched and stored. Also: a feed body is never opened as a path or URL.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kabar.core.config.profile import Profile
from kabar.core.errors import FeedParseError
from kabar.core.feeds.parse import parse_feed
from kabar.core.feeds.refresh import Outcome, RefreshSummary, refresh_sync
from kabar.core.feeds.refresh.faults import ENV
from kabar.core.store import EntryQuery, Store
from tests.conftest import FIXTURES, fixture_bytes
from tests.loopback import LoopbackServer, Reply

RSS = {"Content-Type": "application/rss+xml"}


def item_feed(number: int) -> bytes:
    return (
        f"<rss version='2.0'><channel><title>Feed {number}</title>"
        f"<item><guid>{number}-a</guid><title>A {number}</title></item>"
        f"<item><guid>{number}-b</guid><title>B {number}</title></item></channel></rss>"
    ).encode()


def stored_entries(store: Store, url: str) -> int:
    feed = store.feed_by_url(url)
    assert feed is not None
    return len(store.list_entries(EntryQuery(feed_id=feed.id)))


def by_path(summary: RefreshSummary) -> dict[str, tuple[Outcome, str]]:
    return {r.url.rsplit("/", 1)[-1]: (r.outcome, r.error) for r in summary.results}


# -- a feed body is data, never a path or a URL to open ---------------------------------------


def test_a_body_that_is_a_local_path_is_not_opened(
    server: LoopbackServer, profile: Profile, store: Store
) -> None:
    local = (FIXTURES / "basic" / "rss20.xml").resolve()
    server.route("/path", Reply(200, str(local).encode(), RSS))
    server.route("/url", Reply(200, server.url("/secret").encode(), RSS))
    server.route("/secret", Reply(200, fixture_bytes("basic/atom10.xml"), RSS))
    store.add_feed(server.url("/path"))
    store.add_feed(server.url("/url"))
    outcomes = by_path(refresh_sync(profile.paths.database, profile.config))
    assert outcomes["path"][0] is Outcome.FAILED
    assert outcomes["url"][0] is Outcome.FAILED
    assert stored_entries(store, server.url("/path")) == 0
    assert stored_entries(store, server.url("/url")) == 0
    assert server.hits("/secret") == []  # the body's URL was not fetched either


def test_a_dev_zero_body_is_a_parse_error_in_bounded_memory() -> None:
    # In a child with 1 GiB of address space: before the fix feedparser read /dev/zero
    # until MemoryError (2.7 GB); now the bytes are only ever bytes.
    code = (
        "import resource; resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
        "from kabar.core.feeds.parse import parse_feed, FeedParseError\n"
        "for body in (b'/dev/zero', b'file:///dev/zero'):\n"
        "    try: parse_feed(body, 'http://example.org/feed', 'application/rss+xml')\n"
        "    except FeedParseError as exc: print('parse error:', exc)\n"
        "print('peak MB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.count("parse error:") == 2
    assert "MemoryError" not in done.stdout
    assert int(done.stdout.rsplit("peak MB", 1)[1]) < 400


# -- whatever one feed does, the others are stored ----------------------------------------------


BAD_STORED_URLS = [
    "http://127.0.0.1:99999/",  # httpx: an ExceptionGroup from the connect
    "http://[::1",  # ValueError from urlsplit
    "http://127.0.0.1:9/a\x07b",  # a control character
    "http://a\u200b\u0301.example/",  # an IDN host IDNA refuses
    "http://" + "a" * 300 + ".example/",
    "javascript:alert(1)",
]


@pytest.mark.parametrize("processes", [1, 2])
def test_hostile_urls_and_redirects_fail_alone(
    server: LoopbackServer, profile: Profile, store: Store, processes: int
) -> None:
    for number in range(6):
        server.route(f"/good{number}", Reply(200, item_feed(number), RSS))
        store.add_feed(server.url(f"/good{number}"))
    for index, target in enumerate(
        ("javascript:alert(1)", "data:text/xml,<rss/>", "http://[oops/")
    ):
        server.route(f"/redirect{index}", Reply(302, headers={"Location": target}))
        store.add_feed(server.url(f"/redirect{index}"))
    for url in BAD_STORED_URLS:  # as an older Kabar may have stored them
        store.add_feed(url)
    summary = refresh_sync(profile.paths.database, profile.config, processes=processes)
    assert len(summary.results) == 6 + 3 + len(BAD_STORED_URLS)
    for number in range(6):
        assert stored_entries(store, server.url(f"/good{number}")) == 2
    failed = {r.url: r.error for r in summary.failed}
    assert len(failed) == 3 + len(BAD_STORED_URLS)
    for url, error in failed.items():
        assert error and "\n" not in error and "\x07" not in error
        feed = store.feed_by_url(url)
        assert feed is not None and feed.last_error == error
    assert "does not follow" in failed[server.url("/redirect0")]
    assert "invalid port" in failed["http://127.0.0.1:99999/"]


def test_json_feed_with_broken_urls_parses() -> None:
    bad = "http://[oops/"
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "T",
        "home_page_url": bad,
        "items": [
            {
                "id": "1",
                "url": bad,
                "image": bad,
                "banner_image": bad,
                "content_html": f'<p><a href="{bad}">x</a><img src="{bad}"></p>',
                "attachments": [{"url": bad, "mime_type": "audio/mpeg"}],
            },
            {"id": "2", "url": "/two", "title": "kept"},
        ],
    }
    feed = parse_feed(json.dumps(doc).encode(), "https://example.org/feed.json")
    assert feed.link == ""
    assert [e.link for e in feed.entries] == ["", "https://example.org/two"]
    assert feed.entries[0].enclosures == []
    doc["feed_url"] = bad  # a broken base: relative links are dropped, not a crash
    feed = parse_feed(json.dumps(doc).encode(), "https://example.org/feed.json")
    assert [e.link for e in feed.entries] == ["", ""]


def test_feed_html_with_a_broken_link_renders() -> None:
    from kabar.core.article.htmldoc import html_to_blocks

    bad = "http://[oops/"
    markup = f'<p><a href="{bad}">x</a></p><blockquote cite="{bad}"><p>q</p></blockquote>'
    assert html_to_blocks(markup + f'<p><img src="{bad}"></p>', "https://example.org/")
    assert html_to_blocks('<p><a href="/a">x</a></p>', bad)


def test_xml_feed_with_broken_urls_raises_only_its_parse_error() -> None:
    bad = "http://[oops/"
    rss = (
        f"<rss version='2.0'><channel><title>t</title><link>{bad}</link>"
        f"<item><title>x</title><link>{bad}</link><guid>{bad}</guid>"
        f"<enclosure url='{bad}' type='audio/mpeg'/><description>&lt;a href='{bad}'&gt;"
        "x&lt;/a&gt;</description></item></channel></rss>"
    ).encode()
    for url in ("https://example.org/feed", bad):
        feed = parse_feed(rss, url, "application/rss+xml")
        assert len(feed.entries) == 1
    with pytest.raises(FeedParseError):
        parse_feed(b"<html><body>" + bad.encode() + b"</body></html>", bad)


# -- fault injection: an exception at each stage, a killed shard --------------------------------

FEEDS = 100
VICTIM = "/feed-42.xml"


@pytest.fixture
def hundred(server: LoopbackServer, store: Store) -> LoopbackServer:
    for number in range(FEEDS):
        server.route(f"/feed-{number}.xml", Reply(200, item_feed(number), RSS))
        store.add_feed(server.url(f"/feed-{number}.xml"))
    return server


def assert_only_the_victim_failed(
    summary: RefreshSummary, store: Store, server: LoopbackServer, says: str
) -> None:
    assert len(summary.results) == FEEDS
    assert [r.url for r in summary.failed] == [server.url(VICTIM)]
    assert says in summary.failed[0].error
    for number in range(FEEDS):
        url = server.url(f"/feed-{number}.xml")
        expected = 0 if url.endswith(VICTIM) else 2
        assert stored_entries(store, url) == expected, url
    victim = store.feed_by_url(server.url(VICTIM))
    assert victim is not None and says in victim.last_error


@pytest.mark.parametrize(
    ("stage", "says"),
    [
        ("fetch", "injected fault while fetching"),
        ("decode", "injected fault while decoding"),
        ("parse", "injected fault while parsing"),
        ("store", "could not store this feed's entries"),
        ("memory", "ran out of memory"),
    ],
)
@pytest.mark.parametrize("processes", [1, 2])
def test_an_exception_at_any_stage_costs_one_feed(
    hundred: LoopbackServer,
    profile: Profile,
    store: Store,
    monkeypatch: pytest.MonkeyPatch,
    stage: str,
    says: str,
    processes: int,
) -> None:
    monkeypatch.setenv(ENV, f"{stage}:{VICTIM}")
    summary = refresh_sync(profile.paths.database, profile.config, processes=processes)
    assert_only_the_victim_failed(summary, store, hundred, says)


@pytest.mark.parametrize(("fault", "says"), [("kill", "SIGKILL"), ("segv", "SIGSEGV")])
def test_a_killed_shard_costs_only_the_feed_that_killed_it(
    hundred: LoopbackServer,
    profile: Profile,
    store: Store,
    monkeypatch: pytest.MonkeyPatch,
    fault: str,
    says: str,
) -> None:
    monkeypatch.setenv(ENV, f"{fault}:{VICTIM}")
    summary = refresh_sync(profile.paths.database, profile.config, processes=2)
    assert_only_the_victim_failed(summary, store, hundred, f"killed by {says}")
    assert not any("stopped unexpectedly" in r.error for r in summary.results)


def test_the_fault_hook_is_inert_without_its_variable() -> None:
    assert ENV not in os.environ or pytest.fail(f"{ENV} must not be set outside a test")


def test_hostile_feed_urls_in_the_cli_are_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from kabar.cli.main import main

    for command in ("add", "read", "save"):
        for url in ("http://127.0.0.1:99999/", "http://[::1", "javascript:alert(1)"):
            code = main([command, url] + (["--no-fetch"] if command == "add" else []))
            captured = capsys.readouterr()
            assert code == 2, (command, url, captured.err)
            assert captured.err.startswith("kabar: ") and "unexpected" not in captured.err
            assert captured.err.count("\n") == 1


# -- a full disk during a refresh ------------------------------------------------------------


def big_feed(number: int) -> bytes:
    items = "".join(
        f"<item><guid>{number}-{i}</guid><title>Item {i}</title>"
        f"<description>{'words and more words ' * 100}</description></item>"
        for i in range(20)
    )
    return f"<rss version='2.0'><channel><title>F{number}</title>{items}</channel></rss>".encode()


def assert_one_clean_disk_full_line(done: subprocess.CompletedProcess[str]) -> None:
    assert done.returncode != 0
    assert done.stderr.count("disk is full") == 1, done.stderr[-3000:]
    assert done.stderr.count("\n") == 1, done.stderr[-3000:]
    for noise in ("Logging error", "Traceback", "stopped unexpectedly", "damaged", "✗"):
        assert noise not in done.stderr + done.stdout


def _namespace() -> list[str]:
    """A command prefix giving a private mount namespace, or skip: the real full disk
    below is a small tmpfs, and mounting one needs root or a user namespace."""
    prefix = ["unshare", "-m"] if os.geteuid() == 0 else ["unshare", "-rm"]
    try:
        probe = subprocess.run(
            [*prefix, "mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", "/mnt"],
            capture_output=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        probe = None
    if probe is None or probe.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root or user namespaces)")
    return prefix


def test_a_full_disk_stops_the_refresh_once_and_cleanly(
    server: LoopbackServer, profile: Profile, store: Store, tmp_path: Path
) -> None:
    """A real full disk: the profile is copied onto a 3 MB tmpfs and `kabar refresh`
    runs there over 120 feeds of 40 KB (two shards), so SQLite and the log run out of
    room mid-refresh."""
    prefix = _namespace()
    for number in range(120):
        server.route(f"/f{number}.xml", Reply(200, big_feed(number), RSS))
        store.add_feed(server.url(f"/f{number}.xml"))
    store.close()
    small, after = tmp_path / "small", tmp_path / "after"
    small.mkdir()
    after.mkdir()
    script = (
        'mount -t tmpfs -o size=3m tmpfs "$1" && cp -a "$2/." "$1/" && '
        'KABAR_HOME="$1" "$4" -c "from kabar.cli.main import entry; entry()" refresh -v; '
        'rc=$?; cp -a "$1/." "$3/"; exit $rc'
    )
    home = profile.paths.database.parent.parent
    done = subprocess.run(
        [*prefix, "sh", "-c", script, "sh", small, home, after, sys.executable],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert_one_clean_disk_full_line(done)
    # With room again, nothing was damaged and the next refresh stores every feed.
    moved = after / profile.paths.database.relative_to(home)
    with Store(moved) as check:
        assert check.conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    summary = refresh_sync(moved, profile.config)
    assert summary.count(Outcome.OK) == 120


def test_a_full_disk_in_any_shard_is_said_once(
    server: LoopbackServer, profile: Profile, store: Store
) -> None:
    """The same without a tmpfs: every write fails as SQLITE_FULL does (the test hook)."""
    for number in range(120):
        server.route(f"/f{number}.xml", Reply(200, item_feed(number), RSS))
        store.add_feed(server.url(f"/f{number}.xml"))
    done = subprocess.run(
        [sys.executable, "-c", "from kabar.cli.main import entry; entry()", "refresh", "-v"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, ENV: "full:/f"},
    )
    assert_one_clean_disk_full_line(done)


def test_what_stops_a_refresh_and_what_fails_one_feed() -> None:
    """A write that fails for the whole database stops the run once; one that fails for
    one feed's data (a constraint, a value SQLite refuses, a bug) fails that feed only."""
    import sqlite3

    from kabar.core.errors import DiskFullError, StoreError, is_disk_full
    from kabar.core.feeds.refresh.shard import stop_if_unwritable

    for exc, stops in [
        (sqlite3.OperationalError("database or disk is full"), DiskFullError),
        (OSError(28, "No space left on device"), DiskFullError),
        (sqlite3.OperationalError("database is locked"), StoreError),
        (sqlite3.OperationalError("attempt to write a readonly database"), StoreError),
        (sqlite3.DatabaseError("database disk image is malformed"), StoreError),
    ]:
        with pytest.raises(stops):
            stop_if_unwritable(exc, "kabar.db")
    for exc in (sqlite3.IntegrityError("x"), OverflowError("int too big"), RuntimeError("bug")):
        stop_if_unwritable(exc, "kabar.db")  # returns: that feed's error
        assert not is_disk_full(exc)
    try:  # a failed ROLLBACK hiding the full disk behind it
        try:
            raise sqlite3.OperationalError("database or disk is full")
        except sqlite3.OperationalError:
            raise sqlite3.OperationalError("cannot rollback - no transaction is active")  # noqa: B904
    except sqlite3.OperationalError as hidden:
        assert is_disk_full(hidden)


def test_one_hostile_page_does_not_stop_the_prefetch(
    server: LoopbackServer, profile: Profile, store: Store
) -> None:
    from kabar.core.config.settings import Config, GeneralConfig
    from kabar.core.library.prefetch import prefetch

    bad = "http://[oops/"
    words = "<p>" + "A sentence of the article that goes on for a while. " * 12 + "</p>"
    pages = {
        "good1": f"<html><head><title>One</title></head><body><article>{words}</article>",
        "bad": (
            f'<html><head><meta property="og:image" content="{bad}"><base href="{bad}">'
            f'<link rel="canonical" href="{bad}"></head><body><article>'
            f'<a href="{bad}">x</a><img src="{bad}">{words}</article></body></html>'
        ),
        "good2": f"<html><head><title>Two</title></head><body><article>{words}</article>",
    }
    items = ""
    for name, html in pages.items():
        server.route(f"/{name}", Reply(200, html.encode(), {"Content-Type": "text/html"}))
        link = server.url("/" + name)
        items += f"<item><guid>{name}</guid><title>{name}</title><link>{link}</link></item>"
    server.route(
        "/feed",
        Reply(
            200,
            f"<rss version='2.0'><channel><title>F</title>{items}</channel></rss>".encode(),
            RSS,
        ),
    )
    store.add_feed(server.url("/feed"))
    refresh_sync(profile.paths.database, profile.config)
    config = Config(general=GeneralConfig(prefetch=True, prefetch_per_day=10))
    assert prefetch(store, config) >= 2
    fetched = store.conn.execute("SELECT url FROM articles").fetchall()
    assert {server.url("/good1"), server.url("/good2")} <= {url for (url,) in fetched}
