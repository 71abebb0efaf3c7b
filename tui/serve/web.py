"""``serve web``: each browser tab runs a tutor of its own, drawn by textual-serve's page.

The page, its scripts and the websocket protocol are textual-serve's; this module adds what a
class needs: the limits, the class password, idle sessions ending, one log line per tab, and a
shutdown that ends every tutor.
"""

from __future__ import annotations

import asyncio
import html
import signal
import sys
import time
from collections.abc import Callable
from typing import TextIO
from urllib.parse import urlsplit

import aiohttp_jinja2
import jinja2
from aiohttp import WSCloseCode, web
from textual_serve.server import Server, to_int

from .auth import NONE, basic_credentials, basic_password
from .children import STOP_GRACE_SECONDS, Child
from .command import ServeFlags
from .learners import (
    BROWSER_COOKIE,
    browser_learner,
    new_browser_token,
    note_visit,
    progress_env,
    unusable_name,
)
from .limits import SessionLimits, idle_for
from .log import log_line
from .web_private import TutorService, relay_messages, tutor_routes

TUTOR = [sys.executable, "-m", "calc_tutor.tui.serve.in_browser"]
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
REALM = 'Basic realm="calc-tutor", charset="UTF-8"'
# A refused tab keeps its message on screen this long, then its connection closes.
REFUSED_SECONDS = 60.0
MAX_SIZE = 1000  # columns or rows a browser may ask for
RETRY_SECONDS = "60"
COOKIE_SECONDS = 365 * 24 * 3600


class WebHub:
    """What every browser tab shares: the flags, the limits, the running tutors and the log."""

    def __init__(self, flags: ServeFlags, tutor_argv: list[str], log: TextIO = sys.stderr) -> None:
        self.flags = flags
        self.argv = [*TUTOR, *tutor_argv]
        self.limits = SessionLimits(flags.max_sessions, flags.per_address)
        self.children: set[Child] = set()
        self.sockets: set[web.WebSocketResponse] = set()
        self.textual_serve = Server("calc-tutor", flags.host, flags.port, title="calc-tutor")
        self.log_file = log

    def log(self, line: str) -> None:
        log_line(self.log_file, line)

    def make_app(self) -> web.Application:
        checks = [] if self.flags.auth.mode == NONE else [self.require_password]
        app = web.Application(middlewares=checks)
        # Escaped: the page's URLs are built from the request's Host header.
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.textual_serve.templates_path),
                             autoescape=True)  # fmt: skip
        app.add_routes(tutor_routes(self.textual_serve, self.page, self.session))
        return app

    @web.middleware
    async def require_password(self, request: web.Request, handler) -> web.StreamResponse:  # noqa: ANN001
        given = basic_password(request.headers.get("Authorization", ""))
        if given is None or not self.flags.auth.password_matches(given):
            return web.Response(status=401, headers={"WWW-Authenticate": REALM},
                                text="The class password is needed: ask your teacher for it.")  # fmt: skip
        return await handler(request)

    async def page(self, request: web.Request) -> web.StreamResponse:
        """textual-serve's page, or, when no place is free for this address, why not."""
        refusal = self.limits.refusal(request.remote or "?")
        if refusal is not None:
            return refused_page(refusal)
        # The page names the websocket by a full URL: the one the browser reached us by.
        self.textual_serve.public_url = f"{request.scheme}://{request.host}"
        response = await self.textual_serve.handle_index(request)
        if BROWSER_COOKIE not in request.cookies:  # this browser's progress, found again next time
            response.set_cookie(BROWSER_COOKIE, new_browser_token(), max_age=COOKIE_SECONDS,
                                httponly=True, samesite="Strict")  # fmt: skip
        return response

    async def session(self, request: web.Request) -> web.StreamResponse:
        """One browser tab: its tutor runs while the websocket is open; one log line after."""
        if not same_origin(request):  # another site's page must not open tutors in our name
            return web.Response(status=403, text="Open the tutor from its own page.")
        address = request.remote or "?"
        started = time.monotonic()
        websocket = web.WebSocketResponse(heartbeat=15)
        await websocket.prepare(request)
        self.sockets.add(websocket)
        note = ""
        try:
            refusal = self.limits.admit(address)
            if refusal is not None:
                note = " (refused: full)"
                await show_refusal(websocket, refusal)
                return websocket
            credentials = basic_credentials(request.headers.get("Authorization", ""))
            learner = browser_learner(credentials and credentials[0], request.cookies.get(BROWSER_COOKIE))
            try:
                learner_env = progress_env(self.flags.data_dir, learner)
            except ValueError as error:
                note = " (refused: unusable name)"
                await show_refusal(websocket, unusable_name(error, "Log in again with another user name."))
                return websocket
            try:
                await note_visit(self.flags.data_dir, learner, self.log)
                note = await self._run_tutor(request, websocket, learner_env)
            finally:
                self.limits.release(address)
                await note_visit(self.flags.data_dir, learner, self.log)  # they left
        except Exception as error:  # one failing tab must not stop the server
            note = f" (failed: {error!r})"
        finally:
            self.sockets.discard(websocket)
            await websocket.close()
            self.log(f"{address} {time.monotonic() - started:.1f} s{note}")
        return websocket

    async def _run_tutor(self, request: web.Request, websocket: web.WebSocketResponse,
                         learner_env: dict[str, str]) -> str:  # fmt: skip
        width = min(max(to_int(request.query.get("width", "80"), 80), 1), MAX_SIZE)
        height = min(max(to_int(request.query.get("height", "24"), 24), 1), MAX_SIZE)
        service = TutorService(self.argv, websocket, self.textual_serve, learner_env)
        await service.start(width, height)
        child = service.child
        self.children.add(child)
        relay = asyncio.ensure_future(relay_messages(self.textual_serve, websocket, service))
        waits = {relay, child.ended}
        idle = None
        if self.flags.idle_timeout:
            idle = asyncio.create_task(idle_for(service, self.flags.idle_timeout))
            waits.add(idle)
        try:
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
            return " (idle)" if idle is not None and idle.done() else ""
        finally:
            for wait in waits - {child.ended}:
                wait.cancel()
            # As textual-serve does: ask the app to quit; then make sure it has.
            try:
                await asyncio.wait_for(service.stop(), STOP_GRACE_SECONDS)
            except (asyncio.TimeoutError, OSError):
                pass
            await child.stop(signal.SIGTERM)
            self.children.discard(child)
            child.close()

    async def stop_all(self) -> None:
        """End every tutor (SIGTERM, then SIGKILL after the grace), then close every tab."""
        await asyncio.gather(*(child.stop(signal.SIGTERM) for child in list(self.children)))
        await asyncio.gather(*(websocket.close(code=WSCloseCode.GOING_AWAY, message=b"server stopped")
                               for websocket in list(self.sockets)))  # fmt: skip


