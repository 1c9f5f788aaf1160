"""A profile: where the data lives and the config that applies, loaded once per process."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kabar.core.config.paths import Paths, default_paths
from kabar.core.config.settings import Config, load_config
from kabar.core.store import Store


@dataclass(slots=True)
class Profile:
    paths: Paths
    config: Config

    def open_store(self) -> Store:
        """The store, with the config's per-feed settings applied to the feed rows (and
        synced feeds turned back into local ones once the config has no [sync] table)."""
        self.paths.ensure()
        store = Store(self.paths.database)
        store.apply_feed_settings(self.config.feeds)
        if self.config.sync is None and store.sync_state():
            store.detach_sync()  # the [sync] table is gone: back to local feeds
        return store


def load_profile(environ: Mapping[str, str] | None = None) -> Profile:
    """Paths from the environment and the config they point at (raises ConfigError)."""
    paths = default_paths(environ)
    return Profile(paths, load_config(paths.config_file))
