"""How many tutors run at once, in all and per client address."""

from __future__ import annotations

from collections import Counter


class SessionLimits:
    """Counts running sessions; ``admit`` says politely why one more cannot start, or takes a place."""

    def __init__(self, total: int, per_address: int) -> None:
        self.total = total
        self.per_address = per_address
        self.running: Counter[str] = Counter()

    def admit(self, address: str) -> str | None:
        """None, and the session counts from now on; else the line to show the learner."""
        if sum(self.running.values()) >= self.total:
            return (f"The tutor is full: all {self.total} places are taken. "
                    "Please try again in a few minutes.")  # fmt: skip
        if self.running[address] >= self.per_address:
            return (f"Your address already has {self.per_address} tutor(s) open, the most "
                    "allowed. Close one and connect again.")  # fmt: skip
        self.running[address] += 1
        return None

    def release(self, address: str) -> None:
        self.running[address] -= 1
        if self.running[address] <= 0:
            del self.running[address]
