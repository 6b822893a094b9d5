"""The command line's surface: `--version`, `-h` everywhere, help that names values as a facilitator reads them,
and options' mistakes told without a made-up file position."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from simulator.exercise import tool_version
from tabletop_cli.main import app

COMMANDS = (
    "validate",
    "schema",
    "new",
    "migrate",
    "show",
    "network",
    "run",
    "play",
    "replay",
    "fork",
    "compare",
    "serve",
    "batch",
    "report",
    "export",
    "msel",
)


def tabletop(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "120"})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_version_prints_the_installed_version() -> None:
    assert tabletop("--version") == (0, f"tabletop {tool_version()}\n", "")


def test_every_command_is_covered_here() -> None:
    code, out, _ = tabletop("--help")

    assert code == 0
    listed = re.findall(r"^  (\w+)  ", out[out.index("Commands:") :], re.MULTILINE)
    assert tuple(listed) == COMMANDS


@pytest.mark.parametrize("command", [(), *((c,) for c in COMMANDS)], ids=lambda c: " ".join(c) or "tabletop")
def test_dash_h_is_help_on_every_command(command: tuple[str, ...]) -> None:
    assert tabletop(*command, "-h") == tabletop(*command, "--help")
    assert tabletop(*command, "-h")[1].startswith("Usage: ")


@pytest.mark.parametrize("command", COMMANDS)
def test_help_names_values_in_words_not_python_types(command: str) -> None:
    _, out, _ = tabletop(command, "--help")

    assert not re.search(r"<[a-z]|\{", out), out


@pytest.mark.parametrize(
    ("command", "shown"),
    [
        ("run", "--decide DECISION=OPTION"),
        ("run", "Usage: tabletop run [OPTIONS] SCENARIO\n"),
        ("play", "Usage: tabletop play [OPTIONS] [SCENARIO]\n"),
        ("compare", "Usage: tabletop compare [OPTIONS] LOG...\n"),
        ("compare", "  LOG...  "),
        ("batch", "  -n N  "),
        ("fork", "--at DECISION|TIME"),
        ("export", "-o, --output FILE"),
    ],
)
def test_help_shows_what_to_type(command: str, shown: str) -> None:
    assert shown in tabletop(command, "--help")[1]


def test_an_unknown_variant_is_a_bad_option_without_a_file_position(tmp_path: Path) -> None:
    log = tmp_path / "run.jsonl"
    for command in ("run", "play"):
        code, out, err = tabletop(command, "synagogue-holiday-attack", "--variant", "direct-radoi", "--log", str(log))

        assert (code, out) == (2, ""), command
        assert err == "Bad option\n--variant: no variant 'direct-radoi'; did you mean 'direct-radio'?\n", command
        assert not log.exists()
