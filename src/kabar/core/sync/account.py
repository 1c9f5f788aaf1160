"""The sync account from the config: its name and its password, never written to disk.

The password comes from `sync.password_command` (its standard output, as aerc and newsboat
users expect: `pass show rss`, a keyring lookup) or else from `KABAR_SYNC_PASSWORD`.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from urllib.parse import urlsplit

from kabar.core.config.settings import SyncConfig
from kabar.core.errors import ConfigError

PASSWORD_VARIABLE = "KABAR_SYNC_PASSWORD"


def account_name(sync: SyncConfig) -> str:
    """`user@host`, as the status line and the summary show it."""
    return f"{sync.username}@{urlsplit(sync.url).netloc or sync.url}"


def sync_password(sync: SyncConfig, environ: Mapping[str, str] | None = None) -> str:
    environ = os.environ if environ is None else environ
    if sync.password_command:
        try:
            done = subprocess.run(
                sync.password_command,
                shell=True,
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ConfigError(f"sync.password_command failed: {exc.__class__.__name__}") from None
        if done.returncode != 0:
            raise ConfigError(f"sync.password_command exited with status {done.returncode}")
        password = done.stdout.rstrip("\r\n")
        if not password:
            raise ConfigError("sync.password_command printed no password")
        return password
    password = environ.get(PASSWORD_VARIABLE, "")
    if not password:
        raise ConfigError(
            f"no sync password: set sync.password_command or the {PASSWORD_VARIABLE} variable"
        )
    return password
