"""Subscriptions on the sync server: what `kabar add`, `remove` and `import` do when a
[sync] account is configured (the server fetches the feeds; the next sync brings them)."""

from __future__ import annotations

from collections.abc import Sequence

from kabar.core.config import Config, SyncConfig
from kabar.core.errors import ConfigError
from kabar.core.sync.account import sync_password
from kabar.core.sync.client import GReaderClient, SyncError


def _client(config: Config) -> GReaderClient:
    settings: SyncConfig | None = config.sync
    if settings is None:
        raise ConfigError("no [sync] table in the config")
    return GReaderClient(
        settings.url,
        settings.username,
        sync_password(settings),
        timeout=config.network.timeout,
        connect_timeout=config.network.connect_timeout,
    )


def subscribe(config: Config, feeds: Sequence[tuple[str, str]]) -> tuple[list[str], list[str]]:
    """Subscribe to (url, folder) pairs on the server; returns the URLs added and one
    line per failure (one feed failing does not stop the others)."""
    added: list[str] = []
    failed: list[str] = []
    with _client(config) as client:
        for url, folder in feeds:
            try:
                stream = client.quickadd(url)
                if folder:
                    client.edit_subscription(stream, "edit", folder=folder)
                added.append(url)
            except SyncError as exc:
                if "cannot reach" in str(exc) or "refused the login" in str(exc):
                    raise
                failed.append(str(exc))
    return added, failed


def unsubscribe(config: Config, stream_id: str) -> None:
    with _client(config) as client:
        client.edit_subscription(stream_id, "unsubscribe")
