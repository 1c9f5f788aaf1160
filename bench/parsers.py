#!/usr/bin/env python3
"""Parse speed and agreement: the fast XML path against feedparser (issue 4).

    python bench/parsers.py                 # 200 farm feeds, 3 passes
    python bench/parsers.py --feeds 1000 --passes 5 --cpu 0 --json parsers.json
    python bench/parsers.py --fixtures      # the test corpus instead of the farm

The corpus is the shared feed farm's (../shared/bench/feedfarm.py), built in-process with
feedfarm.Farm: the same seed gives the same bytes the farm server sends, and each document
is parsed with the URL and Content-Type the server would give it. Only its RSS 2.0, Atom
and RSS 1.0 feeds are used (JSON Feed has its own parser). When the shared directory is
missing, the script says so and uses tests/fixtures/feeds.

It prints, for one core:

  throughput   MB/s of feedparser (through xmlfeed.parse_xml_feed, as Kabar calls it), of
               the fast path alone (fastxml.parse_xml_fast) and of parse_feed (fast path
               plus fallback); median of --passes whole passes, CPU time of this process
  fallback     how many documents the fast path declined (feedparser then reads them)
  agreement    for the documents it took, how many agree with feedparser on every field,
               and the agreement rate of each field; the comparison leaves out the
               differences docs/parsing.md accepts (Media RSS captions)
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import gc
import json
import os
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
SHARED = ROOT.parent / "shared" / "bench"
FIXTURES = ROOT / "tests" / "fixtures" / "feeds"

from kabar.core.errors import FeedParseError  # noqa: E402
from kabar.core.feeds.parse import parse_feed  # noqa: E402
from kabar.core.feeds.parse.fastxml import parse_xml_fast  # noqa: E402
from kabar.core.feeds.parse.xmlfeed import parse_xml_feed  # noqa: E402
from kabar.core.models import ParsedEntry, ParsedFeed  # noqa: E402

MEDIA_DESCRIPTION = re.compile(
    rb"<media:description\b[^>]*/>|<media:description\b[^>]*>.*?</media:description>", re.S
)


@dataclasses.dataclass
class Doc:
    name: str
    fmt: str
    data: bytes
    url: str
    content_type: str


def farm_corpus(feeds: int, items: int, base: str) -> list[Doc]:
    sys.path.insert(0, str(SHARED))
    import feedfarm  # type: ignore[import-not-found]

    farm = feedfarm.Farm(feeds, items, 0.1, 1, base)
    docs = []
    for n in range(feeds):
        fmt = farm.feed(n).fmt
        if fmt == "json":
            continue
        docs.append(Doc(f"f/{n:04d}", fmt, farm.feed_doc(n).body, farm.url(n), feedfarm.CTYPE[fmt]))
    return docs


def fixture_corpus() -> list[Doc]:
    docs = []
    for path in sorted(FIXTURES.iterdir()):
        fmt = "atom" if "atom" in path.name else "rdf" if path.suffix == ".rdf" else "rss"
        url = f"https://fixtures.example/feeds/{path.name}"
        docs.append(Doc(path.name, fmt, path.read_bytes(), url, ""))
    return docs


def cpu_seconds(
    parsers: dict[str, Callable[[Doc], object]], docs: list[Doc], passes: int
) -> dict[str, list[float]]:
    """CPU time of whole passes over the corpus, the parsers taking turns pass by pass, so a
    busy neighbour on a shared machine slows them alike rather than one of them."""
    times: dict[str, list[float]] = {name: [] for name in parsers}
    for _ in range(passes):
        for name, parse in parsers.items():
            gc.collect()
            start = time.process_time()
            for doc in docs:
                with contextlib.suppress(FeedParseError):
                    parse(doc)
            times[name].append(time.process_time() - start)
    return times


def compare(
    expected: ParsedFeed, got: ParsedFeed, fields: Counter[str], agree: Counter[str]
) -> bool:
    """Count each field's agreement; True when every field agrees."""
    ok = True

    def check(name: str, a: Any, b: Any) -> None:
        nonlocal ok
        fields[name] += 1
        if a == b:
            agree[name] += 1
        else:
            ok = False

    for field in dataclasses.fields(ParsedFeed):
        if field.name != "entries":
            check(f"feed.{field.name}", getattr(expected, field.name), getattr(got, field.name))
    check("entry count", len(expected.entries), len(got.entries))
    for a, b in zip(expected.entries, got.entries, strict=False):
        for field in dataclasses.fields(ParsedEntry):
            x, y = getattr(a, field.name), getattr(b, field.name)
            if field.name == "enclosures":  # captions and credits: an accepted difference
                x = [(e.url, e.type, e.length) for e in x]
                y = [(e.url, e.type, e.length) for e in y]
            check(field.name, x, y)
    return ok


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--feeds", type=int, default=200, help="farm feeds to build (default 200)")
    ap.add_argument("--items", type=int, default=30, help="items per farm feed (default 30)")
    ap.add_argument("--passes", type=int, default=3, help="timed passes per parser (default 3)")
    ap.add_argument("--cpu", type=int, default=None, help="pin the process to this CPU")
    ap.add_argument("--base", default="http://127.0.0.1:8080", help="origin in farm URLs")
    ap.add_argument("--fixtures", action="store_true", help="use tests/fixtures/feeds")
    ap.add_argument("--json", default=None, help="also write the figures to this file")
    args = ap.parse_args()
    if args.cpu is not None:
        os.sched_setaffinity(0, {args.cpu})

    if not args.fixtures and (SHARED / "feedfarm.py").exists():
        docs = farm_corpus(args.feeds, args.items, args.base)
        source = f"feedfarm ({SHARED}), {args.feeds} feeds x {args.items} items, RSS/Atom/RDF only"
    else:
        if not args.fixtures:
            print(f"{SHARED / 'feedfarm.py'} not found: using the test corpus instead")
        docs = fixture_corpus()
        source = f"test corpus ({FIXTURES})"
    megabytes = sum(len(d.data) for d in docs) / 1e6
    formats = Counter(d.fmt for d in docs)
    print(f"corpus: {source}")
    print(f"        {len(docs)} documents ({dict(formats)}), {megabytes:.2f} MB")

    # -- agreement and fallback ------------------------------------------------------------------
    fields: Counter[str] = Counter()
    agree: Counter[str] = Counter()
    fallback, agreeing, mismatched = [], 0, []
    for doc in docs:
        fast = parse_xml_fast(doc.data, doc.url, doc.content_type)
        if fast is None:
            fallback.append(doc.name)
            continue
        expected = parse_xml_feed(MEDIA_DESCRIPTION.sub(b"", doc.data), doc.url, doc.content_type)
        if compare(expected, fast, fields, agree):
            agreeing += 1
        else:
            mismatched.append(doc.name)
    taken = len(docs) - len(fallback)

    # -- throughput --------------------------------------------------------------------------------
    parsers: dict[str, Callable[[Doc], object]] = {
        "feedparser (xmlfeed.parse_xml_feed)": lambda d: parse_xml_feed(
            d.data, d.url, d.content_type
        ),
        "fast path (fastxml.parse_xml_fast)": lambda d: parse_xml_fast(
            d.data, d.url, d.content_type
        ),
        "parse_feed (fast path + fallback)": lambda d: parse_feed(d.data, d.url, d.content_type),
    }
    for parse in parsers.values():
        parse(docs[0])  # imports, caches
    runs = cpu_seconds(parsers, docs, args.passes)
    reference = runs["feedparser (xmlfeed.parse_xml_feed)"]

    print(
        f"\nthroughput, one core, CPU time; median (and best) of {args.passes} interleaved passes:"
    )
    for name, times in runs.items():
        median, best = statistics.median(times), min(times)
        print(
            f"  {name:38s} {megabytes / median:6.2f} MB/s ({megabytes / best:6.2f})"
            f"  {statistics.median(reference) / median:5.1f}x ({min(reference) / best:5.1f}x)"
            f" feedparser   passes {[round(t, 3) for t in times]} s"
        )
    print(f"\nfallback: {len(fallback)} of {len(docs)} documents ({len(fallback) / len(docs):.1%})"
          + (f": {', '.join(fallback[:10])}" if fallback else ""))  # fmt: skip
    print(
        f"agreement: {agreeing} of {taken} fast-path documents agree with feedparser on every"
        f" field ({agreeing / max(taken, 1):.1%})"
        + (f"; differing: {', '.join(mismatched[:10])}" if mismatched else "")
    )
    print("  per field (feed fields per document, entry fields per entry):")
    for name in fields:
        rate = agree[name] / fields[name]
        print(f"    {name:22s} {agree[name]:7d} / {fields[name]:<7d} {rate:8.2%}")

    if args.json:
        figures = {
            "corpus": source, "documents": len(docs), "megabytes": round(megabytes, 3),
            "formats": dict(formats),
            "throughput_mb_s": {
                n: round(megabytes / statistics.median(t), 2) for n, t in runs.items()
            },
            "passes_s": {n: [round(x, 3) for x in t] for n, t in runs.items()},
            "fallback": fallback, "fast_path_documents": taken, "agreeing_documents": agreeing,
            "field_agreement": {n: [agree[n], fields[n]] for n in fields},
        }  # fmt: skip
        Path(args.json).write_text(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
