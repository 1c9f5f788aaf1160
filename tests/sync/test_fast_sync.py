"""How a sync spends its requests: five for nothing changed, the four after the login sent
together (against the real FreshRSS, through a proxy that holds them until all four are
in); two contents requests in flight during a first sync; the store written only where
something differs; TLS set up only when an http server redirects."""

from __future__ import annotations

import json
import ssl
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from kabar.core.config.profile import load_profile
from kabar.core.store import Store
from kabar.core.store.syncing import NewEntry
from kabar.core.sync import sync, syncer
from kabar.core.sync.client import GReaderClient, SyncError
from kabar.core.sync.syncer import fetch_ahead
from tests.sync.conftest import ServerSide
from tests.sync.fakes import Answer, Call, FaultyProxy
from tests.sync.freshrss import API_PASSWORD, USER

FIXTURES = Path(__file__).parent.parent / "fixtures" / "hostile"
TOGETHER = ("subscription/list", "stream/items/ids")


@pytest.fixture
def proxy(server_side: ServerSide) -> Iterator[FaultyProxy]:
    faulty = FaultyProxy(server_side.api)
    yield faulty
    faulty.close()


def test_a_nothing_changed_sync_is_five_requests_the_last_four_sent_together(
    server_side: ServerSide, proxy: FaultyProxy, kabar_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (kabar_home / "config").mkdir(parents=True)
    (kabar_home / "config" / "config.toml").write_text(
        f'[sync]\nkind = "greader"\nurl = "{proxy.api}"\nusername = "{USER}"\n'
    )
    monkeypatch.setenv("KABAR_SYNC_PASSWORD", API_PASSWORD)
    profile = load_profile()
    first = sync(profile.paths.database, profile.config)
    assert (first.error, first.new) == ("", 12)

    # Each of the four is held until all four have arrived: sent one after another, the
    # first would wait in vain and the barrier break.
    arrived = threading.Barrier(4, timeout=20)
    broken: list[str] = []

    def hold_until_all_four(call: Call, seen: int) -> Answer | None:
        if call.path.endswith(TOGETHER):
            try:
                arrived.wait()
            except threading.BrokenBarrierError:
                broken.append(call.path)
        return None

    proxy.fault = hold_until_all_four
    proxy.calls.clear()
    again = sync(profile.paths.database, profile.config)
    assert (again.error, again.new, again.changed) == ("", 0, 0)
    assert again.requests == 5
    assert [c.path.rsplit("/", 1)[-1] for c in proxy.calls[:1]] == ["ClientLogin"]
    assert sorted(c.path for c in proxy.calls[1:]) == [
        "/reader/api/0/stream/items/ids",
        "/reader/api/0/stream/items/ids",
        "/reader/api/0/stream/items/ids",
        "/reader/api/0/subscription/list",
    ]
    assert broken == []


def test_fetch_ahead_yields_in_order_and_raises_an_error_at_its_job() -> None:
    def fetch(job: int) -> int:
        if job == 3:
            raise SyncError("sync server example.org answered HTTP 500 to stream/items/contents")
        time.sleep(0.02 if job == 0 else 0)  # the first answer comes last: order still holds
        return job * 10

    assert list(fetch_ahead(fetch, range(3))) == [0, 10, 20]
    got: list[int] = []
    with pytest.raises(SyncError, match="HTTP 500"):
        for result in fetch_ahead(fetch, range(6)):
            got.append(result)
    assert got == [0, 10, 20]  # what came before the error was handed over (and stored)


def test_fetch_ahead_keeps_two_calls_running_and_stops_with_its_caller() -> None:
    lock = threading.Lock()
    running, most = 0, 0

    def fetch(job: int) -> int:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.01)
        with lock:
            running -= 1
        return job

    assert list(fetch_ahead(fetch, range(20), in_flight=2)) == list(range(20))
    assert most == 2  # two at once, never more

    # Stopping: when the caller stops after the first result, job 1 is under way, job 2
    # is under way or waiting, and job 3 waits in the window: the waiting are cancelled,
    # and job 3 never starts (job 2 blocks the thread that could take it).
    go, started = threading.Event(), []

    def held(job: int) -> int:
        started.append(job)
        if job:
            go.wait(5)
        return job

    for _ in fetch_ahead(held, range(10), in_flight=2):
        break
    # A request still under way cannot keep the process from exiting.
    threads = [t for t in threading.enumerate() if t.name == "kabar-contents"]
    assert threads and all(t.daemon for t in threads)
    go.set()
    time.sleep(0.2)  # time for a job that was not cancelled to start
    assert {0, 1} <= set(started) <= {0, 1, 2}


