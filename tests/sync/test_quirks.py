"""Quirks of servers we cannot run here, on a loopback fake (in addition to FreshRSS):
Inoreader caps `n` at 1,000 ids a page with opaque continuation strings; ids may come in
the long hexadecimal form (Miniflux's stream/items/contents answers that form; its
stream/items/ids the decimal one). Whole syncs against stand-ins: `test_standins`."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from kabar.core.config.settings import load_config
from kabar.core.errors import ConfigError
from kabar.core.sync.client import GReaderClient
from kabar.core.sync.subscriptions import client_for
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


def test_inoreader_gets_its_app_id_and_key_on_every_request(
    fake: FaultyProxy, tmp_path: Path
) -> None:
    """Inoreader refuses a client that does not name its registered app (AppId, AppKey
    headers on every call, login included); other servers are sent neither."""
    config_file = tmp_path / "config.toml"
    config_file.write_text(
        f'[sync]\nkind = "greader"\nurl = "{fake.api}"\nusername = "alice"\n'
        'app_id = "1000001234"\napp_key = "k3y"\n',
        encoding="utf-8",
    )
    config = load_config(config_file)
    os.environ["KABAR_SYNC_PASSWORD"] = "pw"
    try:
        with client_for(config) as client:
            assert client.item_ids(limit=10) == IDS[:10]
    finally:
        del os.environ["KABAR_SYNC_PASSWORD"]
    assert len(fake.calls) == 2
    for call in fake.calls:
        assert (call.headers["appid"], call.headers["appkey"]) == ("1000001234", "k3y")
    fake.calls.clear()
    with GReaderClient(fake.api, "alice", "pw") as client:
        client.item_ids(limit=10)
    assert all("appid" not in call.headers for call in fake.calls)


def test_app_id_without_its_key_is_refused(tmp_path: Path) -> None:
    config_file = tmp_path / "config.toml"
    config_file.write_text(
        '[sync]\nkind = "greader"\nurl = "https://www.inoreader.com"\nusername = "a"\n'
        'app_id = "1000001234"\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=r"'sync\.app_id' and 'sync\.app_key' go together"):
        load_config(config_file)
