"""Each browser learner's progress on a web class server: by the user name given with the class
password, else by a token this browser keeps (a cookie), so the same browser finds it again."""

from __future__ import annotations

import aiohttp
import pytest

from calc_tutor.tui.learner_progress import learners

from .server import Server
from .web_tab import Tab, client

FIRST_FRAME = r"Step 1 \(preview\)"


@pytest.fixture
def start(tmp_path):
    servers: list[Server] = []

    def start_server(*flags: str) -> Server:
        servers.append(Server.start(tmp_path / "state", "--data-dir", str(tmp_path / "class"),
                                    *flags, mode="web"))  # fmt: skip
        return servers[-1]

    yield start_server
    for server in servers:
        server.stop()


def browser(**options: object) -> aiohttp.ClientSession:
    # A browser keeps cookies of a server reached by its IP address; aiohttp only when told to.
    return client(cookie_jar=aiohttp.CookieJar(unsafe=True), **options)


async def visit(session: aiohttp.ClientSession, port: int) -> None:
    """Open the page, then its tutor, as a browser does, and wait for the first frame."""
    async with session.get(f"http://127.0.0.1:{port}/") as page:
        assert page.status == 200
    tab = Tab(session, await session.ws_connect(f"http://127.0.0.1:{port}/ws?width=80&height=24"))
    try:
        await tab.wait_for(FIRST_FRAME)
    finally:
        await tab.websocket.close()


async def test_a_browser_finds_its_own_progress_again(start, tmp_path):
    server = start()
    async with browser() as first, browser() as second:
        await visit(first, server.port)
        await visit(first, server.port)  # the same browser, later: the same learner
        await visit(second, server.port)  # another browser: another learner
    names = [name for name, _ in learners(tmp_path / "class")]
    assert len(names) == 2 and all(name.startswith("browser-") for name in names)
    for _name, directory in learners(tmp_path / "class"):
        assert (directory / "progress.json").is_file()  # seen: for the teacher's class view


async def test_the_user_name_given_with_the_password_names_the_learner(start, tmp_path):
    (tmp_path / "password").write_text("open sesame\n")
    server = start("--password-file", str(tmp_path / "password"))
    login = {"Authorization": aiohttp.encode_basic_auth("ada", "open sesame")}
    async with browser(headers=login) as session:
        await visit(session, server.port)
    assert [name for name, _ in learners(tmp_path / "class")] == ["ada"]
