#!/usr/bin/env python3
"""Search speed on a 20,000-entry cache (issue 6: median under 50 ms).

    python bench/search.py [--entries 20000] [--queries 200]

Builds a throwaway store with entries in English, Indonesian and Japanese (synthetic text,
about 2 KB each), indexes it, then times `Store.search` for a mix of one-word, two-word,
prefix (as typed), filtered and CJK queries. Prints the indexing time and the median, p90
and max query time. Needs nothing outside this repository.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from kabar.core.models import FeedUpdate, ParsedEntry, ParsedFeed
from kabar.core.store import Store

EN = ["harbour", "ferry", "council", "market", "storm", "lighthouse", "school", "rowing"]
ID = ["pasar", "banjir", "petani", "kopi", "nelayan", "jalan", "kapal", "sekolah", "warga"]
JA = ["東京", "天気", "地震", "電車", "学校", "市場", "漁港", "祭り", "台風", "選挙"]
QUERIES = [
    "ferry", "harbour council", "light", "pasar kopi", "Sekilas", "banjir warga",
    "東京", "台風", "saved:yes market", "unread:yes storm", "feed:nusantara kapal", "wint",
]  # fmt: skip


def build(path: Path, count: int, rng: random.Random) -> None:
    with Store(path) as store:
        feeds = [store.add_feed(f"https://feed{n}.example/rss") for n in range(100)]
        per_feed = count // len(feeds)
        updates = []
        for n, feed in enumerate(feeds):
            words = (EN, ID, JA)[n % 3]
            joiner = "" if words is JA else " "
            entries = []
            for i in range(per_feed):
                title = joiner.join(rng.choice(words) for _ in range(6))
                body = joiner.join(rng.choice(words) for _ in range(300))
                entries.append(ParsedEntry(guid=f"{n}-{i}", title=title, content=f"<p>{body}</p>",
                                           published=1.7e9 + i * 60))  # fmt: skip
            name = "Kabar Nusantara" if words is ID else f"Feed {n}"
            updates.append(
                FeedUpdate(feed.id, 1.0, 200, parsed=ParsedFeed("rss", name, entries=entries))
            )
        store.apply_updates(updates)
        store.set_saved(list(range(1, count, 50)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=240)
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "kabar.db"
        started = time.perf_counter()
        build(db, args.entries, rng)
        built = time.perf_counter() - started
        with Store(db) as store:
            started = time.perf_counter()
            indexed = store.index_all()
            index_time = time.perf_counter() - started
            times: list[float] = []
            hits: list[int] = []
            for n in range(args.queries):
                query = QUERIES[n % len(QUERIES)]
                started = time.perf_counter()
                hits.append(len(store.search(query, limit=100)))
                times.append((time.perf_counter() - started) * 1000)
    times.sort()
    median_hits = statistics.median(hits)
    p90 = times[int(len(times) * 0.9)]
    print(f"entries: {args.entries:,} (built in {built:.1f} s)")
    print(f"indexed: {indexed:,} in {index_time:.1f} s")
    print(f"queries: {len(times)} of {len(QUERIES)} kinds, median {median_hits:.0f} hits (max 100)")
    print(f"search time: median {statistics.median(times):.1f} ms, p90 {p90:.1f} ms, ", end="")
    print(f"max {times[-1]:.1f} ms (target: median < 50 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
