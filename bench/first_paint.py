#!/usr/bin/env python3
"""The reader's first paint, for one build or several interleaved (a before/after check).

    python bench/first_paint.py --runs 10 \
        --build before=../old/.venv/bin/python:/tmp/cache-old \
        --build after=.venv/bin/python:/tmp/cache-new

Each build is an interpreter with Kabar installed and a profile folder holding a cache that
build made (`python bench/tui.py --runs 1 --keep DIR` makes one: 100,000 entries). Kabar is
started in a pseudo-terminal at 120x40, as bench/tui.py does, and timed until the first
frame that shows the newest headline; then it is stopped. The builds alternate run by run
(the order flipping each round), so load from anything else on the machine falls on each
alike. Bytecode is kept between runs in a folder per build, as an installed Kabar has it.
Prints every run, then the median, min and max per build and the ratio to the first.
Without --build: this checkout's interpreter on `--keep DIR`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import tui  # bench/tui.py: the pseudo-terminal and the cache


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--build", action="append", default=[], help="NAME=PYTHON:HOME")
    parser.add_argument("--keep", type=Path, help="without --build: build (or reuse) here")
    args = parser.parse_args()
    builds: list[tuple[str, str, Path]] = []
    for spec in args.build:
        name, _, rest = spec.partition("=")
        python, _, home = rest.rpartition(":")
        builds.append((name, python, Path(home)))
    if not builds:
        home = args.keep or Path(tempfile.mkdtemp(prefix="kabar-paint-"))
        if not (home / "data" / "kabar.db").exists():
            tui.build(home, 1000, 100_000)
        builds.append(("this", sys.executable, home))
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    cache = Path(tempfile.gettempdir()) / "kabar-paint-pycache"
    times: dict[str, list[float]] = {name: [] for name, _, _ in builds}
    for run in range(args.runs):
        for name, python, home in builds if run % 2 == 0 else builds[::-1]:
            os.environ["PYTHONPYCACHEPREFIX"] = str(cache / name)
            sys.executable = python  # the interpreter the terminal starts (tui reads it)
            term = tui.Terminal(home, 120, 40)
            term.start()
            times[name].append(term.frame_until(b"Cached story 00000") - term.started)
            term.stop()
            print(f"run {run + 1} {name}: {times[name][-1]:.3f} s", flush=True)
    first = statistics.median(times[builds[0][0]])
    for name, values in times.items():
        median = statistics.median(values)
        print(
            f"{name}: median {median:.3f} s (min {min(values):.3f}, max {max(values):.3f}) "
            f"over {len(values)} runs; ratio {median / first:.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
