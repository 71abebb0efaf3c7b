"""trace on an output that fails: one line on stderr and a non-zero status, never a traceback
(issue 10). A reader that stops early (``| head``) is no error: status 0, nothing said."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

TRACE = [sys.executable, "-m", "calc_tutor.tui.cli", "trace"]


def run(argv: list[str], **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, stderr=subprocess.PIPE, text=True, timeout=120, **kwargs)


@pytest.mark.parametrize("steps", ["1", "3000"])  # the error at the final flush, or mid-run
def test_a_full_disk_is_one_line_and_a_failure(steps):
    with open("/dev/full", "w") as full:
        result = run([*TRACE, "--steps", steps], stdout=full)
    assert result.returncode == 1
    assert result.stderr == "calc-tutor trace: error: cannot write the output: No space left on device\n"


def test_a_closed_stdout_is_one_line_and_a_failure():
    # ``calc-tutor trace >&-``: the program starts with no file descriptor 1 at all.
    result = run(["/bin/sh", "-c", 'exec "$@" >&-', "sh", *TRACE, "--steps", "2"])
    assert result.returncode == 1
    assert result.stderr == "calc-tutor trace: error: standard output is closed; nothing to write to\n"


def test_a_reader_that_stops_early_is_not_an_error():
    process = subprocess.Popen([*TRACE, "--steps", "5000"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)  # fmt: skip
    first = process.stdout.readline()
    process.stdout.close()  # as ``| head -n 1`` does
    assert process.wait(timeout=120) == 0
    assert first.startswith(b'{"step": 1')
    assert process.stderr.read() == b""
    process.stderr.close()


def test_ctrl_c_ends_a_long_trace_without_a_traceback():
    # As from a terminal: a shell's background job (a CI runner's, say) passes SIGINT on as
    # ignored, and Python then never turns ctrl+c into KeyboardInterrupt.
    process = subprocess.Popen([*TRACE, "--steps", "10000000"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # fmt: skip
    time.sleep(2.0)  # past the imports: the run itself is interrupted
    os.kill(process.pid, signal.SIGINT)
    try:
        code = process.wait(timeout=30)
    finally:
        process.kill()
    assert code == 130
    assert b"Traceback" not in process.stderr.read()
    process.stderr.close()