def test_a_first_sync_has_two_contents_requests_in_flight(
    server_side: ServerSide,
    proxy: FaultyProxy,
    kabar_home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """While Kabar stores one batch the server already answers the next: the first
    contents request is held until the second has arrived (a barrier that breaks if
    Kabar asked one at a time)."""
    monkeypatch.setattr(syncer, "CONTENTS_BATCH", 4)
    (kabar_home / "config").mkdir(parents=True)
    (kabar_home / "config" / "config.toml").write_text(
        f'[sync]\nkind = "greader"\nurl = "{proxy.api}"\nusername = "{USER}"\n'
    )
    monkeypatch.setenv("KABAR_SYNC_PASSWORD", API_PASSWORD)
    both = threading.Barrier(2, timeout=20)
    broken: list[int] = []

    def hold_the_first_two(call: Call, seen: int) -> Answer | None:
        if call.path.endswith("stream/items/contents") and seen < 2:
            try:
                both.wait()
            except threading.BrokenBarrierError:
                broken.append(seen)
        return None

    proxy.fault = hold_the_first_two
    profile = load_profile()
    progress: list[tuple[int, int]] = []
    summary = sync(profile.paths.database, profile.config, on_stored=lambda *p: progress.append(p))
    assert (summary.error, summary.new) == ("", 12)
    assert progress == [(4, 12), (8, 12), (12, 12)]  # after each batch stored
    assert proxy.count("stream/items/contents") == 3  # 12 items in batches of 4
    assert proxy.count("/token") == 1  # the two threads waited for one action token
    assert broken == []
    with Store(profile.paths.database) as store:
        assert store.count_entries() == 12  # each once


def test_the_store_writes_only_what_differs_from_the_server(tmp_path: Path) -> None:
    subs = [
        ("feed/1", "https://example.org/a.xml", "A", "https://example.org/", "News"),
        ("feed/2", "https://example.org/b.xml", "B", "", ""),
    ]
    with Store(tmp_path / "kabar.db") as store:
        feeds, _ = store.set_synced_feeds(subs)
        entries = [
            NewEntry(
                item_id=i,
                feed_id=feeds["feed/1"],
                title=f"Story {i}",
                link="",
                author="",
                published=1.0,
                content="",
                enclosures=[],
                read=i % 2 == 0,
                saved=i == 3,
            )
            for i in range(1, 7)
        ]
        assert store.add_synced_entries(entries, 1.0) == 6
        assert store.add_synced_entries(entries + entries[:2], 1.0) == 0  # never twice
        local = store.synced_states()
        assert (local.known, local.unread, local.saved) == (set(range(1, 7)), {1, 3, 5}, {3})

        writes = store.conn.total_changes
        assert store.set_synced_feeds(subs) == (feeds, 0)
        assert store.apply_server_states({1, 3, 5}, {3}, set(), local) == 0
        assert store.conn.total_changes == writes  # nothing changed: nothing written

        # Elsewhere 1 was read, 2 marked unread, 4 starred; here 5 was marked read (queued,
        # so it wins over the server's unread); 7 is not stored (a new item) and is left.
        entry_of = dict(store.conn.execute("SELECT item_id, entry_id FROM sync_items"))
        store.set_read([entry_of[5]])
        assert store.apply_server_states({2, 3, 5, 7}, {3, 4}) == 3
        after = store.synced_states()
        assert (after.unread, after.saved) == ({2, 3}, {3, 4})


def test_new_items_are_linked_to_their_entries_and_kept_ones_found_again(tmp_path: Path) -> None:
    """A batch's new entries are linked in one statement (ids above the old top); a saved
    entry kept when the account was left is found again by its key when it comes back."""
    subs = [("feed/1", "https://example.org/a.xml", "A", "", "")]

    def item(i: int, feed: int) -> NewEntry:
        return NewEntry(i, feed, f"Story {i}", "", "", 1.0, "", [], False, i == -7)

    with Store(tmp_path / "kabar.db") as store:
        feeds, _ = store.set_synced_feeds(subs)
        assert store.add_synced_entries([item(i, feeds["feed/1"]) for i in (-7, 5)], 1.0) == 2
        store.detach_sync()  # the account was left: the saved entry (-7) stays, 5 goes
        feeds, _ = store.set_synced_feeds(subs)
        batch = [item(i, feeds["feed/1"]) for i in (-7, 5, 1 << 62)]
        assert store.add_synced_entries(batch, 2.0) == 3
        links = dict(store.conn.execute("SELECT item_id, entry_id FROM sync_items"))
        keys = dict(store.conn.execute("SELECT id, key FROM entries"))
        assert {item_id: keys[entry] for item_id, entry in links.items()} == {
            -7: "-7",
            5: "5",
            1 << 62: str(1 << 62),
        }
        assert store.count_entries() == 3  # the kept one was not stored twice


def test_a_feed_no_longer_subscribed_is_kept_removed_and_found_again(tmp_path: Path) -> None:
    """Items of a feed not subscribed go to a removed feed: one per stream, found again by
    the next batch, taken back after the account was left and joined again; a URL that a
    feed of Kabar's own holds is left alone."""
    origin = ("feed/https://old.example/rss", "https://old.example/rss", "Old", "")
    with Store(tmp_path / "kabar.db") as store:
        store.add_feed("https://mine.example/rss")
        first = store.keep_unsubscribed_feeds([origin])
        assert store.keep_unsubscribed_feeds([origin]) == first
        assert (
            store.synced_feeds() == {} and store.list_feeds()[0].url == "https://mine.example/rss"
        )
        store.detach_sync()  # its stream id is gone; the removed feed stays
        assert store.keep_unsubscribed_feeds([origin]) == first
        mine = ("feed/9", "https://mine.example/rss", "Mine", "")
        assert store.keep_unsubscribed_feeds([mine]) == {}


# -- TLS only when an http server redirects to https --------------------------------------------
class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass


def _serve(handler: type[BaseHTTPRequestHandler], tls: bool) -> _Server:
    server = _Server(("127.0.0.1", 0), handler)
    if tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(FIXTURES / "selfsigned.pem", FIXTURES / "selfsigned.key")
        server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return server


class _Api(BaseHTTPRequestHandler):
    """A Google Reader API with one subscription, over TLS."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._reply(b"SID=x\nLSID=x\nAuth=over-tls\n")

    def do_GET(self) -> None:
        feed = {"id": "feed/1", "title": "Secure", "url": "https://example.org/feed"}
        self._reply(json.dumps({"subscriptions": [feed]}).encode())

    def _reply(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def redirected() -> Iterator[str]:
    """An http:// API base whose every request is sent on (307) to the same API on https."""
    api = _serve(_Api, tls=True)
    target = f"https://127.0.0.1:{api.server_address[1]}"

    class Redirect(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(307)
            self.send_header("Location", target + self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_POST = do_GET

        def log_message(self, format: str, *args: object) -> None:
            pass

    front = _serve(Redirect, tls=False)
    yield f"http://127.0.0.1:{front.server_address[1]}/api/greader.php"
    for server in (front, api):
        server.shutdown()
        server.server_close()


def test_an_http_server_redirecting_to_https_still_gets_its_certificate_checked(
    redirected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    with GReaderClient(redirected, "alice", "pw") as client, pytest.raises(SyncError) as caught:
        client.subscriptions()
    assert "cannot reach sync server" in str(caught.value)  # a self-signed certificate
    monkeypatch.setenv("SSL_CERT_FILE", str(FIXTURES / "selfsigned.pem"))  # now trusted
    with GReaderClient(redirected, "alice", "pw") as client:
        assert [s.title for s in client.subscriptions()] == ["Secure"]
