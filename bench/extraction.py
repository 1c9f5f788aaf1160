"""Kabar's article extractor against trafilatura, in one process, on the shared benchmark.

Usage (from the project root):

    .venv/bin/python bench/extraction.py [--data ../shared/extraction-benchmark] [--worst 10]

Scores body text only (`Article.body_text()`, captions excluded, as the benchmark's ground
truth has none) with the benchmark's own metric, imported from its `score.py`, and times
both extractors page by page, alternating which runs first so that neither gains from a
warm cache or loses to a noisy neighbour. Then checks the caption test set under
tests/fixtures/captions. Exits 0 with a message when the benchmark folder is missing.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from kabar.core.article.document import Figure, block_text, plain  # noqa: E402
from kabar.core.article.extract import extract_article  # noqa: E402

CAPTIONS = ROOT / "tests" / "fixtures" / "captions"


def load_score(data: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("extraction_score", data / "score.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {data / 'score.py'}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up here
    spec.loader.exec_module(module)
    return module


def ours(html: str, url: str) -> str:
    return extract_article(html, url).body_text()


def theirs(html: str, url: str) -> str:
    import trafilatura

    return trafilatura.extract(html, url=url, include_comments=False) or ""


def run_benchmark(data: Path, worst: int, limit: int | None) -> None:
    score = load_score(data)
    pages = score.load_pages(data, limit)
    htmls = {page.id: page.html() for page in pages}
    extractors: dict[str, Callable[[str, str], str]] = {"kabar": ours, "trafilatura": theirs}
    rows: dict[str, list[tuple[float, float, float]]] = {name: [] for name in extractors}
    times: dict[str, list[float]] = {name: [] for name in extractors}
    errors: dict[str, int] = dict.fromkeys(extractors, 0)
    for fn in extractors.values():  # warm-up, untimed, as score.py does
        fn(htmls[pages[0].id], pages[0].url)
    for index, page in enumerate(pages):
        order = list(extractors) if index % 2 == 0 else list(reversed(extractors))
        for name in order:
            start = time.perf_counter()
            try:
                text = extractors[name](htmls[page.id], page.url)
            except Exception:
                text = ""
                errors[name] += 1
            times[name].append(time.perf_counter() - start)
            rows[name].append(score.tp_fp_fn(page.truth, text))

    print(f"# {data} ({len(pages)} pages); body text only, captions excluded")
    print(f"{'extractor':<12} {'P':>6} {'R':>6} {'F1':>6} {'pages/s':>8} {'median ms':>10} err")
    medians: dict[str, float] = {}
    for name in extractors:
        metrics = score.aggregate(rows[name])
        medians[name] = statistics.median(times[name]) * 1000
        pps = len(pages) / sum(times[name])
        print(
            f"{name:<12} {metrics['precision']:6.3f} {metrics['recall']:6.3f} "
            f"{metrics['f1']:6.3f} {pps:8.1f} {medians[name]:10.1f} {errors[name]:3d}"
        )
    ratio = medians["kabar"] / medians["trafilatura"]
    print(f"median time ratio kabar/trafilatura: {ratio:.2f} (bar: <= 1.50)")
    if worst:
        print(f"# the {worst} weakest pages for kabar (P, R, id, url)")
        scored = []
        for page, row in zip(pages, rows["kabar"], strict=True):
            scored.append((min(score._precision(*row), score._recall(*row)), row, page))
        scored.sort(key=lambda item: item[0])
        for _, row, page in scored[:worst]:
            p, r = score._precision(*row), score._recall(*row)
            print(f"  {p:.3f} {r:.3f} {page.id[:12]} {page.url[:80]}")


def run_captions() -> None:
    expected_path = CAPTIONS / "expected.json"
    if not expected_path.is_file():
        print(f"# caption set: {expected_path} not found")
        return
    expected: dict[str, Any] = json.loads(expected_path.read_text(encoding="utf-8"))
    found = missing = duplicated = invented = 0
    total = 0
    problems: list[str] = []
    for name, spec in sorted(expected.items()):
        html = (CAPTIONS / name).read_bytes()
        article = extract_article(html, spec.get("url", ""))
        got = [plain(f.caption) for f in article.figures() if f.caption]
        want = [c["caption"] for c in spec["figures"] if c.get("caption")]
        total += len(want)
        for caption in want:
            if caption in got:
                found += 1
            else:
                missing += 1
                problems.append(f"{name}: missing {caption[:50]!r}")
        for caption in got:
            if caption not in want:
                invented += 1
                problems.append(f"{name}: unexpected {caption[:50]!r}")
        body = [block_text(b) for b in article.blocks if not isinstance(b, Figure)]
        for caption in want:
            if any(caption in text for text in body):
                duplicated += 1
                problems.append(f"{name}: caption also in body {caption[:50]!r}")
    print(
        f"# caption set: {len(expected)} pages, {total} captions: {found} found as figure "
        f"captions, {missing} missing, {duplicated} duplicated into the body, "
        f"{invented} invented"
    )
    for problem in problems:
        print(f"  {problem}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared/extraction-benchmark")
    parser.add_argument("--worst", type=int, default=0, help="list the N weakest pages")
    parser.add_argument("--limit", type=int, help="only the first N pages")
    parser.add_argument("--no-captions", dest="captions", action="store_false")
    args = parser.parse_args(argv)
    data: Path = args.data
    if not (data / "ground-truth.json").is_file() or not (data / "score.py").is_file():
        print(f"benchmark data not found at {data}: skipping the body-text benchmark")
    else:
        run_benchmark(data, args.worst, args.limit)
    if args.captions:
        run_captions()
    return 0


if __name__ == "__main__":
    sys.exit(main())
