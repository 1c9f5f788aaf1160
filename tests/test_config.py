"""The config file: defaults, per-feed settings, one-line errors naming the key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kabar.core.config.paths import Paths, default_paths
from kabar.core.config.settings import documented_fields, load_config
from kabar.core.errors import ConfigError
from kabar.core.models import FullTextMode


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    config = load_config(tmp_path / "nope.toml")
    assert config.network.max_connections == 16
    assert config.general.full_text == "auto"


def test_full_config(tmp_path: Path) -> None:
    config = load_config(
        write(
            tmp_path,
            """
[general]
theme = "nord"
auto_refresh_minutes = 15

[network]
timeout = 5
max_per_host = 2

[keys]
"main.refresh_all" = "ctrl+r"

[feeds."https://a.example/feed"]
title = "A"
folder = "News"
tags = ["x", "y"]
full_text = "always"
""",
        )
    )
    assert config.general.theme == "nord"
    assert config.network.timeout == 5.0
    assert config.keys == {"main.refresh_all": "ctrl+r"}
    assert config.feed("https://a.example/feed").tags == ["x", "y"]
    assert config.full_text_mode("https://a.example/feed") is FullTextMode.ALWAYS
    assert config.full_text_mode("https://other.example/") is FullTextMode.AUTO


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[general]\nthemes = 1", "unknown key 'general.themes'"),
        ("[network]\ntimeout = 'soon'", "'network.timeout' must be a number, got 'soon'"),
        ("[network]\nmax_connections = 0", "'network.max_connections' must be at least 1"),
        ("[general]\nfull_text = 'sometimes'", "'general.full_text' must be one of"),
        ("[general]\nrefresh_on_start = 'yes'", "'general.refresh_on_start' must be true or false"),
        ("colour = 'red'", "unknown key 'colour'"),
        ("[general\n", "invalid TOML"),
        ('[feeds."https://h.org/u"]\nfolder = 3', "'feeds.\"https://h.org/u\".folder' must be a"),
        ('[feeds."u"]\nfolder = "F"', "'feeds.\"u\"': not a web address"),
        ('[feeds."javascript:x"]', "'feeds.\"javascript:x\"': only http and https feeds"),
        ('[feeds."http://h.org:99999/"]', "invalid port in URL"),
    ],
)
def test_bad_config_names_the_key(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)) as info:
        load_config(write(tmp_path, text))
    assert "\n" not in str(info.value)


def test_kabar_home_puts_everything_under_one_folder(tmp_path: Path) -> None:
    paths = default_paths({"KABAR_HOME": str(tmp_path)})
    assert paths == Paths(tmp_path / "config", tmp_path / "data", tmp_path / "cache")
    assert paths.database == tmp_path / "data" / "kabar.db"


def test_every_config_key_is_documented_in_the_readme() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    missing = [key for key in documented_fields() if f"`{key}`" not in readme]
    assert missing == []
