"""The import layers: the core never imports Textual or Rich (the CLI's headless commands
and other programs can use it without a UI toolkit), render reads no store, and the faces
(ui, cli) import from the core only the modules listed here."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import kabar
import kabar.core


def core_modules() -> list[str]:
    return sorted(name for _, name, _ in pkgutil.walk_packages(kabar.core.__path__, "kabar.core."))


def test_core_modules_import_without_textual_or_rich() -> None:
    modules = core_modules()
    assert "kabar.core.feeds.refresh" in modules and "kabar.core.store.database" in modules
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


# The import layers, checked statically over the source tree (fast: no interpreter starts).
SRC = Path(kabar.__file__).parent

# What the faces may import from the core, module by module. A contract the service layer
# (issue 11) will tighten to the service and the model: a module leaves these lists when
# its faces go through the service instead, and nothing joins them without a reason.
# Private store modules (`kabar.core.store.<x>`) are never allowed: the store's API is what
# `kabar.core.store` exports.
UI_ALLOWED = frozenset(
    {
        # The service layer and the model: every reader worker is one call into the Library.
        "kabar.core.library",
        "kabar.core.article.document",
        "kabar.core.models",
        "kabar.core.errors",
        "kabar.core.config.keymap",  # the one key table the reader binds
        "kabar.core.config.profile",  # what the app is built on (paths, config)
        "kabar.core.config.writer",  # the theme picker writes its choice to config.toml
        # Types of what the Library hands back, which the reader's messages carry:
        "kabar.core.feeds.discovery",  # FeedCandidate: discovery's parse, kept for subscribe
        "kabar.core.feeds.refresh",  # FeedResult, RefreshSummary, Outcome
        "kabar.core.library.saving",  # SaveResult (and warmed up after the first paint)
        "kabar.core.sync",  # SyncSummary: the status line after a sync
        "kabar.core.article.picturedata",  # a decoded picture, and where pictures come from
        # The main thread's reads: the headline list pages through the store's view query.
        "kabar.core.store",
        # Imported after the first paint only, so the first article opens at once.
        "kabar.core.library.fulltext",
        "kabar.core.article.entryarticle",
        # Small helpers with no state: a link a browser may open, plural wording.
        "kabar.core.textsafety",
        "kabar.core.wording",
    }
)
CLI_ALLOWED = frozenset(
    {
        # The service layer and the model; the rest are the CLI's own concerns (argv,
        # files it is given, logs, printing) and go when the Library offers them.
        "kabar.core.library",
        "kabar.core.article.document",
        "kabar.core.models",
        "kabar.core.errors",
        "kabar.core.feeds.discovery",
        "kabar.core.emptied",
        "kabar.core.article.extract",
        "kabar.core.logs",
        "kabar.core.feeds.opml",
        "kabar.core.feeds.pagefile",
        "kabar.core.config.paths",
        "kabar.core.article.picturedata",
        "kabar.core.config.profile",
        "kabar.core.article.entryarticle",
        "kabar.core.feeds.refresh",
        "kabar.core.textsafety",
        "kabar.core.feeds.urls",
        "kabar.core.wording",
    }
)
# render turns the article model into Rich; it reads no store and knows no faces.
RENDER_ALLOWED = frozenset(
    {
        "kabar.core.article.document",
        "kabar.core.models",
        "kabar.core.article.entryarticle",
        "kabar.core.article.picturedata",  # a decoded picture, to draw
        "kabar.core.library.outcomes",  # ExportItem: the data an export is made from
    }
)


def imported_modules(layer: str) -> dict[str, set[str]]:
    """Every kabar module a layer's files import (`from kabar.core import x` counts as
    `kabar.core.x`), mapped to the files that import it."""
    found: dict[str, set[str]] = {}
    for path in sorted((SRC / layer).rglob("*.py")):
        where = str(path.relative_to(SRC.parent))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                if node.module in ("kabar", "kabar.core"):
                    names = [f"{node.module}.{alias.name}" for alias in node.names]
                else:
                    names = [node.module]
            for name in names:
                if name.split(".")[0] in ("kabar", "textual", "rich", "feedparser"):
                    found.setdefault(name, set()).add(where)
    return found


def _outside(found: dict[str, set[str]], prefix: str, allowed: frozenset[str]) -> list[str]:
    return sorted(
        f"{name} (in {', '.join(sorted(files))})"
        for name, files in found.items()
        if (name == prefix or name.startswith(prefix + ".")) and name not in allowed
    )


def test_core_imports_no_toolkit_and_no_face() -> None:
    found = imported_modules("core")
    assert "kabar.core.store" in found  # the walk sees the tree
    for prefix in ("textual", "rich", "kabar.ui", "kabar.cli", "kabar.render"):
        assert _outside(found, prefix, frozenset()) == []


def test_render_imports_no_store_and_no_face() -> None:
    found = imported_modules("render")
    assert _outside(found, "kabar.core", RENDER_ALLOWED) == []
    for prefix in ("kabar.ui", "kabar.cli", "textual"):
        assert _outside(found, prefix, frozenset()) == []


def test_faces_import_only_the_allowed_core_modules() -> None:
    assert _outside(imported_modules("ui"), "kabar.core", UI_ALLOWED) == []
    assert _outside(imported_modules("cli"), "kabar.core", CLI_ALLOWED) == []


def test_the_layer_check_catches_a_private_store_import() -> None:
    """The walk reads `from kabar.core.store.navigation import ...` as that module, which
    no allow-list admits (a guard against a check that can never fail)."""
    found = {"kabar.core.store.navigation": {"ui/x.py"}, "kabar.core.store": {"ui/y.py"}}
    assert _outside(found, "kabar.core", UI_ALLOWED) == ["kabar.core.store.navigation (in ui/x.py)"]


def test_only_the_gate_imports_feedparser_internals() -> None:
    """The fast parser's use of feedparser's private modules goes through one module, which
    checks the installed version (core/feeds/parse/fpgate.py)."""
    found = imported_modules("core")
    internals = {name: files for name, files in found.items() if name.startswith("feedparser.")}
    assert internals
    assert {f for files in internals.values() for f in files} == {
        "kabar/core/feeds/parse/fpgate.py"
    }
