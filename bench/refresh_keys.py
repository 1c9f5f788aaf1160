#!/usr/bin/env python3
"""Key-to-selection latency in the reader while `R` refreshes 200 feeds (issue 5: keys are
answered at once during a refresh).

    python bench/refresh_keys.py [--feeds 200] [--slow-every 20] [--slow 1.5] [--runs 3]

Serves the feeds from a loopback HTTP server started here (every `--slow-every`th feed answers
after `--slow` seconds), runs the reader in-process under Textual's Pilot at 120x40, presses
`R`, then alternates j and k (a fast typist: 20 ms apart) until the refresh ends. Each key is
timed from the key event reaching the app to the selection moving. Prints, per run, the number
of keys, the median, p90 and max latency, and the refresh's wall time; then the medians over
runs. Needs nothing outside this repository. The test suite checks the behaviour (keys are
answered, the selection holds while headlines arrive); this script measures the speed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from textual import events  # noqa: E402

from kabar.core.config.profile import load_profile  # noqa: E402
from kabar.ui.app import KabarApp, make_app  # noqa: E402
from kabar.ui.screens.main import MainScreen  # noqa: E402

NOW = 1_790_000_000.0


def rss(number: int) -> bytes:
    items = "".join(
        f"<item><guid>f{number}-{i}</guid><title>Feed {number} story {i}</title>"
        f"<link>http://127.0.0.1:9/{number}/{i}</link>"
        f"<pubDate>{formatdate(NOW - number * 60 - i * 3600)}</pubDate>"
        f"<description>Story {i} of feed {number}.</description></item>"
        for i in range(5)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {number}</title>'
        f"<link>http://127.0.0.1:9/{number}/</link>{items}</channel></rss>"
    ).encode()


def serve(feeds: int, slow_every: int, slow: float) -> ThreadingHTTPServer:
    bodies = {f"/f/{n}.xml": rss(n) for n in range(feeds)}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = bodies.get(self.path)
            if body is None:
                self.send_error(404)
                return
            number = int(self.path.split("/")[2].split(".")[0])
            if slow_every and number % slow_every == 0:
                time.sleep(slow)
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True).start()
    return httpd


async def key_latency(app: KabarApp, screen: MainScreen, key: str) -> float:
    """Seconds from the key event reaching the app to the selection moving."""
    lines = screen.headlines
    before = lines.current.id if lines.current else None
    started = time.perf_counter()
    app.post_message(events.Key(key, None))
    while (lines.current.id if lines.current else None) == before:
        if time.perf_counter() - started > 10:
            raise SystemExit(f"key {key!r} not answered in 10 s")
        await asyncio.sleep(0.0005)
    return time.perf_counter() - started


async def one_run(feeds: int, slow_every: int, slow: float) -> tuple[list[float], float]:
    httpd = serve(feeds, slow_every, slow)
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        with tempfile.TemporaryDirectory() as home:
            os.environ["KABAR_HOME"] = home
            profile = load_profile()
            profile.config.network.max_per_host = 16
            with profile.open_store() as store:
                for n in range(feeds):
                    store.add_feed(f"{base}/f/{n}.xml")
            app = make_app(profile, refresh_on_start=False)
            latencies: list[float] = []
            async with app.run_test(size=(120, 40)) as pilot:
                screen = app.screen
                assert isinstance(screen, MainScreen)
                await pilot.pause()
                started = time.perf_counter()
                await pilot.press("R")
                await pilot.pause(0.2)  # the first headlines, so j/k have somewhere to go
                while screen.refreshing:
                    key = "j" if len(latencies) % 2 == 0 else "k"
                    latencies.append(await key_latency(app, screen, key))
                    await asyncio.sleep(0.02)
                await app.workers.wait_for_complete()
                wall = time.perf_counter() - started
            return latencies, wall
    finally:
        httpd.shutdown()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--slow-every", type=int, default=20)
    parser.add_argument("--slow", type=float, default=1.5, help="seconds a slow feed waits")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    medians, maxima = [], []
    for run in range(1, args.runs + 1):
        latencies, wall = asyncio.run(one_run(args.feeds, args.slow_every, args.slow))
        if not latencies:
            print(f"run {run}: the refresh ended before any key ({wall:.2f} s)")
            continue
        latencies.sort()
        median = statistics.median(latencies) * 1000
        p90 = latencies[int(len(latencies) * 0.9)] * 1000
        medians.append(median)
        maxima.append(latencies[-1] * 1000)
        print(
            f"run {run}: {len(latencies)} keys during a {wall:.2f} s refresh of {args.feeds} "
            f"feeds: median {median:.1f} ms, p90 {p90:.1f} ms, max {maxima[-1]:.0f} ms"
        )
    if medians:
        print(
            f"over {len(medians)} runs: median of medians {statistics.median(medians):.1f} ms, "
            f"median max {statistics.median(maxima):.0f} ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
