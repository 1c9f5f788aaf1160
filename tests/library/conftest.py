"""Fixtures for the service layer: a Library on the test's own profile, and a small site
on a loopback server (a feed with an ETag, an article page with a picture)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kabar.core.library import Library
from tests.loopback import LoopbackServer, Reply, Request

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
HTML = {"Content-Type": "text/html; charset=utf-8"}
ETAG = '"v1"'


def page(title: str, words: str) -> bytes:
    body = f"<p>{words} " * 8 + "</p>"
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{body}"
        '<figure><img src="/pic.png"><figcaption>The quay at dawn</figcaption></figure>'
        f"{body}</article></body></html>"
    ).encode()


def feed_xml(base: str) -> bytes:
    items = "".join(
        f"<item><title>{title}</title><link>{base}/{slug}</link><guid>{base}/{slug}</guid>"
        f"<description>Teaser of {title}.</description></item>"
        for title, slug in (("Ferry timetable", "ferry"), ("Lighthouse open day", "lighthouse"))
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour Wire</title>'
        f"<link>{base}/</link>{items}</channel></rss>"
    ).encode()


@pytest.fixture
def site(server: LoopbackServer) -> LoopbackServer:
    body = feed_xml(server.base)

    def feed(request: Request) -> Reply:
        if request.headers.get("If-None-Match") == ETAG:
            return Reply(304, headers={"ETag": ETAG})
        return Reply(200, body, {"Content-Type": "application/rss+xml", "ETag": ETAG})

    server.route("/feed.xml", feed)
    home = '<html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml">'
    server.route("/", Reply(200, (home + "</head><body>Home</body></html>").encode(), HTML))
    server.route("/ferry", Reply(200, page("Ferry timetable", "The ferry runs daily."), HTML))
    server.route(
        "/lighthouse", Reply(200, page("Lighthouse open day", "The lighthouse opens."), HTML)
    )
    server.route("/pic.png", Reply(200, PNG, {"Content-Type": "image/png"}))
    return server


@pytest.fixture
def library(kabar_home: object) -> Iterator[Library]:
    with Library.open() as lib:
        yield lib
