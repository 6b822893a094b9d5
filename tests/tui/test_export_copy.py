"""Ctrl+E's copy of the run log: a new file, written whole or not at all, never through a symbolic link."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from tui.dialogs.export import copy_log


@pytest.fixture
def log(tmp_path: Path) -> Path:
    path = tmp_path / "run.jsonl"
    path.write_bytes(b'{"kind": "record"}\n' * 20_000)
    return path


def test_a_full_disk_leaves_no_cut_copy_and_names_the_file(
    log: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_write = os.write

    def write(fd: int, data: bytes | memoryview) -> int:
        if len(data) > 64 * 1024:  # the disk fills up after 64 KB
            real_write(fd, bytes(data[: 64 * 1024]))
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    copies = tmp_path / "copies"
    copies.mkdir()
    monkeypatch.setattr(os, "write", write)

    assert copy_log(log, str(copies / "copy.jsonl")) == f"{copies / 'copy.jsonl'}: No space left on device"
    assert list(copies.iterdir()) == []


def test_a_dangling_symbolic_link_is_refused_and_its_target_never_created(log: Path, tmp_path: Path) -> None:
    link = tmp_path / "copy.jsonl"
    link.symlink_to(tmp_path / "elsewhere.jsonl")

    error = copy_log(log, str(link))

    assert error is not None and "symbolic link" in error
    assert not (tmp_path / "elsewhere.jsonl").exists()


def test_a_copy_is_the_log_byte_for_byte(log: Path, tmp_path: Path) -> None:
    assert copy_log(log, str(tmp_path / "copy.jsonl")) is None
    assert (tmp_path / "copy.jsonl").read_bytes() == log.read_bytes()
