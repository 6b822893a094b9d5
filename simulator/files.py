"""Writing a user's file whole or not at all, never over an existing file unless asked, never through a link."""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from pathlib import Path

from simulator.errors import SimulationError

_NO_HARD_LINKS = frozenset({errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS, errno.EMLINK})
"""What `link` says on a file system that has no hard links (FAT, some network shares)."""


class FileRefusedError(SimulationError):
    """A file the user named may not be written: something is there already, or it is a symbolic link."""

    title = "File not written"


def refuse_existing(path: Path, *, replace: bool = False) -> None:
    """Refuse, before any work is done, a `path` that `write_file` would refuse.

    Raises:
        FileRefusedError: `path` is a symbolic link (even a dangling one), or exists and `replace` is false, or is
            a folder.
    """
    if path.is_symlink():
        raise _symbolic_link(path)
    if not os.path.lexists(path):
        return
    if not replace:
        raise _exists(path)
    if not path.is_file():
        raise FileRefusedError(f"{path} is not a regular file: refusing to replace it", "choose another file name")


def write_file(path: Path, data: bytes, *, replace: bool = False) -> None:
    """Write `data` to `path` whole: into a new temporary file beside it, synced to disk, then moved into place.

    A full disk, a missing folder or a crash leaves `path` as it was (absent, or the old file whole) and no
    temporary file behind. Without `replace`, anything at `path` is refused, a dangling symbolic link too, except
    a regular file that holds exactly `data` already (nothing would change: writing the schema twice is no
    mistake); with `replace`, a regular file is replaced (keeping its permissions), but a symbolic link is still
    refused: the file it points to is never written.

    Raises:
        FileRefusedError: see `refuse_existing`.
        OSError: the file cannot be written (no such folder, no permission, no space left); its `filename` is
            `path`, whatever the system call that failed.
    """
    if _holds(path, data):
        return
    refuse_existing(path, replace=replace)
    try:
        temporary = _write_temporary(path, data)
        try:
            _move_into_place(temporary, path, replace=replace)
        finally:
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()
    except OSError as exc:
        # A failed write(2) or fsync(2) names no file; the user must learn which of their files it was.
        raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from exc
    sync_folder(path.parent)


def _holds(path: Path, data: bytes) -> bool:
    """Whether `path` is a regular file (not a link) whose bytes are `data`."""
    try:
        status = path.lstat()
        return stat.S_ISREG(status.st_mode) and status.st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _write_temporary(path: Path, data: bytes) -> Path:
    """A new file beside `path` holding `data`, synced; removed again if anything fails."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    while True:
        # Hidden, and short enough for a long name: the name's first 200 characters plus a random tail.
        temporary = path.parent / f".{path.name[:200]}.{secrets.token_hex(4)}.tmp"
        try:
            fd = os.open(temporary, flags, 0o666)  # the umask applies, as to any new file
            break
        except FileExistsError:
            continue
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    return temporary


def _move_into_place(temporary: Path, path: Path, *, replace: bool) -> None:
    if replace:
        with contextlib.suppress(FileNotFoundError):
            temporary.chmod(stat.S_IMODE(path.lstat().st_mode))
        temporary.replace(path)  # a rename replaces a link that appeared meanwhile; it never writes through it
        return
    try:
        os.link(temporary, path)  # fails on anything at `path`, without a window between the check and the write
    except FileExistsError:
        raise _symbolic_link(path) if path.is_symlink() else _exists(path) from None
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
        refuse_existing(path)  # no hard links: check, then move; a small window remains on such file systems
        temporary.rename(path)


def _exists(path: Path) -> FileRefusedError:
    return FileRefusedError(
        f"{path}: a file already exists there; refusing to overwrite it",
        "choose another file name, or add --force to replace it",
    )


def _symbolic_link(path: Path) -> FileRefusedError:
    return FileRefusedError(
        f"{path} is a symbolic link: refusing to write through it", "remove the link, or choose another file name"
    )


def sync_folder(folder: Path) -> None:
    """Make the new name itself durable. Best effort: Windows cannot open a folder, and the data is in place."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
