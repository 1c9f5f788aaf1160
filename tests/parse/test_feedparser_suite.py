"""feedparser's own 2,248-file test suite through Kabar's parse entry point (issue 10).

See tests/parse/fpsuite.py for how each file is judged and docs/parsing.md for the list of
accepted differences, which this test holds to exactly.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path

from tests.parse.fpsuite import Outcome, files, run_file

DOC = Path(__file__).resolve().parent.parent.parent / "docs" / "parsing.md"
_LISTED = re.compile(
    r"<!-- feedparser-suite-differences: begin -->(.*?)<!-- feedparser-suite-differences: end -->",
    re.S,
)


@cache
def outcomes() -> tuple[Outcome, ...]:
    return tuple(run_file(path) for path in files())


def test_the_whole_suite_is_here() -> None:
    assert len(files()) == 2248


def test_parse_feed_raises_nothing_but_its_parse_error() -> None:
    assert [(o.path, o.crash) for o in outcomes() if o.crash] == []


def test_the_fast_path_reads_every_document_it_accepts_as_feedparser_does() -> None:
    accepted = [o for o in outcomes() if o.fast_differs is not None]
    assert len(accepted) > 1500  # the comparison is not vacuous
    assert [(o.path, o.fast_differs) for o in accepted if o.fast_differs] == []


def test_differences_from_the_expect_lines_are_exactly_the_documented_ones() -> None:
    match = _LISTED.search(DOC.read_text(encoding="utf-8"))
    assert match is not None, "docs/parsing.md lost its list of differences"
    documented = set(re.findall(r"`([\w./+-]+\.xml)`", match.group(1)))
    found = {o.path for o in outcomes() if o.verdict in ("differs", "rejected")}
    assert sorted(found - documented) == [], "undocumented differences"
    assert sorted(documented - found) == [], "documented differences that are gone"
    verdicts = Counter(o.verdict for o in outcomes())
    assert verdicts["agrees"] > 1300
    assert verdicts["feedparser fails"] < 60  # feedparser's own misses stay few
