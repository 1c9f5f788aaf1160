"""The [sync] table: validation in one line, and where the password comes from."""

from __future__ import annotations

import pytest

from kabar.core.config.settings import SyncConfig, config_from_dict
from kabar.core.errors import ConfigError
from kabar.core.sync.account import account_name, sync_password

URL = "https://rss.example.net/api/greader.php"


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"kind": "fever", "url": URL, "username": "a"}, "'sync.kind' must be 'greader'"),
        ({"url": "rss.example.net", "username": "a"}, "'sync.url' must be an http(s) URL"),
        ({"url": URL}, "'sync.username' is required"),
        ({"url": URL, "username": "a", "password": "x"}, "unknown key 'sync.password'"),
        ({"url": URL, "username": 5}, "'sync.username' must be a string"),
    ],
)
def test_a_bad_sync_table_is_one_line(table: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError) as info:
        config_from_dict({"sync": table})
    assert message in str(info.value) and "\n" not in str(info.value)


def test_the_password_comes_from_the_command_else_the_variable() -> None:
    config = config_from_dict({"sync": {"url": URL, "username": "alice"}})
    assert config.sync is not None and account_name(config.sync) == "alice@rss.example.net"
    assert sync_password(config.sync, {"KABAR_SYNC_PASSWORD": "from-env"}) == "from-env"
    with pytest.raises(ConfigError, match=r"set sync\.password_command or the KABAR_SYNC_PASSWORD"):
        sync_password(config.sync, {})
    command = SyncConfig(url=URL, username="a", password_command="printf 's3cret\\n'")
    assert sync_password(command, {"KABAR_SYNC_PASSWORD": "ignored"}) == "s3cret"


def test_a_failing_password_command_says_so_without_its_output() -> None:
    failing = SyncConfig(url=URL, username="a", password_command="echo leaked; exit 3")
    with pytest.raises(ConfigError) as info:
        sync_password(failing, {})
    assert str(info.value) == "sync.password_command exited with status 3"
    empty = SyncConfig(url=URL, username="a", password_command="true")
    with pytest.raises(ConfigError, match="printed no password"):
        sync_password(empty, {})
