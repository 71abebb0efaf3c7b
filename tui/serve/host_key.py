"""The server's host key: made once, kept readable by its owner only (0600), reused after.

Learners' SSH clients remember the key on first connection; a new key each start would make
every one of them warn about a changed host.
"""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import asyncssh

KEY_NAME = "ssh_host_ed25519_key"
OWNER_ONLY = 0o600


def load_or_make(directory: Path, report) -> asyncssh.SSHKey:  # noqa: ANN001 (report: str -> None)
    """The key kept in ``directory``, made there first if missing.

    A key that cannot be read is renamed aside and replaced (reported, not fatal); a key that
    others may read is made owner-only again (reported).
    """
    path = directory / KEY_NAME
    if path.exists():
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            os.chmod(path, OWNER_ONLY)
            report(f"{path} could be read by others; it is now readable by its owner only")
        try:
            return asyncssh.read_private_key(path)
        except (OSError, ValueError, asyncssh.KeyImportError) as error:
            aside = path.with_name(f"{KEY_NAME}.unreadable-{time.strftime('%Y%m%dT%H%M%S')}")
            os.replace(path, aside)
            report(f"{path} could not be read ({error}); kept as {aside.name}, made a new key")
    return _make(path)


def _make(path: Path) -> asyncssh.SSHKey:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = asyncssh.generate_private_key("ssh-ed25519")
    # Written under a temporary name with 0600 from the first byte, then renamed: never a
    # half-written or briefly world-readable key.
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(key.export_private_key("openssh"))
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return key
