"""The fork server runs one tutor before it forks any (serve/warm_up.py): a tutor forked after
it parses no stylesheet of its own, whatever flags the tutors get, and no thread is left to make
forking unsafe."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

# In a fresh interpreter, as the fork server is: warm up, then start a tutor as a forked one
# would (headless here, with the toasts and tooltips a terminal's tutor has) and count the
# stylesheet sources it parses itself.
SCRIPT = """
import asyncio, json, sys, threading
from calc_tutor.tui import textual_private
from calc_tutor.tui.serve.warm_up import warm_up
from calc_tutor.tui.app import CalcTutorApp
from calc_tutor.tui.cli import build_parser, join_negative_values, setup_from_args

argv = json.loads(sys.argv[1])
warmed = warm_up(argv)
threads = threading.active_count()
if not warmed:
    print(json.dumps({"warmed": warmed, "threads": threads}))
    sys.exit(0)
parsed = []
parse = textual_private._parse_rules
textual_private._parse_rules = lambda self, css, *rest: parsed.append(rest[0]) or parse(self, css, *rest)
args = build_parser().parse_args(join_negative_values(argv))
app = CalcTutorApp(setup_from_args(args, 0).model, theme=args.theme, ascii_only=args.ascii)

async def first_frame():
    async with app.run_test(size=(80, 24), tooltips=True, notifications=True) as pilot:
        await pilot.press("n")
        await pilot.pause()

asyncio.run(first_frame())
print(json.dumps({"warmed": warmed, "threads": threads, "parsed": [str(p) for p in parsed]}))
"""


def run(argv: list[str]) -> dict:
    done = subprocess.run([sys.executable, "-c", SCRIPT, json.dumps(argv)], capture_output=True,
                          text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


@pytest.mark.parametrize("argv", [[], ["--theme=monochrome", "--ascii", "--w", "-0.3", "--lr", "2"],
                                  ["--model", "mlp", "--x", "1,2"]])  # fmt: skip
def test_a_tutor_after_the_warm_up_parses_no_stylesheet_and_no_thread_is_left(argv):
    result = run(argv)
    assert result["warmed"] is True
    assert result["threads"] == 1  # only then is forking safe
    assert result["parsed"] == []


def test_flags_the_tutor_would_refuse_leave_the_tutors_to_start_cold():
    result = run(["--lr", "fast"])
    assert result["warmed"] is False
    assert result["threads"] == 1


@pytest.mark.parametrize("waiting", [True, False])
def test_learners_waiting_are_served_before_the_warm_up(monkeypatch, waiting):
    import gc
    import socket

    from calc_tutor.tui.serve import warm_up, zygote

    ran: list[list[str]] = []
    monkeypatch.setattr(warm_up, "warm_up", lambda argv: ran.append(argv) or True)
    monkeypatch.setattr(gc, "freeze", lambda: None)  # not this test process's objects
    server, fork_server = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    with server, fork_server:
        if waiting:
            server.send(b"{}")  # a learner's request, as the server sends it
        assert zygote.warm_up_when_idle(fork_server, ["--ascii"]) is not waiting
    assert ran == ([] if waiting else [["--ascii"]])
