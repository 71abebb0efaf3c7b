"""A session's idle clock (serve ssh and serve web): it starts once the tutor has drawn, so a
slow start on a busy server never ends a learner's session before they saw it."""

from __future__ import annotations

import asyncio
import time
from types import SimpleNamespace

from calc_tutor.tui.serve.limits import idle_for, note_drawn

TIMEOUT = 0.3


async def test_the_idle_clock_starts_when_the_tutor_draws():
    session = SimpleNamespace(last_input=time.monotonic() - 100, drawn=asyncio.Event())
    idle = asyncio.create_task(idle_for(session, TIMEOUT))
    await asyncio.sleep(TIMEOUT * 2)
    assert not idle.done()  # not drawn yet, though no key came for long
    note_drawn(session)
    drawn_at = time.monotonic()
    await asyncio.sleep(TIMEOUT / 2)
    note_drawn(session)  # later frames do not restart it
    await asyncio.wait_for(idle, TIMEOUT * 10)
    assert TIMEOUT <= time.monotonic() - drawn_at < TIMEOUT * 1.5 + 0.5


async def test_a_key_restarts_the_idle_clock():
    session = SimpleNamespace(last_input=0.0, drawn=asyncio.Event())
    note_drawn(session)
    idle = asyncio.create_task(idle_for(session, TIMEOUT))
    await asyncio.sleep(TIMEOUT * 0.7)
    session.last_input = key_at = time.monotonic()
    await asyncio.wait_for(idle, TIMEOUT * 10)
    assert time.monotonic() - key_at >= TIMEOUT
