"""Writing a user's file: whole or not at all, never over what is there without `replace`, never through a link."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from simulator.files import FileRefusedError, write_file

DATA = b"new contents\n" * 10_000


def full_disk_after(monkeypatch: pytest.MonkeyPatch, room: int) -> None:
    """Make every `os.write` fail with ENOSPC once `room` bytes have been written, as a full disk does."""
    real_write = os.write
    written = 0

    def write(fd: int, data: bytes | memoryview) -> int:
        nonlocal written
        if written >= room:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        count = real_write(fd, bytes(data[: room - written]))
        written += count
        return count

    monkeypatch.setattr(os, "write", write)


def test_a_new_file_is_written_whole_and_nothing_else_is_left_in_its_folder(tmp_path: Path) -> None:
    target = tmp_path / "schema.json"

    write_file(target, DATA)

    assert target.read_bytes() == DATA
    assert list(tmp_path.iterdir()) == [target]


def test_an_existing_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    target = tmp_path / "notes.txt"
    target.write_bytes(b"USER DATA\n")

    with pytest.raises(FileRefusedError, match="already exists") as refused:
        write_file(target, DATA)

    assert "--force" in str(refused.value)
    assert target.read_bytes() == b"USER DATA\n"
    assert list(tmp_path.iterdir()) == [target]


def test_a_file_that_already_holds_the_same_bytes_is_left_as_it_is(tmp_path: Path) -> None:
    target = tmp_path / "schema.json"
    target.write_bytes(DATA)
    before = target.stat()

    write_file(target, DATA)

    assert (target.stat().st_ino, target.stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    with pytest.raises(FileRefusedError):
        write_file(target, DATA + b"more")


def test_replace_replaces_a_regular_file_and_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "plot.png"
    target.write_bytes(b"old")
    target.chmod(0o640)

    write_file(target, DATA, replace=True)

    assert target.read_bytes() == DATA
    assert target.stat().st_mode & 0o777 == 0o640
    assert list(tmp_path.iterdir()) == [target]


@pytest.mark.parametrize("replace", [False, True])
def test_a_symbolic_link_is_never_written_through(tmp_path: Path, replace: bool) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_bytes(b"USER DATA\n")
    link = tmp_path / "s.json"
    link.symlink_to(notes)

    with pytest.raises(FileRefusedError, match="symbolic link"):
        write_file(link, DATA, replace=replace)

    assert notes.read_bytes() == b"USER DATA\n"
    assert link.is_symlink()


@pytest.mark.parametrize("replace", [False, True])
def test_a_dangling_symbolic_link_is_refused_and_its_target_never_created(tmp_path: Path, replace: bool) -> None:
    outside = tmp_path / "outside.yaml"
    link = tmp_path / "inside" / "dl.yaml"
    link.parent.mkdir()
    link.symlink_to(outside)

    with pytest.raises(FileRefusedError, match="symbolic link"):
        write_file(link, DATA, replace=replace)

    assert not outside.exists()
    assert list(link.parent.iterdir()) == [link]


def test_a_full_disk_leaves_no_file_and_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "schema.json"
    full_disk_after(monkeypatch, room=64 * 1024)

    with pytest.raises(OSError, match="No space left on device") as failed:
        write_file(target, DATA * 10)

    assert failed.value.errno == errno.ENOSPC
    assert failed.value.filename == str(target)
    assert list(tmp_path.iterdir()) == []


def test_a_full_disk_while_replacing_keeps_the_old_file_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "plot.svg"
    target.write_bytes(b"old plot")
    full_disk_after(monkeypatch, room=1000)

    with pytest.raises(OSError, match="No space left on device"):
        write_file(target, DATA, replace=True)

    assert target.read_bytes() == b"old plot"
    assert list(tmp_path.iterdir()) == [target]


def test_a_failed_sync_leaves_no_file_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail_sync(fd: int) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, "fsync", fail_sync)

    with pytest.raises(OSError) as failed:
        write_file(tmp_path / "x.csv", DATA)

    assert (failed.value.errno, failed.value.filename) == (errno.EIO, str(tmp_path / "x.csv"))
    assert list(tmp_path.iterdir()) == []


def test_a_missing_folder_is_an_error_naming_the_file(tmp_path: Path) -> None:
    target = tmp_path / "nodir" / "x.csv"

    with pytest.raises(FileNotFoundError) as failed:
        write_file(target, DATA)

    assert failed.value.filename == str(target)
