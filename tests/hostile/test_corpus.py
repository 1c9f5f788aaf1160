"""The hostile corpus (tests/fixtures/hostile) through the parser, the extractor and the
renderer, with exact outcomes: nothing reaches the terminal, nothing blows up, nothing
unreadable is stored."""

from __future__ import annotations

import io
import time
import tracemalloc
from pathlib import Path

import pytest
from rich.console import Console

from kabar.core.article.document import Paragraph, plain
from kabar.core.article.entryarticle import entry_article
from kabar.core.article.extract import extract_article
from kabar.core.article.htmldoc import html_to_blocks
from kabar.core.errors import FeedParseError
from kabar.core.feeds.parse import parse_feed
from kabar.core.models import FeedUpdate
from kabar.core.store import Store
from kabar.render.article import RenderOptions, render_article

CORPUS = Path(__file__).parent.parent / "fixtures" / "hostile"

# guid -> the title a reader must see, for the escape corpus
LITERAL_TITLES = {
    "markup": "[bold red]x[/]",
    "link-markup": "[link=file:///etc/passwd]a[/link]",
    "osc52": "Clipboard",
    "csi": "Cleared",
    "osc8": "Click",
    "dcs": "Dcs",
    "bidi": "abcdcba end",
    "textual-markup": "[@click=app.quit]quit[/]",
}


def load(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


def terminal_output(renderable: object, width: int = 80) -> str:
    buffer = io.StringIO()
    Console(file=buffer, width=width, color_system="truecolor", force_terminal=True).print(
        renderable
    )
    return buffer.getvalue()


@pytest.mark.parametrize("name", ["escapes.rss", "escapes-as-refs.rss", "escapes.json"])
def test_escape_sequences_and_markup_never_survive_parsing(name: str) -> None:
    feed = parse_feed(load(name), "https://hostile.example/feed")
    assert feed.title == "Hostile titles"
    titles = {e.guid.rsplit("/", 1)[-1]: e.title for e in feed.entries}
    for key, expected in LITERAL_TITLES.items():
        assert titles[key] == expected
    # the C1 CSI is gone as a control character (feedparser reads the byte as cp1252 "›")
    assert "\x9b" not in titles["c1"] and titles["c1"].endswith("C1 csi")
    for entry in feed.entries:
        for text in (entry.title, entry.author, entry.summary, entry.content):
            assert not any(ord(ch) < 0x20 and ch != "\n" for ch in text)
            assert not any(0x7F <= ord(ch) < 0xA0 for ch in text)
            assert not any(
                ch in text for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
            )


def test_unsafe_links_are_dropped() -> None:
    feed = parse_feed(load("escapes.rss"), "https://hostile.example/feed")
    (entry,) = [e for e in feed.entries if e.title == "bad links"]
    assert entry.link == ""
    blocks = html_to_blocks(entry.summary, "https://hostile.example/")
    links = [s.link for b in blocks if isinstance(b, Paragraph) for s in b.spans if s.link]
    assert links == ["https://ok.example/"]


def test_titles_are_rendered_literally(tmp_path: Path) -> None:
    feed = parse_feed(load("escapes.rss"), "https://hostile.example/feed")
    with Store(tmp_path / "k.db") as store:
        row = store.add_feed("https://hostile.example/feed")
        store.apply_updates([FeedUpdate(row.id, 1.0, 200, parsed=feed)])
        entries = {e.link.rsplit("/", 1)[-1]: e.id for e in store.list_entries()}
        detail = store.get_entry(entries["markup"])
        assert detail is not None
        article = entry_article(detail)
    output = terminal_output(render_article(article, RenderOptions(feed_title=feed.title)))
    first_line = output.split("\n", 1)[0]
    assert "[bold red]x[/]" in first_line  # shown as typed, not as red bold "x"
    # the only escapes in the output are the renderer's own styling (SGR), never OSC or DCS
    assert "\x1b]52" not in output and "\x1bP" not in output
    assert "\x1b]8;;http://evil" not in output


@pytest.mark.parametrize(
    ("name", "title", "entry_title"),
    [
        ("billion-laughs.rss", "&lol9;", "laughs"),
        ("quadratic-blowup.rss", "quadratic", "q"),
        ("xxe.rss", "xxe &xxe;", "x &xxe;"),
        ("bad-char-refs.rss", "a\ufffdb\ufffdcd", "lone \ufffd surrogate"),
        ("deep-nesting.rss", "deep", "nest"),
        ("deep-html.rss", "deep html", "nested"),
        ("cp1252-declared-utf8.rss", "Café “quoted” – dash", "Café “quoted” – dash"),
        ("gb2312.rss", "中文新闻标题", "中文新闻标题"),
        ("shift-jis.rss", "日本語のニュース", "日本語のニュース"),
        ("bom-beats-declaration.rss", "Café ünïcode", "Café ünïcode"),
        ("utf16-bom.rss", "Grüße aus Köln", "Grüße aus Köln"),
        ("lone-surrogate.json", "ab", "xy"),
    ],
)
def test_bombs_and_encodings_parse_to_exact_titles_in_bounded_time_and_memory(
    name: str, title: str, entry_title: str, tmp_path: Path
) -> None:
    tracemalloc.start()
    started = time.monotonic()
    try:
        feed = parse_feed(load(name), "https://hostile.example/feed")
        elapsed = time.monotonic() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (feed.title, feed.entries[0].title) == (title, entry_title)
    assert "root:" not in feed.title + feed.entries[0].title  # /etc/passwd was never read
    assert elapsed < 10 and peak < 50_000_000
    with Store(tmp_path / "k.db") as store:  # and sqlite3 accepts every string
        row = store.add_feed("https://hostile.example/feed")
        store.apply_updates([FeedUpdate(row.id, 1.0, 200, parsed=feed)])
        assert store.count_entries() == len(feed.entries)


@pytest.mark.parametrize(
    ("name", "message"),
    [("deep.json", "nested too deeply"), ("huge-number.json", "invalid JSON")],
)
def test_hostile_json_is_refused_with_a_clear_error(name: str, message: str) -> None:
    with pytest.raises(FeedParseError, match=message):
        parse_feed(load(name))


def test_a_ten_megabyte_feed_parses_in_bounded_time() -> None:
    item = (
        "<item><title>Item {n}</title><guid>g{n}</guid><description>"
        + "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 30
        + "</description></item>"
    )
    body = "".join(item.format(n=n) for n in range(5600))
    data = f'<rss version="2.0"><channel><title>big</title>{body}</channel></rss>'.encode()
    assert len(data) > 10_000_000
    started = time.monotonic()
    feed = parse_feed(data)
    assert len(feed.entries) == 5600
    assert time.monotonic() - started < 30


def test_the_extractor_cleans_a_hostile_page() -> None:
    article = extract_article(load("hostile-page.html"), "https://ok.example/page")
    assert article.title == "Page title"
    first = article.blocks[0]
    assert isinstance(first, Paragraph)
    text = plain(first.spans)
    assert text.startswith("A paragraph with an escape and [red]markup[/] and a js link and ")
    assert [s.link for s in first.spans if s.link] == ["https://ok.example/x"]
    assert "\u202e" not in article.body_text()
    (figure,) = article.figures()
    assert (figure.src, plain(figure.caption)) == (
        "https://ok.example/pic.jpg",
        "Caption with escape",
    )
    output = terminal_output(render_article(article))
    assert "[red]markup[/]" in output and "\x1b]52" not in output
