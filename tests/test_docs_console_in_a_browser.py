"""docs/console-in-a-browser.md is true: each `tabletop serve` it shows starts and prints what it shows, a
connection gets a console whose run log lands in the server's folder, and stopping leaves that log whole.

The commands run as written but for the port: `--port 0` is added (it wins over a port the line gives), so that the
test never depends on port 8000 or 8080 being free. The guide's picture is the browser test's screenshot:
`TABLETOP_DOCS_SCREENSHOT=1 python -m pytest tests/test_serve.py -k browser` writes it
(docs/images/console-in-a-browser.png).
"""

from __future__ import annotations

import asyncio
import re
import shlex
from pathlib import Path

import pytest

from scenarios import load_scenario
from tests.cli import run_as_written
from tests.serving import serving, terminal_text
from tui.session import DEFAULT_SCENARIO

DOC = Path(__file__).parents[1] / "docs" / "console-in-a-browser.md"
PICTURE = DOC.parent / "images" / "console-in-a-browser.png"
DOCUMENTED_FOLDER = "/home/facilitator/exercises"


def console_blocks() -> list[list[str]]:
    """The guide's console blocks, as lists of lines."""
    blocks = re.findall(r"```console\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.DOTALL)
    return [block.splitlines() for block in blocks]


def serve_examples() -> list[tuple[list[str], list[str]]]:
    """Each `$ tabletop serve ...` of the guide: its arguments, and the lines the guide shows it printing."""
    return [
        (shlex.split(lines[0].removeprefix("$ "))[1:], lines[1:])
        for lines in console_blocks()
        if lines[0].startswith("$ tabletop serve")
    ]


def test_the_guide_shows_serving_a_scenario_the_start_screen_and_another_host() -> None:
    shown = [arguments for arguments, _ in serve_examples()]

    assert ["serve", "synagogue-holiday-attack"] in shown
    assert ["serve"] in shown
    assert any("--host" in arguments for arguments in shown)


@pytest.mark.parametrize(("arguments", "printed"), serve_examples(), ids=shlex.join)
def test_each_serve_of_the_guide_prints_what_it_shows_and_its_consoles_logs_land_in_its_folder(
    arguments: list[str], printed: list[str], tmp_path: Path
) -> None:
    scenario = next((argument for argument in arguments[1:] if not argument.startswith("-")), None)
    expected = load_scenario(scenario or DEFAULT_SCENARIO)
    with serving(tmp_path, *arguments[1:]) as served:
        url = served.url
        screen = _open_a_console(url, until=expected.stakeholders[0].name if scenario else expected.title)
        logs = list(tmp_path.glob("*.jsonl"))

    said = (served.errors + served.output).splitlines()
    for line in printed:
        assert _with_address(line.replace(DOCUMENTED_FOLDER, str(tmp_path)), url) in said
    if scenario is None:  # the start screen: nothing is played, nothing written, until the facilitator starts
        assert "Start" in screen
        assert logs == []
    else:  # the exercise plays at once: its log lands in the server's folder, left whole and resumable
        assert len(logs) == 1, "one connection, one console, one run log in the server's folder"
        (log,) = logs
        assert re.fullmatch(rf"\d{{4}}-\d\d-\d\d-\d{{4}}-{expected.id}\.jsonl", log.name)
        assert log.name in screen
        assert f"The exercise was left unfinished; its run log is {log}" in said
        assert f"  continue it: tabletop play --resume {log}" in said
        assert "interrupted (unsealed)" in run_as_written(tmp_path, ["replay", log.name, "--verify"])


def test_the_guide_quotes_the_lines_a_closed_tab_leaves_in_the_servers_terminal() -> None:
    (lines,) = [lines for lines in console_blocks() if lines[0].startswith("The exercise was left unfinished")]

    log = f"{DOCUMENTED_FOLDER}/2026-12-01-1030-synagogue-holiday-attack.jsonl"
    assert lines == [
        f"The exercise was left unfinished; its run log is {log}",
        f"  continue it: tabletop play --resume {log}",
    ]


def test_the_guide_has_its_picture() -> None:
    assert "](images/console-in-a-browser.png)" in DOC.read_text(encoding="utf-8")
    assert PICTURE.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def _with_address(line: str, url: str) -> str:
    """A line as the guide shows it, with the address the test's server really has."""
    return re.sub(r"http://[^/\s]+/", url, line)


def _open_a_console(url: str, *, until: str) -> str:
    """Connect as the page does (its own origin, its terminal's size) and read the console's screen until it shows
    `until`; the text it was sent."""
    import aiohttp

    async def connect() -> str:
        origin = url.rstrip("/")
        frames: list[bytes | str] = []
        async with (
            aiohttp.ClientSession() as session,
            session.ws_connect(f"{url}ws?width=120&height=40", headers={"Origin": origin}) as socket,
        ):
            while until not in terminal_text(frames):
                message = await asyncio.wait_for(socket.receive(), timeout=30)
                assert message.type == aiohttp.WSMsgType.BINARY, message
                frames.append(message.data)
        return terminal_text(frames)

    return asyncio.run(connect())
