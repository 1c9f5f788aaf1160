"""Feed URLs at the edge: what Kabar will subscribe to, fetch or follow a redirect to.

Every URL that becomes a subscription (`kabar add`, OPML import, the reader's add dialog,
discovered links, config `[feeds."URL"]` keys) or that a fetch goes to (stored URLs,
redirect targets) passes `feed_url` first. It accepts http and https only, with a valid host
and port and no whitespace or control characters, and returns one spelling per resource:
lower-case host without a trailing dot, IDN hosts in punycode, no default port, no fragment,
`/` for an empty path. So `HTTPS://Example.ORG.:443/feed` and `https://example.org/feed` are
one subscription, and `javascript:`, `file:`, `data:` or `-x` never get stored.
"""

from __future__ import annotations

import re
from urllib.parse import SplitResult, urlsplit, urlunsplit

from kabar.core.errors import KabarError

MAX_URL_LENGTH = 8192
_DEFAULT_PORTS = {"http": 80, "https": 443}
_OTHER_SCHEMES = frozenset(
    ("javascript", "vbscript", "file", "data", "ftp", "ftps", "sftp", "mailto", "about", "blob")
)
_LABEL = re.compile(r"(?!-)[a-z0-9_-]{1,63}(?<!-)\Z")
# Whitespace, C0/C1 controls, DEL, and lone surrogates (undecodable bytes from argv).
_FORBIDDEN = re.compile(r"[\s\x00-\x1f\x7f-\x9f\ud800-\udfff]")


class InvalidURL(KabarError):
    """A URL Kabar will not subscribe to or fetch; the message says why, in one line."""

    title = "Not a feed URL"


def shown(url: str, limit: int = 200) -> str:
    """The URL as it can be printed: controls and undecodable bytes escaped, long ones cut."""
    if len(url) <= limit and url.isprintable():  # most: no surrogate is printable
        return url
    text = "".join(
        ch if ch.isprintable() and not 0xD800 <= ord(ch) <= 0xDFFF else _escape(ch)
        for ch in url[: limit + 1]
    )
    return text if len(url) <= limit else text[:limit] + "…"


def _escape(ch: str) -> str:
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape: the original byte
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def feed_url(raw: str) -> str:
    """`raw` validated and normalised; raises InvalidURL saying what is wrong with it."""
    url = raw.strip(" \t\r\n") if isinstance(raw, str) else ""
    if not url:
        raise InvalidURL("no URL given")
    if len(url) > MAX_URL_LENGTH:
        raise InvalidURL(f"URL longer than {MAX_URL_LENGTH:,} characters: {shown(url)}")
    if _FORBIDDEN.search(url):
        raise InvalidURL(f"URL contains spaces, control characters or invalid bytes: {shown(url)}")
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise InvalidURL(f"not a valid URL ({exc}): {shown(url)}") from None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        if scheme in _OTHER_SCHEMES or "://" in url:
            raise InvalidURL(f"only http and https feeds are supported, not {scheme}: {shown(url)}")
        raise InvalidURL(f"not a web address (it needs http:// or https://): {shown(url)}")
    host = _host(parts.hostname or "", url)
    port = _port(parts, url)
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        netloc = f"{netloc}:{port}"
    if parts.username is not None or parts.password is not None:
        userinfo = parts.netloc.rpartition("@")[0]
        netloc = f"{userinfo}@{netloc}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def _host(hostname: str, url: str) -> str:
    """The host in its one spelling: lower case, no trailing dot, punycode, valid labels."""
    if not hostname:
        raise InvalidURL(f"URL has no host: {shown(url)}")
    host = hostname.rstrip(".").lower()
    if ":" in host:  # an IPv6 literal (urlsplit removed the brackets)
        import ipaddress

        try:
            return ipaddress.IPv6Address(host.split("%", 1)[0]).compressed
        except ValueError:
            raise InvalidURL(f"invalid IPv6 address in URL: {shown(url)}") from None
    if not host.isascii() or "xn--" in host:
        host = _international(host, url)
    labels = host.split(".")
    if len(host) > 253 or not all(_LABEL.match(label) for label in labels):
        raise InvalidURL(f"invalid host name in URL: {shown(url)}")
    return host


def _international(host: str, url: str) -> str:
    """An IDN host in punycode, checked. IDNA 2008 with the UTS 46 mapping browsers use, as
    httpx will check it: a host it would refuse at fetch time is refused here, once, with a
    clear message. (idna is imported here: most hosts are ASCII, and commands that fetch
    nothing need not load it.)"""
    import idna

    try:
        if not host.isascii():
            return idna.encode(host, uts46=True).decode("ascii")
        idna.decode(host)
    except (idna.IDNAError, UnicodeError, ValueError):
        raise InvalidURL(f"invalid international host name in URL: {shown(url)}") from None
    return host


def _port(parts: SplitResult, url: str) -> int | None:
    try:
        port = parts.port
    except ValueError:
        raise InvalidURL(f"invalid port in URL (it must be 1 to 65535): {shown(url)}") from None
    if port == 0:
        raise InvalidURL(f"invalid port in URL (it must be 1 to 65535): {shown(url)}")
    return port
