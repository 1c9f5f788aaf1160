"""When to fetch an entry's page: auto fetches teasers only; always and never mean it."""

from __future__ import annotations

import pytest

from kabar.core.article.extract import is_teaser, wants_full_text
from kabar.core.models import FullTextMode

SENTENCE = (
    "The city council voted on Tuesday to extend the riverside cycle path by four kilometres, "
    "a project that residents have asked for since 2015. "
)
FULL = "".join(f"<p>{SENTENCE}</p>" for _ in range(12))  # about 290 words
FULL_CJK = "<p>" + "市議会は火曜日、川沿いの自転車道を四キロ延長する計画を可決した。" * 12 + "</p>"

TEASERS = {
    "short summary": "<p>The council backs a longer cycle path.</p>",
    "ellipsis": f"<p>{SENTENCE * 6}The council said…</p>",
    "three dots": f"<p>{SENTENCE * 6}The council said...</p>",
    "wordpress excerpt": f"<p>{SENTENCE * 3} [&hellip;]</p>",
    "bracketed ellipsis": f"<p>{SENTENCE * 6}[…]</p>",
    "read more link": f'<p>{SENTENCE * 6}</p><p><a href="/full">Read more</a></p>',
    "continue reading": f'<p>{SENTENCE * 6} <a href="/full">Continue reading →</a></p>',
    "baca selengkapnya": f'<p>{SENTENCE * 6} <a href="/full">Baca selengkapnya</a></p>',
    "appeared first on": (
        f"<p>{SENTENCE * 4}</p><p>The post <a href='/p'>Cycle path</a> appeared first on "
        "<a href='/'>Riverside Ledger</a>.</p>"
    ),
    "empty": "",
}
FULL_CONTENT = {
    "long article": FULL,
    "long article with wordpress footer": (
        f"{FULL}<p>The post <a href='/p'>Cycle path</a> appeared first on "
        "<a href='/'>Riverside Ledger</a>.</p>"
    ),
    "long japanese article": FULL_CJK,
    "long article ending in a question": f"{FULL}<p>What happens next?</p>",
}


@pytest.mark.parametrize("case", sorted(TEASERS))
def test_teasers_are_recognised(case: str) -> None:
    assert is_teaser(TEASERS[case])


@pytest.mark.parametrize("case", sorted(FULL_CONTENT))
def test_full_content_is_not_a_teaser(case: str) -> None:
    assert not is_teaser(FULL_CONTENT[case])


def test_summary_is_judged_when_there_is_no_content() -> None:
    assert is_teaser("", "<p>A short summary.</p>")
    assert not is_teaser("", FULL)
    assert not is_teaser(FULL, "<p>A short summary.</p>")


@pytest.mark.parametrize(
    ("mode", "content", "expected"),
    [
        (FullTextMode.AUTO, TEASERS["ellipsis"], True),
        (FullTextMode.AUTO, TEASERS["short summary"], True),
        (FullTextMode.AUTO, FULL, False),
        (FullTextMode.ALWAYS, FULL, True),
        (FullTextMode.ALWAYS, TEASERS["ellipsis"], True),
        (FullTextMode.NEVER, TEASERS["ellipsis"], False),
        (FullTextMode.NEVER, "", False),
    ],
)
def test_wants_full_text(mode: FullTextMode, content: str, expected: bool) -> None:
    assert wants_full_text(mode, content) is expected
