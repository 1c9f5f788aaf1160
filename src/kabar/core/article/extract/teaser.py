"""Decide whether an entry's feed content is only a teaser, worth fetching the page for.

Fetching a page costs a request and an extraction, and a feed that carries whole articles
renders better from its own HTML than from a scraped page, so "auto" fetches only when the
feed's text looks cut: it ends in an ellipsis or `[…]`, it closes with a "Read more" link, it
is a WordPress excerpt ("The post … appeared first on …" after a short text), or it is much
shorter than any article. Pure functions: no network, no state.
"""

from __future__ import annotations

import re

from kabar.core.article.htmlparts import strip_tags
from kabar.core.models import FullTextMode

# Fewer words than this is a teaser whatever it ends with; full news stories rarely go
# below 150 words, and a feed summary rarely above 80.
SHORT_WORDS = 100
# A text with WordPress's "appeared first on" footer is an excerpt unless it is this long.
EXCERPT_WORDS = 250

_ELLIPSIS_END = re.compile(r"(\.\.\.|…|\[\s*(…|\.\.\.|&hellip;)\s*\]|\(\s*(…|\.\.\.)\s*\))\s*$")
_READ_MORE = re.compile(
    r"(read more|read the (full|whole|rest of the) (article|story|post)|continue reading|"
    r"keep reading|full (story|article)|view (the )?(full|entire) (article|post)|"
    r"baca selengkapnya|selengkapnya|baca lebih lanjut|leia mais|continue lendo|"
    r"leer más|seguir leyendo|lire la suite|weiterlesen|mehr lesen|leggi tutto|"
    r"continua a leggere|читать далее|читать полностью|اقرأ المزيد|続きを読む|もっと読む|"
    r"阅读全文|閱讀全文|查看全文|더 보기|전체 기사|자세히 보기)"
    r"[\s.:!»›→>…]*(\S{0,3})\s*$",
    re.I | re.U,
)
_APPEARED_FIRST = re.compile(r"\bthe post\b.{1,300}\bappeared first on\b.{1,200}$", re.I | re.S)
_WORD = re.compile(r"\w+", re.U)
_CJK = re.compile("[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def word_count(text: str) -> int:
    """Words, counting each CJK character as one (they are written without spaces)."""
    cjk = len(_CJK.findall(text))
    return len(_WORD.findall(_CJK.sub(" ", text))) + cjk


def is_teaser(content_html: str, summary_html: str = "") -> bool:
    """True when the feed's content (or, lacking it, its summary) looks like a teaser."""
    markup = content_html if content_html and content_html.strip() else summary_html
    text = strip_tags(markup or "")
    if not text:
        return True
    footer = _APPEARED_FIRST.search(text)
    if footer:
        text = text[: footer.start()].rstrip()
        if word_count(text) < EXCERPT_WORDS:
            return True
    if _ELLIPSIS_END.search(text) or _READ_MORE.search(text[-80:]):
        return True
    return word_count(text) < SHORT_WORDS


def wants_full_text(mode: FullTextMode, content_html: str, summary_html: str = "") -> bool:
    """Whether to fetch the entry's page: always, never, or (auto) when the feed teases."""
    if mode == FullTextMode.ALWAYS:
        return True
    if mode == FullTextMode.NEVER:
        return False
    return is_teaser(content_html, summary_html)
