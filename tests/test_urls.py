"""Feed URLs are checked at the edge (add, import, config, discovery) and normalised, so
that spelling variants are one subscription and nothing but http(s) is ever stored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kabar.cli.main import main
from kabar.core.config.profile import Profile
from kabar.core.config.settings import config_from_dict
from kabar.core.feeds.discovery import page_feed_links
from kabar.core.feeds.opml import parse_opml
from kabar.core.feeds.urls import InvalidURL, feed_url, shown
from kabar.core.store import Store
from tests.loopback import LoopbackServer, Reply

REJECTED = {
    "": "no URL given",
    "-x": "not a web address",
    "example.org/feed": "not a web address",
    "javascript:alert(1)": "not javascript",
    "file:///etc/passwd": "not file",
    "data:text/xml,<rss/>": "not data",
    "ftp://example.org/feed.xml": "not ftp",
    "http://exa\x1b[31mmple.org/": "control characters",
    "http://example.org/a\x07b": "control characters",
    "http://example.org/\udcff": "invalid bytes",  # a non-UTF-8 byte from argv
    "http://exa mple.org/": "spaces",
    "http://127.0.0.1:99999/": "invalid port",
    "http://example.org:0/": "invalid port",
    "http://example.org:x/": "invalid port",
    "http://[::1": "not a valid URL",
    "http://[fe80::zz]/": "not a valid URL",
    "http:///feed": "no host",
    "http://-bad-.example/": "invalid host name",
    "http://a..b/": "invalid host name",
    "http://" + "a" * 64 + ".example/": "invalid host name",
    "http://☃.net/": "invalid international host name",  # IDNA 2008 refuses it, as httpx
    "http://xn--zz.example/": "invalid international host name",  # not punycode
}


@pytest.mark.parametrize("raw", list(REJECTED), ids=[repr(r)[:40] for r in REJECTED])
def test_rejected(raw: str) -> None:
    with pytest.raises(InvalidURL, match=REJECTED[raw].replace("not ", "")) as caught:
        feed_url(raw)
    message = str(caught.value)
    assert message.isprintable() and "\x1b" not in message and "\udcff" not in message


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("HTTPS://Example.ORG:443/feed", "https://example.org/feed"),
        ("https://example.org./feed", "https://example.org/feed"),
        ("  https://example.org/feed#top \n", "https://example.org/feed"),
        ("http://example.org:80", "http://example.org/"),
        ("http://example.org:8080/x?a=B", "http://example.org:8080/x?a=B"),
        ("https://bücher.example/feed", "https://xn--bcher-kva.example/feed"),
        ("https://BÜCHER.example/feed", "https://xn--bcher-kva.example/feed"),
        ("https://ｅｘａｍｐｌｅ.org/feed", "https://example.org/feed"),  # fullwidth, mapped
        ("http://[::1]:8080/feed", "http://[::1]:8080/feed"),
        ("https://user:pw@example.org/feed", "https://user:pw@example.org/feed"),
    ],
)
def test_normalised(raw: str, normal: str) -> None:
    assert feed_url(raw) == normal
    assert feed_url(normal) == normal


def test_shown_escapes_what_a_terminal_would_obey() -> None:
    assert shown("http://h/\x1b]52;c;x\x07\udcff") == "http://h/\\x1b]52;c;x\\x07\\xff"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("raw", list(REJECTED)[1:], ids=[repr(r)[:40] for r in list(REJECTED)[1:]])
def test_add_refuses_with_one_line(capsys: pytest.CaptureFixture[str], raw: str) -> None:
    code, out, err = run(capsys, "add", "--no-fetch", "--", raw)
    assert code == 2 and err.startswith("kabar: ") and err.count("\n") == 1
    assert "\x1b" not in err and "\x07" not in err and "unexpected" not in err
    code, out, _ = run(capsys, "feeds", "--json")
    assert json.loads(out) == []


def test_spelling_variants_are_one_subscription(capsys: pytest.CaptureFixture[str]) -> None:
    for raw in ("https://Example.org/feed", "HTTPS://example.ORG.:443/feed#x"):
        assert run(capsys, "add", "--no-fetch", raw)[0] == 0
    _, out, _ = run(capsys, "feeds", "--json")
    assert [f["url"] for f in json.loads(out)] == ["https://example.org/feed"]


def test_opml_import_takes_only_feed_urls(tmp_path: Path) -> None:
    outlines = "".join(
        f'<outline type="rss" text="f" xmlUrl="{url}"/>'
        for url in (
            "",
            "-x",
            "javascript:alert(1)",
            "file:///etc/passwd",
            "data:text/xml,x",
            "ftp://example.org/f",
            "http://exa&#9;mple.org/",
            "http://127.0.0.1:99999/",
            "HTTPS://Example.org:443/a",
            "https://example.org/a",
        )
    )
    feeds = parse_opml(f'<opml version="2.0"><body>{outlines}</body></opml>'.encode())
    assert [f.url for f in feeds] == ["https://example.org/a"]


def test_config_feed_keys_are_checked_and_match_any_spelling() -> None:
    config = config_from_dict({"feeds": {"HTTPS://Example.org:443/a": {"title": "Mine"}}})
    assert config.feed("https://example.org/a").title == "Mine"
    assert config.feed("https://EXAMPLE.org./a").title == "Mine"


def test_discovered_links_are_feed_urls_only() -> None:
    page = (
        b"<html><head>"
        b'<link rel="alternate" type="application/rss+xml" href="http://[oops/">'
        b'<link rel="alternate" type="application/rss+xml" href="ftp://example.org/f">'
        b'<link rel="alternate" type="application/rss+xml" href="file:///etc/passwd">'
        b'<link rel="alternate" type="application/rss+xml" href="HTTPS://Example.org:443/rss">'
        b'<link rel="https://api.w.org/" href="http://[oops/">'
        b"</head></html>"
    )
    assert page_feed_links(page, "https://example.org/") == ["https://example.org/rss"]
    assert page_feed_links(b'<link rel="alternate" href="/f">', "http://[oops/") == []


def test_kabar_feeds_shows_each_feeds_error_and_escapes_old_urls(
    capsys: pytest.CaptureFixture[str],
    server: LoopbackServer,
    profile: Profile,
    store: Store,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server.route("/gone", Reply(404))
    store.add_feed(server.url("/gone"))
    store.add_feed("http://old.example/\x1b]0;owned\x07")  # as an older Kabar stored it
    assert run(capsys, "refresh")[0] == 0
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    _, out, _ = run(capsys, "feeds")
    assert "HTTP 404" in out and "URL contains spaces, control characters" in out
    assert "\x1b]0;owned" not in out and "\x07" not in out  # (Rich may add its own colours)
    assert "\\x1b]0;owned\\x07" in out


def test_refresh_names_a_feed_in_any_spelling(
    capsys: pytest.CaptureFixture[str], server: LoopbackServer, store: Store
) -> None:
    server.route(
        "/feed", Reply(200, b"<rss version='2.0'><channel><title>T</title></channel></rss>")
    )
    store.add_feed(server.url("/feed"))
    variant = server.url("/feed").replace("http://127.0.0.1", "HTTP://127.0.0.1")
    code, _, err = run(capsys, "refresh", variant)
    assert code == 0 and err == ""
    assert len(server.hits("/feed")) == 1
    code, _, err = run(capsys, "refresh", "http://h.example/\x1b[2J")
    assert code == 2 and "not subscribed: http://h.example/\\x1b[2J" in err


def test_remove_and_entries_take_any_spelling_and_print_bad_bytes_escaped(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(capsys, "add", "--no-fetch", "https://example.org/feed")[0] == 0
    code, _, err = run(capsys, "entries", "--feed", "HTTPS://EXAMPLE.org:443/feed")
    assert code == 0 and err == ""
    code, _, err = run(capsys, "remove", "--yes", "http://h.example/\udcff")
    assert code == 2 and "http://h.example/\\xff" in err
    code, out, _ = run(capsys, "remove", "--yes", "https://Example.org./feed")
    assert code == 0 and "Removed https://example.org/feed" in out
