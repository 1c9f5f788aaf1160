"""The import layers: the core never imports Textual or Rich (the CLI's headless commands
and other programs can use it without a UI toolkit), render reads no store, and the faces
(ui, cli) import from the core only the modules listed here."""

from __future__ import annotations

import ast
import os
import pkgutil
import socket
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

# What the faces may import from the core: the service layer and the model, and a few
# helpers that hold no state. Everything else a face needs (the types the Library takes
# and hands back: ViewQuery, FeedCandidate, RefreshSummary, SaveResult, pictures, Profile)
# it imports from `kabar.core.library`, which names them lazily; so a face never reaches
# into a store, feeds, sync or article module, and those can move without touching it.
# Nothing joins these lists without a reason written beside it.
FACES_ALLOWED = frozenset(
    {
        "kabar.core.library",  # the service layer: every operation is one call on the Library
        "kabar.core.models",  # the model: feeds and entries as the store gives them
        "kabar.core.article.document",  # the model: an article's blocks, spans, figures
        "kabar.core.errors",  # the errors a face catches and shows in one line
        "kabar.core.textsafety",  # stateless: a link safe to open, a title safe to print
        "kabar.core.wording",  # stateless: "1 entry", "3 entries"
    }
)
UI_ALLOWED = FACES_ALLOWED | {
    "kabar.core.config.keymap",  # stateless: the one key table the reader binds
}
CLI_ALLOWED = FACES_ALLOWED | {
    "kabar.core.feeds.urls",  # stateless: what a typed URL means, and a URL shown short
}
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


def test_the_layer_check_catches_a_face_reaching_past_the_library() -> None:
    """The walk reads `from kabar.core.store.navigation import ...` as that module, and a
    library module by its own name, which no allow-list admits; the package itself passes
    (a guard against a check that can never fail)."""
    found = {
        "kabar.core.store.navigation": {"ui/x.py"},
        "kabar.core.library.saving": {"ui/y.py"},
        "kabar.core.library": {"ui/z.py"},
    }
    assert _outside(found, "kabar.core", UI_ALLOWED) == [
        "kabar.core.library.saving (in ui/y.py)",
        "kabar.core.store.navigation (in ui/x.py)",
    ]


def test_the_library_names_every_type_it_exports() -> None:
    """Each name `kabar.core.library` exports lazily resolves (a moved type fails here, not
    in a face at run time), and importing the package loads none of them."""
    code = (
        "import sys, kabar.core.library as lib\n"
        "lazy = [m for m in ('kabar.core.feeds.discovery', 'kabar.core.feeds.refresh', "
        "'kabar.core.sync', 'kabar.core.library.saving') if m in sys.modules]\n"
        "print(lazy)\n"
        "for name in lib.__all__: getattr(lib, name)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_only_the_gate_imports_feedparser_internals() -> None:
    """The fast parser's use of feedparser's private modules goes through one module, which
    checks the installed version (core/feeds/parse/fpgate.py)."""
    found = imported_modules("core")
    internals = {name: files for name, files in found.items() if name.startswith("feedparser.")}
    assert internals
    assert {f for files in internals.values() for f in files} == {
        "kabar/core/feeds/parse/fpgate.py"
    }


def test_faces_never_take_a_store_from_the_library() -> None:
    """The UI and the CLI read and write only through Library operations: no `.store`
    (a connection) is taken in either face."""
    found = []
    for layer in ("ui", "cli"):
        for path in sorted((SRC / layer).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            found += [
                f"{path.relative_to(SRC.parent)}:{node.lineno}"
                for node in ast.walk(tree)
                if isinstance(node, ast.Attribute) and node.attr in ("store", "open_store")
            ]
    assert found == []


def test_a_profile_that_only_syncs_never_loads_the_refresh_engine(tmp_path: Path) -> None:
    """`kabar refresh` of a profile with [sync] and no feeds of its own: the sync (here
    failing at once: nothing listens on the port) and its summary, without the fetch and
    parse machinery a local refresh needs (50 modules, multiprocessing and asyncio)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: a connection is refused
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.toml").write_text(
        f'[sync]\nkind = "greader"\nurl = "http://127.0.0.1:{port}/api/greader.php"\n'
        'username = "someone"\n',
        encoding="utf-8",
    )
    code = (
        "import sys\n"
        "from kabar.cli.main import main\n"
        "sys.argv = ['kabar', 'refresh', '-q']\n"
        "main()\n"
        "print([m for m in ('kabar.core.feeds.refresh.engine', 'kabar.core.feeds.parse', "
        "'multiprocessing') if m in sys.modules], file=sys.stderr)\n"
    )
    env = {**os.environ, "KABAR_HOME": str(tmp_path), "KABAR_SYNC_PASSWORD": "x"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )
    assert "cannot reach sync server" in result.stdout + result.stderr
    assert result.stderr.strip().splitlines()[-1] == "[]"
