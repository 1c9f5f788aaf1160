"""Item ids and items as servers spell them (no server needed)."""

from __future__ import annotations

import math
from urllib.parse import urlencode

import pytest

from kabar.core.sync import wire
from kabar.core.sync.items import LONG_PREFIX, item_from_json, parse_item_id
from kabar.core.sync.wire import id_form, loads


def test_both_spellings_of_an_item_id_are_the_same_number() -> None:
    assert parse_item_id("1733505600123456") == 1733505600123456
    assert parse_item_id("tag:google.com,2005:reader/item/000627f3c4a1e240") == 0x627F3C4A1E240
    # Google's ids are signed 64-bit: the long form of a negative one wraps around.
    assert parse_item_id("tag:google.com,2005:reader/item/ffffffffffffffff") == -1
    assert parse_item_id("-5") == -5
    for bad in ("", "tag:google.com,2005:reader/item/xyz", None, True, "12a"):
        assert parse_item_id(bad) is None


def test_an_item_keeps_its_text_link_date_and_media() -> None:
    item = item_from_json(
        {
            "id": "tag:google.com,2005:reader/item/0000000000000010",
            "title": "A \x07title",
            "published": 1767268800,
            "crawlTimeMsec": "1767268801000",
            "canonical": [{"href": "https://example.org/a"}],
            "summary": {"content": "<p>Body</p>"},
            "author": "Siti",
            "categories": [
                "user/-/state/com.google/reading-list",
                "user/-/state/com.google/read",
                "user/-/label/News",
            ],
            "origin": {"streamId": "feed/3", "title": "Example"},
            "enclosure": [{"href": "https://example.org/a.mp3", "type": "audio/mpeg"}],
        }
    )
    assert item is not None
    assert (item.id, item.stream_id) == (16, "feed/3")
    assert item.entry.title == "A title" and item.entry.link == "https://example.org/a"
    assert item.entry.content == "<p>Body</p>" and item.entry.author == "Siti"
    assert item.entry.published == 1767268800.0
    assert [e.url for e in item.entry.enclosures] == ["https://example.org/a.mp3"]


def test_an_item_without_id_or_origin_is_skipped() -> None:
    assert item_from_json({"title": "no id", "origin": {"streamId": "feed/1"}}) is None
    assert item_from_json({"id": "5"}) is None
    assert item_from_json("garbage") is None


def test_the_form_of_item_ids_is_what_urlencode_sends() -> None:
    ids = [0x627F3C4A1E240, -1, 5]
    long_ids = [f"{LONG_PREFIX}{i & 0xFFFFFFFFFFFFFFFF:016x}" for i in ids]
    assert id_form(ids) == urlencode([("i", i) for i in long_ids])
    assert [parse_item_id(i) for i in long_ids] == ids


def test_json_that_orjson_refuses_is_read_by_json_without_lone_surrogates(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A server's NaN or lone surrogate costs a second parse, not the batch; a lone
    surrogate (which SQLite would refuse) becomes U+FFFD, a pair stays the character."""
    quirky = b'{"items": [{"title": "\\ud800x", "e": "\\ud83d\\ude00", "published": NaN}]}'
    item = loads(quirky)["items"][0]
    assert (item["title"], item["e"]) == ("\ufffdx", "\U0001f600")
    assert math.isnan(item["published"])  # refused later, as a date (_number)
    monkeypatch.setattr(wire, "_fast_loads", None)  # a platform without orjson
    assert loads(b'{"items": [1]}') == {"items": [1]}
    assert loads(quirky)["items"][0]["title"] == "\ufffdx"
    raw = b'{"items": [{"title": "bad \xed\xa0\x80 text"}]}'  # a surrogate as raw bytes
    assert loads(raw)["items"][0]["title"] == "bad \ufffd text"
    with pytest.raises(ValueError):
        loads(b"<html>")
