"""The server's log: one line per event on its stderr, stamped in UTC."""

from __future__ import annotations

import time
from typing import TextIO


def log_line(file: TextIO, line: str) -> None:
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    print(f"{stamp} {line}", file=file, flush=True)
