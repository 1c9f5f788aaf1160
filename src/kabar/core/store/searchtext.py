"""Search text preparation and query parsing, shared by the indexer and the search box.

SQLite's FTS5 `unicode61` tokenizer (with diacritics removed) folds case and accents, so
"sekilas" finds "Sekilas" and "cafe" finds "café". It does not split Chinese, Japanese or
Korean text into words, so runs of those scripts are indexed and queried as overlapping
character pairs (the bigram method most CJK search engines use): "東京都" becomes
"東京 京都", and a query "東京" matches it. The same transform is applied to the text
indexed and to the query, so both sides agree.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
_CJK_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+")
_FILTER = re.compile(r"(?i)\b(feed|saved|unread):(\"[^\"]*\"|\S+)")
_WORD = re.compile(r"\w+", re.UNICODE)
_YES = frozenset(("yes", "true", "1", "y", "on"))


def html_text(markup: str) -> str:
    """Plain text from HTML, cheaply (a regex, not a parser): good enough to index."""
    if "<" in markup:
        markup = _TAG.sub(" ", markup)
    return _SPACE.sub(" ", html.unescape(markup)).strip()


def cjk_bigrams(text: str) -> str:
    """Text with each CJK run replaced by its overlapping character pairs."""
    return _CJK_RUN.sub(_bigram_run, text)


def _bigram_run(match: re.Match[str]) -> str:
    run = match.group()
    if len(run) == 1:
        return f" {run} "
    return " " + " ".join(run[i : i + 2] for i in range(len(run) - 1)) + " "


@dataclass(slots=True)
class SearchQuery:
    """A parsed search: the words to match and the filters around them."""

    text: str = ""
    feed: str | None = None
    saved: bool | None = None
    unread: bool | None = None

    def fts(self) -> str:
        """The FTS5 MATCH expression, or '' when there are no words to match.

        Every word is quoted (so no user text is read as FTS syntax) and the last one is a
        prefix, so results appear while the word is still being typed.
        """
        terms: list[str] = []
        for word in _WORD.findall(self.text):
            pieces = cjk_bigrams(word).split()
            if len(pieces) > 1:
                terms.append('"' + " ".join(pieces) + '"')  # the pairs in order: a phrase
            elif pieces:
                terms.append(f'"{pieces[0]}"')
        if terms and not _CJK_RUN.search(self.text.rstrip()[-1:]):
            terms[-1] += "*"
        return " ".join(terms)


def parse_query(raw: str) -> SearchQuery:
    """`feed:NAME`, `saved:yes` and `unread:yes` filters, and the words that remain."""
    query = SearchQuery()

    def take(match: re.Match[str]) -> str:
        key, value = match.group(1).lower(), match.group(2).strip('"')
        if key == "feed":
            query.feed = value
        elif key == "saved":
            query.saved = value.lower() in _YES
        else:
            query.unread = value.lower() in _YES
        return " "

    query.text = _SPACE.sub(" ", _FILTER.sub(take, raw)).strip()
    return query
