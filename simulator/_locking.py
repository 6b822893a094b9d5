"""The advisory lock that keeps one process at a time writing (or repairing) a run log."""

from __future__ import annotations

from pathlib import Path

from simulator._logformat import RunLogError


def lock_exclusively(fd: int, path: Path) -> None:
    """Take an advisory lock so that one process at a time writes (or repairs) a log, where locks exist.

    Raises:
        RunLogError: another process holds the lock.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: a single writer is then a convention
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as exc:
        hint = "wait for that run to finish, or use another file"
        raise RunLogError(f"{path}: another process is writing this log", hint) from exc
    except OSError:  # the file system has no locks: carry on unlocked
        return
