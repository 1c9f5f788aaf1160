"""Quirks of servers we cannot run here, on a loopback fake (in addition to FreshRSS):
Inoreader caps `n` at 1,000 ids a page with opaque continuation strings; Miniflux answers
ids in the long hexadecimal form."""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import parse_qs

import pytest

from kabar.core.sync.client import GReaderClient
from tests.sync.fakes import Answer, Call, FaultyProxy

IDS = list(range(1, 2501))


@pytest.fixture
def fake() -> Iterator[FaultyProxy]:
    proxy = FaultyProxy("http://127.0.0.1:9")  # nothing is forwarded: every call is answered

    def answer(call: Call, seen: int) -> Answer | None:
        if call.path.endswith("ClientLogin"):
            return Answer(200, b"SID=x\nLSID=x\nAuth=fake-auth\n")
        if call.path.endswith("stream/items/ids"):
            query = parse_qs(proxy.last_query)
            start = int(query.get("c", ["page-0"])[0].removeprefix("page-"))
            page = IDS[start : start + min(1000, int(query["n"][0]))]
            refs = [{"id": f"tag:google.com,2005:reader/item/{i:016x}"} for i in page]
            body: dict[str, object] = {"itemRefs": refs}
            if start + 1000 < len(IDS):
                body["continuation"] = f"page-{start + 1000}"
            return Answer(200, json.dumps(body).encode(), {"Content-Type": "application/json"})
        return Answer(404)

    proxy.fault = answer
    yield proxy
    proxy.close()


def test_capped_pages_with_opaque_continuations_and_long_ids(fake: FaultyProxy) -> None:
    with GReaderClient(fake.api, "alice", "pw") as client:
        assert client.item_ids() == IDS
        assert client.requests == 1 + 3  # login, then three capped pages
        assert client.item_ids(limit=1500) == IDS[:1500]
