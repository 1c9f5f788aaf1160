#!/usr/bin/env python3
"""Short commands, timed from outside, for one build or several interleaved.

    python bench/startup.py                       # this checkout, 7 runs of each phase
    python bench/startup.py --runs 9 \\
        --build before=../old/.venv/bin/kabar --build after=.venv/bin/kabar

The phases are the commands where start-up and per-feed overhead dominate:

  empty     `kabar feeds` on a profile with no feeds (start-up alone)
  feeds     `kabar feeds` on a profile with 1,000 refreshed feeds (unread counts)
  steady    `kabar refresh --jobs 16 --quiet` on that profile with nothing changed
            (every feed answers 304), against ../shared/bench/feedfarm.py at 0 ms
  cold      (only with --cold) the first refresh of a fresh profile: slow, so fewer runs

Each build gets its own profiles, built untimed with its own `kabar import` and one refresh,
and its own bytecode cache (see environment()).
The runs interleave (A B A B ..., the order flipping each round) so that load from anything
else on the machine falls on every build alike. For each run the wall time and the CPU time
(user + system, of the process and the children it waited for, from wait4) are recorded;
CPU time is the steadier figure on a shared machine. Each run is a JSON line; medians,
min-max and the ratio to the first build are printed at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FARM = ROOT.parent / "shared" / "bench" / "feedfarm.py"
PHASES = ("empty", "feeds", "steady", "cold")


@dataclass
class Run:
    build: str
    phase: str
    wall: float
    cpu: float


class Farm:
    """The shared corpus server on a free loopback port."""

    def __init__(self, feeds: int) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(FARM), "--port", "0", "--feeds", str(feeds),
             "--latency-ms", "0", "--update-fraction", "0.1"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )  # fmt: skip
        assert self.proc.stdout is not None
        self.port = int(self.proc.stdout.readline())

    def get(self, path: str) -> bytes:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}") as response:
            return bytes(response.read())

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait()


def environment(home: Path) -> dict[str, str]:
    """The environment a run gets: its profile, and compiled bytecode kept between runs (in
    a folder of its own, outside the source tree) as an installed Kabar has it, even where
    PYTHONDONTWRITEBYTECODE is set: compiling every module at every start is not what a
    user pays, and it would weigh a module's size rather than its cost."""
    env = {**os.environ, "KABAR_HOME": str(home)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(home.parent / "pycache")
    return env


def timed(cmd: list[str], home: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one command run to completion (it must exit 0)."""
    env = environment(home)
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    errors = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {errors.decode(errors='replace')[-500:]}")
    return wall, usage.ru_utime + usage.ru_stime


class Build:
    """One kabar command line and its profiles."""

    def __init__(self, spec: str, work: Path, opml: Path | None) -> None:
        name, _, command = spec.partition("=")
        self.name = name or command or "this"
        self.command = command.split() if command else [sys.executable, "-m", "kabar"]
        self.work = work
        self.empty = self.work / "empty"
        self.full = self.work / "full"
        self.opml = opml
        timed([*self.command, "feeds"], self.empty)  # creates the database
        if opml is not None:
            subprocess.run(
                [*self.command, "import", str(opml)],
                env=environment(self.full),
                check=True,
                capture_output=True,
            )
            timed(self.refresh_command(), self.full)

    def refresh_command(self) -> list[str]:
        return [*self.command, "refresh", "--jobs", "16", "--quiet"]

    def run(self, phase: str) -> tuple[float, float]:
        if phase == "empty":
            return timed([*self.command, "feeds"], self.empty)
        if phase == "feeds":
            return timed([*self.command, "feeds"], self.full)
        if phase == "steady":
            return timed(self.refresh_command(), self.full)
        assert self.opml is not None
        fresh = self.work / "cold"
        shutil.rmtree(fresh, ignore_errors=True)
        subprocess.run(
            [*self.command, "import", str(self.opml)],
            env=environment(fresh),
            check=True,
            capture_output=True,
        )
        return timed(self.refresh_command(), fresh)


def report(builds: list[Build], runs: list[Run]) -> None:
    first = builds[0].name
    print(f"\nmedians (min-max) over {max(len(runs), 1)} runs in all; ratio = build / {first}")
    print(f"{'phase':<7} {'build':<10} {'n':>3} {'wall s':>7} {'(min-max)':>13} "
          f"{'cpu s':>7} {'(min-max)':>13} {'wall x':>7} {'cpu x':>7}")  # fmt: skip
    for phase in PHASES:
        base: tuple[float, float] | None = None
        for build in builds:
            mine = [r for r in runs if r.build == build.name and r.phase == phase]
            if not mine:
                continue
            wall = statistics.median(r.wall for r in mine)
            cpu = statistics.median(r.cpu for r in mine)
            base = base or (wall, cpu)
            print(
                f"{phase:<7} {build.name:<10} {len(mine):>3} {wall:>7.3f} "
                f"{_span([r.wall for r in mine]):>13} {cpu:>7.3f} "
                f"{_span([r.cpu for r in mine]):>13} "
                f"{wall / base[0]:>7.2f} {cpu / base[1]:>7.2f}"
            )


def _span(values: list[float]) -> str:
    return f"({min(values):.3f}-{max(values):.3f})"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--build",
        action="append",
        metavar="NAME=COMMAND",
        help="a kabar command line to time, e.g. after=.venv/bin/kabar (repeat to compare; "
        "default: this checkout's `python -m kabar`)",
    )
    parser.add_argument("--runs", type=int, default=7, help="runs of each short phase, per build")
    parser.add_argument("--feeds", type=int, default=1000, help="feeds in the full profile")
    parser.add_argument("--phases", default="empty,feeds,steady", help="comma-separated")
    parser.add_argument("--cold", type=int, default=0, metavar="N", help="also N cold refreshes")
    args = parser.parse_args()
    phases = [p for p in args.phases.split(",") if p]
    if unknown := set(phases) - set(PHASES):
        parser.error(f"unknown phases: {', '.join(sorted(unknown))}")
    needs_farm = {"feeds", "steady"} & set(phases) or args.cold
    if needs_farm and not FARM.is_file():
        print(f"the feeds, steady and cold phases need {FARM} (the shared feed farm).")
        return 0
    runs: list[Run] = []
    farm = None
    with tempfile.TemporaryDirectory(prefix="kabar-startup-") as tmp:
        work = Path(tmp)
        try:
            opml = None
            if needs_farm:
                print(f"starting the farm ({args.feeds} feeds)", file=sys.stderr)
                farm = Farm(args.feeds)
                opml = work / "feeds.opml"
                opml.write_bytes(farm.get("/opml"))
            specs = args.build or [""]
            builds = [Build(spec, work / f"build{i}", opml) for i, spec in enumerate(specs)]
            schedule = [(p, args.runs) for p in phases] + [("cold", args.cold)] * bool(args.cold)
            for phase, count in schedule:
                for rep in range(count):
                    order = builds if rep % 2 == 0 else builds[::-1]
                    for build in order:
                        wall, cpu = build.run(phase)
                        runs.append(Run(build.name, phase, wall, cpu))
                        print(json.dumps(runs[-1].__dict__), flush=True)
        finally:
            if farm is not None:
                farm.stop()
    report(builds, runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
