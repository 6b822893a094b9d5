"""Commands that write a file the user names never replace one without --force, never write through a symbolic
link, and never leave a cut file behind."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from scenarios.schema import schema_text
from tabletop_cli.main import app
from tests.cli import RUNNER, invoke

USER_DATA = "USER DATA\n"


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("logs")
    for seed in (1, 2):
        arguments = ["run", "synagogue-holiday-attack", "--seed", str(seed), "--log", str(folder / f"{seed}.jsonl")]
        result = RUNNER.invoke(app, [*arguments, "--json"])
        assert result.exit_code == 0, result.output
    return folder / "1.jsonl", folder / "2.jsonl"


def user_file(path: Path) -> Path:
    path.write_text(USER_DATA, encoding="utf-8")
    return path


def writers(target: Path, logs: tuple[Path, Path]) -> dict[str, list[str]]:
    """Each command that writes `target`, by name."""
    return {
        "schema -o": ["schema", "-o", str(target)],
        "new": ["new", str(target.with_suffix(".yaml"))],
        "compare --plot": ["compare", str(logs[0]), str(logs[1]), "--plot", str(target.with_suffix(".png"))],
        "export -o": ["export", str(logs[0]), "-o", str(target.with_suffix(".csv"))],
    }


COMMANDS = ("schema -o", "new", "compare --plot", "export -o")


@pytest.mark.parametrize("command", COMMANDS)
def test_an_existing_file_is_refused_with_a_hint_to_use_force(
    command: str, tmp_path: Path, logs: tuple[Path, Path]
) -> None:
    arguments = writers(tmp_path / "notes", logs)[command]
    existing = user_file(Path(next(a for a in arguments if "notes" in a)))

    code, output = invoke(*arguments)

    assert code == 2, output
    assert "already exists" in output and "--force" in output
    assert existing.read_text(encoding="utf-8") == USER_DATA


@pytest.mark.parametrize("command", COMMANDS)
def test_force_replaces_an_existing_regular_file(command: str, tmp_path: Path, logs: tuple[Path, Path]) -> None:
    arguments = writers(tmp_path / "notes", logs)[command]
    existing = user_file(Path(next(a for a in arguments if "notes" in a)))

    code, output = invoke(*arguments, "--force")

    assert code == 0, output
    assert existing.read_bytes() != USER_DATA.encode()
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary file left


@pytest.mark.parametrize("force", [(), ("--force",)])
@pytest.mark.parametrize("command", COMMANDS)
def test_a_symbolic_link_is_never_written_through(
    command: str, force: tuple[str, ...], tmp_path: Path, logs: tuple[Path, Path]
) -> None:
    notes = user_file(tmp_path / "notes.txt")
    arguments = writers(tmp_path / "link", logs)[command]
    link = Path(next(a for a in arguments if "link" in a))
    link.symlink_to(notes)

    code, output = invoke(*arguments, *force)

    assert code == 2, output
    assert "symbolic link" in output
    assert notes.read_text(encoding="utf-8") == USER_DATA


@pytest.mark.parametrize("command", COMMANDS)
def test_a_dangling_symbolic_link_is_refused_and_its_target_never_created(
    command: str, tmp_path: Path, logs: tuple[Path, Path]
) -> None:
    inside = tmp_path / "inside"
    inside.mkdir()
    arguments = writers(inside / "link", logs)[command]
    link = Path(next(a for a in arguments if "link" in a))
    outside = tmp_path / "outside"
    link.symlink_to(outside)

    code, output = invoke(*arguments)

    assert code == 2, output
    assert "symbolic link" in output
    assert not outside.exists()


def test_new_never_writes_through_a_dangling_schema_link_beside_it(tmp_path: Path) -> None:
    outside = tmp_path / "outside.json"
    folder = tmp_path / "drills"
    folder.mkdir()
    (folder / "scenario.schema.json").symlink_to(outside)

    code, output = invoke("new", str(folder / "mine.yaml"))

    assert code == 0, output
    assert (folder / "mine.yaml").is_file()
    assert "Left" in output and "symbolic link" in output
    assert not outside.exists()


def test_new_keeps_an_old_schema_unless_forced(tmp_path: Path) -> None:
    schema = user_file(tmp_path / "scenario.schema.json")

    code, output = invoke("new", str(tmp_path / "a.yaml"))
    assert code == 0, output
    assert "Kept" in output
    assert schema.read_text(encoding="utf-8") == USER_DATA

    code, output = invoke("new", str(tmp_path / "b.yaml"), "--force")
    assert code == 0, output
    assert schema.read_text(encoding="utf-8") == schema_text()


def test_a_full_disk_leaves_no_cut_file_and_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_write = os.write

    def write(fd: int, data: bytes | memoryview) -> int:
        if len(data) > 64 * 1024:  # the disk fills up after 64 KB, as in the report
            real_write(fd, bytes(data[: 64 * 1024]))
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", write)
    target = tmp_path / "schema.json"

    code, output = invoke("schema", "-o", str(target))

    assert code == 2
    assert output.splitlines() == ["File problem", f"{target}: No space left on device"]
    assert list(tmp_path.iterdir()) == []


def test_export_into_a_missing_folder_names_the_file(tmp_path: Path, logs: tuple[Path, Path]) -> None:
    target = tmp_path / "nodir" / "x.csv"

    code, output = invoke("export", str(logs[0]), "-o", str(target))

    assert code == 2
    assert f"{target}: No such file or directory" in output


def test_export_never_replaces_the_run_log_it_reads_even_with_force(tmp_path: Path, logs: tuple[Path, Path]) -> None:
    before = logs[0].read_bytes()

    code, output = invoke("export", str(logs[0]), "-o", str(logs[0]), "--force")

    assert code == 2
    assert f"{logs[0]} is the run log itself: refusing to replace it" in output
    assert logs[0].read_bytes() == before
