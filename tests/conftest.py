"""Every test runs in a directory of its own, with its own XDG data and state directories: a key
that saves a transcript (x) or a lesson's progress never writes into the project or the home
directory, whatever a test presses."""

from __future__ import annotations

import pytest
from hypothesis import settings

# No test is timed (speed is measured in tests/bench): Hypothesis's 200 ms deadline per example
# only made a loaded machine fail tests that were right.
settings.register_profile("untimed", deadline=None)
settings.load_profile("untimed")


@pytest.fixture(autouse=True)
def own_directories(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.chdir(home)
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.delenv("CALC_TUTOR_PROGRESS_DIR", raising=False)  # set only by a class server
