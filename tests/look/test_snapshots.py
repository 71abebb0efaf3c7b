"""SVG snapshots of the main states at 80×24 and 120×40 (pytest-textual-snapshot).

Review a changed snapshot in the report pytest writes before accepting it with --snapshot-update.
"""

from __future__ import annotations

import pytest

from .states import STATES


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize("state", STATES, ids=[state.name for state in STATES])
def test_state_looks_as_approved(snap_compare, state, size):
    assert snap_compare(state.app(), run_before=state.run_before(), terminal_size=size)
