"""The typed config file (`config.toml` in the config dir).

Every field carries a one-line doc in its metadata: the README's schema table is checked
against them by a test, and an unknown key or a value of the wrong type is refused with one
line naming the key, never a traceback.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from typing import Any, TypeVar, get_type_hints

from kabar.core.errors import ConfigError
from kabar.core.models import FullTextMode


def _doc(text: str, default: Any = MISSING, factory: Any = MISSING) -> Any:
    if factory is not MISSING:
        return field(default_factory=factory, metadata={"doc": text})
    return field(default=default, metadata={"doc": text})


@dataclass(slots=True)
class GeneralConfig:
    refresh_on_start: bool = _doc("Refresh all feeds when the TUI starts.", True)
    auto_refresh_minutes: int = _doc("Refresh all feeds every N minutes in the TUI; 0 is off.", 0)
    theme: str = _doc("Textual theme name, e.g. 'textual-dark', 'nord', 'gruvbox'.", "textual-dark")
    full_text: str = _doc("Default full-text mode: 'auto', 'always' or 'never'.", "auto")
    hide_read: bool = _doc("Hide read entries in the headline list.", False)
    browser: str = _doc("Command to open links; empty uses the system browser.", "")
    keep_days: int = _doc("Remove unsaved entries older than N days; 0 keeps them all.", 0)
    max_entries_per_feed: int = _doc(
        "Keep at most N entries per feed (unread and saved are kept); 0 is no limit.", 0
    )
    prefetch: bool = _doc("After a refresh, fetch the full text of new unread entries.", False)
    prefetch_per_day: int = _doc("At most N pages prefetched per day.", 200)
    images: str = _doc(
        "Pictures in the article: 'auto' (when the terminal draws more than half-blocks, "
        "or the picture is stored), 'on' or 'off' (a marker).",
        "auto",
    )


@dataclass(slots=True)
class NetworkConfig:
    timeout: float = _doc("Total deadline for one request, in seconds.", 20.0)
    connect_timeout: float = _doc("Deadline for opening a connection, in seconds.", 10.0)
    max_connections: int = _doc("Requests in flight at once, over all hosts.", 16)
    max_per_host: int = _doc("Requests in flight at once to one host.", 4)
    max_feed_bytes: int = _doc("Largest feed or page accepted, after decompression.", 10_000_000)
    max_image_bytes: int = _doc("Largest image kept with a saved article.", 5_000_000)
    max_saved_bytes: int = _doc("Most image bytes kept for one saved article.", 30_000_000)
    image_cache_bytes: int = _doc(
        "Most bytes of pictures kept in the cache folder for reading.", 100_000_000
    )


@dataclass(slots=True)
class FeedConfig:
    title: str = _doc("Title shown instead of the feed's own.", "")
    folder: str = _doc("Folder the feed is listed under.", "")
    tags: list[str] = _doc("Tags for the feed.", factory=list)
    refresh_minutes: int = _doc("Minimum minutes between refreshes of this feed; 0 is no limit.", 0)
    full_text: str = _doc("'auto', 'always' or 'never'; empty uses general.full_text.", "")
    max_entries: int = _doc(
        "Entries kept for this feed (saved and unread are kept); 0 keeps all.", 0
    )


@dataclass(slots=True)
class SyncConfig:
    kind: str = _doc("Sync protocol; only 'greader' (the Google Reader API).", "greader")
    url: str = _doc("API base, e.g. 'https://rss.example.net/api/greader.php'.", "")
    username: str = _doc("Account name on the sync server.", "")
    password_command: str = _doc(
        "Command whose output is the password; else KABAR_SYNC_PASSWORD is used.", ""
    )
    app_id: str = _doc("Inoreader only: the app id of an app registered with it.", "")
    app_key: str = _doc("Inoreader only: that app's key (sent with the app id).", "")


@dataclass(slots=True)
class Config:
    general: GeneralConfig = field(default_factory=GeneralConfig)
    network: NetworkConfig = field(default_factory=NetworkConfig)
    keys: dict[str, str] = _doc(
        'Key bindings by action id, e.g. refresh_all = "ctrl+r".', factory=dict
    )
    feeds: dict[str, FeedConfig] = _doc("Per-feed settings, keyed by feed URL.", factory=dict)
    sync: SyncConfig | None = None  # [sync]: a feed server account (see SyncConfig)

    def feed(self, url: str) -> FeedConfig:
        if not self.feeds:
            return FeedConfig()
        return self.feeds.get(url) or self.feeds.get(normal_url(url)) or FeedConfig()

    def full_text_mode(self, url: str) -> FullTextMode:
        return FullTextMode(self.feed(url).full_text or self.general.full_text)


T = TypeVar("T")
IMAGE_MODES = ("auto", "on", "off")


def load_config(path: Path) -> Config:
    """The config at `path`, or the defaults when there is no file."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Config()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from exc
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    return config_from_dict(data, str(path))


