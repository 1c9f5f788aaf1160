"""The log file: details behind every one-line message the user sees.

Messages on screen stay short ("3 feeds failed"); the log in the cache folder keeps the
feed URLs, errors and tracebacks, so a bug report can include what really happened.
"""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
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
        handler: logging.Handler = _QuietFileHandler(
            path, maxBytes=1_000_000, backupCount=3, encoding="utf-8", errors="backslashreplace"
        )
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


class _QuietFileHandler(RotatingFileHandler):
    """A log file that never prints "--- Logging error ---" blocks: when it cannot be
    written (a full disk, say) the message on screen is what the user needs, not the log."""

    def handleError(self, record: logging.LogRecord) -> None:
        pass
