"""A browser tab's tutor: ``python -m calc_tutor.tui.serve.in_browser FLAGS``, started by
``serve web`` with Textual's web driver on pipes.

It asks the kernel to end it when the server dies: textual-serve's tutors outlive a server that
was killed outright (SIGKILL), and nothing else would end them then.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
SERVER_PID = "CALC_TUTOR_SERVER_PID"  # set by the server: the parent this tutor must not outlive


def end_with_parent(parent: int) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent:  # it died before the request took effect
        sys.exit(0)


def main() -> None:
    from .in_pty import run_tutor

    end_with_parent(int(os.environ.pop(SERVER_PID, "0")) or os.getppid())
    sys.exit(run_tutor(sys.argv[1:]))


if __name__ == "__main__":
    main()
