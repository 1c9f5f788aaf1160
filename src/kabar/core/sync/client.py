"""A Google Reader API client (FreshRSS, Miniflux, Inoreader, The Old Reader, BazQux).

Synchronous httpx: the sync engine runs in a CLI process or a reader worker thread, and
talks to one server. The engine sends the requests that do not depend on each other from a
few threads at once, over this one client (httpx's pool is thread-safe; logging in and the
request count are guarded here). Every request goes through `_send`, which counts requests
(for the benchmark), renews an expired auth or action token once, and turns every failure
into one `SyncError` line. The password and the tokens are never put in a message or a log
line.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Generator, Sequence
from typing import Any
from urllib.parse import quote_plus, urlencode, urlsplit

import httpx

from kabar import __version__
from kabar.core.errors import KabarError
from kabar.core.sync.items import (
    Subscription,
    SyncItem,
    item_from_json,
    parse_item_id,
    stream_url,
)
from kabar.core.sync.tls import verify_for
from kabar.core.sync.wire import Reply, call_name, id_form, kind_of, list_of, loads

log = logging.getLogger("kabar.sync")

READING_LIST = "user/-/state/com.google/reading-list"
READ = "user/-/state/com.google/read"
STARRED = "user/-/state/com.google/starred"
LABEL = "user/-/label/"
IDS_PAGE = 50_000  # ids per stream/items/ids page (BazQux's maximum; others page sooner)
CONTENTS_BATCH = 250  # ids per stream/items/contents POST
EDIT_BATCH = 250  # ids per edit-tag POST
CONTENTS = "/reader/api/0/stream/items/contents"
MAX_ANSWER_BYTES = 128 * 1024 * 1024  # a contents batch of 250 long articles is some 20 MB
ANSWER_DEADLINE = 10  # a whole answer may take this many times the timeout of one read,
MIN_ANSWER_SECONDS = 120.0  # and this long at least: 20 MB on a slow line still arrive


class SyncError(KabarError):
    """A sync failed; the message is one line, without secrets. `status` is the server's
    HTTP status when it answered with an error."""

    title = "Sync failed"

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class SyncStopped(SyncError):
    """The sync was stopped from this side (the reader is closing): nothing to report."""


class AuthError(SyncError):
    title = "Sync login failed"


class GReaderClient:
    """One account on one server; `requests` counts what was sent."""

    def __init__(
        self,
        url: str,
        username: str,
        password: str,
        *,
        timeout: float = 20.0,
        connect_timeout: float = 10.0,
        app: tuple[str, str] | None = None,
    ) -> None:
        """`app` is an (app id, app key) pair, sent on every request as Inoreader asks
        (`AppId`, `AppKey` headers); other servers need none."""
        self.base = url.rstrip("/")
        self.host = urlsplit(self.base).netloc or self.base
        self.username = username
        self._password = password
        self._auth: str | None = None
        self._token: str | None = None
        self._lock = threading.Lock()  # one login at a time
        self._token_lock = threading.Lock()  # one action-token request at a time
        self._count = threading.Lock()  # `requests += 1` from several threads
        self.requests = 0
        self._stopped = False  # `stop`: every request from now on raises SyncStopped
        self._read_timeout = timeout
        self.http = httpx.Client(
            timeout=httpx.Timeout(timeout, connect=connect_timeout),
            headers={
                "User-Agent": f"Kabar/{__version__}",
                **({"AppId": app[0], "AppKey": app[1]} if app else {}),
            },
            follow_redirects=True,
            verify=verify_for(self.base),
        )

    def close(self) -> None:
        self.http.close()

    def stop(self) -> None:
        """Make every request from now on fail with SyncStopped (from any thread): a sync
        using this client ends at its next request instead of running on."""
        self._stopped = True

    def __enter__(self) -> GReaderClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- authentication ----------------------------------------------------------------------
    def login(self) -> None:
        """ClientLogin: exchange the password for the Auth token."""
        with self._lock:
            self._login()

    def ensure_login(self) -> None:
        """Log in unless logged in already (before requests sent from several threads)."""
        self._login_unless(None)

    def _login_unless(self, stale: str | None) -> None:
        """Log in if the auth token is missing or is still `stale` (the one a 401 refused):
        of threads that meet the same expired token, one logs in and the others reuse it."""
        with self._lock:
            if self._auth is None or self._auth == stale:
                self._login()

    def _login(self) -> None:
        reply = self._raw("POST", "/accounts/ClientLogin",
                          data={"Email": self.username, "Passwd": self._password})  # fmt: skip
        if reply.status_code in (401, 403):
            raise AuthError(
                f"sync server {self.host} refused the login for {self.username!r}: "
                "wrong username or API password"
            )
        self._check_status(reply, "login")
        for line in reply.text.splitlines():
            if line.startswith("Auth="):
                self._auth = line[5:].strip()
                return
        raise SyncError(f"sync server {self.host}: the login answer has no Auth token "
                        "(is sync.url the Google Reader API base?)")  # fmt: skip

    def _action_token(self) -> str:
        """The action token `T`, asked for once: the first two contents requests of a
        sync, sent from two threads, wait for the one request, not each their own."""
        token = self._token
        if token is None:
            with self._token_lock:
                token = self._token
                if token is None:
                    reply = self._send("GET", "/reader/api/0/token")
                    token = reply.text.strip()
                    if not token or len(token) > 1000 or not token.isprintable() or " " in token:
                        raise SyncError(
                            f"sync server {self.host} answered {kind_of(reply.content)} to token"
                        )
                    self._token = token
        return token

    # -- reading -----------------------------------------------------------------------------
    def subscriptions(self) -> list[Subscription]:
        data = self._json("GET", "/reader/api/0/subscription/list", params={"output": "json"})
        subs = []
        for raw in list_of(data, "subscriptions"):
            if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
                continue
            folders = [
                str(c.get("label") or str(c.get("id", "")).removeprefix(LABEL))
                for c in raw.get("categories") or []
                if isinstance(c, dict)
            ]
            subs.append(
                Subscription(
                    stream_id=raw["id"],
                    title=str(raw.get("title") or ""),
                    url=str(raw.get("url") or stream_url(raw["id"])),
                    site_url=str(raw.get("htmlUrl") or ""),
                    folder=folders[0] if folders else "",
                    labels=folders,
                )
            )
        return subs

    def tags(self) -> list[str]:
        """Folder and label names (the stream ids after `user/-/label/`)."""
        data = self._json("GET", "/reader/api/0/tag/list", params={"output": "json"})
        out = []
        for raw in list_of(data, "tags"):
            tag = str(raw.get("id", "")) if isinstance(raw, dict) else ""
            if "/label/" in tag:
                out.append(tag.split("/label/", 1)[1])
        return out

    def item_ids(
        self,
        stream: str = READING_LIST,
        *,
        exclude: str = "",
        include: str = "",
        since: int = 0,
        limit: int = 0,
    ) -> list[int]:
        """Item ids of a stream, newest first, following continuations (all when `limit`
        is 0). `since` (Unix seconds) is the `ot` filter, `exclude`/`include` `xt`/`it`."""
        ids: list[int] = []
        continuation = ""
        while True:
            page = IDS_PAGE if not limit else min(IDS_PAGE, limit - len(ids))
            params: dict[str, str | int] = {"output": "json", "s": stream, "n": page}
            if exclude:
                params["xt"] = exclude
            if include:
                params["it"] = include
            if since:
                params["ot"] = since
            if continuation:
                params["c"] = continuation
            data = self._json("GET", "/reader/api/0/stream/items/ids", params=params)
            for ref in list_of(data, "itemRefs"):
                try:  # the short decimal form, nearly always: the fast path
                    ids.append(int(ref["id"]))
                except (TypeError, KeyError, ValueError):
                    if isinstance(ref, dict) and (item := parse_item_id(ref.get("id"))) is not None:
                        ids.append(item)
            continuation = str(data.get("continuation") or "")
            if not continuation or (limit and len(ids) >= limit):
                return ids

    def contents(self, ids: Sequence[int]) -> Generator[list[SyncItem], None, None]:
        """The items with these ids, one list per batch POST (so a caller can store each
        batch as it arrives and a crash keeps what was stored). Each POST carries the action
        token `T`: Miniflux authenticates every POST by it, not by the Authorization header."""
        for start in range(0, len(ids), CONTENTS_BATCH):
            yield self.items_in(self.contents_answer(ids[start : start + CONTENTS_BATCH]))

    def contents_answer(self, ids: Sequence[int]) -> bytes:
        """The raw answer to one contents batch (`items_in` reads it): a thread can keep
        the server busy with the next batch while another parses and stores this one."""
        reply = self._send("POST", CONTENTS, params={"output": "json"}, form=id_form(ids))
        return reply.content

    def items_in(self, answer: bytes) -> list[SyncItem]:
        """The items of one stream/items/contents answer (a bad one is one SyncError)."""
        items = [item_from_json(raw) for raw in list_of(self._decode(answer, CONTENTS), "items")]
        return [item for item in items if item is not None]

    # -- writing -----------------------------------------------------------------------------
    def edit_tag(self, ids: Sequence[int], *, add: str = "", remove: str = "") -> None:
        """Add and/or remove a state (READ, STARRED) or label on items, in batches."""
        tags = urlencode([("a", add)] * bool(add) + [("r", remove)] * bool(remove))
        for start in range(0, len(ids), EDIT_BATCH):
            form = id_form(ids[start : start + EDIT_BATCH]) + "&" * bool(tags) + tags
            self._post_ok("/reader/api/0/edit-tag", form=form)

    def mark_all_read(self, stream: str, older_than_usec: int) -> None:
        self._post_ok("/reader/api/0/mark-all-as-read", {"s": stream, "ts": str(older_than_usec)})

    def quickadd(self, url: str) -> str:
        """Subscribe on the server; returns the new stream id."""
        data = self._json(
            "POST",
            "/reader/api/0/subscription/quickadd",
            params={"output": "json"},
            data={"quickadd": url, "T": self._action_token()},
        )
        stream = data.get("streamId")
        if not data.get("numResults") or not isinstance(stream, str):
            reason = str(data.get("error") or "no feed found")[:200]
            raise SyncError(f"sync server {self.host} could not subscribe to {url}: {reason}")
        return stream

    def edit_subscription(
        self, stream: str, action: str, *, title: str = "", folder: str = "", leave: str = ""
    ) -> None:
        """subscription/edit: `action` is subscribe, unsubscribe or edit. `folder` adds the
        feed to that label (`a`), `leave` takes it out of that one (`r`): a move sends both,
        as servers with several labels per feed (Inoreader) need; FreshRSS, one folder per
        feed, moves on `a` and puts the feed back in its default folder on `r` alone."""
        data: dict[str, Any] = {"ac": action, "s": stream}
        if title:
            data["t"] = title
        if folder:
            data["a"] = LABEL + folder
        if leave and leave != folder:
            data["r"] = LABEL + leave
        self._post_ok("/reader/api/0/subscription/edit", data)

    # -- plumbing ----------------------------------------------------------------------------
    def _post_ok(
        self, path: str, data: dict[str, Any] | None = None, *, form: str | None = None
    ) -> None:
        if form is None:
            reply = self._send("POST", path, data=data or {}, with_token=True)
        else:
            reply = self._send("POST", path, form=form)
        if reply.text.strip() != "OK":
            raise SyncError(f"sync server {self.host}: unexpected answer to {call_name(path)}")

    def _json(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        return self._decode(self._send(method, path, **kwargs).content, path)

    def _decode(self, content: bytes, path: str) -> dict[str, Any]:
        try:
            data = loads(content)
        except ValueError:
            raise SyncError(
                f"sync server {self.host} answered {kind_of(content)} to {call_name(path)} "
                "(is sync.url the Google Reader API base?)"
            ) from None
        if not isinstance(data, dict):
            raise SyncError(f"sync server {self.host}: unexpected JSON from {call_name(path)}")
        return data

    def _send(
        self,
        method: str,
        path: str,
        *,
        with_token: bool = False,
        form: str | None = None,
        **kwargs: Any,
    ) -> Reply:
        """One API call, logging in first if needed; an expired auth or action token is
        renewed once and the call repeated. `form` is a POST body already encoded
        (`wire.id_form`); the action token is added to it."""
        for attempt in (0, 1):
            auth = self._auth
            if auth is None:
                self._login_unless(None)
                auth = self._auth
            headers: dict[str, str] = {}
            if form is not None:
                kwargs["content"] = f"{form}&T={quote_plus(self._action_token())}".encode()
                headers["Content-Type"] = "application/x-www-form-urlencoded"
                auth = self._auth or auth  # the token's request may have logged in again
            elif with_token or "T" in kwargs.get("data", {}):
                kwargs.setdefault("data", {})["T"] = self._action_token()
                auth = self._auth or auth
            headers["Authorization"] = f"GoogleLogin auth={auth}"
            reply = self._raw(method, path, headers=headers, **kwargs)
            if reply.status_code == 401 and attempt == 0:
                # The action token (Google-Bad-Token) or the auth expired: renew both.
                self._token = None
                self._login_unless(auth)
                continue
            if reply.status_code in (401, 403):
                raise AuthError(
                    f"sync server {self.host} no longer accepts the login for "
                    f"{self.username!r} (check the API password)"
                )
            self._check_status(reply, call_name(path))
            return reply
        raise AssertionError("unreachable")

    def _raw(self, method: str, path: str, **kwargs: Any) -> Reply:
        """One request, its answer read whole. `timeout` bounds each wait for bytes; the
        answer as a whole gets ANSWER_DEADLINE times that (MIN_ANSWER_SECONDS at least),
        and MAX_ANSWER_BYTES: a server trickling bytes, or sending without end, cannot
        hold a sync or fill the memory."""
        if self._stopped:
            raise SyncStopped("the sync was stopped: Kabar is closing")
        with self._count:
            self.requests += 1
        log.debug("sync: %s %s", method, call_name(path))  # the call's name only: no secrets
        deadline = time.monotonic() + max(self._read_timeout * ANSWER_DEADLINE, MIN_ANSWER_SECONDS)
        try:
            with self.http.stream(method, self.base + path, **kwargs) as answer:
                chunks, size = [], 0
                for chunk in answer.iter_bytes():
                    size += len(chunk)
                    if size > MAX_ANSWER_BYTES:
                        raise SyncError(
                            f"sync server {self.host} sent more than "
                            f"{MAX_ANSWER_BYTES // 1_048_576} MB to {call_name(path)}"
                        )
                    if time.monotonic() > deadline:
                        raise httpx.ReadTimeout("the whole answer took too long")
                    chunks.append(chunk)
                return Reply(answer.status_code, b"".join(chunks))
        except httpx.TimeoutException:
            raise SyncError(f"sync server {self.host} did not answer in time") from None
        except httpx.HTTPError as exc:
            raise SyncError(
                f"cannot reach sync server {self.host} ({exc.__class__.__name__})"
            ) from None

    def _check_status(self, reply: Reply, what: str) -> None:
        if reply.status_code >= 400:
            raise SyncError(
                f"sync server {self.host} answered HTTP {reply.status_code} to {what}",
                reply.status_code,
            )
