"""`kabar save URL` and `kabar read URL` against the entries a reader already has."""

from __future__ import annotations

import json

import pytest

from kabar.cli.main import main
from kabar.core.article.document import Paragraph, plain
from kabar.core.config.profile import Profile
from kabar.core.models import PAGES_FEED_URL, FeedUpdate, ParsedEntry, ParsedFeed
from kabar.core.store import EntryQuery, Store
from kabar.core.store.linkkeys import link_key
from tests.loopback import LoopbackServer, Reply

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
HTML = {"Content-Type": "text/html; charset=utf-8"}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def page(title: str, words: str, head: str = "") -> bytes:
    body = f"<p>{words} " * 6 + "</p>"
    return (
        f"<html><head><title>{title} | Harbour</title>{head}</head>"
        f"<body><article><h1>{title}</h1>"
        f'{body}<figure><img src="/pic.png"><figcaption>The quay at dawn</figcaption></figure>'
        f"{body}</article></body></html>"
    ).encode()


@pytest.fixture
def site(server: LoopbackServer) -> LoopbackServer:
    story = server.url("/story?utm_source=rss&utm_medium=feed")
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour Wire</title>'
        f"<link>{server.base}/</link><item><title>Ferry timetable changes</title>"
        f"<link>{story}</link><guid>{story}</guid><description>Short teaser.</description>"
        "</item></channel></rss>"
    )
    server.route("/feed.xml", Reply(200, feed.encode(), {"Content-Type": "application/rss+xml"}))
    story_page = page(
        "Ferry timetable changes",
        "The winter ferry timetable starts on Monday.",
        '<meta property="article:published_time" content="2026-11-18T08:00:00Z">',
    )
    server.route("/story", Reply(200, story_page, HTML))
    other_page = page("Lighthouse open day", "The lighthouse opens its doors on Saturday.")
    server.route("/lighthouse", Reply(200, other_page, HTML))
    server.route("/pic.png", Reply(200, PNG, {"Content-Type": "image/png"}))
    return server


def test_link_key_ignores_what_does_not_change_the_page() -> None:
    same = [
        "https://www.example.com/news/story/",
        "http://example.com/news/story#comments",
        "https://example.com/news/story?utm_source=rss&utm_campaign=x",
        "https://EXAMPLE.com:443/news/story",
    ]
    assert {link_key(u) for u in same} == {"example.com/news/story"}
    assert link_key("https://example.com/news?id=2&page=1") == "example.com/news?id=2&page=1"
    assert link_key("https://example.com/news?page=1&id=2") == link_key(
        "https://example.com/news?id=2&page=1"
    )
    assert link_key("https://example.com/News/Story") != link_key("https://example.com/news/story")
    assert link_key("https://example.com/news?id=3") != link_key("https://example.com/news?id=2")


def test_saving_the_url_of_an_entry_saves_that_entry(
    capsys: pytest.CaptureFixture[str], site: LoopbackServer, profile: Profile
) -> None:
    run(capsys, "add", site.url("/feed.xml"))
    # pasted from a browser: no tracking parameters, an anchor, a trailing slash
    code, out, err = run(capsys, "save", site.url("/story/#top"))
    assert code == 0, err
    assert out == "Saved “Ferry timetable changes” with 1 image (the entry of Harbour Wire).\n"
    _, out, _ = run(capsys, "entries", "--json")
    (row,) = json.loads(out)  # no second copy
    assert (row["feed"], row["saved"]) == (site.url("/feed.xml"), True)
    with profile.open_store() as store:
        detail = store.get_entry(row["id"])
        assert detail is not None and detail.full_text is not None
        assert len(store.article_images(row["id"])) == 1
        assert store.feed_by_url(PAGES_FEED_URL) is None  # no pseudo-feed was made

    # A page no feed has is a stand-alone saved page: under Saved, never listed as a feed.
    code, out, _ = run(capsys, "save", site.url("/lighthouse"))
    assert code == 0 and out == "Saved “Lighthouse open day” with 1 image.\n"
    _, out, _ = run(capsys, "feeds", "--json")
    assert [f["url"] for f in json.loads(out)] == [site.url("/feed.xml")]
    _, out, _ = run(capsys, "feeds")
    assert "saved-pages" not in out and "Saved pages" not in out
    _, out, _ = run(capsys, "entries", "--saved", "--json")
    saved = {r["title"]: r["feed"] for r in json.loads(out)}
    assert saved == {
        "Ferry timetable changes": site.url("/feed.xml"),
        "Lighthouse open day": PAGES_FEED_URL,
    }
    _, out, _ = run(capsys, "entries", "--unread", "--json")
    assert "Lighthouse open day" not in out  # saved from the page being read: not unread
    _, out, _ = run(capsys, "export")
    assert "saved-pages" not in out
    # saving it again is the same entry, not a third one
    run(capsys, "save", site.url("/lighthouse"))
    _, out, _ = run(capsys, "entries", "--saved", "--json")
    assert len(json.loads(out)) == 2


