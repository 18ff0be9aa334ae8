"""Files only their owner may read: the data directory (0700 when we create it) and the SQLite files (0600).

The question log holds what people asked; the data directory also holds the console's history. SQLite
creates a database's ``-wal`` and ``-shm`` files with the database file's own mode, so creating the
database file 0600 before SQLite opens it keeps all three private. Files left group- or world-readable
by an older version are tightened when opened. Errors are ``OSError``, as from :mod:`os`.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")


def private_dir(path: Path) -> Path:
    """Create ``path`` (and missing parents) if needed; a directory created here is 0700, an existing one
    is left as its owner set it. Raises ``OSError`` (e.g. ``NotADirectoryError``) when it cannot."""
    if not path.is_dir():
        path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
        with contextlib.suppress(OSError):  # mkdir's mode is filtered by the umask
            os.chmod(path, DIR_MODE)
    return path


def private_db(path: Path) -> Path:
    """Make sure the SQLite file ``path`` exists with mode 0600 (its ``-wal``/``-shm`` follow it) in a
    private directory; an existing file readable by others is tightened. Raises ``OSError``.

    An existing file is never opened here: closing any descriptor of a file drops every POSIX lock the
    process holds on it, so a connection already open in this process (the question log's writer)
    would lose its locks, and another process closing the database would then delete its live
    ``-wal`` file and the writes in it.
    """
    private_dir(path.parent)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        with contextlib.suppress(FileExistsError):  # a new file: no connection of ours holds a lock on it
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    else:
        if stat.S_IMODE(mode) & 0o077:
            with contextlib.suppress(OSError):  # not ours to change (another owner): SQLite still opens it
                os.chmod(path, FILE_MODE)
    for suffix in SQLITE_SIDE_FILES:
        with contextlib.suppress(OSError):
            side = Path(f"{path}{suffix}")
            if stat.S_IMODE(side.stat().st_mode) & 0o077:
                os.chmod(side, FILE_MODE)
    return path


def private_file(path: Path) -> None:
    """Tighten an existing file to 0600 (e.g. the console's history after readline wrote it)."""
    with contextlib.suppress(OSError):
        os.chmod(path, FILE_MODE)
