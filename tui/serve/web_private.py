"""The parts of textual-serve (1.1) that ``serve web`` uses beyond its public API, in one place.

tests/serve/test_web_private.py checks that these names still exist, so an upgrade that moves
them fails there, by name, rather than in a learner's browser.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Awaitable, Callable

from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from .children import Child
from .in_browser import SERVER_PID
from .limits import note_drawn

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
# The browser's xterm.js understands 256 colours and Unicode, whatever terminal the server runs in.
BROWSER_TERM = "xterm-256color"


class TutorService(AppService):
    """One browser tab's tutor, started from an argv (no shell between: one process per tab),
    in a session of its own, watched through a pidfd; it notes when the learner last typed."""

    def __init__(self, argv: list[str], websocket: web.WebSocketResponse, server: Server,
                 learner_env: dict[str, str]) -> None:  # fmt: skip
        super().__init__(
            " ".join(argv), write_bytes=websocket.send_bytes, write_str=websocket.send_str,
            close=websocket.close, download_manager=server.download_manager,
        )  # fmt: skip
        self.argv = argv
        self.learner_env = learner_env  # where this learner's progress is kept
        self.child: Child | None = None
        self.last_input = time.monotonic()
        self.drawn = asyncio.Event()

    async def _open_app_process(self, width: int = 80, height: int = 24) -> asyncio.subprocess.Process:
        env = self._build_environment(width=width, height=height)
        env["TERM"] = BROWSER_TERM
        env[SERVER_PID] = str(os.getpid())
        env.update(self.learner_env)
        pipe = asyncio.subprocess.PIPE
        process = await asyncio.create_subprocess_exec(
            *self.argv, stdin=pipe, stdout=pipe, stderr=pipe, env=env, start_new_session=True
        )  # fmt: skip
        self._process = process
        self._stdin = process.stdin
        self.child = Child(process.pid)
        return process

    async def send_bytes(self, data: bytes) -> bool:
        self.last_input = time.monotonic()  # only keys come this way; pings and resizes do not
        return await super().send_bytes(data)

    async def on_data(self, payload: bytes) -> None:
        note_drawn(self)
        await super().on_data(payload)


def relay_messages(server: Server, websocket: web.WebSocketResponse,
                   service: AppService) -> Awaitable[None]:  # fmt: skip
    """The browser's keys, resizes and pings to the tutor, until the websocket closes."""
    return server._process_messages(websocket, service)


def tutor_routes(server: Server, index: Handler, session: Handler) -> list[web.AbstractRouteDef]:
    """textual-serve's routes, with our own page and websocket handlers; the names are the ones
    its page template (``Server.handle_index``) builds its URLs from."""
    return [
        web.get("/", index, name="index"),
        web.get("/ws", session, name="websocket"),
        web.get("/download/{key}", server.handle_download, name="download"),
        web.static("/static", server.statics_path, name="static"),
    ]
