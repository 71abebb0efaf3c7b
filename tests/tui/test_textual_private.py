"""The private Textual names the app leans on still exist (an upgrade that moves one fails here)."""

from __future__ import annotations

import pytest

from calc_tutor.tui.textual_private import PRIVATE_NAMES


@pytest.mark.parametrize(("owner", "name", "why"), PRIVATE_NAMES,
                         ids=[f"{o.__name__}.{n}" for o, n, _ in PRIVATE_NAMES])  # fmt: skip
def test_private_textual_name_still_exists(owner, name, why):
    assert hasattr(owner, name), f"Textual no longer has {owner.__name__}.{name} ({why})"


def test_every_private_name_used_in_tui_is_listed():
    import pathlib
    import re

    listed = {name for _, name, _ in PRIVATE_NAMES}
    tui = pathlib.Path(__file__).parents[2] / "tui"
    used = set()
    for path in tui.rglob("*.py"):
        text = path.read_text()
        used |= set(re.findall(r"super\(\)\.(_[a-z]\w*)\(", text))
        used |= set(re.findall(r"(?:Footer|CommandList\)|self)\.(_index_to_line|_bindings_ready)", text))
        used |= set(re.findall(r"self\.(_get_breakpoint_classes)", text))
    assert used <= listed, used - listed
