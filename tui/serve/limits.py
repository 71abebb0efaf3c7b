"""How many tutors run at once, in all and per client address; and how long one may sit idle."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from typing import Protocol


class SessionLimits:
    """Counts running sessions; ``admit`` says politely why one more cannot start, or takes a place."""

    def __init__(self, total: int, per_address: int) -> None:
        self.total = total
        self.per_address = per_address
        self.running: Counter[str] = Counter()

    def admit(self, address: str) -> str | None:
        """None, and the session counts from now on; else the line to show the learner."""
        refusal = self.refusal(address)
        if refusal is None:
            self.running[address] += 1
        return refusal

    def refusal(self, address: str) -> str | None:
        """Why one more session from ``address`` could not start now, or None (takes no place)."""
        if sum(self.running.values()) >= self.total:
            return (f"The tutor is full: all {self.total} places are taken. "
                    "Please try again in a few minutes.")  # fmt: skip
        if self.running[address] >= self.per_address:
            return (f"Your address already has {self.per_address} tutor(s) open, the most "
                    "allowed. Close one and connect again.")  # fmt: skip
        return None

    def release(self, address: str) -> None:
        self.running[address] -= 1
        if self.running[address] <= 0:
            del self.running[address]


class Typed(Protocol):
    last_input: float  # time.monotonic() of the learner's last key
    drawn: asyncio.Event  # set once the tutor has drawn


def note_drawn(session: Typed) -> None:
    """The tutor drew for the first time: the idle clock starts now (a slow start is no idleness)."""
    if not session.drawn.is_set():
        session.last_input = time.monotonic()
        session.drawn.set()


async def idle_for(session: Typed, timeout: float) -> None:
    """Returns once ``session``'s tutor has drawn and then had no key for ``timeout`` seconds."""
    await session.drawn.wait()
    while (quiet := time.monotonic() - session.last_input) < timeout:
        await asyncio.sleep(timeout - quiet)
