"""Config values that mean nothing are refused with one line naming the key (issue 10)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kabar.core.config.keymap import all_keys, key_problem
from kabar.core.config.settings import load_config
from kabar.core.errors import ConfigError


def load(tmp_path: Path, text: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    load_config(path)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("[network]\ntimeout = nan", "'network.timeout'"),
        ("[network]\ntimeout = inf", "'network.timeout'"),
        ("[network]\nconnect_timeout = -inf", "'network.connect_timeout'"),
        ("[network]\nconnect_timeout = 0", "'network.connect_timeout'"),
        ("[network]\ntimeout = 1e12", "'network.timeout'"),
        ("[network]\nmax_saved_bytes = -1", "'network.max_saved_bytes'"),
        ("[general]\nkeep_days = -1", "'general.keep_days'"),
        ("[general]\nauto_refresh_minutes = -5", "'general.auto_refresh_minutes'"),
        ("[general]\nmax_entries_per_feed = -1", "'general.max_entries_per_feed'"),
        ("[general]\nprefetch_per_day = -1", "'general.prefetch_per_day'"),
        ("[general]\nmax_entries_per_feed = 99999999999999999999", "max_entries_per_feed'"),
        ('[feeds."https://a.example/"]\nmax_entries = -1', "max_entries'"),
        ('[feeds."https://a.example/"]\nrefresh_minutes = -1', "refresh_minutes'"),
        ('[keys]\n"main.search" = "not a key!!"', "'keys.\"main.search\"'"),
        ('[keys]\n"main.search" = ""', "'keys.\"main.search\"'"),
        ('[keys]\n"main.search" = "ctrl+nope"', "'keys.\"main.search\"'"),
        ('[keys]\n"main.serch" = "ctrl+f"', "'keys.\"main.serch\"'"),
        ('[keys]\nrefresh_all = "ctrl+r"', "'keys.\"refresh_all\"'"),
    ],
)
def test_meaningless_values_are_refused_naming_the_key(tmp_path: Path, text: str, key: str) -> None:
    with pytest.raises(ConfigError) as info:
        load(tmp_path, text)
    message = str(info.value)
    assert key in message and "\n" not in message


@pytest.mark.parametrize(
    "keys", ["ctrl+f", "j,down", "slash", "question_mark", "A", "f5", "ctrl+shift+up", "?"]
)
def test_real_keys_are_accepted(tmp_path: Path, keys: str) -> None:
    load(tmp_path, f'[keys]\n"main.search" = "{keys}"\n[general]\nkeep_days = 0')


def test_every_default_binding_passes_the_key_check() -> None:
    assert [k.keys for _, table in all_keys() for k in table if key_problem(k.keys)] == []


def test_the_key_check_needs_no_textual() -> None:
    code = (
        "import sys\nimport kabar.core.config.settings, kabar.core.config.keymap\n"
        "print(any(m.split('.')[0] == 'textual' for m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False"


def test_the_cli_prints_one_line_for_a_bad_config(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "config").mkdir(parents=True)
    (home / "config" / "config.toml").write_text("[network]\ntimeout = nan\n")
    result = subprocess.run(
        [sys.executable, "-m", "kabar", "feeds"],
        capture_output=True,
        text=True,
        env={**os.environ, "KABAR_HOME": str(home)},
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "'network.timeout'" in result.stderr
