"""Who may connect: anyone (loopback, or --no-auth), a shared class password, or listed keys."""

from __future__ import annotations

import base64
import binascii
import hmac
from dataclasses import dataclass
from pathlib import Path

from calc_tutor.core.config import ConfigError, quote

NONE, PASSWORD, KEYS = "none", "password", "keys"


@dataclass(frozen=True)
class Auth:
    mode: str  # NONE, PASSWORD or KEYS
    password: bytes = b""
    keys_file: Path | None = None

    def password_matches(self, given: str) -> bool:
        # Constant time, so a guess's timing says nothing about how close it came.
        return self.mode == PASSWORD and hmac.compare_digest(given.encode(), self.password)


def basic_password(header: str) -> str | None:
    """The password in an HTTP ``Authorization: Basic`` header (any user name), or None."""
    credentials = basic_credentials(header)
    return None if credentials is None else credentials[1]


def basic_credentials(header: str) -> tuple[str, str] | None:
    """(user name, password) from an HTTP ``Authorization: Basic`` header, or None."""
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        pair = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    user, colon, password = pair.partition(":")
    return (user, password) if colon else None


def read_password(path: str) -> Auth:
    """The class password: the file's first line (one the teacher writes and can hand out)."""
    text = _read("password-file", path)
    first_line = text.splitlines()[0] if text else ""
    if not first_line:
        raise ConfigError("password-file", f"{quote(path)} has an empty first line; write the "
                                           "password there")  # fmt: skip
    return Auth(PASSWORD, password=first_line.encode())


def check_keys_file(path: str) -> Auth:
    """A readable OpenSSH authorized_keys file; its keys are parsed when the server starts."""
    if not _read("authorized-keys", path).strip():
        raise no_key(path)
    return Auth(KEYS, keys_file=Path(path))


def no_key(path: str) -> ConfigError:
    return ConfigError("authorized-keys", f"{quote(path)} lists no key; add one public key per "
                                          "line, as in ~/.ssh/authorized_keys")  # fmt: skip


def _read(field: str, path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(field, f"{quote(path)} does not exist") from None
    except IsADirectoryError:
        raise ConfigError(field, f"{quote(path)} is a folder, not a file") from None
    except UnicodeDecodeError:
        raise ConfigError(field, f"{quote(path)} is not UTF-8 text") from None
    except OSError as error:
        raise ConfigError(field, f"{quote(path)} cannot be read: {error.strerror}") from None
