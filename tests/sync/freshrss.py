"""A real FreshRSS on 127.0.0.1 (from ../shared/servers), and feeds for it to fetch.

FreshRSS is installed once per test session into a temporary DATADIR; after the fixture
feeds are subscribed and fetched, its user database is copied aside, and each test starts
from that copy (restoring one SQLite file costs milliseconds; installing costs seconds).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

import httpx

from tests.loopback import LoopbackServer, Reply

REPO = Path(__file__).resolve().parents[2]
API_PASSWORD = "kabar-api-pass"
USER = "kabar"
PHP_MODULES = ("sqlite3", "curl", "xml", "mbstring", "intl", "zip")


def servers_dir() -> Path:
    """../shared/servers beside the checkout (KABAR_TEST_SERVERS overrides it)."""
    override = os.environ.get("KABAR_TEST_SERVERS")
    return Path(override) if override else REPO.parent / "shared" / "servers"


def missing_reason() -> str:
    """Why FreshRSS cannot run here ('' when it can)."""
    script = servers_dir() / "run-freshrss"
    if not script.is_file():
        return f"no FreshRSS at {script} (the shared servers folder is missing)"
    if shutil.which("php") is None:
        return "PHP is not installed (see ../shared/servers/README.md)"
    listed = subprocess.run(["php", "-m"], capture_output=True, text=True, check=False).stdout
    modules = {line.strip().lower() for line in listed.splitlines()}
    lacking = [m for m in PHP_MODULES if m not in modules]
    if lacking:
        return f"PHP lacks the modules {', '.join(lacking)} (see ../shared/servers/README.md)"
    return ""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class FixtureFeeds:
    """RSS feeds on a loopback server: feed i has items 0..count-1; `add_items` publishes
    more, as a site would between two server refreshes."""

    server: LoopbackServer
    counts: dict[int, int] = field(default_factory=dict)

    def reset(self, feeds: int = 3, items: int = 4) -> None:
        self.counts = {i: items for i in range(feeds)}
        for i in self.counts:
            self.server.route(f"/feed/{i}.xml", self._reply_for(i))
        self.server.route(
            "/img/harbour.gif", Reply(body=GIF, headers={"Content-Type": "image/gif"})
        )

    def story_page(self, feed: int, n: int) -> str:
        """Serve the web page of one story (for full text and saving) and return its URL."""
        path = f"/story/{feed}/{n}.html"
        html_type = {"Content-Type": "text/html; charset=utf-8"}
        self.server.route(path, Reply(body=article(feed, n).encode(), headers=html_type))
        return self.server.url(path)

    def url(self, i: int) -> str:
        return self.server.url(f"/feed/{i}.xml")

    def add_items(self, feed: int, more: int) -> None:
        self.counts[feed] += more

    def _reply_for(self, i: int):  # type: ignore[no-untyped-def]
        def reply(_request: object) -> Reply:
            return Reply(body=rss(i, self.counts[i], self.server.base).encode(),
                         headers={"Content-Type": "application/rss+xml"})  # fmt: skip

        return reply


GIF = bytes.fromhex(
    "47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b"
)


def article(feed: int, n: int) -> str:
    paragraphs = "".join(
        f"<p>Paragraph {p} of the full story {n} of feed {feed}: the harbour master "
        "counted the returning boats one by one while the lanterns were lit along the "
        "quay, and the fishermen talked about the weather for a long while.</p>"
        for p in range(6)
    )
    return (
        f"<!doctype html><html><head><title>Feed {feed} story {n}</title></head><body>"
        f"<nav>Home | World</nav><article><h1>Feed {feed} story {n}</h1>{paragraphs}"
        '<figure><img src="/img/harbour.gif" alt="The quay"><figcaption>Boats at dusk '
        f"on the quay, story {n}</figcaption></figure>{paragraphs}</article>"
        "<footer>Copyright</footer></body></html>"
    )


def rss(feed: int, count: int, base: str) -> str:
    items = []
    for n in reversed(range(count)):
        date = format_datetime(datetime(2026, 1, 1 + n % 28, 12, feed, tzinfo=UTC))
        items.append(
            f"<item><title>Feed {feed} story {n}</title>"
            f"<link>{base}/story/{feed}/{n}.html</link>"
            f"<guid>tag:fixture,2026:{feed}/{n}</guid><pubDate>{date}</pubDate>"
            f"<description>&lt;p&gt;Body of feed {feed} story {n}: harbour lanterns "
            f"glow{n}.&lt;/p&gt;</description></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Fixture feed {feed}</title><link>{base}/site/{feed}/</link>"
        f"<description>d</description>{''.join(items)}</channel></rss>"
    )


class FreshRSS:
    """One FreshRSS: start, stop, restart on the same port, refresh its feeds."""

    def __init__(self, datadir: Path) -> None:
        self.datadir = datadir
        self.port = free_port()
        self.proc: subprocess.Popen[str] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api(self) -> str:
        return f"{self.base}/api/greader.php"

    def start(self) -> None:
        script = servers_dir() / "run-freshrss"
        self.proc = subprocess.Popen(
            [str(script), str(self.datadir), str(self.port)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().strip()
        if not line.startswith("http"):
            err = self.proc.stderr.read() if self.proc.stderr else ""
            raise RuntimeError(f"run-freshrss failed: {err.strip()}")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                httpx.get(self.api, timeout=2)
                return
            except httpx.HTTPError:
                time.sleep(0.05)
        raise RuntimeError("FreshRSS did not start listening")

    def stop(self) -> None:
        if self.proc is not None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=10)
            self.proc = None

    def php(self, script: str, *args: str) -> subprocess.CompletedProcess[str]:
        code = servers_dir() / "freshrss" / "cli" / script
        env = {**os.environ, "DATA_PATH": str(self.datadir)}
        return subprocess.run(
            ["php", str(code), *args], env=env, capture_output=True, text=True, check=False
        )

    def actualize(self) -> None:
        """The server fetches its feeds now (exit 1 only means no feed changed).

        FreshRSS skips a feed fetched less than its TTL ago and reuses its SimplePie cache
        for a minute or more; both are about time, so instead of waiting, the feeds' last
        update is moved an hour back and the cache emptied (this is the test's own DATADIR).
        """
        with sqlite3.connect(self.user_db) as db:
            db.execute('UPDATE feed SET "lastUpdate" = "lastUpdate" - 3600')
        db.close()
        for cached in (self.datadir / "cache").glob("*.spc"):
            cached.unlink()
        done = self.php("actualize-user.php", "--user", USER)
        assert done.returncode in (0, 1), done.stderr

    @property
    def user_db(self) -> Path:
        return self.datadir / "users" / USER / "db.sqlite"

    def snapshot(self) -> None:
        shutil.copyfile(self.user_db, self.datadir / "snapshot.sqlite")

    def restore(self) -> None:
        shutil.copyfile(self.datadir / "snapshot.sqlite", self.user_db)
