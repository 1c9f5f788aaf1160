"""Room on the disk for the operations that write the whole database again."""

from __future__ import annotations

import shutil
from pathlib import Path

from kabar.core.errors import DiskFullError


def room_to_vacuum(path: Path) -> None:
    """VACUUM writes the whole database again (through the WAL): refuse up front, before
    the retention clean-up changes anything, when the disk cannot hold it."""
    size = path.stat().st_size if path.exists() else 0
    free = shutil.disk_usage(path.parent).free
    if free < size:
        raise DiskFullError(
            f"the disk is full: vacuum needs about {size / 1e6:.0f} MB free beside {path}, "
            f"and {free / 1e6:.0f} MB are. Nothing was changed."
        )
