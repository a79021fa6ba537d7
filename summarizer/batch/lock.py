"""One run at a time per output directory: an OS lock on ``OUT/.lock``.

Two runs on one ``--out`` would both answer every article (twice the spend) and interleave
their lines. The lock is the operating system's (``flock`` on POSIX, ``msvcrt.locking`` on
Windows), held on an open file: it goes with the process, so a run killed with ``kill -9``
leaves no stale lock to clear by hand. The file itself stays; only the lock on it matters.

Stdlib only: the ``filelock`` package does the same but is not a dependency here, and the
worker processes must close this descriptor (``fileno``) so that a dead coordinator does not
keep the directory locked through its children.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import BatchError

FILENAME = ".lock"

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]


class OutLock:
    """An exclusive, non-blocking lock on a directory; ``release`` (or process exit) frees it.

    Taken already: ``BatchError`` (one line, exit 1), at once, before anything is spent.
    """

    def __init__(self, directory: Path) -> None:
        self.path = directory / FILENAME
        self.fileno = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            _lock(self.fileno)
        except OSError:
            os.close(self.fileno)
            raise BatchError(
                f"{directory} is in use by another batch run; wait for it to end, or give"
                " another --out"
            ) from None

    def release(self) -> None:
        if self.fileno >= 0:
            os.close(self.fileno)  # closing the descriptor releases the lock
            self.fileno = -1


def _lock(fileno: int) -> None:
    if fcntl is not None:
        fcntl.flock(fileno, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return
    import msvcrt  # pragma: no cover - Windows only

    msvcrt.locking(fileno, msvcrt.LK_NBLCK, 1)  # pragma: no cover
