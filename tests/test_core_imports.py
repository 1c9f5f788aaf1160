"""The core never imports Textual or Rich: the CLI's headless commands and other programs
can use it without a UI toolkit."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import kabar.core


def core_modules() -> list[str]:
    return sorted(name for _, name, _ in pkgutil.walk_packages(kabar.core.__path__, "kabar.core."))


def test_core_modules_import_without_textual_or_rich() -> None:
    modules = core_modules()
    assert "kabar.core.refresh" in modules and "kabar.core.store.database" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_refresh_command_path_imports_neither_textual_nor_rich() -> None:
    code = (
        "import sys\n"
        "from kabar.cli import main, refreshing\n"
        "print(any(m.split('.')[0] in ('textual', 'rich') for m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
