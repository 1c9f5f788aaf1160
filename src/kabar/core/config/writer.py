"""Writing one setting back into config.toml without disturbing the rest of it.

The reader's file is theirs: tomlkit keeps its comments, order and formatting, and only
the one value changes. The new text is checked by the same loader that reads it at start
(a value we write must never stop Kabar from starting) and replaces the old file
atomically, so a crash cannot leave half a config.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import tomlkit
from tomlkit.exceptions import TOMLKitError

from kabar.core.config.settings import config_from_dict
from kabar.core.errors import ConfigError


def save_setting(path: Path, section: str, key: str, value: str | int | bool) -> None:
    """Set `[section] key = value` in the config file at `path` (created if missing)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from exc
    try:
        document = tomlkit.parse(text)
    except TOMLKitError as exc:
        raise ConfigError(f"{path}: invalid TOML, not changed: {exc}") from exc
    table = document.get(section)
    if table is None:
        table = tomlkit.table()
        document[section] = table
    table[key] = value
    new_text = tomlkit.dumps(document)
    config_from_dict(tomlkit.parse(new_text).unwrap(), str(path))
    _replace(path, new_text)


def save_theme(path: Path, theme: str) -> None:
    save_setting(path, "general", "theme", theme)


def _replace(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".config-", suffix=".toml", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
