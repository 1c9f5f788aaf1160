"""Authors, contributors and publishers, as feedparser's handlers record them.

feedparser keeps a list of author dicts per context, mirrors the last one into
`author_detail`, and rewrites the `author` string from it after every name or email
(`_sync_author_detail`); an RSS author string like "desk@x.org (Tom Reed)" is split into
name and email by a regex. xmlfeed then picks the name out of all that. The same steps, in
the same order, are here, because the order decides which of several authors wins.
"""

from __future__ import annotations

import re
from typing import Any

from kabar.core.feeds.parse.fasttext import Element
from kabar.core.feeds.parse.fastwalk import Walker, children, text_of

_EMAIL = re.compile(
    r"""(([a-zA-Z0-9\_\-\.\+]+)@((\[[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.)|(([a-zA-Z0-9\-]+\.)+))([a-zA-Z]{2,4}|[0-9]{1,3})(\]?))(\?subject=\S+)?"""
)


def _start_author(w: Walker, el: Element) -> None:
    w.inauthor = 1
    w.push("author", 1)
    w.context().setdefault("authors", []).append({})


def _end_author(w: Walker) -> None:
    w.pop("author")
    w.inauthor = 0
    _sync_author_detail(w)


def author(w: Walker, el: Element) -> None:
    """An author element: RSS puts the name in its text, Atom in <name>/<email> children."""
    _start_author(w, el)
    if len(el):
        children(w, el)
        _end_author(w)
        return
    w.stack.pop()  # the push _start_author made, fused with its pop
    w.finish("author", 1, text_of(el))
    w.inauthor = 0
    _sync_author_detail(w)


def start_contributor(w: Walker, el: Element) -> None:
    w.incontributor = 1
    w.context().setdefault("contributors", []).append({})
    w.push("contributor", 0)


def end_contributor(w: Walker) -> None:
    w.discard("contributor")
    w.incontributor = 0


def start_dc_contributor(w: Walker, el: Element) -> None:
    w.incontributor = 1
    w.context().setdefault("contributors", []).append({})
    w.push("name", 0)


def end_dc_contributor(w: Walker) -> None:
    _name_value(w, w.pop("name"))
    w.incontributor = 0


def name(w: Walker, el: Element) -> None:
    _name_value(w, text_of(el))


def _name_value(w: Walker, value: str | None) -> None:
    if w.inpublisher:
        _save_author(w, "name", value, "publisher")
    elif w.inauthor:
        _save_author(w, "name", value)
    elif w.incontributor or w.intextinput:
        w.context()


def email(w: Walker, el: Element) -> None:
    value = text_of(el)
    if w.inpublisher:
        _save_author(w, "email", value, "publisher")
    elif w.inauthor:
        _save_author(w, "email", value)
    elif w.incontributor:
        w.context()


def url(w: Walker, el: Element) -> None:
    value = w.finish("href", 1, text_of(el))
    if w.inauthor:
        _save_author(w, "href", value)
    elif w.incontributor:
        w.context()


def _save_author(w: Walker, key: str, value: Any, prefix: str = "author") -> None:
    context = w.context()
    context.setdefault(prefix + "_detail", {})[key] = value
    _sync_author_detail(w)
    context.setdefault("authors", [{}])[-1][key] = value


def _sync_author_detail(w: Walker) -> None:
    """_FeedParserMixin._sync_author_detail for key='author'."""
    context = w.context()
    detail: dict[str, Any] = context.get("authors", [{}])[-1]
    if detail:
        name = detail.get("name")
        email = detail.get("email")
        if name and email:
            context["author"] = f"{name} ({email})"
        elif name:
            context["author"] = name
        elif email:
            context["author"] = email
        return
    author, email = context.get("author"), None
    if not author:
        return
    match = _EMAIL.search(author) if "@" in author else None
    if match:
        email = match.group(0)
        author = author.replace(email, "").replace("()", "").replace("<>", "")
        author = author.replace("&lt;&gt;", "").strip()
        if author and author[0] == "(":
            author = author[1:]
        if author and author[-1] == ")":
            author = author[:-1]
        author = author.strip()
    if author or email:
        context.setdefault("author_detail", detail)
    if author:
        detail["name"] = author
    if email:
        detail["email"] = email
