"""calc-tutor serve ssh, through a real SSH client on loopback: each session is a tutor of its
own in its own terminal, and nothing else is served (issue 8)."""

from __future__ import annotations

import asyncio
import re
import stat

import asyncssh
import pytest

from .server import Server, connect, open_tutor, step_one_w, wait_until

FIRST_FRAME = r"Step 1 \(preview\)"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = Server.start(tmp_path_factory.mktemp("state"), "--w", "-0.25")
    yield server
    server.stop()


async def test_first_frame_then_a_key_steps_the_tutor(server):
    async with await connect(server.port) as conn:
        screen = await open_tutor(conn)
        # The starting-state flag given to serve reached the session's tutor.
        await screen.wait_for(FIRST_FRAME + r" · W −0\.25 →")
        screen.process.stdin.write(b"n")
        after = f"{step_one_w(-0.25):.4g}".replace("-", "−")
        # The update applied: the same status line, no longer a preview.
        await screen.wait_for(rf"Step 1 · W −0\.25 → {after}")


async def test_a_resize_reaches_the_app(server):
    async with await connect(server.port) as conn:
        screen = await open_tutor(conn, size=(80, 24))
        await screen.wait_for(FIRST_FRAME)
        screen.process.change_terminal_size(100, 40)
        # Textual places lines by cursor moves: row 40 exists only in the resized terminal.
        await screen.wait_for(r"\x1b\[40;\d+H", raw=True)


async def test_a_disconnect_ends_its_tutor(server):
    before = server.tutors()
    conn = await connect(server.port)
    screen = await open_tutor(conn)
    await screen.wait_for(FIRST_FRAME)
    mine = server.tutors() - before
    assert len(mine) == 1
    conn.abort()  # the client vanishes: no goodbye on the wire
    assert await asyncio.to_thread(wait_until, lambda: not mine & server.tutors(), 5)


async def test_only_the_tutor_is_served(server):
    before = server.tutors()
    async with await connect(server.port) as conn:
        with pytest.raises(asyncssh.ChannelOpenError):
            await conn.create_process("cat /etc/passwd", term_type="xterm")
        with pytest.raises(asyncssh.ChannelOpenError):
            await conn.start_sftp_client()
        with pytest.raises(asyncssh.ChannelOpenError):
            await conn.open_connection("127.0.0.1", server.port)  # ssh -L
        with pytest.raises(asyncssh.ChannelListenError):
            await conn.forward_remote_port("127.0.0.1", 0, "127.0.0.1", server.port)  # ssh -R
        no_pty = await conn.create_process(encoding=None)  # ssh -T
        result = await no_pty.wait(timeout=5)
        assert result.exit_status == 1
        assert b"needs a terminal" in result.stderr and result.stderr.count(b"\n") == 1
    assert server.tutors() <= before


def test_the_host_key_is_kept_owner_only(server):
    keys = list((server.state_dir / "calc-tutor").glob("ssh_host_*_key"))
    assert len(keys) == 1
    assert stat.S_IMODE(keys[0].stat().st_mode) == 0o600


async def test_each_connection_is_logged(server):
    async with await connect(server.port, username="ada") as conn:
        screen = await open_tutor(conn)
        await screen.wait_for(FIRST_FRAME)
    # Earlier tests' connections were logged first: this one's line is the one naming ada.
    line = await asyncio.to_thread(server.wait_log, "'ada'")
    assert re.fullmatch(r"\S+Z 127\.0\.0\.1 user 'ada' \d+\.\d s\n", line)
