"""Counted nouns for messages: "1 feed", "2 feeds", never "1 feeds" or "feed(s)"."""

from __future__ import annotations


def noun(count: int, singular: str, many: str = "") -> str:
    """The word for `count` things: `singular`, else `many` (default: singular + "s")."""
    return singular if count == 1 else (many or f"{singular}s")


def plural(count: int, singular: str, many: str = "", *, grouped: bool = False) -> str:
    """ "1 entry", "3 entries"; `grouped` writes thousands with commas ("1,204 entries")."""
    number = f"{count:,}" if grouped else str(count)
    return f"{number} {noun(count, singular, many)}"
