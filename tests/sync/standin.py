"""A loopback stand-in for the Google Reader APIs of servers we cannot run here.

Miniflux (no Debian package) and Inoreader (a web service) differ from FreshRSS in ways a
client must survive; this server keeps a small account in memory and answers as they do
(Miniflux from its `internal/googlereader` handler and README, Inoreader from its API
documentation). It is in addition to the real FreshRSS tests, not instead.

Miniflux:
- The API base is the site's root: `/accounts/ClientLogin` and `/reader/api/0/...`, with
  the Google Reader user name and password set in Miniflux's integrations page.
- GET is authenticated by `Authorization: GoogleLogin auth=...`, POST only by the `T`
  form field (the same token; the header is ignored): any POST without it gets a 401.
- stream/items/ids answers decimal ids, stream/items/contents long hexadecimal ones; the
  continuation is a numeric offset; `ot` filters on the published time (not on when the
  server stored the item); `it` is ignored; only reading-list, starred, read and feed
  streams can be listed.
- stream/items/contents answers 400 when none of the ids asked for exists any more.
- subscription/edit moves a feed with `a` (one category per feed) and ignores `r`;
  quickadd puts a new feed in the first category.
- Paths it does not implement answer `[]` with status 200.

Inoreader:
- Every request, the login included, carries the registered app's `AppId` and `AppKey`
  headers (without them: 401); ClientLogin with the account's own password (its OAuth 2.0
  sign-in is not something Kabar does).
- At most 1,000 ids a page, with opaque continuation strings; a feed may carry several
  labels (a move must take the old one off with `r`); quickadd puts a feed in no folder.
- A feed unsubscribed leaves its starred articles behind, in the starred list only, as
  Google Reader did (Inoreader says it keeps articles forever; not checked against the
  service here, which is out of reach). Miniflux deletes them with the feed.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

USER = "alice"
PASSWORD = "standin-pass"
APP = ("1000001234", "k3y")
TOKEN = "alice/0123456789abcdef0123456789abcdef01234567"
STATE = "user/-/state/com.google/"
LABEL = "user/-/label/"
LONG = "tag:google.com,2005:reader/item/"


@dataclass
class Item:
    id: int
    feed: int
    title: str
    published: int
    read: bool = False
    starred: bool = False
    extra: dict[str, object] = field(default_factory=dict)  # fields as a server spelled them


@dataclass
class Feed:
    id: int
    url: str
    title: str
    labels: list[str] = field(default_factory=list)


@dataclass
class Reply:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


def _json(data: object, status: int = 200) -> Reply:
    return Reply(status, json.dumps(data).encode(), {"Content-Type": "application/json"})


def _text(text: str, status: int = 200, **headers: str) -> Reply:
    return Reply(status, text.encode(), {"Content-Type": "text/plain", **headers})


def parse_miniflux_id(raw: str) -> int:
    """Miniflux's parseItemID: the long form, 16 hexadecimal digits, else decimal."""
    if raw.startswith(LONG):
        return int(raw.removeprefix(LONG), 16)
    if len(raw) == 16:
        return int(raw, 16)
    return int(raw)


