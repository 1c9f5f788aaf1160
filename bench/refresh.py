#!/usr/bin/env python3
"""Refresh speed: Kabar against newsboat on the same loopback feed farm, in the same run.

    python bench/refresh.py                   # both scales, 3 repetitions
    python bench/refresh.py --scale 200 --reps 5

It starts ../shared/bench/feedfarm.py (the shared corpus server; this benchmark needs it and
says so when it is missing), and for each scale runs Kabar (`kabar refresh --jobs 16`) and
newsboat 2.21 (`reload-threads 16`) alternately, each on its own fresh profile:

  cold       empty cache, full refresh
  steady     nothing changed (newsboat first gets its second reload and an ANALYZE of its
             cache: 2.21 stores ETag/Last-Modified only from the second reload, and never
             gathers SQLite statistics by itself; both are done untimed, so the figure is
             newsboat at its best, as issue 4 asks)
  advance    after GET /__advance (10 % of the feeds gain items)
  unread     `kabar feeds` (unread counts) vs `newsboat -x print-unread`

Both readers get the same feed list. By default it is every farm feed, as in the figures
issue 4 quotes (newsboat 2.21 cannot read JSON Feed: it fails those 15 % and downloads them
again on every reload); `--formats rss,atom,rdf` leaves JSON Feed out for both.
Wall time is measured from outside; peak RSS is the largest
ru_maxrss of the process and any child it waited for. The farm's own counters (/__stats)
show what each run really sent: requests, 200s, 304s, bytes. Medians, min-max and the
Kabar/newsboat ratio are printed at the end; each run is also printed as a JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FARM = ROOT.parent / "shared" / "bench" / "feedfarm.py"
SCALES = {"200": (200, 50.0), "1000": (1000, 0.0)}


@dataclass
class Run:
    reader: str
    phase: str
    wall: float
    maxrss_mb: float
    counters: dict[str, int] = field(default_factory=dict)


class Farm:
    def __init__(self, feeds: int, latency_ms: float) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(FARM), "--port", "0", "--feeds", str(feeds),
             "--latency-ms", str(latency_ms), "--update-fraction", "0.1"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )  # fmt: skip
        assert self.proc.stdout is not None
        self.port = int(self.proc.stdout.readline())

    def get(self, path: str) -> bytes:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}") as response:
            return bytes(response.read())

    def stats(self) -> dict[str, int]:
        return {k: v for k, v in json.loads(self.get("/__stats")).items() if isinstance(v, int)}

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait()


def measured(
    farm: Farm, cmd: list[str], cwd: Path, env: dict[str, str]
) -> tuple[float, float, dict[str, int]]:
    before = farm.stats()
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    assert proc.stderr is not None
    errors = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {errors.decode(errors='replace')[-500:]}")
    after = farm.stats()
    delta = {k: after[k] - before.get(k, 0) for k in after if k != "generation"}
    return wall, usage.ru_maxrss / 1024, delta


class Kabar:
    name = "kabar"

    def __init__(self, farm: Farm, work: Path, opml: Path, command: list[str]) -> None:
        self.farm = farm
        self.home = work / "kabar"
        self.command = command
        self.env = {**os.environ, "KABAR_HOME": str(self.home)}
        subprocess.run(
            [*command, "import", str(opml)], env=self.env, check=True, capture_output=True
        )

    def refresh(self) -> tuple[float, float, dict[str, int]]:
        cmd = [*self.command, "refresh", "--jobs", "16", "--quiet"]
        return measured(self.farm, cmd, self.home, self.env)

    def prepare_steady(self) -> list[tuple[str, float, float, dict[str, int]]]:
        return []

    def unread(self) -> tuple[float, float, dict[str, int]]:
        return measured(self.farm, [*self.command, "feeds"], self.home, self.env)


class Newsboat:
    name = "newsboat"

    def __init__(self, farm: Farm, work: Path, urls: bytes, binary: str) -> None:
        self.farm = farm
        self.dir = work / "newsboat"
        self.dir.mkdir()
        (self.dir / "urls").write_bytes(urls)
        (self.dir / "config").write_text(f'reload-threads 16\nerror-log "{self.dir}/errors.log"\n')
        self.base = [binary, "-u", "urls", "-c", "cache.db", "-C", "config", "-x"]

    def refresh(self) -> tuple[float, float, dict[str, int]]:
        return measured(self.farm, [*self.base, "reload"], self.dir, dict(os.environ))

    def prepare_steady(self) -> list[tuple[str, float, float, dict[str, int]]]:
        """The untimed second reload, newsboat as shipped (no statistics), then ANALYZE."""
        self.refresh()  # 2.21 stores validators only from its second reload
        shipped = [("steady (as shipped)", *self.refresh())]
        shipped.append(("unread (as shipped)", *self.unread()))
        with sqlite3.connect(self.dir / "cache.db") as db:
            db.execute("ANALYZE")
        return shipped

    def unread(self) -> tuple[float, float, dict[str, int]]:
        return measured(self.farm, [*self.base, "print-unread"], self.dir, dict(os.environ))


def run_scale(feeds: int, latency: float, reps: int, args: argparse.Namespace) -> list[Run]:
    print(f"\n== {feeds} feeds, {latency:g} ms latency: starting the farm", file=sys.stderr)
    farm = Farm(feeds, latency)
    runs: list[Run] = []
    try:
        urls = farm.get(f"/urls?formats={args.formats}")
        opml = farm.get(f"/opml?formats={args.formats}")
        for rep in range(reps):
            with tempfile.TemporaryDirectory(prefix="kabar-bench-") as tmp:
                work = Path(tmp)
                (work / "feeds.opml").write_bytes(opml)
                readers: list[Kabar | Newsboat] = [
                    Kabar(farm, work, work / "feeds.opml", args.kabar)
                ]
                if not args.no_newsboat:
                    readers.append(Newsboat(farm, work, urls, args.newsboat))
                if rep % 2:
                    readers.reverse()  # alternate who goes first
                phases = ["cold", "steady", "advance"] + (["unread"] if feeds >= 1000 else [])
                for phase in phases:
                    if phase == "steady":
                        for reader in readers:
                            for name, wall, rss, counters in reader.prepare_steady():
                                if rep == 0:  # newsboat as shipped, once: it is slow
                                    runs.append(Run(reader.name, name, wall, rss, counters))
                    if phase == "advance":
                        farm.get("/__advance")
                    for reader in readers:
                        wall, rss, counters = (
                            reader.unread() if phase == "unread" else reader.refresh()
                        )
                        run = Run(reader.name, phase, wall, rss, counters)
                        runs.append(run)
                        print(json.dumps({"feeds": feeds, "latency_ms": latency, "rep": rep,
                                          **run.__dict__}), flush=True)  # fmt: skip
    finally:
        farm.stop()
    return runs


def table(feeds: int, latency: float, runs: list[Run]) -> None:
    reps = len([r for r in runs if r.reader == "kabar" and r.phase == "cold"])
    print(f"\n{feeds} feeds, {latency:g} ms latency, jobs/reload-threads 16, median of {reps}")
    print(f"{'phase':<8} {'kabar s':>8} {'(min-max)':>13} {'newsboat s':>10} {'(min-max)':>13} "
          f"{'ratio':>6} {'kabar MB':>8} {'nb MB':>6} {'kabar req/200/304':>18}")  # fmt: skip
    for phase in ("cold", "steady", "advance", "unread"):
        mine = [r for r in runs if r.reader == "kabar" and r.phase == phase]
        theirs = [r for r in runs if r.reader == "newsboat" and r.phase == phase]
        if not mine:
            continue
        k = statistics.median(r.wall for r in mine)
        n = statistics.median(r.wall for r in theirs) if theirs else float("nan")
        c = mine[len(mine) // 2].counters
        traffic = f"{c.get('requests', 0)}/{c.get('status_200', 0)}/{c.get('status_304', 0)}"
        print(
            f"{phase:<8} {k:>8.2f} {_span(mine):>13} {n:>10.2f} {_span(theirs):>13} "
            f"{k / n:>6.2f} {max(r.maxrss_mb for r in mine):>8.0f} "
            f"{max((r.maxrss_mb for r in theirs), default=0):>6.0f} {traffic:>18}"
        )

    for phase in ("steady (as shipped)", "unread (as shipped)"):
        theirs = [r for r in runs if r.reader == "newsboat" and r.phase == phase]
        if theirs:
            print(f"newsboat {phase}, without ANALYZE, one run: {theirs[0].wall:.2f} s")


def _span(runs: list[Run]) -> str:
    return f"({min(r.wall for r in runs):.2f}-{max(r.wall for r in runs):.2f})" if runs else ""


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", choices=[*SCALES, "all"], default="all")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--newsboat", default="newsboat")
    parser.add_argument("--no-newsboat", action="store_true", help="time Kabar alone")
    parser.add_argument("--kabar", nargs="+", default=[sys.executable, "-m", "kabar"])
    parser.add_argument(
        "--formats", default="rss,atom,rdf,json", help="feed formats both readers get"
    )
    args = parser.parse_args()
    if not FARM.is_file():
        print(f"bench/refresh.py needs {FARM} (the shared feed farm); it is not here.")
        return 0
    if not args.no_newsboat and shutil.which(args.newsboat) is None:
        print("newsboat is not installed (apt-get install newsboat); use --no-newsboat")
        return 1
    results = []
    for key in SCALES if args.scale == "all" else [args.scale]:
        feeds, latency = SCALES[key]
        results.append((feeds, latency, run_scale(feeds, latency, args.reps, args)))
    print(f"\nfeed formats given to both readers: {args.formats}")
    for feeds, latency, runs in results:
        table(feeds, latency, runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
