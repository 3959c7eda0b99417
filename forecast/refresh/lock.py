"""One refresh at a time.

Two locks, both released by the operating system or the database when their holder dies, so a
refresh killed with SIGKILL never leaves a stale lock behind (unlike a PID file):

- an OS file lock (`filelock`, flock on POSIX) on `<workspace>/refresh.lock`: guards the workspace
  (drop folder moves, reports) on this machine;
- when the store is PostgreSQL, a session advisory lock on the database too: guards the shared
  store against a refresh started on another machine. The server drops it when the connection
  closes, which the kernel does for a killed process.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from forecast.store import Store

ADVISORY_KEY = zlib.crc32(b"forecast refresh")  # one fixed key: a store has one refresh at a time


class RefreshBusy(Exception):
    """Another refresh holds the lock."""


@contextmanager
def refresh_lock(workspace_root: Path, store: Store) -> Iterator[None]:
    from filelock import FileLock, Timeout

    lock = FileLock(str(workspace_root / "refresh.lock"), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise RefreshBusy(
            f"another refresh is running on this workspace ({workspace_root}); "
            "it holds refresh.lock — try again when it finishes"
        ) from None
    try:
        with store.advisory_lock(ADVISORY_KEY) as got:
            if not got:
                raise RefreshBusy(
                    "another refresh is running on this database (PostgreSQL advisory lock held); "
                    "try again when it finishes"
                )
            yield
    finally:
        lock.release()
