"""The theme chosen in the TUI is written to config.toml, comments and all kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from kabar.core.config.profile import Profile
from kabar.core.config.settings import load_config
from kabar.core.config.writer import save_theme
from kabar.core.errors import ConfigError
from tests.ui.conftest import seeded_app
from tests.ui.data import Seeded

CONFIG = """# my reader
[general]
theme = "nord"  # the dark one
hide_read = true

[keys]
"main.search" = "ctrl+f"
"""


def test_save_theme_keeps_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(CONFIG, encoding="utf-8")
    save_theme(path, "gruvbox")
    text = path.read_text(encoding="utf-8")
    assert text == CONFIG.replace('"nord"', '"gruvbox"')
    assert load_config(path).general.theme == "gruvbox"
    fresh = tmp_path / "new" / "config.toml"
    save_theme(fresh, "dracula")
    assert load_config(fresh).general.theme == "dracula"


def test_a_broken_config_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[general\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        save_theme(path, "nord")
    assert path.read_text(encoding="utf-8") == "[general\n"


async def test_changing_the_theme_in_the_app_saves_it(profile: Profile, seeded: Seeded) -> None:
    app = seeded_app(profile)
    async with app.run_test(size=(100, 30)) as pilot:
        app.theme = "gruvbox"
        await pilot.pause()
    assert load_config(profile.paths.config_file).general.theme == "gruvbox"
