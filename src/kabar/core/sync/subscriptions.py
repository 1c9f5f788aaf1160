"""Subscriptions on the sync server: what `kabar add`, `remove`, `import`, `export`, the
reader's add-feed dialog and folder moves do when a [sync] account is configured (the
server fetches the feeds; the next sync brings them)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field

from kabar.core.config.settings import Config, SyncConfig
from kabar.core.errors import ConfigError
from kabar.core.sync.account import sync_password
from kabar.core.sync.client import GReaderClient, SyncError
from kabar.core.sync.items import Subscription


@dataclass(slots=True)
class Subscribed:
    """What `subscribe` did, URL by URL."""

    added: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)  # already subscribed, now in the folder
    already: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # one line per failure


def client_for(config: Config) -> GReaderClient:
    settings: SyncConfig | None = config.sync
    if settings is None:
        raise ConfigError("no [sync] table in the config")
    return GReaderClient(
        settings.url,
        settings.username,
        sync_password(settings),
        timeout=config.network.timeout,
        connect_timeout=config.network.connect_timeout,
        app=(settings.app_id, settings.app_key) if settings.app_id else None,
    )


def _using(config: Config, client: GReaderClient | None) -> AbstractContextManager[GReaderClient]:
    """The client given (kept logged in by its owner, left open), else a new one."""
    return client_for(config) if client is None else nullcontext(client)


def subscribe(
    config: Config,
    feeds: Sequence[tuple[str, str]],
    known: Mapping[str, tuple[str, str]] | None = None,
    client: GReaderClient | None = None,
) -> Subscribed:
    """Subscribe to (url, folder) pairs on the server. `known` maps the URLs already
    synced to their (stream id, folder): those are moved to the folder asked for (when one
    is), not subscribed again. One feed failing does not stop the others; a server that
    cannot be reached or refuses the login raises SyncError."""
    known = known or {}
    done = Subscribed()
    with _using(config, client) as client:
        for url, folder in feeds:
            try:
                if url in known:
                    stream, current = known[url]
                    if folder and folder != current:
                        client.edit_subscription(stream, "edit", folder=folder, leave=current)
                        done.moved.append(url)
                    else:
                        done.already.append(url)
                    continue
                stream = client.quickadd(url)
                if folder:
                    client.edit_subscription(stream, "edit", folder=folder)
                done.added.append(url)
            except SyncError as exc:
                if "cannot reach" in str(exc) or "login" in str(exc):
                    raise
                done.failed.append(str(exc))
    return done


def unsubscribe(config: Config, stream_id: str, client: GReaderClient | None = None) -> None:
    with _using(config, client) as client:
        client.edit_subscription(stream_id, "unsubscribe")


def server_subscriptions(config: Config) -> list[Subscription]:
    """The server's subscription list as it is now (for `kabar export`)."""
    with client_for(config) as client:
        return client.subscriptions()
