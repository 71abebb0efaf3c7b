"""Start the app from validated flags; an unknown --theme is a usage error before anything runs."""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .cli import Setup


def launch(
    setup: Setup, theme: str | None, ascii_only: bool, parser: argparse.ArgumentParser
) -> int:
    from .app import CalcTutorApp, theme_names

    names = theme_names()
    if theme is not None and theme not in names:
        parser.exit(2, f"calc-tutor: error: --theme: unknown theme {theme!r}; "
                       f"choose one of: {', '.join(names)}\n")  # fmt: skip
    # The Linux console's font has no braille and little box drawing: plain ASCII there.
    ascii_only = ascii_only or os.environ.get("TERM") == "linux"
    app = CalcTutorApp(setup.model, steps=setup.steps, theme=theme, ascii_only=ascii_only)
    app.run()
    return app.return_code or 0
