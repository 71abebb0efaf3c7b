"""The core engine imports without the terminal layer: no textual, rich or plotext."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import calc_tutor.core

TERMINAL_PACKAGES = ("textual", "rich", "plotext")

# Run in a fresh interpreter: this test process may already have imported the TUI.
PROBE = """
import importlib, json, pkgutil, sys
import calc_tutor.core as core
names = sorted(m.name for m in pkgutil.walk_packages(core.__path__, "calc_tutor.core."))
for name in names:
    importlib.import_module(name)
print(json.dumps({"imported": names, "loaded": sorted(sys.modules)}))
"""


def _core_modules() -> list[str]:
    return sorted(
        m.name for m in pkgutil.walk_packages(calc_tutor.core.__path__, "calc_tutor.core.")
    )


def test_every_core_module_imports_without_the_terminal_layer():
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    # Discovered, not listed: a module added later is covered too.
    assert report["imported"] == _core_modules()
    assert {"calc_tutor.core.neuron", "calc_tutor.core.session"} <= set(report["imported"])
    leaked = [
        name for name in report["loaded"]
        if any(name == pkg or name.startswith(pkg + ".") for pkg in TERMINAL_PACKAGES)
    ]  # fmt: skip
    assert leaked == []
