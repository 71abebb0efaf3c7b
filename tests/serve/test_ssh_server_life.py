"""The server's limits, its authentication modes, idle sessions, and its shutdown (issue 8)."""

from __future__ import annotations

import asyncio
import signal
import socket

import asyncssh
import pytest

from .server import Server, connect, descendants, open_tutor

FIRST_FRAME = r"Step 1 \(preview\)"


@pytest.fixture
def start(tmp_path):
    servers: list[Server] = []

    def start_server(*flags: str) -> Server:
        servers.append(Server.start(tmp_path, *flags))
        return servers[-1]

    yield start_server
    for server in servers:
        server.stop()


async def refusal(conn: asyncssh.SSHClientConnection) -> str:
    screen = await open_tutor(conn)
    result = await screen.process.wait(timeout=5)
    assert result.exit_status == 1
    return result.stderr.decode()


async def test_the_limits_hold_in_all_and_per_address(start):
    server = start("--max-sessions", "2", "--per-address", "1")
    # Each loopback address is a different client address to the server.
    first = await connect(server.port, local_addr=("127.0.0.1", 0))
    second = await connect(server.port, local_addr=("127.0.0.2", 0))
    try:
        await (await open_tutor(first)).wait_for(FIRST_FRAME)
        assert "1 tutor(s) open" in await refusal(first)  # the address's one place is taken
        await (await open_tutor(second)).wait_for(FIRST_FRAME)
        third = await connect(server.port, local_addr=("127.0.0.3", 0))
        assert "all 2 places are taken" in await refusal(third)
        assert len(server.tutors()) == 2
        second.close()
        await second.wait_closed()
        # A place comes free as soon as the server has ended that tutor: the next learner gets one.
        for _attempt in range(50):
            screen = await open_tutor(third)
            # A refused session ends with nothing on its screen; an admitted one draws.
            first_byte = await asyncio.wait_for(screen.process.stdout.read(1), 5)
            if first_byte:
                break
            await asyncio.sleep(0.1)
        screen.raw += first_byte
        await screen.wait_for(FIRST_FRAME)
        third.close()
    finally:
        first.close()


def open_socket(port: int, address: str) -> socket.socket:
    """A TCP connection that says nothing: a login that never comes."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=5, source_address=(address, 0))
    sock.settimeout(5)
    return sock


def closed_by_server(sock: socket.socket) -> bool:
    """Whether the server closed it (reading everything it sent, up to its end)."""
    try:
        while chunk := sock.recv(4096):
            if chunk.startswith(b"SSH-"):
                return False  # the server's greeting: it is waiting for this client to log in
    except ConnectionResetError:
        pass
    return True


async def test_open_connections_are_bounded_before_any_login(start):
    server = start("--max-sessions", "3", "--per-address", "1")
    # Two silent connections per session place, from one address: the third is closed at once.
    silent = [open_socket(server.port, "127.0.0.4") for _ in range(2)]
    assert not any([await asyncio.to_thread(closed_by_server, sock) for sock in silent])
    extra = open_socket(server.port, "127.0.0.4")
    assert await asyncio.to_thread(closed_by_server, extra)
    # Another address is not held up by this one's.
    async with await connect(server.port, local_addr=("127.0.0.5", 0)) as conn:
        await (await open_tutor(conn)).wait_for(FIRST_FRAME)
    await asyncio.to_thread(server.wait_log, "too many connections")
    for sock in silent + [extra]:
        sock.close()


async def test_shutdown_ends_every_tutor(start):
    server = start()
    conns = [await connect(server.port) for _ in range(2)]
    for conn in conns:
        await (await open_tutor(conn)).wait_for(FIRST_FRAME)
    assert len(server.tutors()) == 2
    started = descendants(server.process.pid)  # the tutors, and a fork server if there is one
    server.process.send_signal(signal.SIGTERM)
    assert await asyncio.to_thread(server.process.wait, 10) == 0
    # No orphan: every process the server started ended with it.
    assert all(not_running(pid) for pid in started)
    assert "every tutor ended" in server.log[-1] or await asyncio.to_thread(
        server.wait_log, "every tutor ended")  # fmt: skip
    for conn in conns:
        conn.close()


def not_running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


async def test_an_idle_session_ends_with_a_line(start):
    server = start("--idle-timeout", "2")
    async with await connect(server.port) as conn:
        screen = await open_tutor(conn)
        await screen.wait_for(FIRST_FRAME)
        await screen.wait_for("Session ended after", timeout=8)
        await screen.process.wait(timeout=5)
    assert not server.tutors()


async def test_the_class_password_lets_in_only_who_knows_it(start, tmp_path):
    secret = "open sesame"
    (tmp_path / "password").write_text(f"{secret}\n")
    server = start("--password-file", str(tmp_path / "password"))
    with pytest.raises(asyncssh.PermissionDenied):
        await connect(server.port, password="guess")
    async with await connect(server.port, username="bo", password=secret) as conn:
        await (await open_tutor(conn)).wait_for(FIRST_FRAME)
    line = await asyncio.to_thread(server.wait_log, "'bo'")
    assert secret not in "".join(server.log) and "guess" not in "".join(server.log), line


async def test_authorized_keys_let_in_only_listed_keys(start, tmp_path):
    listed, other = (asyncssh.generate_private_key("ssh-ed25519") for _ in range(2))
    (tmp_path / "keys").write_bytes(listed.export_public_key())
    server = start("--authorized-keys", str(tmp_path / "keys"))
    with pytest.raises(asyncssh.PermissionDenied):
        await connect(server.port, client_keys=[other])
    async with await connect(server.port, client_keys=[listed]) as conn:
        await (await open_tutor(conn)).wait_for(FIRST_FRAME)


def parent_of(pid: int) -> int:
    with open(f"/proc/{pid}/stat") as stat:
        return int(stat.read().rsplit(")", 1)[1].split()[1])


@pytest.mark.parametrize("fork_server", [True, False], ids=["forked", "spawned"])
async def test_tutors_come_from_the_fork_server_unless_told_not_to(start, fork_server):
    server = start() if fork_server else start("--no-fork-server")
    async with await connect(server.port) as conn:
        screen = await open_tutor(conn)
        await screen.wait_for(FIRST_FRAME)
        screen.process.stdin.write(b"n")
        await screen.wait_for(r"Step 1 · W")
        (tutor,) = server.tutors()
        # A spawned tutor is the server's own child; a forked one, the fork server's.
        assert (parent_of(tutor) == server.process.pid) is not fork_server
