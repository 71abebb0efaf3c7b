"""Where the server keeps its state: ``$XDG_STATE_HOME/calc-tutor/`` (default ``~/.local/state``)."""

from __future__ import annotations

import os
from pathlib import Path

APP_DIR = "calc-tutor"


def state_dir() -> Path:
    # The XDG spec ignores a relative XDG_STATE_HOME: it would depend on where the server started.
    base = os.environ.get("XDG_STATE_HOME", "")
    root = Path(base) if os.path.isabs(base) else Path.home() / ".local" / "state"
    return root / APP_DIR
