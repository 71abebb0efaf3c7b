"""calc-tutor serve web, driven over its websocket as a browser tab would (issue 8): each tab a
tutor of its own, the limits, the class password, idle tabs, the log, and shutdown."""

from __future__ import annotations

import asyncio
import re
import signal

import aiohttp
import pytest

from .server import Server, descendants, step_one_w, wait_until
from .test_ssh_server_life import not_running
from .web_tab import client, open_tab

FIRST_FRAME = r"Step 1 \(preview\)"


@pytest.fixture
def start(tmp_path):
    servers: list[Server] = []

    def start_server(*flags: str) -> Server:
        servers.append(Server.start(tmp_path, *flags, mode="web"))
        return servers[-1]

    yield start_server
    for server in servers:
        server.stop()


async def test_a_tab_gets_a_tutor_that_steps_on_a_key(start):
    server = start("--w", "-0.25")
    async with client() as session:
        async with session.get(f"http://127.0.0.1:{server.port}/") as page:
            assert page.status == 200
            # The page opens its websocket at the address the browser used to reach the server.
            assert f'data-session-websocket-url="ws://127.0.0.1:{server.port}/ws"' in await page.text()
    tab = await open_tab(server.port)
    try:
        await tab.wait_for(FIRST_FRAME + r" · W −0\.25 →")  # the flag given to serve reached it
        await tab.press("n")
        after = f"{step_one_w(-0.25):.4g}".replace("-", "−")
        await tab.wait_for(rf"Step 1 · W −0\.25 → {after}")
    finally:
        await tab.close()


async def test_closing_a_tab_ends_its_tutor_and_logs_one_line(start):
    server = start()
    tab = await open_tab(server.port)
    await tab.wait_for(FIRST_FRAME)
    (tutor,) = server.tutors()
    await tab.close()
    assert await asyncio.to_thread(wait_until, lambda: not_running(tutor), 5)
    line = await asyncio.to_thread(server.wait_log, " s\n")
    assert re.fullmatch(r"\S+Z 127\.0\.0\.1 \d+\.\d s\n", line)


async def test_the_limits_hold_in_all_and_per_address(start):
    server = start("--max-sessions", "2", "--per-address", "1")
    url = f"http://127.0.0.1:{server.port}/"
    first = await open_tab(server.port, "127.0.0.1")
    second = None
    try:
        await first.wait_for(FIRST_FRAME)
        # The address's one place is taken: its page says so, and so does a tab opened anyway.
        async with client("127.0.0.1") as session, session.get(url) as page:
            assert page.status == 503 and "1 tutor(s) open" in await page.text()
        again = await open_tab(server.port, "127.0.0.1")
        await again.wait_for(r"1 tutor\(s\) open")
        await again.close()
        second = await open_tab(server.port, "127.0.0.2")
        await second.wait_for(FIRST_FRAME)
        async with client("127.0.0.3") as session, session.get(url) as page:
            assert page.status == 503 and "all 2 places are taken" in await page.text()
        assert len(server.tutors()) == 2
        await second.close()
        # A place comes free once the server has ended that tutor: the next learner gets one.
        assert await asyncio.to_thread(wait_until, lambda: len(server.tutors()) == 1, 5)
        third = await open_tab(server.port, "127.0.0.3")
        await third.wait_for(FIRST_FRAME)
        await third.close()
        assert "(refused: full)" in await asyncio.to_thread(server.wait_log, "refused")
    finally:
        await first.close()


async def test_the_class_password_lets_in_only_who_knows_it(start, tmp_path):
    secret = "open sesame"
    (tmp_path / "password").write_text(f"{secret}\n")
    server = start("--password-file", str(tmp_path / "password"))
    url = f"http://127.0.0.1:{server.port}"
    for headers in ({}, password("ada", "guess")):
        async with client(headers=headers) as session:
            for path in ("/", "/static/js/textual.js"):
                async with session.get(url + path) as response:
                    assert response.status == 401
                    assert response.headers["WWW-Authenticate"].startswith("Basic ")
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await session.ws_connect(url + "/ws")
            assert refused.value.status == 401
    async with client(headers=password("any name", secret)) as session:
        async with session.get(url + "/") as page:
            assert page.status == 200
    tab = await open_tab(server.port, headers=password("bo", secret))
    await tab.wait_for(FIRST_FRAME)
    await tab.close()
    await asyncio.to_thread(server.wait_log, " s\n")
    assert secret not in "".join(server.log) and "guess" not in "".join(server.log)


def password(user: str, given: str) -> dict[str, str]:
    return {"Authorization": aiohttp.encode_basic_auth(user, given)}


async def test_another_sites_page_cannot_open_a_tutor(start):
    server = start()
    async with client() as session:
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await session.ws_connect(f"http://127.0.0.1:{server.port}/ws",
                                     headers={"Origin": "http://elsewhere.example"})  # fmt: skip
    assert refused.value.status == 403 and not server.tutors()


async def test_an_idle_tab_ends(start):
    server = start("--idle-timeout", "2")
    tab = await open_tab(server.port)
    await tab.wait_for(FIRST_FRAME)
    await tab.wait_closed(timeout=8)
    await tab.close()
    assert await asyncio.to_thread(wait_until, lambda: not server.tutors(), 5)
    assert "(idle)" in await asyncio.to_thread(server.wait_log, "(idle)")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
async def test_shutdown_ends_every_tutor(start, signum):
    server = start()
    tabs = [await open_tab(server.port) for _ in range(2)]
    for tab in tabs:
        await tab.wait_for(FIRST_FRAME)
    assert len(server.tutors()) == 2
    started = descendants(server.process.pid)
    server.process.send_signal(signum)
    assert await asyncio.to_thread(server.process.wait, 10) == 0
    assert started and all(not_running(pid) for pid in started)  # no orphan
    assert await asyncio.to_thread(server.wait_log, "every tutor ended")
    for tab in tabs:
        await tab.wait_closed(timeout=5)
        await tab.close()


async def test_a_killed_server_takes_its_tutors_with_it(start):
    server = start()
    tab = await open_tab(server.port)
    await tab.wait_for(FIRST_FRAME)
    started = descendants(server.process.pid)
    server.process.kill()  # nothing of the server runs after SIGKILL: the kernel ends the tutors
    await asyncio.to_thread(server.process.wait, 10)
    assert await asyncio.to_thread(wait_until, lambda: all(not_running(p) for p in started), 5)
    await tab.close()


async def test_the_page_escapes_the_host_it_was_reached_by(start):
    server = start()
    async with client() as session:
        headers = {"Host": 'x"><script>alert(1)</script>'}
        async with session.get(f"http://127.0.0.1:{server.port}/", headers=headers) as page:
            text = await page.text()
    assert "<script>alert" not in text and "&lt;script&gt;" in text