def config_from_dict(data: dict[str, Any], source: str = "config") -> Config:
    config = Config()
    for key, value in data.items():
        if key == "general":
            config.general = _section(GeneralConfig, value, source, "general")
        elif key == "network":
            config.network = _section(NetworkConfig, value, source, "network")
        elif key == "sync":
            config.sync = _section(SyncConfig, value, source, "sync")
        elif key == "keys":
            config.keys = _string_table(value, source, "keys")
        elif key == "feeds":
            if not isinstance(value, dict):
                raise ConfigError(f"{source}: 'feeds' must be a table of feed URLs")
            config.feeds = {
                _feed_key(url, source): _section(FeedConfig, table, source, f'feeds."{url}"')
                for url, table in value.items()
            }
        else:
            raise ConfigError(f"{source}: unknown key '{key}'")
    _check_values(config, source)
    return config


def _feed_key(url: str, source: str) -> str:
    """A `[feeds."URL"]` key in its normalised spelling (core.urls), so that it matches the
    subscription whichever way either was written."""
    from kabar.core.feeds.urls import InvalidURL, feed_url, shown  # only for a [feeds] table

    try:
        return feed_url(url)
    except InvalidURL as exc:
        raise ConfigError(f"{source}: 'feeds.\"{shown(url)}\"': {exc}") from None


def normal_url(url: str) -> str:
    """`url` normalised as subscriptions are, or as it is when it is not a feed URL."""
    from kabar.core.feeds.urls import InvalidURL, feed_url

    try:
        return feed_url(url)
    except InvalidURL:
        return url


def _section(cls: type[T], value: Any, source: str, name: str) -> T:
    if not isinstance(value, dict):
        raise ConfigError(f"{source}: '{name}' must be a table")
    hints = get_type_hints(cls)
    known = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    kwargs: dict[str, Any] = {}
    for key, item in value.items():
        if key not in known:
            raise ConfigError(f"{source}: unknown key '{name}.{key}'")
        kwargs[key] = _coerce(item, hints[key], f"{name}.{key}", source)
    return cls(**kwargs)


def _coerce(value: Any, hint: Any, key: str, source: str) -> Any:
    expected = {bool: "true or false", int: "a whole number", float: "a number", str: "a string"}
    if hint is bool and isinstance(value, bool):
        return value
    if hint is int and isinstance(value, int) and not isinstance(value, bool):
        if not -(2**63) <= value < 2**63:  # TOML's limit; tomllib reads any length
            raise ConfigError(f"{source}: '{key}' is too large a number")
        return value
    if hint is float and isinstance(value, (int, float)) and not isinstance(value, bool):
        if not math.isfinite(value):
            raise ConfigError(f"{source}: '{key}' must be a finite number, got {value!r}")
        return float(value)
    if hint is str and isinstance(value, str):
        return value
    if hint == list[str] and isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    wanted = expected.get(hint, "a list of strings")
    raise ConfigError(f"{source}: '{key}' must be {wanted}, got {value!r}")