def same_origin(request: web.Request) -> bool:
    origin = request.headers.get("Origin")
    return origin is None or urlsplit(origin).netloc == request.host


def refused_page(message: str) -> web.Response:
    text = html.escape(message)
    body = (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>calc-tutor</title></head>"
            f"<body><p>{text}</p><p><a href='/'>Try again</a></p></body></html>")  # fmt: skip
    return web.Response(status=503, text=body, content_type="text/html",
                        headers={"Retry-After": RETRY_SECONDS})  # fmt: skip


async def show_refusal(websocket: web.WebSocketResponse, message: str) -> None:
    """The message in the tab's terminal, kept there until the tab closes (or a minute passes)."""
    await websocket.send_bytes(f"\r\n  {message}\r\n".encode())
    try:
        await asyncio.wait_for(_until_closed(websocket), REFUSED_SECONDS)
    except asyncio.TimeoutError:
        pass


async def _until_closed(websocket: web.WebSocketResponse) -> None:
    async for _message in websocket:
        pass


async def serve(hub: WebHub, announce: Callable[[int], None]) -> int:
    """Serve until SIGTERM, SIGINT or SIGHUP; then end every tutor and return 0."""
    runner = web.AppRunner(hub.make_app(), access_log=None, shutdown_timeout=STOP_GRACE_SECONDS)
    await runner.setup()
    try:
        site = web.TCPSite(runner, hub.flags.host, hub.flags.port)
        await site.start()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in STOP_SIGNALS:
            loop.add_signal_handler(signum, stop.set)
        announce(runner.addresses[0][1])
        await stop.wait()
        await site.stop()  # no new tabs
        await hub.stop_all()
    finally:
        await runner.cleanup()
    hub.log("stopped; every tutor ended")
    return 0
