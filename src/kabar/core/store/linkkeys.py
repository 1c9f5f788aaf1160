"""When two URLs name the same article: the comparison `kabar save` and `kabar read` use.

A feed's link and the address a reader pastes rarely match byte for byte: one says http and
the other https, one has `www.`, a trailing slash, a `#comments` anchor or tracking
parameters (`utm_source` and friends) that a share button added. `link_key` drops exactly
those differences and keeps everything that can change which page a server returns.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit

# Query parameters that only say where a click came from, never which page it is.
_TRACKING = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "ref_src", "cmpid"}
)


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered.startswith(("utm_", "at_")) or lowered in _TRACKING


def link_key(url: str) -> str:
    """The URL reduced to what identifies the page: host (no www.), path and real query."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        return url.strip()
    if not host:
        return url.strip()
    host = host.removeprefix("www.")
    if port and port not in (80, 443):
        host = f"{host}:{port}"
    path = parts.path.rstrip("/")
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True))
    kept = urlencode([(k, v) for k, v in query if not _is_tracking(k)])
    return f"{host}{path}" + (f"?{kept}" if kept else "")


def link_probe(url: str) -> str:
    """A lower-case piece every URL with the same key contains (a cheap SQL prefilter)."""
    return link_key(url).split("?", 1)[0].lower()
