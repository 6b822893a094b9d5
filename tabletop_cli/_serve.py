"""`tabletop serve`: the console in a browser, one `tabletop play` process per browser connection (textual-serve).

Each connection's console is a process of its own, started in the server's folder, so its run log lands where
`tabletop play` would put it. The server has no authentication: it listens on the loopback interface unless the
user names another address with `--host`, and then it says out loud that anyone who can reach it can steer
exercises. When a tab closes, textual-serve asks its console to quit: the console leaves its run log whole and
resumable (as `tabletop play` does when it is quit), and the server prints where the log is.
"""

from __future__ import annotations

import asyncio
import errno
import ipaddress
import shlex
import signal
import socket
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING

from tabletop_cli import BadOption

if TYPE_CHECKING:
    from aiohttp import web
    from textual_serve.app_service import AppService

DEFAULT_HOST = "127.0.0.1"
"""Where the server listens unless `--host` says otherwise: this machine only."""
DEFAULT_PORT = 8000
STOP_TIMEOUT_S = 10.0
"""How long the server waits, on Ctrl+C, for each console to leave its log whole and quit."""
PAGE_FOLDER = Path(__file__).parent / "serve_page"
"""The console's page (textual-serve's, with its font served locally)."""


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
    """The shell command each browser connection runs: `tabletop play [SCENARIO]` with this very interpreter."""
    arguments = [sys.executable, "-m", "tabletop_cli.main", "play"]
    if scenario is not None:
        arguments.append(scenario)
    return shlex.join(arguments)


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
    asyncio.run(_serve(console_command(scenario), host, port, announce=announce, warn=warn))


async def _serve(
    command: str, host: str, port: int, *, announce: Callable[[str], None], warn: Callable[[str], None]
) -> None:
    from aiohttp import web

    server = _ConsoleServer(command, host=host, port=port, loopback_only=is_loopback(host))
    runner = web.AppRunner(await server.make_app(), access_log=None, shutdown_timeout=STOP_TIMEOUT_S)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, port)
        try:
            await site.start()
        except OSError as exc:
            raise _bind_error(exc, host, port) from None
        url = url_of(host, _bound_port(runner, port))
        if not is_loopback(host):
            warn(exposure_warning(url))
        announce(f"Open {url} in a browser: each tab gets a console of its own.")
        announce(f"Run logs are written in {Path.cwd()}")
        announce("Stop the server with Ctrl+C.")
        await _until_stopped()
        await server.stop_consoles()
    finally:
        await runner.cleanup()


def _bound_port(runner: web.AppRunner, asked: int) -> int:
    """The port the server listens on (the one the system chose when asked for 0)."""
    for address in runner.addresses:
        if isinstance(address, tuple) and len(address) >= 2:
            return int(address[1])
    return asked


def _bind_error(exc: OSError, host: str, port: int) -> BadOption:
    """The user's mistake behind a failed bind, in words (the system's own words are often a Python tuple)."""
    if exc.errno == errno.EADDRINUSE:
        return BadOption(f"port {port} is in use on {host}", "stop what uses it, or choose another with --port N")
    if exc.errno == errno.EACCES:
        return BadOption(f"--port {port}: this user may not listen on it", "choose a port above 1023 with --port N")
    if isinstance(exc, socket.gaierror):
        return BadOption(f"--host {host}: no such address or name", "give an address of this machine, e.g. 127.0.0.1")
    if exc.errno == errno.EADDRNOTAVAIL:
        return BadOption(
            f"--host {host}: not an address of this machine", "give one of its addresses, or 0.0.0.0 for all"
        )
    return BadOption(f"cannot listen on {host} port {port}: {exc.strerror or exc}")


async def _until_stopped() -> None:
    """Wait for Ctrl+C or SIGTERM."""
    stopped = asyncio.Event()
    loop = asyncio.get_running_loop()
    for stop in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(stop, stopped.set)
    try:
        await stopped.wait()
    finally:
        for stop in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(stop)


