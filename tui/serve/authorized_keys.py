"""The --authorized-keys file, kept line by line so the key that let a learner in is known by
its comment (``ssh-ed25519 AAAA… ada@laptop``): in a class where everyone connects under one
user name, the comment is what tells the learners apart."""

from __future__ import annotations

import re
from dataclasses import dataclass

import asyncssh

from calc_tutor.core.config import ConfigError, quote

from .auth import Auth, no_key

# A key is its type, its base64 blob, then an optional comment; options (from=…) may come first.
_KEY_AND_COMMENT = re.compile(r"(?:^|\s)(?:ssh|ecdsa|sk)-\S+\s+[A-Za-z0-9+/]+=*(?:\s+(?P<comment>.*))?$")


@dataclass(frozen=True)
class KeyEntry:
    keys: asyncssh.SSHAuthorizedKeys  # this one line, with its options, as asyncssh reads it
    comment: str


class AuthorizedKeys:
    def __init__(self, entries: list[KeyEntry]) -> None:
        self.entries = entries

    def match(self, key: asyncssh.SSHKey, address: str) -> str | None:
        """The comment of the first line that lets ``key`` in from ``address`` ('' when that line
        has none), or None when no line does. A line's own restrictions (from=…) hold."""
        for entry in self.entries:
            if entry.keys.validate(key, address, address) is not None:
                return entry.comment
        return None


def read_keys(auth: Auth) -> AuthorizedKeys:
    """The --authorized-keys file's keys; a line asyncssh cannot read is a ConfigError that
    names it (a mistyped key must not silently leave a learner out)."""
    path = str(auth.keys_file)
    try:
        text = auth.keys_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError("authorized-keys", f"{quote(path)}: {error}") from None
    entries = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            keys = asyncssh.import_authorized_keys(line)
        except (ValueError, asyncssh.KeyImportError):
            raise ConfigError("authorized-keys", f"{quote(path)} line {number} is not a public "
                                                 "key this server can read") from None  # fmt: skip
        found = _KEY_AND_COMMENT.search(line)
        comment = (found.group("comment") or "").strip() if found else ""
        entries.append(KeyEntry(keys, comment))
    if not entries:
        raise no_key(path)  # only comments
    return AuthorizedKeys(entries)
