"""calc-tutor serve web: its flags are serve ssh's (checked the same way, before serving), less
the SSH-only ones; without textual-serve, one line names the extra to install."""

from __future__ import annotations

import base64
import subprocess
import sys

import pytest

from calc_tutor.tui.serve import command, run
from calc_tutor.tui.serve.auth import PASSWORD, basic_password
from calc_tutor.tui.serve.limits import SessionLimits

from ..cli.conftest import run_cli

WEB = ("serve", "web")


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[tuple[command.ServeFlags, list[str]]]:
    """What each call would start the web server with (no server is started)."""
    calls: list[tuple[command.ServeFlags, list[str]]] = []
    monkeypatch.setattr(command, "has_textual_serve", lambda: True)
    monkeypatch.setattr(run, "run_web_server", lambda flags, argv: calls.append((flags, argv)) or 0)
    return calls


@pytest.mark.parametrize(
    ("flags", "named"),
    [
        (["--host", "0.0.0.0"], "--host"),
        (["--host", "tutor.example"], "--host"),
        (["--port", "65536"], "--port"),
        (["--port", "80x"], "--port"),
        (["--max-sessions", "0"], "--max-sessions"),
        (["--per-address", "-1"], "--per-address"),
        (["--idle-timeout", "1.5"], "--idle-timeout"),
        (["--password-file", "/no/such/file"], "--password-file"),
        (["--authorized-keys", "keys"], "--authorized-keys"),  # SSH keys mean nothing to a browser
        (["--no-fork-server"], "--no-fork-server"),
        (["--w", "1,2", "--x", "1"], "--w"),
        (["--theme", "no-such-theme"], "--theme"),
        (["--no-auth", "--password-file", "p"], "--password-file"),
    ],
)
def test_a_bad_flag_stops_before_serving(served, flags, named):
    result = run_cli(*WEB, *flags)
    assert result.code == 2 and result.out == "" and served == []
    assert result.err.count("\n") == 1 and named in result.err


def test_a_public_address_names_the_ways_a_browser_can_be_let_in(served):
    err = run_cli(*WEB, "--host", "0.0.0.0").err
    assert "--password-file FILE or --no-auth" in err and "--authorized-keys" not in err


def test_a_public_address_with_a_password_or_no_auth_is_served(served, tmp_path):
    (tmp_path / "password").write_text("open sesame\n")
    assert run_cli(*WEB, "--host", "0.0.0.0", "--password-file", str(tmp_path / "password")).code == 0
    assert run_cli(*WEB, "--host", "::", "--no-auth", "--port", "8080").code == 0
    (with_password, _), (open_to_all, _) = served
    assert with_password.auth.mode == PASSWORD and with_password.auth.password == b"open sesame"
    assert with_password.port == 8000  # the default
    assert open_to_all.host == "::" and open_to_all.port == 8080


def test_the_limits_and_the_tutors_flags_reach_the_server(served):
    result = run_cli("--ascii", *WEB, "--w", "-0.5", "--lr", "0.1", "--max-sessions", "7",
                     "--per-address", "2", "--idle-timeout", "60")  # fmt: skip
    assert result.code == 0, result.err
    ((flags, argv),) = served
    assert (flags.max_sessions, flags.per_address, flags.idle_timeout) == (7, 2, 60)
    assert argv == ["--w=-0.5", "--lr=0.1", "--ascii"]


def test_without_textual_serve_one_line_names_the_extra():
    # As where textual-serve is not installed: its import is blocked in a fresh interpreter.
    code = ("import sys; sys.modules['textual_serve'] = None\n"
            "from calc_tutor.tui.cli import main\n"
            "sys.exit(main(['serve', 'web', '--port', '0']))")  # fmt: skip
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip().endswith("pip install 'calc-tutor[web]'")
    assert result.stderr.count("\n") == 1


def basic(pair: bytes) -> str:
    return "Basic " + base64.b64encode(pair).decode()


@pytest.mark.parametrize(("header", "password"), [
    (basic(b"ada:open sesame"), "open sesame"),
    (basic(b":a:b"), "a:b"),  # any user name, even none; the password may hold a colon
    ("basic " + base64.b64encode(b"x:\xc3\xa9").decode(), "é"),
    (basic(b"no colon"), None),
    ("Basic not*base64", None),
    (basic(b"x:\xff"), None),  # not UTF-8
    ("Bearer abc", None),
    ("", None),
])  # fmt: skip
def test_the_password_is_read_from_a_basic_authorization_header(header, password):
    assert basic_password(header) == password


def test_asking_whether_a_place_is_free_takes_none():
    limits = SessionLimits(total=1, per_address=1)
    assert limits.refusal("a") is None and limits.refusal("a") is None
    assert limits.admit("a") is None
    assert "all 1 places" in limits.refusal("b")
