"""Feed discovery against a loopback site: link tags, WordPress, common paths."""

from __future__ import annotations

import pytest

from kabar.core.config.settings import Config
from kabar.core.feeds.discovery import NoFeedFound, discover_sync, page_feed_links
from tests.conftest import fixture_bytes
from tests.loopback import LoopbackServer, Reply

RSS = fixture_bytes("basic/rss20.xml")
ATOM = fixture_bytes("basic/atom10.xml")
JSON = fixture_bytes("basic/jsonfeed11.json")


def page(head: str) -> bytes:
    return f"<!doctype html><html><head>{head}</head><body><p>Hi</p></body></html>".encode()


def test_a_feed_url_is_taken_as_is(server: LoopbackServer) -> None:
    server.route("/feed.xml", Reply(200, RSS))
    (found,) = discover_sync(server.url("/feed.xml"), Config())
    assert (found.url, found.title, found.kind, found.entries) == (
        server.url("/feed.xml"),
        "Harbour Wire",
        "rss",
        2,
    )


def test_link_alternates_of_every_kind(server: LoopbackServer) -> None:
    server.route(
        "/",
        Reply(
            200,
            page(
                '<link rel="alternate" type="application/rss+xml" href="/rss">'
                '<link rel="alternate" type="application/atom+xml" href="atom">'
                '<link rel="alternate" type="application/feed+json" href="/feed.json">'
                '<link rel="alternate" type="application/rss+xml" href="/broken">'
                '<link rel="stylesheet" href="/style.css">'
            ),
        ),
    )
    server.route("/rss", Reply(200, RSS))
    server.route("/atom", Reply(200, ATOM))
    server.route("/feed.json", Reply(200, JSON))
    found = discover_sync(server.url("/"), Config())
    assert [(f.url, f.kind) for f in found] == [
        (server.url("/rss"), "rss"),
        (server.url("/atom"), "atom"),
        (server.url("/feed.json"), "json"),
    ]


def test_wordpress_rest_api_and_feed(server: LoopbackServer) -> None:
    server.route(
        "/blog/post",
        Reply(
            200,
            page(
                '<meta name="generator" content="WordPress 6.8">'
                '<link rel="https://api.w.org/" href="/wp-json/">'
            ),
        ),
    )
    server.route("/wp-json/wp/v2/posts", Reply(200, fixture_bytes("basic/wp-posts.json")))
    server.route("/feed/", Reply(200, RSS))
    found = discover_sync(server.url("/blog/post"), Config())
    assert [(f.url, f.kind) for f in found] == [
        (server.url("/wp-json/wp/v2/posts"), "wpjson"),
        (server.url("/feed/"), "rss"),
    ]


def test_common_paths_when_the_page_names_no_feed(server: LoopbackServer) -> None:
    server.route("/article/1", Reply(200, page("<title>No feeds here</title>")))
    server.route("/atom.xml", Reply(200, ATOM))
    found = discover_sync(server.url("/article/1"), Config())
    assert [f.url for f in found] == [server.url("/atom.xml")]


def test_nothing_found(server: LoopbackServer) -> None:
    server.route("/", Reply(200, page("<title>Nothing</title>")))
    with pytest.raises(NoFeedFound, match="no feed found"):
        discover_sync(server.url("/"), Config())


def test_page_links_ignore_unsafe_schemes_and_honour_base() -> None:
    html = page(
        '<base href="https://cdn.example/x/">'
        '<link rel="alternate" type="application/rss+xml" href="feed">'
        '<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">'
    )
    assert page_feed_links(html, "https://site.example/") == ["https://cdn.example/x/feed"]
