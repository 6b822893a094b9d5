"""`tabletop serve`: the console in a browser, one `tabletop play` process per browser connection (textual-serve).

Each connection's console is a process of its own, started in the server's folder, so its run log lands where
`tabletop play` would put it. The server has no authentication: it listens on the loopback interface unless the
user names another address with `--host`, and then it says out loud that anyone who can reach it can steer
exercises. When a tab closes, textual-serve asks its console to quit: the console leaves its run log whole and
resumable (as `tabletop play` does when it is quit), and the server prints where the log is.
"""

from __future__ import annotations

import asyncio
import ipaddress
import shlex
import socket
import sys
from collections.abc import Callable

from tabletop_cli import BadOption

DEFAULT_HOST = "127.0.0.1"
"""Where the server listens unless `--host` says otherwise: this machine only."""


def is_loopback(host: str) -> bool:
    """Whether `host` names this machine only: `localhost`, an address of 127.0.0.0/8, or `::1`."""
    name = host.strip().lower().removeprefix("[").removesuffix("]").removesuffix(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def check_bind(host: str, *, host_given: bool) -> None:
    """Refuse to listen beyond this machine unless the user named the address (`--host`) themselves.

    Raises:
        BadOption: `host` is empty, or is not a loopback address and was not given explicitly.
    """
    if not host.strip():
        raise BadOption("--host: give an address, such as 127.0.0.1 (this machine only) or 0.0.0.0 (every network)")
    if not is_loopback(host) and not host_given:
        raise BadOption(
            f"{host} is reachable from other machines and the console has no authentication",
            "name it with --host to serve there anyway",
        )


def exposure_warning(url: str) -> str:
    """What the user is told when the server listens beyond this machine."""
    return (
        f"Warning: anyone who can reach {url} can run and steer exercises from a browser: the console has no "
        "authentication. Serve only on a network you trust, and stop the server when the exercise is over."
    )


def console_command(scenario: str | None) -> str:
    """The shell command each browser connection runs: `tabletop play [SCENARIO]` with this very interpreter.

    `exec`: the shell textual-serve starts becomes the console, so that stopping it stops the console itself.
    """
    arguments = [sys.executable, "-m", "tabletop_cli.main", "play"]
    if scenario is not None:
        arguments.append(scenario)
    return f"exec {shlex.join(arguments)}"


def url_of(host: str, port: int) -> str:
    """The address a browser opens for a server listening on `host`:`port`."""
    name = host.strip().removeprefix("[").removesuffix("]")
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return f"http://{name}:{port}/"
    if address.is_unspecified:  # every interface: the browser needs one of this machine's names
        return f"http://{socket.gethostname()}:{port}/"
    return f"http://[{address}]:{port}/" if address.version == 6 else f"http://{address}:{port}/"


def run_serve(
    scenario: str | None,
    *,
    host: str,
    port: int,
    host_given: bool,
    announce: Callable[[str], None],
    warn: Callable[[str], None],
) -> None:
    """Check the scenario and the address, then serve the console until Ctrl+C (or SIGTERM).

    Args:
        scenario: The scenario every connection plays (checked here first); None: the start screen.
        host: The address to listen on.
        port: The port (0: any free one; the announced address says which).
        host_given: The user named `host` on the command line: only then may it be beyond this machine.
        announce: Prints a line for the user (the address, how to stop).
        warn: Prints a warning for the user.

    Raises:
        BadOption: a non-loopback address not given explicitly; the port is in use; the address is not this
            machine's.
        ScenarioError: the scenario does not load.
    """
    check_bind(host, host_given=host_given)
    if scenario is not None:
        from scenarios import load_scenario

        load_scenario(scenario)
    from tabletop_cli._console_server import serve_console

    asyncio.run(serve_console(console_command(scenario), host, port, announce=announce, warn=warn))
