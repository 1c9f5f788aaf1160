"""Where Kabar keeps its config, data and cache.

platformdirs gives the usual per-OS places; `KABAR_HOME=DIR` puts all three under DIR so a
test, a benchmark or the demo runs on a throwaway profile and never sees the user's data.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "kabar"
HOME_VARIABLE = "KABAR_HOME"


@dataclass(frozen=True, slots=True)
class Paths:
    config_dir: Path
    data_dir: Path
    cache_dir: Path

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.toml"

    @property
    def database(self) -> Path:
        return self.data_dir / "kabar.db"

    @property
    def log_file(self) -> Path:
        return self.cache_dir / "kabar.log"

    def ensure(self) -> Paths:
        """Create the three folders (only when something is about to be written)."""
        for folder in (self.config_dir, self.data_dir, self.cache_dir):
            folder.mkdir(parents=True, exist_ok=True)
        return self

    @classmethod
    def under(cls, home: Path) -> Paths:
        return cls(home / "config", home / "data", home / "cache")


def default_paths(environ: Mapping[str, str] | None = None) -> Paths:
    environ = os.environ if environ is None else environ
    home = environ.get(HOME_VARIABLE, "").strip()
    if home:
        return Paths.under(Path(home).expanduser())
    import platformdirs  # imported here: only needed without KABAR_HOME

    return Paths(
        platformdirs.user_config_path(APP_NAME),
        platformdirs.user_data_path(APP_NAME),
        platformdirs.user_cache_path(APP_NAME),
    )
