"""The log file: details behind every one-line message the user sees.

Messages on screen stay short ("3 feeds failed"); the log in the cache folder keeps the
feed URLs, errors and tracebacks, so a bug report can include what really happened.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from kabar.core.config.paths import Paths

LOGGER = "kabar"
_FORMAT = "%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"


def setup_logging(paths: Paths, level: int = logging.INFO) -> Path:
    """Send Kabar's log records to `kabar.log` in the cache folder (1 MB, 3 old files).

    A record holding a non-UTF-8 file name (a lone surrogate) is written with an escape:
    a log that cannot take a message must not print a traceback instead.
    """
    logger = logging.getLogger(LOGGER)
    path = paths.log_file
    if any(getattr(h, "baseFilename", None) == str(path) for h in logger.handlers):
        return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = _LogFile(path, max_bytes=1_000_000, backups=3)
    except OSError:
        handler = logging.NullHandler()  # a read-only cache folder must not stop the reader
    handler.setFormatter(logging.Formatter(_FORMAT))
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False
    # A log write that fails (a full disk) must not print a "--- Logging error ---" block
    # and its traceback over the one line that says what happened.
    logging.raiseExceptions = False
    return path


class _LogFile(logging.FileHandler):
    """kabar.log, rotated as logging.handlers.RotatingFileHandler does it (a record that
    would take the file to `max_bytes` first moves it to .1, .1 to .2, ... up to `backups`),
    without importing logging.handlers: that brings socket and pickle, about 5 ms of every
    command's start for a class of a few lines.

    It never prints "--- Logging error ---" blocks: when the log cannot be written (a full
    disk, say) the message on screen is what the user needs, not the log."""

    def __init__(self, path: Path, max_bytes: int, backups: int) -> None:
        super().__init__(path, mode="a", encoding="utf-8", errors="backslashreplace")
        self.max_bytes = max_bytes
        self.backups = backups

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self._full(record):
                self._rotate()
            super().emit(record)
        except Exception:
            self.handleError(record)

    def _full(self, record: logging.LogRecord) -> bool:
        if self.stream is None:
            self.stream = self._open()
        position = self.stream.tell()
        if not position:
            return False
        size = position + len(f"{self.format(record)}\n")
        return size >= self.max_bytes and not (
            os.path.exists(self.baseFilename) and not os.path.isfile(self.baseFilename)
        )

    def _rotate(self) -> None:
        if self.stream:
            self.stream.close()
            self.stream = None
        for number in range(self.backups - 1, 0, -1):
            older = f"{self.baseFilename}.{number}"
            if os.path.exists(older):
                os.replace(older, f"{self.baseFilename}.{number + 1}")
        if self.backups > 0 and os.path.exists(self.baseFilename):
            os.replace(self.baseFilename, f"{self.baseFilename}.1")
        self.stream = self._open()

    def handleError(self, record: logging.LogRecord) -> None:
        pass
