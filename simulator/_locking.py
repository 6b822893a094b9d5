"""The advisory lock that keeps one process at a time writing a file: a run log, a batch's folder."""

from __future__ import annotations

from pathlib import Path

from simulator._logformat import RunLogError


def lock(fd: int, *, wait: bool = False) -> bool:
    """Take an exclusive advisory lock on an open file, where the platform and file system have locks.

    Returns:
        False when another process holds it (and `wait` is false); True when it is taken, or when there are no
        locks to take (Windows, some network file systems): a single writer is then a convention.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except BlockingIOError:
        return False
    except OSError:  # the file system has no locks: carry on unlocked
        return True
    return True


def lock_exclusively(fd: int, path: Path) -> None:
    """Take the lock that lets one process at a time write (or repair) the log at `path`.

    Raises:
        RunLogError: another process holds the lock.
    """
    if not lock(fd):
        raise RunLogError(
            f"{path}: another process is writing this log", "wait for that run to finish, or use another file"
        )
