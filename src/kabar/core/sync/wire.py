"""What goes over the wire to a Google Reader API server and back: form bodies of item
ids, answers read whole, their JSON, and the names used in messages.

Kept apart from the client's protocol (`client.py`) because a first sync spends much of
its CPU here: 20,000 ids to encode, 55 MB of JSON to read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus

from kabar.core.sync.items import LONG_PREFIX

try:  # a first sync decodes some 55 MB of JSON: orjson takes a third of json's time
    from orjson import loads as _fast_loads
except ImportError:  # not built for this platform: json reads the same answers
    _fast_loads = None  # type: ignore[assignment]


@dataclass(frozen=True, slots=True)
class Reply:
    """A server's answer, read whole within its size cap and deadline."""

    status_code: int
    content: bytes

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")


def loads(content: bytes) -> Any:
    """An answer's JSON. What orjson refuses and json reads (NaN, a lone surrogate) is
    read by json: a server's quirk costs a second parse, not the batch. A lone surrogate
    becomes U+FFFD: SQLite refuses to store one, and the item would fail every sync."""
    if _fast_loads is not None:
        try:
            return _fast_loads(content)
        except ValueError:
            pass
    data = json.loads(content)
    return _without_lone_surrogates(data) if _SURROGATE_ESCAPE.search(content) else data


# An escaped surrogate (a pair's too: json joins those), or one encoded as raw bytes
# (ED A0-BF ..), which json's bytes decoding lets through.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]|\xed[\xa0-\xbf]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_lone_surrogates(value: Any) -> Any:
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_without_lone_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {_without_lone_surrogates(k): _without_lone_surrogates(v) for k, v in value.items()}
    return value


_ID_FIELD = "i=" + quote_plus(LONG_PREFIX)


def id_form(ids: Sequence[int]) -> str:
    """`i=<long item id>&i=...` as a form body. Ids go in the long form every server reads
    alike (Miniflux reads a 16-digit short id as hexadecimal), unsigned. urlencode quoted
    the 20,000 ids of a first sync one character at a time (0.13 s of its CPU); only the
    prefix needs quoting."""
    return "&".join([f"{_ID_FIELD}{item & 0xFFFFFFFFFFFFFFFF:016x}" for item in ids])


def list_of(data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key)
    return value if isinstance(value, list) else []


def kind_of(content: bytes) -> str:
    return "HTML" if content.lstrip()[:1] == b"<" else "something unexpected"


def call_name(path: str) -> str:
    """The API call's name for messages (`stream/items/ids`), never its parameters."""
    return path.removeprefix("/reader/api/0/").removeprefix("/")
