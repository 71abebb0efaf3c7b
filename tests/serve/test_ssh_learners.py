"""Each learner's progress on a class server: kept under --data-dir by the name they connect
with (or their key's comment), found again when they come back, and never another's (issue 8)."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime

import asyncssh
import pytest

from calc_tutor.core.lesson import built_in_lessons
from calc_tutor.tui.learner_progress import ProgressStore, learner_directory
from calc_tutor.tui.learner_progress import data_directory as data_home

from .server import Server, connect, open_tutor, wait_until

FIRST_FRAME = r"Step 1 \(preview\)"
FIRST_LESSON = built_in_lessons()[0]


@pytest.fixture
def start(tmp_path):
    servers: list[Server] = []

    def start_server(*flags: str) -> Server:
        servers.append(Server.start(tmp_path / "state", "--data-dir", str(tmp_path / "class"), *flags))
        return servers[-1]

    yield start_server
    for server in servers:
        server.stop()


def last_seen(data_dir, learner: str) -> datetime | None:
    path = learner_directory(data_dir, learner) / "progress.json"
    if not path.exists():
        return None
    return datetime.fromisoformat(json.loads(path.read_text())["last_seen"])


async def lesson_menu(conn: asyncssh.SSHClientConnection):
    screen = await open_tutor(conn)
    await screen.wait_for(FIRST_FRAME)
    screen.process.stdin.write(b"l")
    await screen.wait_for(FIRST_LESSON.title)
    return screen


async def test_a_learner_finds_their_own_progress_and_no_one_elses(start, tmp_path):
    data_dir = tmp_path / "class"
    # Ada finished the first lesson in an earlier session on this server.
    ProgressStore(learner_directory(data_dir, "ada")).record_lesson(FIRST_LESSON.id, 3, 4)
    server = start()
    async with await connect(server.port, username="ada") as conn:
        screen = await lesson_menu(conn)
        await screen.wait_for(rf"1\. ✓ {FIRST_LESSON.title}\s+\(best 3/4\)")
    async with await connect(server.port, username="bo") as conn:
        screen = await lesson_menu(conn)
        assert "✓" not in screen.text
    # Both were seen, each in their own folder; the teacher's own progress is not touched.
    assert last_seen(data_dir, "ada") is not None and last_seen(data_dir, "bo") is not None
    assert not (data_home() / "progress.json").exists()


async def test_last_seen_is_when_the_learner_left(start, tmp_path):
    server = start()
    async with await connect(server.port, username="cy") as conn:
        screen = await open_tutor(conn)
        await screen.wait_for(FIRST_FRAME)
        arrived = last_seen(tmp_path / "class", "cy")
        assert arrived is not None
        await asyncio.sleep(1.1)
    # Stamped once the session has ended (times are kept to the second).
    left = lambda: (last_seen(tmp_path / "class", "cy") - arrived).total_seconds() >= 1  # noqa: E731
    assert await asyncio.to_thread(wait_until, left, 5)


async def test_the_keys_comment_names_the_learner(start, tmp_path):
    ada, bo = (asyncssh.generate_private_key("ssh-ed25519") for _ in range(2))
    (tmp_path / "keys").write_bytes(
        ada.export_public_key().rstrip() + b" ada@class\n"
        + b'from="127.0.0.1" ' + bo.export_public_key().rstrip() + b"\n"  # no comment: the user name
    )
    server = start("--authorized-keys", str(tmp_path / "keys"))
    for key in (ada, bo):
        async with await connect(server.port, username="learner", client_keys=[key]) as conn:
            await (await open_tutor(conn)).wait_for(FIRST_FRAME)
    line = await asyncio.to_thread(server.wait_log, "learner 'ada@class'")
    assert "user 'learner'" in line
    assert last_seen(tmp_path / "class", "ada@class") is not None
    assert last_seen(tmp_path / "class", "learner") is not None


async def test_a_keys_from_restriction_still_holds(start, tmp_path):
    key = asyncssh.generate_private_key("ssh-ed25519")
    (tmp_path / "keys").write_bytes(b'from="10.9.9.9" ' + key.export_public_key())
    server = start("--authorized-keys", str(tmp_path / "keys"))
    with pytest.raises(asyncssh.PermissionDenied):
        await connect(server.port, client_keys=[key])


async def test_a_name_too_long_for_a_folder_is_told_so(start):
    server = start()
    async with await connect(server.port, username="a" * 300) as conn:
        screen = await open_tutor(conn)
        result = await screen.process.wait(timeout=5)
    assert result.exit_status == 1
    said = result.stderr.decode()
    assert "your name cannot name the folder" in said and "must be shorter" in said
    assert "Connect again with another" in said
    assert not server.tutors()
