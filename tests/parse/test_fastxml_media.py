"""Media RSS captions and credits, where the fast path deliberately improves on feedparser.

feedparser reads <media:description> as one more description: inside <media:content> it
may become the entry's content (when the entry has no content:encoded), and directly in the
item it replaces the summary. Its credits go to the first enclosure whatever media they
describe. The fast path keeps a description as the caption, and a credit as the credit, of
the media object they belong to (or of every object in their <media:group>, or of the first
enclosure when they sit in the item itself), and leaves summary and content alone.
"""

from __future__ import annotations

from kabar.core.feeds.parse import parse_feed
from kabar.core.feeds.parse.xmlfeed import parse_xml_feed
from kabar.core.models import Enclosure
from tests.conftest import FIXTURES

URL = "https://dispatch.example/photos/rss"
DATA = (FIXTURES / "feeds" / "rss20-media-rss.xml").read_bytes()
IMG = "https://dispatch.example/img/"


def test_captions_and_credits_belong_to_their_media() -> None:
    floods, market, harbour = parse_feed(DATA, URL).entries
    assert floods.enclosures == [
        Enclosure(
            IMG + "floods.jpg",
            "image/jpeg",
            None,
            caption="Residents wade through a flooded street in Can Tho.",
            credit="Dewi Lestari / Dispatch",
        )
    ]
    assert market.enclosures == [
        Enclosure(
            IMG + "market-1.jpg", "image/jpeg", None, "The morning market in Hanoi.", "Oliver Grant"
        ),
        Enclosure(
            IMG + "market-2.jpg", "image/jpeg", None, "Fruit stalls at dawn.", "Oliver Grant"
        ),
    ]
    assert harbour.enclosures == [
        Enclosure(
            IMG + "harbour.jpg", "image/jpeg", 54321, "Fishing boats return at dawn.", "Priya Nair"
        )
    ]


def test_the_normal_case_agrees_with_feedparser() -> None:
    """A described media:content next to description + content:encoded: same text, same credit."""
    ours, theirs = parse_feed(DATA, URL).entries[0], parse_xml_feed(DATA, URL).entries[0]
    assert (ours.summary, ours.content) == (theirs.summary, theirs.content)
    assert ours.enclosures[0].credit == theirs.enclosures[0].credit


def test_a_caption_never_becomes_content_or_summary() -> None:
    ours, theirs = parse_feed(DATA, URL).entries, parse_xml_feed(DATA, URL).entries
    # feedparser turns the second picture's caption into the entry's content ...
    assert theirs[1].content == "<b>Fruit</b> stalls at dawn."
    assert ours[1].content == ""
    # ... and lets an item-level media:description replace the summary.
    assert theirs[2].summary == "Fishing boats return at dawn."
    assert ours[2].summary == "Boats in the harbour."