def test_an_older_profile_duplicate_folds_into_the_feed_entry(
    capsys: pytest.CaptureFixture[str], site: LoopbackServer, profile: Profile, store: Store
) -> None:
    """Kabar used to copy a feed's entry under "Saved pages": saving it again folds the copy
    into the feed's entry, its stored article kept, and the profile keeps working."""
    run(capsys, "add", site.url("/feed.xml"))
    link = site.url("/story")
    pages = store.add_feed(PAGES_FEED_URL, title="Saved pages")
    store.apply_updates(
        [
            FeedUpdate(
                pages.id,
                1.0,
                status=200,
                parsed=ParsedFeed(
                    "pages", "Saved pages", entries=[ParsedEntry(guid=link, link=link, title="Old")]
                ),
            )
        ]
    )
    old_id = store.entry_id(pages.id, link)
    assert old_id is not None
    from kabar.core.article.extract import extract_article

    article = extract_article(page("Ferry timetable changes", "Kept from before."), link)
    store.store_article(old_id, link, article.dumps())
    store.set_saved([old_id], True)
    picture = site.url("/pic.png")
    (store.images_dir / "ab").mkdir(parents=True)
    (store.images_dir / "ab" / "abcd.png").write_bytes(PNG)
    store.add_image(old_id, picture, "abcd", "ab/abcd.png", "image/png", len(PNG))
    _, out, _ = run(capsys, "feeds", "--json")
    assert [f["url"] for f in json.loads(out)] == [site.url("/feed.xml")]
    _, out, _ = run(capsys, "entries", "--saved", "--json")
    assert [r["id"] for r in json.loads(out)] == [old_id]  # still listed under Saved

    site.route("/story", Reply(503, b"down"))  # the site is down: nothing may be lost
    site.route("/pic.png", Reply(503, b"down"))
    code, out, _ = run(capsys, "save", link)
    assert code == 0 and "(the entry of Harbour Wire)" in out
    (row,) = store.list_entries(EntryQuery(saved_only=True))
    assert row.feed_title == "Harbour Wire" and row.id != old_id
    detail = store.get_entry(row.id)
    assert detail is not None and detail.full_text is not None
    assert "Kept from before." in detail.full_text
    assert store.article_images(row.id) == {picture: store.images_dir / "ab" / "abcd.png"}
    assert store.get_entry(old_id) is None


def test_read_serves_the_stored_copy_when_the_network_fails(
    capsys: pytest.CaptureFixture[str], site: LoopbackServer
) -> None:
    run(capsys, "add", site.url("/feed.xml"))
    run(capsys, "save", site.url("/story"))
    site.route("/story", Reply(503, b"down for maintenance"))
    code, out, err = run(capsys, "read", site.url("/story"))
    assert code == 0
    assert "The winter ferry timetable starts on Monday." in out
    assert err.startswith("kabar: ") and "showing the stored copy" in err
    assert err.count("\n") == 1

    hits = len(site.hits("/story"))
    code, out, err = run(capsys, "read", "--cached", site.url("/story"), "--format", "json")
    assert (code, err) == (0, "")
    document = json.loads(out)
    assert document["title"] == "Ferry timetable changes"
    assert len(site.hits("/story")) == hits  # --cached never fetches

    code, _, err = run(capsys, "read", "--cached", site.url("/lighthouse"))
    assert code == 2 and "no stored copy" in err and site.hits("/lighthouse") == []
    code, _, err = run(capsys, "read", site.url("/nothing"))
    assert code == 2 and "HTTP 404" in err  # nothing stored: the fetch error as it is