class StandIn:
    """One account on a fake Miniflux (`flavour="miniflux"`) or Inoreader."""

    def __init__(self, flavour: str = "miniflux") -> None:
        self.flavour = flavour
        self.feeds: dict[int, Feed] = {}
        self.gone: dict[int, Feed] = {}  # unsubscribed, with starred items kept (Inoreader)
        self.items: dict[int, Item] = {}
        self.calls: list[tuple[str, str]] = []  # (method, path): what a client asked
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True).start()

    @property
    def base(self) -> str:
        """What `sync.url` is for this server: the site's root."""
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def add_feed(self, url: str, title: str, label: str, items: int, first: int = 0) -> Feed:
        feed = Feed(len(self.feeds) + 1, url, title, [label])
        self.feeds[feed.id] = feed
        for n in range(items):
            item_id = 1000 + len(self.items) + first
            self.items[item_id] = Item(item_id, feed.id, f"{title} story {n}", 1_767_000_000 + n)
        return feed

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    # -- answering ---------------------------------------------------------------------------
    def answer(self, method: str, target: str, headers: dict[str, str], body: bytes) -> Reply:
        url = urlsplit(target)
        query = parse_qs(url.query)
        form = parse_qs(body.decode()) if method == "POST" else {}
        merged = {**query, **form}
        with self.lock:
            self.calls.append((method, url.path))
        if self.flavour == "inoreader" and (headers.get("appid"), headers.get("appkey")) != APP:
            return _text("AppId and AppKey are required", 401)
        if url.path == "/accounts/ClientLogin":
            if (merged.get("Email"), merged.get("Passwd")) != ([USER], [PASSWORD]):
                if self.flavour == "miniflux":
                    return _json({"error_message": "access unauthorized"}, 401)
                return _text("Error=BadAuthentication", 401)
            return _text(f"SID={TOKEN}\nLSID={TOKEN}\nAuth={TOKEN}\n")
        if not url.path.startswith("/reader/api/0/"):
            return _text("not found", 404)
        if not self._authenticated(method, headers, form):
            return _text("Unauthorized", 401, **{"X-Reader-Google-Bad-Token": "true"})
        name = url.path.removeprefix("/reader/api/0/")
        with self.lock:
            return self._call(name, method, merged, form)

    def _authenticated(
        self, method: str, headers: dict[str, str], form: dict[str, list[str]]
    ) -> bool:
        if self.flavour == "miniflux" and method == "POST":
            return form.get("T") == [TOKEN]  # Miniflux: POSTs by T only
        return headers.get("authorization") == f"GoogleLogin auth={TOKEN}"

    def _call(
        self, name: str, method: str, params: dict[str, list[str]], form: dict[str, list[str]]
    ) -> Reply:
        if name == "token":
            return _text(TOKEN)
        if name == "subscription/list":
            return _json({"subscriptions": [self._subscription(f) for f in self.feeds.values()]})
        if name == "stream/items/ids" and method == "GET":
            return self._ids(params)
        if name == "stream/items/contents" and method == "POST":
            return self._contents(params)
        if name == "edit-tag" and method == "POST":
            return self._edit_tag(form)
        if name == "subscription/quickadd" and method == "POST":
            url = params["quickadd"][0]
            # Miniflux puts a new feed in the first category; Inoreader in no folder.
            feed = self.add_feed(url, f"Feed at {url}", "All", 2)
            if self.flavour == "inoreader":
                feed.labels = []
            return _json({"numResults": 1, "query": url, "streamId": f"feed/{feed.id}"})
        if name == "subscription/edit" and method == "POST":
            return self._edit_subscription(params)
        if self.flavour == "miniflux":
            return _json([])  # Miniflux's catch-all for what it does not implement
        return _text("not found", 404)

    def _subscription(self, feed: Feed) -> dict[str, object]:
        return {
            "id": f"feed/{feed.id}",
            "title": feed.title,
            "url": feed.url,
            "htmlUrl": feed.url.rsplit("/", 1)[0] + "/",
            "categories": [{"id": LABEL + label, "label": label} for label in feed.labels],
        }

    def _ids(self, params: dict[str, list[str]]) -> Reply:
        stream = params["s"][0]
        items = sorted(self.items.values(), key=lambda i: (i.published, i.id), reverse=True)
        if stream == STATE + "starred":
            items = [i for i in items if i.starred]
        elif stream == STATE + "read":
            items = [i for i in items if i.read]
        elif stream.startswith("feed/"):
            items = [i for i in items if i.feed == int(stream.removeprefix("feed/"))]
        elif stream != STATE + "reading-list":
            return _json({"error_message": "unsupported stream"}, 500)
        if stream != STATE + "starred":  # a feed unsubscribed is in no list but this one
            items = [i for i in items if i.feed in self.feeds]
        if STATE + "read" in params.get("xt", []):
            items = [i for i in items if not i.read]
        if "ot" in params:  # Miniflux: the published time, not the time it was stored
            items = [i for i in items if i.published > int(params["ot"][0])]
        count = int(params.get("n", ["0"])[0]) or len(items)
        if self.flavour == "inoreader":
            count = min(count, 1000)
            start = int(params["c"][0].removeprefix("opaque-")) if "c" in params else 0
        else:
            start = int(params.get("c", ["0"])[0])
        page = items[start : start + count]
        data: dict[str, object] = {"itemRefs": [{"id": str(i.id)} for i in page]}
        if start + count < len(items):
            after = start + count
            data["continuation"] = f"opaque-{after}" if self.flavour == "inoreader" else str(after)
        return _json(data)

    def _contents(self, params: dict[str, list[str]]) -> Reply:
        wanted = [parse_miniflux_id(raw) for raw in params.get("i", [])]
        found = [self.items[i] for i in wanted if i in self.items]
        if not found and self.flavour == "miniflux":
            return _json({"error_message": "no items returned from the database"}, 400)
        return _json({"items": [self._item(i) for i in found]})

    def _item(self, item: Item) -> dict[str, object]:
        feed = self.feeds.get(item.feed) or self.gone[item.feed]
        categories = [STATE + "reading-list"] + [LABEL + label for label in feed.labels]
        categories += [STATE + "read"] * item.read + [STATE + "starred"] * item.starred
        link = f"{feed.url.rsplit('/', 1)[0]}/story/{item.id}.html"
        return {
            "id": f"{LONG}{item.id:016x}",
            "title": item.title,
            "published": item.published,
            "timestampUsec": str(item.published * 1_000_000),
            "categories": categories,
            "alternate": [{"href": link, "type": "text/html"}],
            "canonical": [{"href": link}],
            "summary": {"content": f"<p>{item.title}</p>"},
            "content": {"content": f"<p>{item.title}</p>"},
            "origin": {"streamId": f"feed/{feed.id}", "title": feed.title},
            **item.extra,
        }

    def _edit_tag(self, form: dict[str, list[str]]) -> Reply:
        ids = [parse_miniflux_id(raw) for raw in form.get("i", [])]
        for tags, value in ((form.get("a", []), True), (form.get("r", []), False)):
            for tag in tags:
                if tag not in (STATE + "read", STATE + "starred"):
                    return _json({"error_message": f"unsupported tag {tag}"}, 400)
                for item_id in ids:
                    if item_id in self.items:
                        setattr(self.items[item_id], tag.rsplit("/", 1)[1], value)
        return _text("OK")

    def _edit_subscription(self, params: dict[str, list[str]]) -> Reply:
        feed_id = int(params["s"][0].removeprefix("feed/"))
        action = params["ac"][0]
        if action == "unsubscribe":
            feed = self.feeds.pop(feed_id, None)
            keep = self.flavour == "inoreader" and feed is not None
            if keep:  # Inoreader keeps the starred articles of a feed unsubscribed
                self.gone[feed_id] = feed  # type: ignore[assignment]
            self.items = {
                k: v for k, v in self.items.items() if v.feed != feed_id or (keep and v.starred)
            }
        elif action == "edit" and "a" in params:
            label = params["a"][0].removeprefix(LABEL)
            feed = self.feeds[feed_id]
            if self.flavour == "miniflux":  # one category per feed; `r` is ignored
                feed.labels = [label]
            else:
                dropped = [r.removeprefix(LABEL) for r in params.get("r", [])]
                feed.labels = [x for x in feed.labels if x not in dropped] + [label]
        return _text("OK")

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _serve(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {k.lower(): v for k, v in self.headers.items()}
                reply = standin.answer(method, self.path, headers, body)
                self.send_response(reply.status)
                for key, value in {"Content-Length": str(len(reply.body)),
                                   **reply.headers}.items():  # fmt: skip
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(reply.body)

            def do_GET(self) -> None:
                self._serve("GET")

            def do_POST(self) -> None:
                self._serve("POST")

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler
