"""calc-tutor serve ssh refuses bad flags before serving: status 2, one line naming the flag."""

from __future__ import annotations

import subprocess
import sys

import pytest

from ..cli.conftest import run_cli

SSH = ("serve", "ssh")


@pytest.mark.parametrize(
    ("flags", "named"),
    [
        (["--host", "0.0.0.0"], "--host"),
        (["--host", "192.0.2.7"], "--host"),
        (["--host", "tutor.example"], "--host"),  # a name may resolve to any address
        (["--port", "65536"], "--port"),
        (["--port", "22x"], "--port"),
        (["--max-sessions", "0"], "--max-sessions"),
        (["--per-address", "-1"], "--per-address"),
        (["--idle-timeout", "1.5"], "--idle-timeout"),
        (["--password-file", "/no/such/file"], "--password-file"),
        (["--authorized-keys", "/no/such/file"], "--authorized-keys"),
        (["--w", "1,2", "--x", "1"], "--w"),  # the starting state is checked before serving
        (["--no-auth", "--password-file", "p"], "--password-file"),
    ],
)
def test_a_bad_flag_stops_before_serving(flags, named):
    result = run_cli(*SSH, *flags)
    assert result.code == 2
    assert result.out == ""
    assert result.err.count("\n") == 1 and named in result.err


def test_an_empty_password_file_is_refused(tmp_path):
    (tmp_path / "password").write_text("\nsecret\n")
    result = run_cli(*SSH, "--password-file", str(tmp_path / "password"))
    assert result.code == 2 and "--password-file" in result.err and "empty first line" in result.err


def test_an_unparsable_keys_file_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    (tmp_path / "keys").write_text("ssh-ed25519 not-base64!\n")
    result = run_cli(*SSH, "--authorized-keys", str(tmp_path / "keys"), "--port", "0")
    assert result.code == 2 and result.err.count("\n") == 1 and "--authorized-keys" in result.err


def test_without_asyncssh_one_line_names_the_extra():
    # As where asyncssh is not installed: its import is blocked in a fresh interpreter.
    code = ("import sys; sys.modules['asyncssh'] = None\n"
            "from calc_tutor.tui.cli import main\n"
            "sys.exit(main(['serve', 'ssh', '--port', '0']))")  # fmt: skip
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip().endswith("pip install 'calc-tutor[ssh]'")
    assert result.stderr.count("\n") == 1
