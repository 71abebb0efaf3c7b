"""A browser tab's view of ``calc-tutor serve web``, without a browser: textual-serve's websocket
protocol spoken by aiohttp's client (the terminal's bytes arrive as binary messages)."""

from __future__ import annotations

import asyncio
import json
import re
import time

import aiohttp

from .server import CSI, FRAME_SECONDS


class Tab:
    def __init__(self, session: aiohttp.ClientSession, websocket: aiohttp.ClientWebSocketResponse) -> None:
        self.session = session
        self.websocket = websocket
        self.raw = bytearray()

    @property
    def text(self) -> str:
        return CSI.sub("", self.raw.decode("utf-8", errors="replace"))

    async def press(self, keys: str) -> None:
        await self.websocket.send_str(json.dumps(["stdin", keys]))

    async def wait_for(self, pattern: str, timeout: float = FRAME_SECONDS) -> re.Match[str]:
        """Read until ``pattern`` appears in the text that arrives from now on."""
        start = len(self.raw)
        deadline = time.monotonic() + timeout
        while not (match := re.search(pattern, CSI.sub("", self.raw[start:].decode(errors="replace")))):
            if (left := deadline - time.monotonic()) <= 0:
                raise AssertionError(f"{pattern!r} never arrived; last text: {self.text[-400:]!r}")
            try:
                message = await self.websocket.receive(timeout=left)
            except asyncio.TimeoutError:
                continue
            if message.type == aiohttp.WSMsgType.BINARY:
                self.raw += message.data
            elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED,
                                  aiohttp.WSMsgType.CLOSING):  # fmt: skip
                raise AssertionError(f"the tab closed before {pattern!r}; text: {self.text[-400:]!r}")
        return match

    async def wait_closed(self, timeout: float) -> None:
        """Until the server closes the tab (what arrives meanwhile is kept)."""
        deadline = time.monotonic() + timeout
        while not self.websocket.closed:
            message = await self.websocket.receive(timeout=max(deadline - time.monotonic(), 0.01))
            if message.type == aiohttp.WSMsgType.BINARY:
                self.raw += message.data

    async def close(self) -> None:
        await self.websocket.close()
        await self.session.close()


def client(address: str = "127.0.0.1", **options: object) -> aiohttp.ClientSession:
    """A client whose connections come from ``address`` (any loopback address is this machine)."""
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(local_addr=(address, 0)), **options)


async def open_tab(port: int, address: str = "127.0.0.1", size: tuple[int, int] = (80, 24),
                   **options: object) -> Tab:  # fmt: skip
    session = client(address, **options)
    try:
        websocket = await session.ws_connect(
            f"http://127.0.0.1:{port}/ws?width={size[0]}&height={size[1]}"
        )
    except BaseException:
        await session.close()
        raise
    return Tab(session, websocket)
