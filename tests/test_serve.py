"""`tabletop serve`: the console in a real browser (headless Chromium), one console per connection, loopback only
unless the user names another address, and clear refusals."""

from __future__ import annotations

import http.client
import os
import shlex
import shutil
import socket
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from scenarios import load_scenario
from tabletop_cli import BadOption
from tabletop_cli._serve import check_bind, console_command, is_loopback
from tests.chromium import CHROMIUM, NO_CHROMIUM, headless_chromium
from tests.cli import invoke, run_as_written
from tests.serving import serving, terminal_text

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

SCENARIO = "synagogue-holiday-attack"
SHOWN_TIMEOUT_S = 30.0
SCREENSHOT_FOR_DOCS = "TABLETOP_DOCS_SCREENSHOT"
"""Set this variable to 1 to have the browser test write docs/images/console-in-a-browser.png."""
DOCS_PICTURE = Path(__file__).parents[1] / "docs" / "images" / "console-in-a-browser.png"


@pytest.mark.parametrize("host", ["localhost", "LOCALHOST", "127.0.0.1", "127.8.9.10", "::1", "[::1]"])
def test_this_machines_own_addresses_are_loopback(host: str) -> None:
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "10.0.0.1", "example.org", "localhost.example"])
def test_other_addresses_are_not_loopback(host: str) -> None:
    assert not is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "example.org", "::"])
def test_a_non_loopback_bind_is_refused_unless_the_user_named_the_host(host: str) -> None:
    with pytest.raises(BadOption, match="no authentication"):
        check_bind(host, host_given=False)

    check_bind(host, host_given=True)


def test_a_loopback_bind_needs_no_host_option() -> None:
    check_bind("127.0.0.1", host_given=False)
    check_bind("localhost", host_given=False)


