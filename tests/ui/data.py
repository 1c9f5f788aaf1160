"""Fixed data for the TUI tests: a few feeds in folders, entries at fixed dates, a stored
article with captions, and a feed whose last refresh failed. No network is involved."""

from __future__ import annotations

from dataclasses import dataclass

from kabar.core.article.document import Article, Figure, Heading, ListBlock, Paragraph, Quote, Span
from kabar.core.models import Enclosure, FeedUpdate, ParsedEntry, ParsedFeed
from kabar.core.store import Store

FROZEN = 1_740_830_400.0  # Sat 1 March 2025, 12:00 UTC: "now" for every TUI test
HOUR = 3600.0
DAY = 86400.0


def frozen_clock() -> float:
    return FROZEN


@dataclass(frozen=True, slots=True)
class Seeded:
    harbour: int
    terminal: int
    field: int
    broken: int
    captioned: int  # the entry whose stored article has figures with captions


HARBOUR = [
    ("Ferry timetable changes for winter", 2 * HOUR),
    ("Lighthouse open day draws a crowd", 5 * HOUR),
    ("Harbour dredging to start in January", 1.5 * DAY),
    ("Oyster beds reopen after two years", 3 * DAY),
    ("Council delays decision on the quay car park charges, again, after a long meeting", 9 * DAY),
]
TERMINAL = [
    ("Why some characters take two cells", 30 * 60),
    ("A calm prompt", 20 * HOUR),
    ("端末の文字幅について", 2 * DAY),
    ("Box-drawing characters", 4 * DAY),
]
FIELD = [
    ("First frost, and the webs it shows", 7 * HOUR),
    ("Curlews back on the mudflats", 6 * DAY),
    ("Counting starlings at dusk", 400 * DAY),
]


def _feed(store: Store, url: str, title: str, folder: str, entries: list[tuple[str, float]]) -> int:
    feed = store.add_feed(url, folder=folder)
    parsed = ParsedFeed(
        "rss",
        title,
        link=url.rsplit("/", 1)[0] + "/",
        entries=[
            ParsedEntry(
                guid=f"{url}#{index}",
                link=f"{url.rsplit('/', 1)[0]}/articles/{index}.html",
                title=entry_title,
                author="Mara Quill" if index % 2 == 0 else "",
                published=FROZEN - age,
                summary=f"<p>{entry_title}. A short teaser from the feed.</p>",
                content=f"<p>{entry_title}.</p><p>The feed's own text, in full, "
                "with <a href='https://example.org/more'>a link</a>.</p>",
                enclosures=[Enclosure("https://example.org/pic.png", "image/png", None, "A pier")]
                if index == 0
                else [],
            )
            for index, (entry_title, age) in enumerate(entries)
        ],
    )
    store.apply_updates([FeedUpdate(feed.id, FROZEN - HOUR, 200, parsed=parsed)])
    return feed.id


def captioned_article() -> Article:
    return Article(
        url="http://127.0.0.1:9/harbour/articles/0.html",
        title="Ferry timetable changes for winter",
        author="Mara Quill",
        published="2025-03-01T10:00:00Z",
        site_name="The Harbour Chronicle",
        blocks=[
            Paragraph([Span("From December the ferry runs every 40 minutes, the operator said.")]),
            Figure(
                src="https://example.org/ferry.png",
                caption=[Span("The morning ferry leaves the north pier in the fog.")],
                credit="Photo: Harbour Chronicle",
            ),
            Heading(2, [Span("What changes")]),
            ListBlock(
                False, [[Span("Fewer sailings after 8 pm")], [Span("A new Sunday timetable")]]
            ),
            Paragraph(
                [
                    Span("The full timetable is on "),
                    Span("the operator's site", link="https://ferries.example.org/winter"),
                    Span(" and at the "),
                    Span("harbour office", link="https://harbour.example.org/office"),
                    Span("."),
                ]
            ),
            Quote([[Span("We listened to the commuters,", italic=True)]]),
            Paragraph([Span("Ticket code: " + "WINTERFERRYTIMETABLE" * 6)]),
            Paragraph([Span("港の渡し船は冬の間、四十分ごとに運航します。" * 3)]),
            Figure(src="https://example.org/map.png", alt="A map of the two routes"),
        ],
    )


def seed(store: Store) -> Seeded:
    """Four feeds: two in folders, one loose, one failing. Some entries read, one saved."""
    harbour = _feed(
        store, "http://127.0.0.1:9/harbour/feed.xml", "The Harbour Chronicle", "Local", HARBOUR
    )
    terminal = _feed(
        store, "http://127.0.0.1:9/terminal/feed.xml", "Terminal Notes", "Tech", TERMINAL
    )
    field = _feed(store, "http://127.0.0.1:9/field/feed.xml", "Field Notes", "", FIELD)
    broken = store.add_feed("http://127.0.0.1:9/broken/feed.xml", "Broken Feed").id
    store.apply_updates(
        [FeedUpdate(broken, FROZEN - HOUR, 500, error="HTTP 500 Internal Server Error")]
    )
    rows = {r.title: r for r in store.list_entries(limit=100)}
    store.set_read([rows["A calm prompt"].id, rows["Curlews back on the mudflats"].id])
    store.set_saved([rows["Box-drawing characters"].id])
    captioned = rows["Ferry timetable changes for winter"].id
    store.store_article(
        captioned, "http://127.0.0.1:9/harbour/articles/0.html", captioned_article().dumps()
    )
    return Seeded(harbour, terminal, field, broken, captioned)


LONG_TITLES = [
    (
        "Harbour board approves the long-delayed plan to rebuild the north pier before the "
        "winter storms, after three years of consultation with fishermen and ferry operators",
        40 * 60,
    ),
    ("Why the tide tables printed in the almanac disagree with the harbour master's", 3 * HOUR),
    ("Volunteers count 2,400 wading birds on the estuary in the annual winter survey", 8 * HOUR),
    ("短い見出し", 10 * HOUR),
]


def seed_long_titles(store: Store) -> int:
    """A feed with a long name and long titles, for the layout at 100 and 120 columns."""
    return _feed(
        store,
        "http://127.0.0.1:9/gazette/feed.xml",
        "The Estuary and Harbour Affairs Gazette",
        "Local",
        LONG_TITLES,
    )


def titles_newest_first() -> list[str]:
    """Every entry title in the All view's order (newest first), for assertions."""
    entries = [(age, title) for title, age in HARBOUR + TERMINAL + FIELD]
    return [title for _, title in sorted(entries)]
