"""The log file rotates as the standard library's RotatingFileHandler would (Kabar's own
handler avoids importing logging.handlers at every start)."""

from __future__ import annotations

import logging
import subprocess
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

from kabar.core.logs import _LogFile


def _write(handler: logging.Handler, count: int) -> None:
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    for number in range(count):
        record = logging.LogRecord("kabar", logging.INFO, __file__, 1, "line %d %s", None, None)
        record.args = (number, "x" * (number % 37))
        handler.handle(record)
    handler.close()


def _files(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())}


def test_rotation_matches_the_standard_handler(tmp_path: Path) -> None:
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    ours.mkdir()
    theirs.mkdir()
    (ours / "kabar.log").write_text("an old line\n" * 20, encoding="utf-8")
    (theirs / "kabar.log").write_text("an old line\n" * 20, encoding="utf-8")
    _write(_LogFile(ours / "kabar.log", max_bytes=600, backups=3), 200)
    _write(RotatingFileHandler(theirs / "kabar.log", maxBytes=600, backupCount=3), 200)
    files = _files(ours)
    assert list(files) == ["kabar.log", "kabar.log.1", "kabar.log.2", "kabar.log.3"]
    assert files == _files(theirs)
    assert all(len(text.encode()) < 600 for text in files.values())
    assert "line 199 " in files["kabar.log"]


def test_no_backups_keeps_writing_one_file(tmp_path: Path) -> None:
    _write(_LogFile(tmp_path / "kabar.log", max_bytes=300, backups=0), 50)
    assert [p.name for p in tmp_path.iterdir()] == ["kabar.log"]
    assert "line 49 " in (tmp_path / "kabar.log").read_text(encoding="utf-8")


def test_a_short_command_does_not_import_logging_handlers(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from kabar.core.config.paths import Paths\n"
        "from kabar.core.logs import setup_logging\n"
        f"setup_logging(Paths.under(Path({str(tmp_path)!r})))\n"
        "print('logging.handlers' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr
