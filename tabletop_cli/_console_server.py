"""The web server of `tabletop serve`: textual-serve's, with the console's page, same-origin connections only, and a
stop that lets every console leave its run log whole. Imported only when serving (aiohttp is heavy)."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import signal
import socket
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import web
from aiohttp.typedefs import Middleware
from textual_serve.app_service import AppService
from textual_serve.server import Server

from tabletop_cli import BadOption
from tabletop_cli._serve import exposure_warning, is_loopback, url_of

PAGE_FOLDER = Path(__file__).parent / "serve_page"
"""The console's page (textual-serve's, with its font served by the server itself)."""
STOP_TIMEOUT_S = 10.0
"""How long a console is given to leave its log whole and quit, once asked; then it is killed."""

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


async def serve_console(
    command: str, host: str, port: int, *, announce: Callable[[str], None], warn: Callable[[str], None]
) -> None:
    """Serve `command` (one process per browser connection) on `host`:`port` until SIGINT or SIGTERM.

    Raises:
        BadOption: the server cannot listen there (port in use, not this machine's address, no such name).
    """
    server = ConsoleServer(command, loopback_only=is_loopback(host))
    runner = web.AppRunner(server.make_app(), access_log=None, shutdown_timeout=STOP_TIMEOUT_S)
    await runner.setup()
    try:
        try:
            await web.TCPSite(runner, host, port).start()
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


class Console(AppService):
    """One browser connection's console process (textual-serve's AppService), stopped for good.

    textual-serve's stop asks the console to quit and reads its output to the end; this one also waits for the
    process itself to end, kills one that has not quit within STOP_TIMEOUT_S (a console that quits leaves its run
    log whole and resumable; a killed one's log ends at its last record, which is flushed as it is written), and
    prints all of what the console wrote to its standard error (where it says its run log is).
    """

    async def stop(self) -> None:
        """Ask the console to quit, and wait until its process has ended."""
        with contextlib.suppress(TimeoutError):  # then killed below
            await asyncio.wait_for(super().stop(), STOP_TIMEOUT_S)
        process = self._process
        if process is None:
            return
        if process.returncode is None:
            try:
                await asyncio.wait_for(process.wait(), STOP_TIMEOUT_S)
            except TimeoutError:
                process.kill()
                await process.wait()
        # textual-serve stops reading the console's errors as soon as its output ends, which can be before its last
        # words (where its run log is) have been read: print the rest, so that none is lost.
        if process.stderr is not None and (rest := await process.stderr.read()):
            sys.stdout.write(rest.decode("utf-8", errors="replace"))
            sys.stdout.flush()


class ConsoleServer:
    """textual-serve's server, adapted. Differences from textual_serve.server.Server, and why:

    - the page's addresses come from the request, so `--port 0` and an address of every interface work;
    - the page loads nothing from the internet (a room may have none);
    - a connection from another web site's page (its Origin is not this server) is refused, and, when the server
      listens on loopback only, so is a request naming another host (DNS rebinding): otherwise any page the
      facilitator visits could open a console and steer it;
    - on stopping, every console is asked to quit and waited for, so that each leaves its run log whole.
    """

    def __init__(self, command: str, *, loopback_only: bool) -> None:
        self._server = Server(command, title="Tabletop", templates_path=PAGE_FOLDER)
        self._loopback_only = loopback_only
        self._consoles: set[Console] = set()

    def make_app(self) -> web.Application:
        """The aiohttp application: textual-serve's routes, with the console's page and connection handler."""
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

    async def stop_consoles(self) -> None:
        """Ask every console to quit and wait for them all (each leaves its run log whole)."""
        await asyncio.gather(*(console.stop() for console in list(self._consoles)), return_exceptions=True)

    async def _index(self, request: web.Request) -> web.StreamResponse:
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
        """One browser connection: a console process of its own, stopped when the connection closes."""
        websocket = web.WebSocketResponse(heartbeat=15)
        await websocket.prepare(request)

        async def close() -> None:
            await websocket.close()

        console = Console(
            self._server.command,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=close,
            download_manager=self._server.download_manager,
        )
        self._consoles.add(console)
        try:
            await console.start(
                _int_or(request.query.get("width", ""), 80), _int_or(request.query.get("height", ""), 24)
            )
            # textual-serve's own reading of the browser's keys, resizes and focus, used as it is
            await self._server._process_messages(websocket, console)
        finally:
            try:
                await console.stop()  # the console quits: it leaves its run log whole
            finally:
                self._consoles.discard(console)  # only now: a server stopping meanwhile waits for it too
            await websocket.close()
        return websocket


def _guard(*, loopback_only: bool) -> Middleware:
    """The check every request passes: it comes from this server's own page, and names this machine if the server
    listens on loopback only."""

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        if loopback_only and not is_loopback(request.url.host or ""):
            raise web.HTTPForbidden(text="This console serves this machine only: open it at 127.0.0.1 or localhost.")
        origin = request.headers.get("Origin")
        if request.path == "/ws" and origin is not None and origin != f"{request.scheme}://{request.host}":
            raise web.HTTPForbidden(text="A console opens only from its own page.")
        return await handler(request)

    return guard


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


def _int_or(text: str, default: int) -> int:
    try:
        return int(text)
    except ValueError:
        return default
