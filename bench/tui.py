#!/usr/bin/env python3
"""The reader at scale: 100,000 cached entries across 1,000 feeds, measured from outside.

    python bench/tui.py                    # build the cache, run 3 times, print the figures
    python bench/tui.py --runs 5 --size 160x50 --keep /tmp/kabar-bench

Kabar runs as a real process in a pseudo-terminal (`python -m kabar`), exactly as a user
starts it; this script is the terminal. It answers Textual's query for synchronized output,
so every frame arrives between "begin" and "end" markers and a frame can be timed to the
millisecond:

  first paint     process start -> the end of the first frame showing a headline
  j/k repaint     key written -> the end of the frame that moves the cursor (median,
                  near the top of the list and 99,000 rows down)
  open article    Enter on an entry with a cached full article -> the end of the frame
                  showing its title (median)
  peak memory     the process's maximum resident set size (ru_maxrss from wait4)

The bars (issue 5): first paint < 1 s, j/k < 30 ms median, open < 50 ms, peak < 200 MB.

    python bench/tui.py --pictures 10,40   # an article with 10, then 40, large pictures

The pictures case (issue 13) opens an article whose N large pictures (2400x1600, JPEG and
PNG) are in the image cache, drawn as half-blocks (the pseudo-terminal has no graphics
protocol), and measures: open (Enter -> the frame with its text), the first picture
(Enter -> the first frame with a half-block), j/k in the article with pictures on screen,
and peak memory after every picture was decoded, against the same run with pictures off.
Bars: j/k < 30 ms median, open < 50 ms, peak < 300 MB.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import random
import re
import select
import statistics
import struct
import sys
import tempfile
import termios
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from kabar.core.article.document import Article, Figure, Heading, Paragraph, Span  # noqa: E402
from kabar.core.config.paths import Paths  # noqa: E402
from kabar.core.models import FeedUpdate, ParsedEntry, ParsedFeed  # noqa: E402
from kabar.core.store import Store  # noqa: E402

SYNC_QUERY = b"\x1b[?2026$p"
SYNC_REPLY = b"\x1b[?2026;2$y"
SYNC_END = b"\x1b[?2026l"
CSI = re.compile(rb"\x1b\[[0-9;?<=>]*[ -/]*[@-~]|\x1b[()][A-Z0-9]|\x1b[=>78]")
CACHED = 400  # the newest entries have a stored full article
BARS = {"first_paint_s": 1.0, "jk_median_ms": 30.0, "open_median_ms": 50.0, "peak_rss_mb": 200.0}
PICTURE_BARS = {"jk_median_ms": 30.0, "open_median_ms": 50.0, "peak_rss_mb": 300.0}
HALF_BLOCK = "▀".encode()


# -- the cache -------------------------------------------------------------------------------
def article_for(number: int, rng: random.Random) -> Article:
    words = [
        "harbour",
        "ferry",
        "tide",
        "council",
        "quay",
        "lamp",
        "winter",
        "boat",
        "market",
        "crew",
        "light",
        "storm",
    ]
    blocks: list[Heading | Paragraph | Figure] = []
    for section in range(6):
        blocks.append(Heading(2, [Span(f"Section {section + 1}")]))
        for _ in range(4):
            text = " ".join(rng.choice(words) for _ in range(60)).capitalize() + ". "
            link = f"https://example.org/{number}/{section}/{rng.randrange(1000)}"
            blocks.append(Paragraph([Span(text), Span("more", link=link), Span(".")]))
        blocks.append(
            Figure(
                src=f"https://example.org/img/{number}-{section}.jpg",
                caption=[Span(f"A caption for picture {section + 1}, in its own style.")],
                credit="Photo: Bench",
            )
        )
    return Article(
        url=f"https://example.org/{number}",
        title=f"Cached story {number:05d}",
        author="Bench Writer",
        published="2025-03-01T10:00:00Z",
        blocks=list(blocks),
    )


def build(home: Path, feeds: int, entries: int) -> None:
    """A profile under `home` with `entries` entries across `feeds` feeds (half of them read)
    and a full article stored for the newest CACHED entries."""
    paths = Paths.under(home).ensure()
    paths.config_file.write_text("[general]\nrefresh_on_start = false\n", encoding="utf-8")
    rng = random.Random(5)
    now = time.time()
    per_feed = entries // feeds
    with Store(paths.database) as store:
        ids = [
            store.add_feed(f"http://127.0.0.1:9/f/{i:04d}.xml", folder=f"Folder {i % 15}").id
            for i in range(feeds)
        ]
        updates: list[FeedUpdate] = []
        for feed_number, feed_id in enumerate(ids):
            parsed = ParsedFeed("rss", f"Feed number {feed_number}")
            for i in range(per_feed):
                words = " ".join(
                    rng.choice(["news", "report", "update", "notes"]) for _ in range(6)
                )
                parsed.entries.append(
                    ParsedEntry(
                        guid=f"{feed_id}-{i}",
                        link=f"https://example.org/{feed_id}/{i}",
                        title=f"Headline {feed_number:04d}-{i:03d}: {words}",
                        published=now - rng.uniform(3600, 3 * 365 * 86400),
                        summary="<p>" + "A teaser of the story. " * 12 + "</p>",
                    )
                )
            updates.append(FeedUpdate(feed_id, now, 200, parsed=parsed))
            if len(updates) == 50:
                store.apply_updates(updates)
                updates = []
        store.apply_updates(updates)
        with store.transaction() as conn:
            conn.execute("UPDATE entries SET read = 1 WHERE id % 2 = 0")
        newest = store.list_entries(limit=CACHED)
        for number, row in enumerate(newest):
            store.store_article(row.id, row.link, article_for(number, rng).dumps())
            with store.transaction() as conn:
                conn.execute(
                    "UPDATE entries SET title = ? WHERE id = ?",
                    (f"Cached story {number:05d}", row.id),
                )


def build_pictures(home: Path, count: int, images: str) -> None:
    """A small profile whose newest entry is an article with `count` large pictures, all in
    the image cache (so "auto" draws them, and no network is involved)."""
    import io

    from PIL import Image, ImageDraw

    from kabar.core.library.imagecache import ImageCache

    paths = Paths.under(home).ensure()
    paths.config_file.write_text(
        f'[general]\nrefresh_on_start = false\nimages = "{images}"\n'
        "[network]\nimage_cache_bytes = 2000000000\n",
        encoding="utf-8",
    )
    rng = random.Random(13)
    cache = ImageCache.in_cache_dir(paths.cache_dir, 2_000_000_000)
    blocks: list[Heading | Paragraph | Figure] = []
    for number in range(count):
        src = f"https://example.org/big/{number}.{'png' if number % 2 else 'jpg'}"
        image = Image.linear_gradient("L").resize((2400, 1600)).convert("RGB")
        draw = ImageDraw.Draw(image)
        for _ in range(30):
            x, y = rng.randrange(2200), rng.randrange(1400)
            colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
            draw.rectangle((x, y, x + rng.randrange(50, 400), y + rng.randrange(50, 300)), colour)
        buffer = io.BytesIO()
        image.save(buffer, "PNG" if number % 2 else "JPEG", quality=90)
        cache.put(src, buffer.getvalue())
        text = " ".join(rng.choice(["tide", "quay", "ferry", "lamp"]) for _ in range(50))
        blocks.append(Paragraph([Span(text.capitalize() + ".")]))
        caption = [Span(f"Picture {number + 1}: the quay at low tide.")]
        blocks.append(Figure(src=src, caption=caption, credit="Photo: Bench"))
    article = Article(
        url="https://example.org/pictures",
        title=f"Picture story with {count} pictures",
        author="Bench Writer",
        blocks=list(blocks),
    )
    with Store(paths.database) as store:
        feed = store.add_feed("http://127.0.0.1:9/f/pictures.xml")
        now = time.time()
        parsed = ParsedFeed("rss", "Pictures")
        for i in range(30):
            title = article.title if i == 0 else f"Headline {i}"
            link = f"https://example.org/p/{i}"
            parsed.entries.append(ParsedEntry(guid=link, link=link, title=title, published=now - i))
        store.apply_updates([FeedUpdate(feed.id, now, 200, parsed=parsed)])
        newest = store.list_entries(limit=1)[0]
        store.store_article(newest.id, newest.link, article.dumps())


# -- the terminal ------------------------------------------------------------------------------
@dataclass
class Terminal:
    """Kabar in a pseudo-terminal; frames are read between synchronized-output markers."""

    home: Path
    width: int
    height: int
    pid: int = 0
    fd: int = 0
    buffer: bytearray = field(default_factory=bytearray)
    started: float = 0.0

    def start(self) -> None:
        env = {**os.environ, "KABAR_HOME": str(self.home), "TERM": "xterm-256color"}
        env.pop("TEXTUAL", None)
        self.started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:
            os.execvpe(sys.executable, [sys.executable, "-m", "kabar"], env)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", self.height, self.width, 0, 0))

    def read(self, timeout: float) -> bytes:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return b""
        try:
            data = os.read(self.fd, 1 << 20)
        except OSError:
            return b""
        if SYNC_QUERY in data:
            os.write(self.fd, SYNC_REPLY)
        return data

    def frame_until(self, text: bytes | None, timeout: float = 10.0) -> float:
        """Read until a frame ends (after `text` appeared, when given); returns the time."""
        deadline = time.perf_counter() + timeout
        seen = text is None
        while time.perf_counter() < deadline:
            data = self.read(deadline - time.perf_counter())
            if not data:
                continue
            self.buffer += data
            if not seen and text is not None and text in CSI.sub(b"", bytes(self.buffer)):
                seen = True
            if seen and SYNC_END in data:
                now = time.perf_counter()
                self.buffer.clear()
                return now
        tail = CSI.sub(b"", bytes(self.buffer))[-600:]
        raise TimeoutError(f"no frame with {text!r} within {timeout} s; last output: {tail!r}")

    def settle(self, quiet: float = 0.05) -> None:
        """Read until the app has been quiet for `quiet` seconds."""
        while self.read(quiet):
            pass
        self.buffer.clear()

    def key(self, key: bytes, text: bytes | None = None) -> float:
        """Write a key; seconds until the end of the frame it caused."""
        self.settle(0.02)
        start = time.perf_counter()
        os.write(self.fd, key)
        return self.frame_until(text) - start

    def stop(self) -> float:
        """Quit; returns the peak RSS in MB."""
        os.write(self.fd, b"q")
        deadline = time.time() + 10
        while time.time() < deadline:
            self.read(0.1)
            pid, _status, usage = os.wait4(self.pid, os.WNOHANG)
            if pid:
                return usage.ru_maxrss / 1024
        os.kill(self.pid, 9)
        _pid, _status, usage = os.wait4(self.pid, 0)
        return usage.ru_maxrss / 1024


def run_once(home: Path, width: int, height: int, presses: int) -> dict[str, float]:
    term = Terminal(home, width, height)
    term.start()
    first = term.frame_until(b"Cached story 00000") - term.started
    term.settle(0.3)  # the feed list arrives right after the first paint
    top = [term.key(b"j" if i % 2 == 0 else b"k") for i in range(presses)]
    term.key(b"G")
    deep = [term.key(b"k" if i % 2 == 0 else b"j") for i in range(presses)]
    term.key(b"g")
    opens = []
    for _ in range(20):
        term.settle(0.2)
        term.key(b"j")
        term.settle(0.2)
        opens.append(term.key(b"\r", b"Bench Writer"))
        term.settle(0.2)
        os.write(term.fd, b"\x1b")  # back to the list (Esc needs a pause after it)
        term.settle(0.3)
    peak = term.stop()
    return {
        "first_paint_s": first,
        "jk_median_ms": statistics.median(top) * 1000,
        "jk_deep_median_ms": statistics.median(deep) * 1000,
        "jk_p90_ms": sorted(top + deep)[int(len(top + deep) * 0.9)] * 1000,
        "open_median_ms": statistics.median(opens) * 1000,
        "open_max_ms": max(opens) * 1000,
        "peak_rss_mb": peak,
    }


def until_frames(term: Terminal, first: bytes, second: bytes, timeout: float = 20) -> list[float]:
    """Times of the end of the first frame showing `first`, then of the first showing
    `second` (the same frame may show both)."""
    deadline = time.perf_counter() + timeout
    times: list[float] = []
    wanted = [first, second]
    while wanted and time.perf_counter() < deadline:
        data = term.read(deadline - time.perf_counter())
        term.buffer += data
        if data and SYNC_END in data:
            frame = CSI.sub(b"", bytes(term.buffer))
            term.buffer.clear()
            while wanted and wanted[0] in frame:
                times.append(time.perf_counter())
                wanted.pop(0)
    if wanted:
        raise TimeoutError(f"no frame with {wanted[0]!r} within {timeout} s")
    return times


def run_pictures(home: Path, width: int, height: int, presses: int) -> dict[str, float]:
    drawn = 'images = "off"' not in (home / "config" / "config.toml").read_text()
    term = Terminal(home, width, height)
    term.start()
    term.frame_until(b"Picture story")
    term.settle(0.3)
    opens, pictures = [], []
    for _ in range(5):
        term.settle(0.3)
        start = time.perf_counter()
        os.write(term.fd, b"\r")
        times = until_frames(term, b"Bench Writer", HALF_BLOCK if drawn else b"Image 1")
        opens.append(times[0] - start)
        pictures.append(times[1] - start)
        term.settle(1.0)  # every picture decoded and placed
        os.write(term.fd, b"\x1b")
        term.settle(0.3)
    term.key(b"\r")
    term.settle(1.0)
    jk = [term.key(b"j" if i % 2 == 0 else b"k") for i in range(presses)]
    for _ in range(3):
        os.write(term.fd, b" ")  # a few pages down, among the pictures
        term.settle(0.2)
    jk_deep = [term.key(b"k" if i % 2 == 0 else b"j") for i in range(presses)]
    os.write(term.fd, b"G")
    term.settle(1.0)
    peak = term.stop()
    return {
        "open_median_ms": statistics.median(opens) * 1000,
        "first_picture_median_ms": statistics.median(pictures) * 1000,
        "jk_median_ms": statistics.median(jk) * 1000,
        "jk_deep_median_ms": statistics.median(jk_deep) * 1000,
        "jk_p90_ms": sorted(jk + jk_deep)[int(len(jk + jk_deep) * 0.9)] * 1000,
        "peak_rss_mb": peak,
    }


def picture_cases(counts: list[int], width: int, height: int, runs: int, presses: int) -> None:
    for count in counts:
        for images in ("auto", "off"):
            home = Path(tempfile.mkdtemp(prefix=f"kabar-bench-pictures-{count}-"))
            build_pictures(home, count, images)
            results = [run_pictures(home, width, height, presses) for _ in range(runs)]
            for result in results:
                print(json.dumps({k: round(v, 3) for k, v in result.items()}))
            label = "pictures drawn" if images == "auto" else "pictures off (markers)"
            print(f"\n{count} large pictures, {label}, {width}x{height}, median of {runs}:")
            for key in results[0]:
                value = statistics.median(r[key] for r in results)
                bar = PICTURE_BARS.get(key)
                verdict = "" if bar is None else ("  ok" if value < bar else f"  OVER {bar:g}")
                print(f"  {key:<24} {value:10.3f}{verdict}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--presses", type=int, default=100)
    parser.add_argument("--size", default="120x40", help="terminal size, WIDTHxHEIGHT")
    parser.add_argument("--keep", type=Path, help="build (or reuse) the cache here")
    parser.add_argument("--pictures", help="only the pictures case, e.g. 10,40 pictures")
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.split("x"))
    if args.pictures:
        counts = [int(n) for n in args.pictures.split(",")]
        picture_cases(counts, width, height, args.runs, args.presses)
        return 0
    home = args.keep or Path(tempfile.mkdtemp(prefix="kabar-bench-"))
    if not (home / "data" / "kabar.db").exists():
        started = time.perf_counter()
        build(home, args.feeds, args.entries)
        print(
            f"built {args.entries:,} entries across {args.feeds:,} feeds in "
            f"{time.perf_counter() - started:.1f} s ({home})"
        )
    runs = [run_once(home, width, height, args.presses) for _ in range(args.runs)]
    for run in runs:
        print(json.dumps({k: round(v, 3) for k, v in run.items()}))
    print(
        f"\nKabar, {args.entries:,} entries / {args.feeds:,} feeds, {args.size}, "
        f"median of {args.runs} runs:"
    )
    for key in runs[0]:
        value = statistics.median(run[key] for run in runs)
        bar = BARS.get(key)
        verdict = "" if bar is None else ("  ok" if value < bar else f"  OVER the {bar:g} bar")
        print(f"  {key:<20} {value:10.3f}{verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
