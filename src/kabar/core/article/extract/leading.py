"""Drop what a page repeats above the article text: headline, standfirst, dateline.

The title is shown from the metadata, so the same words at the top of the body would be
read twice; so would a standfirst that repeats the page's description as a subheading,
and a line that only gives the date or the author. We only look at the first few blocks,
and only drop a block that matches what the page says elsewhere or looks like a dateline.
"""

from __future__ import annotations

import re

from kabar.core.article.document import Block, Heading, Paragraph, block_text
from kabar.core.article.extract.furniture import words

_LEAD = 4  # how many blocks at the top are looked at
_TOKEN = re.compile(r"\w+", re.U)
_MONTHS = (
    r"jan(uary|uari|eiro|vier|uar)?|feb(ruary|ruari|ruar|rero)?|fev(ereiro)?|mar(ch|et|ço|zo|s)?|"
    r"apr(il)?|abr(il)?|avr(il)?|may|mei|mai(o)?|mayo|jun(e|i|ho|io)?|juin|jul(y|i|ho|io)?|"
    r"juil(let)?|aug(ust)?|agu(stus)?|ago(sto)?|ao[uû]t|sep(t|tember|tembro|tiembre)?|"
    r"set(embro)?|okt(ober)?|oct(ober|obre|ubre)?|out(ubro)?|nov(ember|embro|iembre|embre)?|"
    r"des(ember)?|dec(ember)?|dez(embro|ember)?|dic(iembre)?|d[ée]c(embre)?"
)
_DATELINE = re.compile(
    rf"(\b\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b|"
    rf"\b\d{{1,2}}:\d{{2}}\b|\b({_MONTHS})\.?\s+\d{{1,2}}\b|\b\d{{1,2}}\.?\s+(de\s+)?({_MONTHS})\b|"
    r"\d{4}年\d{1,2}月\d{1,2}日|\d{4}년)",
    re.I | re.U,
)
_DATELINE_WORDS = re.compile(
    r"^(published|updated|posted|last updated|publicado|atualizado|diterbitkan|"
    r"diperbarui|publié|veröffentlicht|pubblicato|опубликовано|نشر|公開|发布|發佈)\b",
    re.I | re.U,
)


def drop_lead_repeats(
    blocks: list[Block], titles: tuple[str, ...], description: str
) -> list[Block]:
    """The blocks without a repeated title, standfirst heading or dateline at the top."""
    title_keys = {_key(t) for t in titles if _key(t)}
    summary = _key(description)
    out: list[Block] = []
    seen_text = 0  # text blocks kept so far
    for index, block in enumerate(blocks):
        if index < _LEAD + 2 and seen_text < _LEAD and isinstance(block, (Heading, Paragraph)):
            text = block_text(block)
            key = _key(text)
            if key and (key in title_keys or _is_title_prefix(key, title_keys)):
                continue
            if isinstance(block, Heading) and summary and _same_start(key, summary):
                continue
            if seen_text < 2 and _is_dateline(text):
                continue
        elif (
            isinstance(block, (Heading, Paragraph))
            and words(block_text(block)) <= 30
            and _key(block_text(block)) in title_keys
        ):
            continue  # the title again, further down: a breadcrumb or a share line
        if isinstance(block, (Heading, Paragraph)):
            seen_text += 1
        out.append(block)
    return out


def _key(text: str) -> str:
    return " ".join(_TOKEN.findall(text.lower()))


def _is_title_prefix(key: str, titles: set[str]) -> bool:
    """A heading that is a title with its site name cut, or a title with one added."""
    return any(
        len(key) >= 20
        and len(title) >= 20
        and len(key) <= 1.5 * len(title)
        and (title.startswith(key) or key.startswith(title))
        for title in titles
    )


def _same_start(key: str, summary: str) -> bool:
    if len(key) < 30:
        return key == summary
    return summary.startswith(key) or key.startswith(summary)


def _is_dateline(text: str) -> bool:
    n = words(text)
    if n > 16:
        return False
    return bool(_DATELINE.search(text)) and (n <= 12 or bool(_DATELINE_WORDS.match(text)))
