#!/usr/bin/env python3
"""Sync speed against a real FreshRSS (../shared/servers) fed by ../shared/bench/feedfarm.py.

    python bench/sync.py                      # ~500 feeds x 40 items = ~20,000 items
    python bench/sync.py --feeds 100 --items 20
    python bench/sync.py --feeds 120 --items 196 --keep DIR   # 102 feeds, ~20,000 items:
                         # the server is set up in DIR once (~6 min here), then reused

FreshRSS cannot read JSON Feed, so the farm's JSON feeds (15 %) are left out: `--feeds 590`
(the default) subscribes the server to about 500 feeds.

Setup (untimed): the feed farm, a FreshRSS in a temporary DATADIR, the farm's OPML imported
on the server (subscription/import) and fetched by it (actualize-user.php). Then, each in
its own Kabar process on one fresh profile, so peak RSS is Kabar's alone:

  server     the server alone: a bare client sends the first sync's requests (login, the
             lists, then the same contents batches, two in flight as Kabar sends them)
             and reads the answers without parsing or storing: the server's own pace,
             the wall time a first sync is measured against; with --against, that
             tree's first syncs are interleaved too
  first      the first sync (every unread item; the newest 5,000 read ones)
  nothing    a sync with nothing changed on the server (--repeat times; the median run)
  changed    after 1 % of the items changed state on the server (half marked read,
             half starred, by another client)
  keys       key-to-repaint in the reader (j/k, and m: a read/unread change) while R
             synchronises, the newest 10,000 entries dropped first so the sync has work
  marks      a store-level mark (what a reader key does) timed while a first sync runs in
             another thread of the same process: state changes never wait for the network
  compare    nothing-changed syncs again, quiet and then with --burn busy loops running
             (`python -c 'while 1: pass'`), this tree's runs interleaved with those of
             --against DIR (e.g. `git archive main src | tar -x -C DIR`: before/after);
             each run also times a whole `kabar refresh -q` process (start, imports, sync)

For each: wall time, Kabar's own CPU time (user+sys of its process; FreshRSS works in its
own), the server's CPU time over the phase (PHP's built-in server, one process, read from
/proc), peak RSS, and the HTTP requests sent. One JSON line per phase, then a summary.
The first phases run --first-runs times (server and first sync interleaved; medians).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# KABAR_BENCH_SRC=DIR runs another source tree (an export of main: before/after figures).
sys.path.insert(0, os.environ.get("KABAR_BENCH_SRC") or str(REPO / "src"))
from kabar.core.sync.client import READ, READING_LIST, STARRED, GReaderClient  # noqa: E402

SHARED = Path(os.environ.get("KABAR_SHARED", REPO.parent / "shared"))
FARM = SHARED / "bench" / "feedfarm.py"
RUN_FRESHRSS = SHARED / "servers" / "run-freshrss"
USER, API_PASSWORD = "kabar", "kabar-api-pass"


# -- the child: one phase, in a fresh process --------------------------------------------------
def peak_rss_mb() -> float:
    """This process's peak RSS. ru_maxrss would not do: Linux carries it over from the
    parent across fork and exec, so a child of a big parent reported the parent's peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(phase: str) -> None:
    if phase == "server":  # in a process of its own: the parent stays small (see peak_rss_mb)
        print(json.dumps(server_alone(os.environ["KABAR_BENCH_API"])))
        return
    from kabar.core.config.profile import load_profile
    from kabar.core.store import EntryQuery
    from kabar.core.sync import sync

    profile = load_profile()
    profile.paths.ensure()
    marks: list[float] = []
    wall = time.perf_counter()
    cpu = time.process_time()
    if phase == "marks":
        result: dict[str, object] = {}

        def run() -> None:
            result["summary"] = sync(profile.paths.database, profile.config)

        worker = threading.Thread(target=run)
        worker.start()
        with profile.open_store() as store:
            while worker.is_alive():
                rows = store.list_entries(EntryQuery(), limit=1)
                if rows:
                    started = time.perf_counter()
                    store.set_read([rows[0].id], not rows[0].read)
                    marks.append(time.perf_counter() - started)
                time.sleep(0.02)
        worker.join()
        summary = result["summary"]
    else:
        summary = sync(profile.paths.database, profile.config)
    wall = time.perf_counter() - wall
    usage = resource.getrusage(resource.RUSAGE_SELF)
    with profile.open_store() as store:
        entries = store.count_entries()
    marks.sort()
    print(
        json.dumps(
            {
                "phase": phase,
                "wall_s": round(wall, 3),
                "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
                "cpu_sync_s": round(time.process_time() - cpu, 3),
                "peak_rss_mb": round(peak_rss_mb(), 1),
                "requests": summary.requests,  # type: ignore[attr-defined]
                "new": summary.new,  # type: ignore[attr-defined]
                "changed": summary.changed,  # type: ignore[attr-defined]
                "entries": entries,
                "error": summary.error,  # type: ignore[attr-defined]
                "marks": len(marks),
                "mark_median_ms": round(marks[len(marks) // 2] * 1000, 2) if marks else None,
                "mark_max_ms": round(marks[-1] * 1000, 2) if marks else None,
            }
        )
    )


def set_up(admin: GReaderClient, api: str, farm_url: str, env: dict[str, str],
           code: Path) -> tuple[int, int]:  # fmt: skip
    """Subscribe the server to the farm (OPML import) and let it fetch every feed."""
    import httpx

    admin.edit_subscription("feed/1", "unsubscribe")
    # FreshRSS 1.25 cannot read JSON Feed: subscribe to the farm's other formats only.
    opml = httpx.get(f"{farm_url}/opml?formats=rss,atom,rdf", timeout=60).content
    started = time.perf_counter()
    admin.login()
    imported = admin.http.post(
        api + "/reader/api/0/subscription/import",
        content=opml,
        headers={"Authorization": f"GoogleLogin auth={admin._auth}"},
        timeout=3600,
    )
    print(f"setup: OPML import {imported.status_code} in "
          f"{time.perf_counter() - started:.1f} s", file=sys.stderr)  # fmt: skip
    started = time.perf_counter()
    subprocess.run(["php", str(code / "actualize-user.php"), "--user", USER], env=env,
                   capture_output=True, check=False)  # fmt: skip
    items = len(admin.item_ids(READING_LIST))
    feeds = len(admin.subscriptions())
    print(f"setup: server fetched {feeds} feeds, {items} items in "
          f"{time.perf_counter() - started:.1f} s", file=sys.stderr)  # fmt: skip
    return items, feeds


def setup_figures(admin: GReaderClient) -> tuple[int, int]:
    return len(admin.item_ids(READING_LIST)), len(admin.subscriptions())


def keys_during_sync(home: Path, refetch: int = 15_000) -> dict[str, object]:
    """Key-to-repaint in the reader (a real process in a pseudo-terminal, bench/tui.py's
    Terminal) while `R` synchronises.

    The newest `refetch` entries are dropped from the profile first, so the sync has
    contents to fetch and store while keys are pressed (the rest stay listed, so j/k move
    and `m` marks). The profile does not sync on start: the sync is the one `R` starts,
    seen to begin ("Refreshing") and to end (the status line's "synced at"); only keys
    pressed in between count. The end marker is looked for in every read, across read
    boundaries (an earlier version looked at a 4,000-byte tail every third key, and the
    status line had scrolled out of it by then: it never saw the end).
    """
    import sqlite3

    sys.path.insert(0, str(REPO / "bench"))
    from tui import CSI, Terminal

    os.environ["KABAR_SYNC_PASSWORD"] = API_PASSWORD
    config = home / "config" / "config.toml"
    config.write_text(config.read_text() + "[general]\nrefresh_on_start = false\n")
    newest = "SELECT entry_id FROM sync_items ORDER BY item_id DESC LIMIT ?"
    with sqlite3.connect(home / "data" / "kabar.db") as db:
        gone = [(r[0],) for r in db.execute(newest, (refetch,))]
        db.executemany("DELETE FROM sync_items WHERE entry_id = ?", gone)
        db.executemany("DELETE FROM entries WHERE id = ?", gone)
    db.close()

    class Watching(Terminal):
        """Notes when the status line first shows `marker` (CSI-stripped, across reads)."""

        marker = b""
        seen_at = 0.0
        raw_tail = b""

        def read(self, timeout: float) -> bytes:
            data = super().read(timeout)
            if data and self.marker and not self.seen_at:
                joined = self.raw_tail + data  # a CSI or the marker may straddle two reads
                if self.marker in CSI.sub(b"", joined):
                    self.seen_at = time.perf_counter()
                self.raw_tail = joined[-256:]
            return data

        def watch(self, marker: bytes) -> None:
            self.marker, self.seen_at, self.raw_tail = marker, 0.0, b""

    term = Watching(home, 120, 40)
    term.start()
    term.frame_until(b"All", timeout=30)
    term.settle(1.0)
    term.watch(b"synced at")
    started = time.perf_counter()
    os.write(term.fd, b"R")
    term.frame_until(b"Refreshing", timeout=10)
    presses: dict[str, list[float]] = {"j/k": [], "m": []}
    late = 0  # keys whose repaint ended after the sync's end: not counted
    while not term.seen_at and time.perf_counter() - started < 300:
        for name, key in (("j/k", b"j"), ("m", b"m"), ("j/k", b"k")):
            took = term.key(key)
            if term.seen_at:
                late += 1
                break
            presses[name].append(took)
    sync_s = (term.seen_at or time.perf_counter()) - started
    term.settle(0.5)
    peak = term.stop()
    both = sorted(presses["j/k"] + presses["m"])
    if not term.seen_at or len(presses["j/k"]) < 3 or not presses["m"]:
        raise SystemExit(f"keys: the sync did not end in 300 s or was too short to press "
                         f"keys ({len(both)} keys in {sync_s:.1f} s)")  # fmt: skip
    return {
        "phase": "keys",
        "sync_wall_s": round(sync_s, 2),
        "refetched": refetch,
        "keys": len(both),
        "jk_median_ms": round(statistics.median(presses["j/k"]) * 1000, 1),
        "jk_max_ms": round(max(presses["j/k"]) * 1000, 1),
        "m_median_ms": round(statistics.median(presses["m"]) * 1000, 1),
        "m_max_ms": round(max(presses["m"]) * 1000, 1),
        "p90_ms": round(both[int(len(both) * 0.9)] * 1000, 1),
        "max_ms": round(both[-1] * 1000, 1),
        "reader_peak_rss_mb": round(peak, 1),
    }


def server_alone(api: str, first_limit: int = 5_000) -> dict[str, object]:
    """What the server takes to answer a first sync's requests to a client that only
    reads: the same lists, then the same contents batches, two in flight."""
    from concurrent.futures import ThreadPoolExecutor

    from kabar.core.sync.client import CONTENTS_BATCH, READ

    started, cpu = time.perf_counter(), time.process_time()
    client = GReaderClient(api, USER, API_PASSWORD, timeout=600)
    client.login()
    with ThreadPoolExecutor(4) as pool:
        subscriptions = pool.submit(client.subscriptions)
        lists = [
            pool.submit(client.item_ids, READING_LIST, exclude=READ),
            pool.submit(client.item_ids, STARRED),
            pool.submit(client.item_ids, READING_LIST, limit=first_limit),
        ]
        wanted = sorted(set().union(*(job.result() for job in lists)), reverse=True)
        subscriptions.result()
    batches = [wanted[i : i + CONTENTS_BATCH] for i in range(0, len(wanted), CONTENTS_BATCH)]
    with ThreadPoolExecutor(2) as pool:
        received = sum(map(len, pool.map(client.contents_answer, batches)))
    client.close()
    return {
        "phase": "server",
        "wall_s": round(time.perf_counter() - started, 3),
        "client_cpu_s": round(time.process_time() - cpu, 3),
        "requests": client.requests,
        "items": len(wanted),
        "received_mb": round(received / 1e6, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def _wall(row: dict[str, object]) -> float:
    return float(row["wall_s"])  # type: ignore[arg-type]


def cli_refresh(env: dict[str, str], src: str | None) -> tuple[float, float]:
    """Wall and CPU seconds of one `kabar refresh -q` process (what cron runs)."""
    if src:
        env = {**env, "PYTHONPATH": src}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "kabar", "refresh", "-q"], env=env, check=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def compare_nothing(
    phase: Callable[[str, str | None], dict[str, object]],
    env: dict[str, str],
    trees: dict[str, str | None],
    repeat: int,
    burn: int,
) -> list[dict[str, object]]:
    """Nothing-changed syncs of each source tree, interleaved run by run, quiet and then
    with `burn` busy loops: the figures of two trees meet the same moments of load."""
    out: list[dict[str, object]] = []
    for load in (0, burn) if burn else (0,):
        burners = [subprocess.Popen([sys.executable, "-c", "while 1: pass"]) for _ in range(load)]
        try:
            time.sleep(1.0 if load else 0.0)
            runs: dict[str, list[dict[str, object]]] = {label: [] for label in trees}
            cli: dict[str, list[tuple[float, float]]] = {label: [] for label in trees}
            loads = []
            for _ in range(repeat):
                for label, src in trees.items():
                    runs[label].append(phase("nothing", src))
                    cli[label].append(cli_refresh(env, src))
                    loads.append(os.getloadavg()[0])
        finally:
            for burner in burners:
                burner.kill()
                burner.wait()
        for label in trees:
            walls = sorted(_wall(r) for r in runs[label])
            cpus = sorted(float(r["cpu_sync_s"]) for r in runs[label])  # type: ignore[arg-type]
            cli_walls = sorted(w for w, _ in cli[label])
            out.append(
                {
                    "phase": "compare",
                    "tree": label,
                    "busy_loops": load,
                    "load_avg": f"{min(loads):.1f}-{max(loads):.1f}",
                    "runs": len(walls),
                    "wall_median_s": round(statistics.median(walls), 3),
                    "wall_range_s": f"{walls[0]:.3f}-{walls[-1]:.3f}",
                    "cpu_median_s": round(statistics.median(cpus), 3),
                    "requests": sorted({str(r["requests"]) for r in runs[label]}),
                    "errors": sorted({str(r["error"]) for r in runs[label] if r["error"]}),
                    "cli_wall_median_s": round(statistics.median(cli_walls), 3),
                    "cli_wall_range_s": f"{cli_walls[0]:.3f}-{cli_walls[-1]:.3f}",
                    "cli_cpu_median_s": round(statistics.median(c for _, c in cli[label]), 3),
                }
            )
            print(json.dumps(out[-1]))
    return out


# -- the parent: servers, setup, phases ---------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=590, help="farm feeds (85 %% subscribed)")
    parser.add_argument("--items", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=5, help="nothing-changed syncs")
    parser.add_argument("--keep", type=Path, help="set up FreshRSS here once, then reuse it")
    parser.add_argument(
        "--against",
        type=Path,
        help="a source tree (its src/ or the folder "
        "holding kabar/) whose first and nothing-changed syncs interleave with this one's",
    )
    parser.add_argument("--burn", type=int, default=2, help="busy loops in the loaded runs")
    parser.add_argument(
        "--server-workers",
        type=int,
        default=1,
        help="PHP's built-in server "
        "answers one request at a time; N > 1 sets PHP_CLI_SERVER_WORKERS "
        "(a deployed FreshRSS behind php-fpm answers several at once)",
    )
    parser.add_argument("--compare-runs", type=int, default=7, help="runs per tree and load")
    parser.add_argument(
        "--pin",
        action="store_true",
        help="the server on CPU 0 and Kabar on the others, as if the server had a machine of "
        "its own (Linux; at least 2 CPUs)",
    )
    parser.add_argument(
        "--first-runs",
        type=int,
        default=3,
        help="server-alone and first-sync runs (interleaved; the median of each is shown)",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return 0
    missing = [str(p) for p in (FARM, RUN_FRESHRSS) if not p.exists()]
    if missing or shutil.which("php") is None:
        print(f"sync bench: needs PHP and {', '.join(missing) or '../shared'}", file=sys.stderr)
        return 2
    work = args.keep or Path(tempfile.mkdtemp(prefix="kabar-sync-bench-"))
    reuse = (work / "freshrss" / "users" / USER / "db.sqlite").exists()
    if reuse:  # a kept server: back to its state right after setup, a fresh Kabar profile
        shutil.copyfile(work / "setup.sqlite", work / "freshrss" / "users" / USER / "db.sqlite")
        for old in ("kabar", "kabar-marks", "kabar-tui"):
            shutil.rmtree(work / old, ignore_errors=True)
    farm = subprocess.Popen(
        [sys.executable, str(FARM), "--feeds", str(args.feeds), "--items", str(args.items),
         "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    assert farm.stdout is not None
    farm_url = f"http://127.0.0.1:{farm.stdout.readline().strip()}"
    workers = {"PHP_CLI_SERVER_WORKERS": str(args.server_workers)}
    if args.server_workers <= 1:
        workers = {}
    server = subprocess.Popen(
        [str(RUN_FRESHRSS), str(work / "freshrss")], env={**os.environ, **workers},
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, start_new_session=True,
    )  # fmt: skip
    assert server.stdout is not None
    api = server.stdout.readline().strip() + "/api/greader.php"
    stat = Path(f"/proc/{server.pid}/stat")  # run-freshrss execs PHP: this is the server
    if args.pin:  # every phase is a child of this process, and inherits its CPUs
        cores = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(server.pid, cores[:1])
        os.sched_setaffinity(0, cores[1:])
        print(f"pinned: the server on CPU {cores[0]}, Kabar on {cores[1:]}", file=sys.stderr)

    def server_cpu() -> float:
        if args.server_workers > 1 or not stat.exists():
            return float("nan")  # the workers are other processes
        fields = stat.read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    env = {**os.environ, "DATA_PATH": str(work / "freshrss")}
    code = SHARED / "servers" / "freshrss" / "cli"
    try:
        time.sleep(0.5)
        admin = GReaderClient(api, USER, API_PASSWORD, timeout=600)
        if reuse:
            items, feeds = setup_figures(admin)
        else:
            items, feeds = set_up(admin, api, farm_url, env, code)
            shutil.copyfile(work / "freshrss" / "users" / USER / "db.sqlite", work / "setup.sqlite")

        home = work / "kabar"
        (home / "config").mkdir(parents=True)
        (home / "config" / "config.toml").write_text(
            f'[sync]\nkind = "greader"\nurl = "{api}"\nusername = "{USER}"\n', encoding="utf-8"
        )
        kabar_env = {**os.environ, "KABAR_HOME": str(home), "KABAR_SYNC_PASSWORD": API_PASSWORD,
                     "KABAR_BENCH_API": api}  # fmt: skip

        def phase(name: str, profile_home: Path = home, src: str | None = None,
                  show: bool = True) -> dict[str, object]:  # fmt: skip
            env = {**kabar_env, "KABAR_HOME": str(profile_home)}
            if src:
                env["KABAR_BENCH_SRC"] = src
            before = server_cpu()
            done = subprocess.run(
                [sys.executable, __file__, "--child", name],
                env=env, capture_output=True, text=True, check=True,
            )  # fmt: skip
            row: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
            row.update(server_items=items, server_feeds=feeds,
                       server_cpu_s=round(server_cpu() - before, 3))  # fmt: skip
            if show:
                print(json.dumps(row))
            return row

        trees: dict[str, str | None] = {"this": None}
        if args.against:
            inner = args.against / "src" if (args.against / "src" / "kabar").is_dir() else None
            trees = {"against": str(inner or args.against), "this": None}
        alone: list[dict[str, object]] = []
        firsts: dict[str, list[dict[str, object]]] = {label: [] for label in trees}
        for _ in range(args.first_runs):
            alone.append(phase("server"))
            for label, src in trees.items():
                shutil.rmtree(home / "data", ignore_errors=True)  # a fresh profile
                shutil.rmtree(home / "cache", ignore_errors=True)
                firsts[label].append(phase("first", src=src, show=label == "this"))
        rows = [sorted(firsts["this"], key=_wall)[len(firsts["this"]) // 2]]  # the median run
        nothing = sorted((phase("nothing") for _ in range(args.repeat)), key=_wall)
        rows.append(nothing[len(nothing) // 2])  # the median run
        ids = admin.item_ids(READING_LIST)
        step = max(1, len(ids) // max(1, len(ids) // 100))
        chosen = ids[::step][: max(2, len(ids) // 100)]
        half = len(chosen) // 2
        admin.edit_tag(chosen[:half], add=READ)
        admin.edit_tag(chosen[half:], add=STARRED)
        rows.append(phase("changed"))
        other = work / "kabar-marks"
        shutil.copytree(home / "config", other / "config")
        rows.append(phase("marks", other))
        tui = work / "kabar-tui"
        shutil.copytree(home, tui)
        keys = keys_during_sync(tui)
        print(json.dumps(keys))
        compared = compare_nothing(
            lambda name, src: phase(name, src=src, show=False),
            kabar_env, trees, args.compare_runs, args.burn,
        )  # fmt: skip
        print("\nphase     wall s   cpu s  server cpu s  peak MB  requests  new    changed  "
              "entries", file=sys.stderr)  # fmt: skip
        for r in rows:
            print(f"{r['phase']:<9} {r['wall_s']:>6}  {r['cpu_sync_s']:>6}  "
                  f"{r['server_cpu_s']:>12}  {r['peak_rss_mb']:>7}  {r['requests']:>8}  "
                  f"{r['new']:>6} {r['changed']:>7}  {r['entries']:>7}",
                  file=sys.stderr)  # fmt: skip
        print(f"\nfirst sync against the server alone ({args.first_runs} interleaved runs):",
              file=sys.stderr)  # fmt: skip
        bares = [_wall(a) for a in alone]
        for label in trees:
            for bare, row in zip(alone, firsts[label], strict=True):
                print(f"  {label:<8} server alone {_wall(bare):.2f} s (server cpu "
                      f"{bare['server_cpu_s']} s)   first sync {_wall(row):.2f} s = "
                      f"{_wall(row) / _wall(bare):.2f}x (Kabar cpu {row['cpu_sync_s']} s, "
                      f"server cpu {row['server_cpu_s']} s)", file=sys.stderr)  # fmt: skip
        for label in trees:
            took = [_wall(r) for r in firsts[label]]
            cpus = [float(r["cpu_sync_s"]) for r in firsts[label]]  # type: ignore[arg-type]
            alone_s, first_s = statistics.median(bares), statistics.median(took)
            print(f"  {label:<8} medians: server alone {alone_s:.2f} s, first sync {first_s:.2f} "
                  f"s ({first_s / alone_s:.2f}x; range {min(took):.2f}-{max(took):.2f} s), "
                  f"Kabar cpu {statistics.median(cpus):.2f} s", file=sys.stderr)  # fmt: skip
        marks = rows[-1]
        print(f"marks during a first sync: {marks['marks']}, median {marks['mark_median_ms']} ms,"
              f" max {marks['mark_max_ms']} ms", file=sys.stderr)  # fmt: skip
        print(f"reader keys while R syncs {keys['refetched']} items ({keys['sync_wall_s']} s, "
              f"{keys['keys']} keys): j/k median {keys['jk_median_ms']} ms (max "
              f"{keys['jk_max_ms']}), m median {keys['m_median_ms']} ms (max "
              f"{keys['m_max_ms']}), p90 {keys['p90_ms']} ms", file=sys.stderr)  # fmt: skip
        print("\nnothing changed   tree     busy  load     wall median (range)      cpu   req"
              "   kabar refresh wall (range), cpu", file=sys.stderr)  # fmt: skip
        for c in compared:
            print(f"                  {c['tree']:<8} {c['busy_loops']:>4}  {c['load_avg']:<8} "
                  f"{c['wall_median_s']:.3f} ({c['wall_range_s']})  {c['cpu_median_s']:.3f} "
                  f"{c['requests']}  {c['cli_wall_median_s']:.3f} ({c['cli_wall_range_s']}), "
                  f"{c['cli_cpu_median_s']:.3f}", file=sys.stderr)  # fmt: skip
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        farm.send_signal(signal.SIGTERM)
        farm.wait(10)
        server.wait(10)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
