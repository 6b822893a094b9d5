"""`tabletop serve` run as a user runs it (a real server in a process of its own), and what its pages received."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
STARTUP_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 30.0

_ADDRESS = re.compile(r"^Open (http://\S+) in a browser", re.MULTILINE)
_ESCAPE = re.compile(r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-_]")
"""Terminal escape sequences: OSC (titles, links), CSI (cursor moves, colours) and the short ones."""


@dataclass
class Served:
    """A running `tabletop serve` and what it printed."""

    process: subprocess.Popen[str]
    url: str = ""
    output: str = ""
    """Its standard output so far (all of it once it has stopped)."""
    errors: str = ""
    """Its whole standard error, once it has stopped."""

    def read(self, timeout_s: float = 0.0) -> str:
        """Add what the server has printed since, waiting up to `timeout_s` for something; its output so far.

        It reads the pipe's bytes itself (never through Python's buffered reader, whose buffer `communicate`
        would not see), so that nothing printed is lost.
        """
        import selectors

        stdout = self.process.stdout
        assert stdout is not None
        with selectors.DefaultSelector() as selector:
            selector.register(stdout.fileno(), selectors.EVENT_READ)
            while selector.select(timeout=timeout_s):
                chunk = os.read(stdout.fileno(), 65536)
                if not chunk:
                    break
                self.output += chunk.decode("utf-8", errors="replace")
                timeout_s = 0.0
        return self.output

    def consoles(self) -> list[int]:
        """The process ids of every process the server started, and theirs, that are still running."""
        return [pid for pid in _descendants(self.process.pid) if _running(pid)]


@contextmanager
def serving(folder: Path, *arguments: str) -> Iterator[Served]:
    """Start `tabletop serve ARGUMENTS --port 0` in `folder`; stop it with Ctrl+C (SIGINT) afterwards.

    On leaving, it checks that the server stopped by itself within STOP_TIMEOUT_S with exit code 0 and left no
    process of its own behind (any straggler is then killed, and the check fails).
    """
    environment = {**os.environ, "PYTHONPATH": str(PROJECT), "COLUMNS": "200"}
    process = subprocess.Popen(
        [sys.executable, "-m", "tabletop_cli.main", "serve", *arguments, "--port", "0"],
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
        start_new_session=True,  # its own process group: nothing of it can outlive the test
    )
    served = Served(process)
    try:
        served.url = _address(served)
        yield served
        started = served.consoles()
        process.send_signal(signal.SIGINT)
        rest, served.errors = process.communicate(timeout=STOP_TIMEOUT_S)
        served.output += rest
        assert process.returncode == 0, served.errors
        assert "Traceback" not in served.errors + served.output
        stray = [pid for pid in started if _running(pid)]
        assert stray == [], f"processes left running after the server stopped: {stray}"
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()


def _address(served: Served) -> str:
    """Read the server's output up to the address it prints (it must come within STARTUP_TIMEOUT_S)."""
    import time

    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline and served.process.poll() is None:
        if match := _ADDRESS.search(served.read(timeout_s=0.1)):
            return match.group(1)
    served.process.kill()
    rest, errors = served.process.communicate()
    raise AssertionError(f"tabletop serve printed no address:\n{served.output}{rest}\n{errors}")


def terminal_text(frames: list[bytes | str]) -> str:
    """The text a page's terminal was sent, without the escape sequences that place and colour it."""
    data = b"".join(frame.encode("utf-8") if isinstance(frame, str) else frame for frame in frames)
    return _ESCAPE.sub("", data.decode("utf-8", errors="replace"))


def _descendants(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
        for child in children:
            found += [child, *_descendants(child)]
    return found


def _running(pid: int) -> bool:
    """Whether `pid` is a live process (a zombie waiting to be reaped is not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"