class _ConsoleServer:
    """textual-serve's server with the console's page, same-origin connections only, and a clean stop.

    Differences from textual_serve.server.Server, and why:
    - the page's addresses come from the request, so `--port 0` and an address of every interface work;
    - a connection from another web site's page (its Origin is not this server) is refused, and when the server
      listens on loopback, so is a request naming another host (DNS rebinding): otherwise any page the
      facilitator visits could open a console and steer it;
    - on Ctrl+C every console is asked to quit first, so that each leaves its run log whole.
    """

    def __init__(self, command: str, *, host: str, port: int, loopback_only: bool) -> None:
        from textual_serve.server import Server

        self._server = Server(command, host=host, port=port, title="Tabletop", templates_path=PAGE_FOLDER)
        self._loopback_only = loopback_only
        self._consoles: set[AppService] = set()

    async def make_app(self) -> web.Application:
        """The aiohttp application: textual-serve's routes, with our page and our connection handler."""
        import aiohttp_jinja2
        import jinja2
        from aiohttp import web

        app = web.Application(middlewares=[_guard(loopback_only=self._loopback_only)])
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(PAGE_FOLDER))
        app.add_routes(
            [
                web.get("/", self._index, name="index"),
                web.get("/ws", self._connection, name="websocket"),
                web.get("/download/{key}", self._server.handle_download, name="download"),
                web.static("/static", self._server.statics_path, name="static"),
            ]
        )
        return app

    async def _index(self, request: web.Request) -> web.StreamResponse:
        import aiohttp_jinja2

        base = f"{request.scheme}://{request.host}"
        socket_scheme = "wss" if request.scheme == "https" else "ws"
        context = {
            "font_size": _int_or(request.query.get("fontsize", ""), 16),
            "app_websocket_url": f"{socket_scheme}://{request.host}/ws",
            "config": {"static": {"url": f"{base}/static/"}},
            "application": {"name": "Tabletop"},
        }
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    async def _connection(self, request: web.Request) -> web.StreamResponse:
        """One browser connection: its own console process, stopped when the connection closes."""
        from aiohttp import web
        from textual_serve.app_service import AppService

        websocket = web.WebSocketResponse(heartbeat=15)
        await websocket.prepare(request)

        async def close() -> None:
            await websocket.close()

        service = AppService(
            self._server.command,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=close,
            download_manager=self._server.download_manager,
        )
        self._consoles.add(service)
        try:
            await service.start(
                _int_or(request.query.get("width", ""), 80), _int_or(request.query.get("height", ""), 24)
            )
            # textual-serve's own reading of the browser's keys, resizes and focus (one loop, kept as it is)
            await self._server._process_messages(websocket, service)
        finally:
            self._consoles.discard(service)
            await service.stop()  # asks the console to quit: it leaves its run log whole
            await websocket.close()
        return websocket

    async def stop_consoles(self) -> None:
        """Ask every console to quit and wait for them (each leaves its run log whole)."""
        stops = [asyncio.wait_for(console.stop(), STOP_TIMEOUT_S) for console in self._consoles]
        await asyncio.gather(*stops, return_exceptions=True)


def _guard(*, loopback_only: bool) -> Callable[..., Awaitable[web.StreamResponse]]:
    """The check every request passes: it comes from this server's own page, to a name of this machine."""
    from aiohttp import web

    @web.middleware
    async def guard(
        request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        if loopback_only and not is_loopback(request.url.host or ""):
            raise web.HTTPForbidden(text="This console serves this machine only: open it at 127.0.0.1 or localhost.")
        origin = request.headers.get("Origin")
        if request.path == "/ws" and origin is not None and origin != f"{request.scheme}://{request.host}":
            raise web.HTTPForbidden(text="A console opens only from its own page.")
        return await handler(request)

    return guard


def _int_or(text: str, default: int) -> int:
    try:
        return int(text)
    except ValueError:
        return default
