"""The README's table of keys must agree with the one command table the app is built from."""

from __future__ import annotations

import re
from pathlib import Path

from calc_tutor.tui.commands import COMMANDS, key_text

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_keys_table() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("| keys | what they do |")
    return text[start : text.index("\n\n", start)]


def test_every_command_key_is_in_the_readme():
    table = readme_keys_table()
    listed = set(re.findall(r"`([^`]+)`", table))
    for command in COMMANDS:
        for key in key_text(command).split():
            key = re.sub(r"^\^", "ctrl+", key)  # the footer's ^q is ctrl+q in prose
            assert key in listed, f"{command.id}: key {key!r} missing from the README's table"