@pytest.mark.parametrize(
    ("arguments", "host", "given"),
    [([], "127.0.0.1", False), (["--host", "127.0.0.1"], "127.0.0.1", True), (["--host", "::"], "::", True)],
)
def test_only_the_host_option_counts_as_naming_the_address(
    arguments: list[str], host: str, given: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[tuple[str, bool]] = []

    def fake_serve(scenario: str | None, *, host: str, host_given: bool, **_: object) -> None:
        asked.append((host, host_given))

    monkeypatch.setattr("tabletop_cli._serve.run_serve", fake_serve)

    code, output = invoke("serve", *arguments)

    assert code == 0, output
    assert asked == [(host, given)]


def test_each_connection_runs_tabletop_play_with_this_interpreter_and_the_scenario_quoted() -> None:
    assert shlex.split(console_command("my drills/night shift.yaml")) == [
        "exec",
        sys.executable,
        "-m",
        "tabletop_cli.main",
        "play",
        "my drills/night shift.yaml",
    ]
    assert shlex.split(console_command(None)) == ["exec", sys.executable, "-m", "tabletop_cli.main", "play"]


def test_a_scenario_that_does_not_load_fails_at_once_with_its_located_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    code, output = invoke("serve", "nope")

    assert code == 2
    assert "nope:1:1: no such file or bundled scenario" in output


def test_a_port_in_use_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        code, output = invoke("serve", "--port", str(port))

    assert code == 2
    assert f"port {port} is in use on 127.0.0.1" in output
    assert "--port N" in output


@pytest.mark.parametrize(
    ("host", "said"),
    [
        ("nowhere.invalid", "--host nowhere.invalid: no such address or name"),
        ("192.0.2.1", "--host 192.0.2.1: not an address of this machine"),  # TEST-NET-1: never this machine's
        ("", "--host: give an address"),
    ],
)
def test_a_bad_host_is_a_clear_error(host: str, said: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)

    code, output = invoke("serve", "--host", host, "--port", "0")

    assert code == 2
    assert said in output


def test_by_default_the_server_listens_on_loopback_and_says_how_to_open_and_stop_it(tmp_path: Path) -> None:
    with serving(tmp_path, SCENARIO) as served:
        assert served.url.startswith("http://127.0.0.1:")
        time.sleep(0.5)
        assert served.read().splitlines() == [
            f"Open {served.url} in a browser: each tab gets a console of its own.",
            f"Run logs are written in {tmp_path}",
            "Stop the server with Ctrl+C.",
        ]

    assert "Warning" not in served.errors


def test_an_explicit_non_loopback_host_is_served_with_a_warning(tmp_path: Path) -> None:
    with serving(tmp_path, "--host", "0.0.0.0") as served:
        port = int(served.url.rsplit(":", 1)[1].rstrip("/"))
        assert _get(f"http://127.0.0.1:{port}/")[0] == 200

    assert served.url == f"http://{socket.gethostname()}:{port}/"
    assert "Warning: anyone who can reach" in served.errors
    assert "no authentication" in served.errors


def test_the_page_is_refused_to_other_sites_and_to_other_host_names(tmp_path: Path) -> None:
    with serving(tmp_path, SCENARIO) as served:
        page, html = _get(served.url)
        foreign_site, _ = _get(f"{served.url}ws", Origin="http://attacker.example")
        rebound_name, _ = _get(served.url, Host="attacker.example")

    assert page == 200
    assert foreign_site == 403
    assert rebound_name == 403
    assert "https://" not in html, "the page loads nothing from the internet (a room may have none)"
    assert not list(tmp_path.glob("*.jsonl")), "no console was started by a refused connection"


def _get(url: str, **headers: str) -> tuple[int, str]:
    """GET `url` with `headers`: the status and the body."""
    address, _, path = url.removeprefix("http://").partition("/")
    connection = http.client.HTTPConnection(address, timeout=10)
    try:
        connection.request("GET", "/" + path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8")
    finally:
        connection.close()


# --- In a real browser ------------------------------------------------------------------------------------------


@pytest.fixture
def browser() -> Iterator[Browser]:
    """Headless Chromium, the system's own (Playwright downloads no browser here)."""
    with headless_chromium() as chromium:
        yield chromium


class Tab:
    """A browser tab on the server: what its terminal was sent, and every error its page reported."""

    def __init__(self, browser: Browser, url: str) -> None:
        self.frames: list[bytes | str] = []
        self.errors: list[str] = []
        self.page: Page = browser.new_page(viewport={"width": 1280, "height": 800})
        self.page.on("console", lambda message: self.errors.extend([message.text] if message.type == "error" else []))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("websocket", lambda socket: socket.on("framereceived", self._received))
        self.page.goto(url)

    def _received(self, frame: bytes | str) -> None:  # a method: Playwright tags its handlers with an attribute
        self.frames.append(frame)

    def text(self) -> str:
        """The text sent to the page's terminal so far."""
        return terminal_text(self.frames)

    def wait_for(self, shown: Callable[[str], bool]) -> str:
        """Wait until the terminal's text satisfies `shown` (the page's own events run meanwhile)."""
        deadline = time.monotonic() + SHOWN_TIMEOUT_S
        while not shown(text := self.text()):
            assert time.monotonic() < deadline, f"the console's screen never came; the page got:\n{text[-2000:]}"
            self.page.wait_for_timeout(100)
        self.page.wait_for_timeout(500)  # let the terminal draw what came
        return self.text()


def _new_log(folder: Path, known: set[Path]) -> Path:
    deadline = time.monotonic() + SHOWN_TIMEOUT_S
    while not (new := set(folder.glob("*.jsonl")) - known):
        assert time.monotonic() < deadline, "no run log was written for the new connection"
        time.sleep(0.1)
    (log,) = new
    return log


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason=NO_CHROMIUM)
def test_each_browser_tab_gets_its_own_console_and_closing_it_leaves_its_log_whole(
    tmp_path: Path, browser: Browser
) -> None:
    scenario = load_scenario(SCENARIO)
    timings: dict[str, float] = {}
    started = time.monotonic()
    with serving(tmp_path, SCENARIO) as served:
        timings["server up"] = time.monotonic() - started

        first = Tab(browser, served.url)
        first_log = _new_log(tmp_path, set())
        # the whole first screen: the header is drawn before the panels, and under load a moment apart
        first_text = first.wait_for(
            lambda text: (
                first_log.name in text and "seat: facilitator" in text and scenario.stakeholders[0].name in text
            )
        )
        timings["first console shown"] = time.monotonic() - started
        # the page's terminal (xterm.js, drawn on a canvas: no text in the DOM) wrote what came, and hid the intro
        first.page.wait_for_selector("body.-first-byte .xterm-screen canvas", state="attached")
        shot = tmp_path / "console.png"
        first.page.screenshot(path=shot)
        if os.environ.get(SCREENSHOT_FOR_DOCS) == "1":
            shutil.copyfile(shot, DOCS_PICTURE)

        second = Tab(browser, served.url)
        second_log = _new_log(tmp_path, {first_log})
        second_text = second.wait_for(lambda text: second_log.name in text and "seat: facilitator" in text)
        timings["second console shown"] = time.monotonic() - started
        assert len(served.consoles()) >= 2
        second.page.focus(".xterm-helper-textarea")  # where xterm takes the keyboard, as a click on the page does
        second.page.keyboard.press("Control+p")
        palette = second.wait_for(lambda text: "Search for commands" in text[len(second_text) :])
        timings["keys reach the console (ctrl+p)"] = time.monotonic() - started

        first.page.close()
        _wait_until(lambda: first_log.name in served.read(), "the server never said where the log went")
        timings["first tab closed, its console gone"] = time.monotonic() - started
        assert second.page.evaluate("document.body.classList.contains('-closed')") is False
    timings["server stopped"] = time.monotonic() - started
    second.page.wait_for_selector("body.-closed", state="attached", timeout=SHOWN_TIMEOUT_S * 1000)  # "Session ended"
    print("timings (s from the start):", {name: round(seconds, 2) for name, seconds in timings.items()})

    # the first screen of the exercise, with names taken from the scenario, not from the console
    assert first.errors == [] and second.errors == []
    assert scenario.stakeholders[0].name in first_text
    assert "PAUSED" in first_text and "T+00:00:00" in first_text
    assert second_log.name not in first_text and first_log.name not in second_text
    assert "Quit" in palette[len(second_text) :]
    _is_a_picture_of_a_screen(shot)
    # both consoles quit (a closed tab, then Ctrl+C): each left its log whole and resumable, and said where it is
    for log in (first_log, second_log):
        assert f"The exercise was left unfinished; its run log is {log}" in served.output
        verified = run_as_written(tmp_path, ["replay", log.name, "--verify"])
        assert "interrupted (unsealed)" in verified and "identical" in verified


def _wait_until(condition: Callable[[], bool], failure: str) -> None:
    deadline = time.monotonic() + SHOWN_TIMEOUT_S
    while not condition():
        assert time.monotonic() < deadline, failure
        time.sleep(0.1)


def _is_a_picture_of_a_screen(path: Path) -> None:
    """A screenshot of text on a dark screen: many colours (glyphs, highlights), the page's dark background."""
    from PIL import Image

    with Image.open(path) as picture:
        assert picture.size == (1280, 800)
        colours = picture.convert("RGB").getcolors(maxcolors=1_000_000)
    assert colours is not None and len(colours) > 50
