"""The server's parts on their own: limits, the host key, the tutor's flags and environment."""

from __future__ import annotations

import stat

from calc_tutor.tui.cli import SWITCH_NAMES
from calc_tutor.tui.serve import host_key
from calc_tutor.tui.serve.command import tutor_argv
from calc_tutor.tui.serve.limits import SessionLimits
from calc_tutor.tui.serve.terminal import tutor_env


def test_limits_count_places_in_all_and_per_address():
    limits = SessionLimits(total=3, per_address=2)
    assert limits.admit("a") is None and limits.admit("a") is None
    assert "2 tutor(s) open" in limits.admit("a")
    assert limits.admit("b") is None
    assert "all 3 places" in limits.admit("c")
    limits.release("a")
    assert limits.admit("c") is None  # a freed place is anyone's
    assert "all 3 places" in limits.admit("a")


def test_the_host_key_is_made_once_owner_only_and_reused(tmp_path):
    reports: list[str] = []
    first = host_key.load_or_make(tmp_path / "calc-tutor", reports.append)
    path = tmp_path / "calc-tutor" / host_key.KEY_NAME
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = host_key.load_or_make(tmp_path / "calc-tutor", reports.append)
    assert again.get_fingerprint() == first.get_fingerprint()
    assert reports == []


def test_a_readable_host_key_is_made_owner_only_again(tmp_path):
    host_key.load_or_make(tmp_path, print)
    path = tmp_path / host_key.KEY_NAME
    path.chmod(0o644)
    reports: list[str] = []
    host_key.load_or_make(tmp_path, reports.append)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and len(reports) == 1


def test_an_unreadable_host_key_is_kept_aside_and_replaced(tmp_path):
    path = tmp_path / host_key.KEY_NAME
    path.write_text("not a key")
    path.chmod(0o600)
    reports: list[str] = []
    key = host_key.load_or_make(tmp_path, reports.append)
    assert key.get_fingerprint().startswith("SHA256:")
    aside = list(tmp_path.glob(f"{host_key.KEY_NAME}.unreadable-*"))
    assert len(aside) == 1 and aside[0].read_text() == "not a key"
    assert len(reports) == 1 and aside[0].name in reports[0]


def test_the_tutor_gets_the_state_flags_as_given():
    flags = {"w": "-0.5,1", "x": "1,2", "lr": None, "batch": "on", "data": None}
    assert tutor_argv(flags, SWITCH_NAMES) == ["--w=-0.5,1", "--x=1,2", "--batch"]


def test_the_tutor_environment_has_the_clients_term_and_no_fixed_size():
    env = tutor_env({"PATH": "/bin", "COLUMNS": "80", "LINES": "24", "TERM": "dumb"}, "screen")
    assert env == {"PATH": "/bin", "TERM": "screen"}