def _string_table(value: Any, source: str, name: str) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise ConfigError(f"{source}: '{name}' must be a table of strings")
    return dict(value)


def _check_values(config: Config, source: str) -> None:
    modes = {m.value for m in FullTextMode}
    if config.general.full_text not in modes:
        raise ConfigError(f"{source}: 'general.full_text' must be one of auto, always, never")
    for url, feed in config.feeds.items():
        if feed.full_text and feed.full_text not in modes:
            raise ConfigError(
                f"{source}: 'feeds.\"{url}\".full_text' must be auto, always or never"
            )
    if config.sync is not None:
        _check_sync(config.sync, source)
    if config.general.images not in IMAGE_MODES:
        raise ConfigError(f"{source}: 'general.images' must be one of auto, on, off")
    net = config.network
    for key in ("max_connections", "max_per_host", "max_feed_bytes", "max_image_bytes"):
        if getattr(net, key) < 1:
            raise ConfigError(f"{source}: 'network.{key}' must be at least 1")
    for key in ("timeout", "connect_timeout"):
        if not 0 < getattr(net, key) <= _DAY:
            raise ConfigError(
                f"{source}: 'network.{key}' must be more than 0 and at most {_DAY:,} seconds"
            )
    _not_negative(net, "network", ("max_saved_bytes",), source)
    _not_negative(config.general, "general", _GENERAL_COUNTS, source)
    for url, feed in config.feeds.items():
        _not_negative(feed, f'feeds."{url}"', ("refresh_minutes", "max_entries"), source)
    if config.keys:
        _check_keys(config.keys, source)


def _check_keys(keys: dict[str, str], source: str) -> None:
    from kabar.core.config.keymap import keymap_problem  # the key table: only for [keys]

    problem = keymap_problem(keys)
    if problem is not None:
        binding_id, why = problem
        raise ConfigError(f"{source}: 'keys.\"{binding_id}\"' {why}")


_DAY = 86_400  # a request deadline longer than a day is a typo (and past 1e12 s, an error)
# Counts and durations where 0 means "off" or "no limit" and a negative number means nothing.
_GENERAL_COUNTS = ("auto_refresh_minutes", "keep_days", "max_entries_per_feed", "prefetch_per_day")


def _not_negative(section: object, name: str, keys: tuple[str, ...], source: str) -> None:
    for key in keys:
        if getattr(section, key) < 0:
            raise ConfigError(f"{source}: '{name}.{key}' must not be negative")


def _check_sync(sync: SyncConfig, source: str) -> None:
    if sync.kind != "greader":
        raise ConfigError(f"{source}: 'sync.kind' must be 'greader', got {sync.kind!r}")
    if not sync.url.startswith(("http://", "https://")):
        raise ConfigError(f"{source}: 'sync.url' must be an http(s) URL of the API base")
    if not sync.username:
        raise ConfigError(f"{source}: 'sync.username' is required")
    if bool(sync.app_id) != bool(sync.app_key):
        raise ConfigError(f"{source}: 'sync.app_id' and 'sync.app_key' go together")


def documented_fields() -> dict[str, str]:
    """Every config key with its doc line (for `kabar config --schema` and the docs test)."""
    out: dict[str, str] = {}
    sections = (("general", GeneralConfig), ("network", NetworkConfig), ("sync", SyncConfig))
    for prefix, cls in sections:
        for f in fields(cls):
            out[f"{prefix}.{f.name}"] = f.metadata["doc"]
    for f in fields(Config):
        if "doc" in f.metadata:
            out[f.name] = f.metadata["doc"]
    for f in fields(FeedConfig):
        out[f"feeds.<url>.{f.name}"] = f.metadata["doc"]
    return out
