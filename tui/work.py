"""Many updates at once (``--steps``, fast-forwards) without freezing the screen.

Work that fits in a fraction of a second is done at once; the rest runs in a worker thread,
chunk by chunk, behind a progress screen that covers the panels, so nothing reads the session
while the worker extends it (a session is not thread-safe).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from calc_tutor.core.session import Session

QUICK_SECONDS = 0.25  # a key's work longer than this shows a progress bar, not a frozen screen
LAUNCH_SECONDS = 0.1  # at launch, before the first frame: the rest comes behind a bar
CHUNK_SECONDS = 0.05  # a worker reports progress (and looks for q or esc) this often
FIRST_CHUNK, LARGEST_CHUNK = 256, 8192  # at ~1-10 µs an update: well under a deadline


def advance_within(session: Session, count: int, seconds: float) -> int:
    """Apply up to ``count`` updates, stopping early once ``seconds`` have passed or the run
    diverged; returns how many were applied."""
    deadline = time.perf_counter() + seconds
    done, chunk = 0, FIRST_CHUNK
    while done < count:
        asked = min(chunk, count - done)
        moved = session.forward(asked)
        done += moved
        if moved < asked or time.perf_counter() >= deadline:
            break  # a divergence ends the run; the time is up
        chunk = min(chunk * 2, LARGEST_CHUNK)
    return done


def advance_in_chunks(
    session: Session, count: int, report: Callable[[int], None], stop: threading.Event
) -> int:
    """For a worker thread: ``count`` updates in short chunks, calling ``report(done)`` after each,
    until done, diverged or ``stop`` is set."""
    done = 0
    while done < count and not stop.is_set():
        moved = advance_within(session, count - done, CHUNK_SECONDS)
        done += moved
        report(done)
        if moved == 0 or session.at_divergence:
            break
    return done
