"""The fast parser's version gate (core/feeds/parse/fpgate.py): on any feedparser release other
than the tested minor version the fast path is off, said in one log line, and what
parse_feed returns is what it returns with the fast path on (up to the differences
docs/parsing.md accepts: Media RSS captions)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import feedparser
import pytest

from kabar.core.errors import FeedParseError
from kabar.core.feeds.parse import fpgate, parse_feed
from kabar.core.feeds.parse.fastxml import parse_xml_fast
from kabar.core.models import ParsedFeed
from tests.parse.compare import differences, without_media_descriptions
from tests.parse.fpsuite import files

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "feeds"


def corpus() -> list[Path]:
    """The test corpus and feedparser's own suite."""
    return sorted(p for p in FIXTURES.iterdir() if p.is_file()) + files()


def read(data: bytes) -> ParsedFeed | str:
    try:
        return parse_feed(data, "https://example.org/feed")
    except FeedParseError as exc:
        return f"refused: {exc}"


class Lines(logging.Handler):
    """The gate's log lines, caught on its own logger: the app's log setup (run by other
    tests in the same process) may stop them from reaching the root logger and caplog."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@pytest.fixture
def gate_log() -> Iterator[list[str]]:
    handler = Lines()
    logger = logging.getLogger(fpgate.__name__)
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    yield handler.lines
    logger.removeHandler(handler)
    logger.setLevel(level)


@pytest.fixture
def decide_again() -> Iterator[None]:
    """The gate decides once per process: decide again before and after the test."""
    fpgate.reset()
    yield
    fpgate.reset()


def test_the_installed_feedparser_is_the_tested_one(
    decide_again: None, gate_log: list[str]
) -> None:
    assert fpgate.fast_parser() is parse_xml_fast
    assert gate_log == []


@pytest.mark.parametrize(
    ("version", "off"),
    [
        ("6.0.11", False),
        ("6.0.14", False),
        ("6.1.0", True),
        ("7.0", True),
        ("5.2.1", True),
        ("6", True),
        ("", True),
        ("dev", True),
    ],
)
def test_version_mismatch(version: str, off: bool) -> None:
    reason = fpgate.version_mismatch(version)
    assert bool(reason) is off
    if off:
        assert "6.0.x" in reason


def test_another_minor_release_turns_the_fast_path_off_with_the_same_results(
    decide_again: None, monkeypatch: pytest.MonkeyPatch, gate_log: list[str]
) -> None:
    documents = [path.read_bytes() for path in corpus()]
    fast_on = [read(data) for data in documents]
    accepted = sum(parse_xml_fast(data, "https://example.org/feed") is not None
                   for data in documents)  # fmt: skip
    assert accepted > 1500  # the comparison is not vacuous

    monkeypatch.setattr(feedparser, "__version__", "6.1.0")
    fpgate.reset()
    assert fpgate.fast_parser() is None
    fast_off = [read(data) for data in documents]
    (line,) = gate_log  # one line, however many feeds
    assert "fast feed parser off" in line
    assert "feedparser 6.1.0 is not the tested 6.0.x" in line

    changed = []
    for path, data, on, off in zip(corpus(), documents, fast_on, fast_off, strict=True):
        if on == off:
            continue
        if isinstance(on, ParsedFeed):
            # Media RSS: feedparser reads <media:description> as a description.
            without = read(without_media_descriptions(data))
            if isinstance(without, ParsedFeed) and differences(without, on) == []:
                continue
        changed.append(path.name)
    assert changed == []