def test_read_of_a_short_page_keeps_its_heading_and_h1_title(
    capsys: pytest.CaptureFixture[str], server: LoopbackServer
) -> None:
    short = (
        b"<!doctype html><html><head><title>Test page | My Blog</title></head><body>"
        b"<nav><a href='/'>Home</a> <a href='/about'>About</a></nav>"
        b"<main><h1>Test page</h1><p>First paragraph of the test page.</p>"
        b"<h2>Section</h2><p>Second paragraph, under the <a href='/x'>section</a>.</p>"
        b"<p>Third paragraph.</p></main><footer>(c) My Blog</footer></body></html>"
    )
    server.route("/short", Reply(200, short, HTML))
    code, out, _ = run(capsys, "read", server.url("/short"), "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert document["title"] == "Test page"
    kinds = [(b["type"], "".join(s["text"] for s in b["spans"])) for b in document["blocks"]]
    assert kinds == [
        ("paragraph", "First paragraph of the test page."),
        ("heading", "Section"),
        ("paragraph", "Second paragraph, under the section."),
        ("paragraph", "Third paragraph."),
    ]
    link = document["blocks"][2]["spans"][1]
    assert link["link"] == server.url("/x")


def test_read_does_not_pad_lines_to_the_width(
    capsys: pytest.CaptureFixture[str], site: LoopbackServer
) -> None:
    code, out, _ = run(capsys, "read", site.url("/story"), "--width", "100")
    assert code == 0 and "The winter ferry timetable" in out
    lines = out.splitlines()
    assert len(lines) > 5
    assert [line for line in lines if line != line.rstrip()] == []
    assert max(len(line) for line in lines) <= 100


def test_a_short_page_fallback_leaves_long_articles_alone() -> None:
    """Only trafilatura's flattened last resort is replaced: an article page is untouched."""
    from kabar.core.article.extract import extract_article

    article = extract_article(page("Ferry", "A sentence about the ferry and the harbour."))
    assert [type(b) for b in article.blocks if isinstance(b, Paragraph)]
    assert all("\n" not in plain(b.spans) for b in article.blocks if isinstance(b, Paragraph))


def test_an_undated_entry_takes_its_page_date_else_shows_first_seen(
    capsys: pytest.CaptureFixture[str], site: LoopbackServer
) -> None:
    """The feed gives no date: the entry shows when Kabar first saw it, marked "~", until
    its page is fetched and says 18 Nov; then it sorts and shows by that date, and a later
    refresh of the (still undated) feed keeps it."""
    run(capsys, "add", site.url("/feed.xml"))
    _, out, _ = run(capsys, "entries", "--json")
    (row,) = json.loads(out)
    assert row["published"] is None
    _, out, _ = run(capsys, "entries")
    assert "~20" in out  # ~YYYY-MM-DD: first seen, not a published date

    run(capsys, "save", site.url("/story"))
    _, out, _ = run(capsys, "entries", "--json")
    assert json.loads(out)[0]["published"] == "2026-11-18T08:00:00Z"
    _, out, _ = run(capsys, "entries")
    assert " 2026-11-18  Ferry timetable changes" in out and "~" not in out

    # the feed changes its teaser, still with no date
    changed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour Wire</title>'
        f"<item><title>Ferry timetable changes</title><link>{site.url('/story')}</link>"
        f"<guid>{site.url('/story?utm_source=rss&utm_medium=feed')}</guid>"
        "<description>A longer teaser now.</description></item></channel></rss>"
    )
    site.route("/feed.xml", Reply(200, changed.encode(), {"Content-Type": "application/rss+xml"}))
    run(capsys, "refresh")
    _, out, _ = run(capsys, "entries", "--json")
    (row,) = json.loads(out)
    assert row["published"] == "2026-11-18T08:00:00Z"
