"""Benchmark: calc-tutor serve web in a real browser (Debian's headless Chromium).

    python tests/bench/web.py [--tabs 10]

A server starts on a free loopback port; one browser opens --tabs tabs of it, one after
another, then as many more at once. Printed:
- time to first frame: from the page's request to the first screen read from xterm.js's
  buffer (polled every POLL seconds), for a learner joining a quiet server and for a class
  opening the page at once;
- keypress-to-frame: from pressing n in a tab to its buffer showing that update applied;
- memory per tutor: proportional set size (PSS, /proc/PID/smaps_rollup), sampled while every tab
  runs; the server's own PSS apart (the browser's is not counted).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.bench.ssh import pss_mb  # noqa: E402
from tests.serve.browser import READ_SCREEN, find_terminal, has_chromium, launch, press  # noqa: E402
from tests.serve.server import Server, tutor_pids  # noqa: E402

FIRST_FRAME = "Step 1 (preview)"
STEPPED = "Step 1 · W"
POLL = 0.01
# Every tab works as if it were in front: a learner's tab is, on their own screen.
ALL_IN_FRONT = ("--disable-background-timer-throttling", "--disable-renderer-backgrounding",
                "--disable-backgrounding-occluded-windows")  # fmt: skip
TIMEOUT = 60.0


def wait_for(page, text: str) -> float:  # noqa: ANN001
    """When ``text`` appeared on the page's screen (time.perf_counter())."""
    deadline = time.perf_counter() + TIMEOUT
    while text not in page.evaluate(READ_SCREEN):
        if time.perf_counter() > deadline:
            raise SystemExit(f"{text!r} never appeared")
        time.sleep(POLL)
    return time.perf_counter()


def open_tabs(context, url: str, count: int, at_once: bool) -> tuple[list, list[float]]:  # noqa: ANN001
    """``count`` new tabs of ``url``, each waited for before the next (or not, ``at_once``);
    with the seconds from each one's request to its first frame."""
    pages, started, drawn = [], [], {}
    for index in range(count):
        page = context.new_page()
        started.append(time.perf_counter())
        page.goto(url)
        find_terminal(page, context, TIMEOUT)
        if not at_once:
            drawn[index] = wait_for(page, FIRST_FRAME)
        pages.append(page)
    for index, page in enumerate(pages):
        if index not in drawn:
            drawn[index] = wait_for(page, FIRST_FRAME)
    return pages, [drawn[index] - start for index, start in enumerate(started)]


def summary(values: list[float], unit: str = "s") -> str:
    values = sorted(values)
    p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
    return (f"median {statistics.median(values):.2f} {unit}, p95 {p95:.2f} {unit}, "
            f"max {values[-1]:.2f} {unit} (n={len(values)})")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tabs", type=int, default=10)
    tabs = parser.parse_args().tabs
    if not has_chromium():
        raise SystemExit("no Chromium: apt-get install chromium")
    with tempfile.TemporaryDirectory() as state, sync_playwright() as playwright:
        server = Server.start(Path(state), "--max-sessions", str(2 * tabs), "--per-address",
                              str(2 * tabs), mode="web")  # fmt: skip
        context = launch(playwright, Path(state) / "profile", *ALL_IN_FRONT)
        url = f"http://127.0.0.1:{server.port}/"
        try:
            one_by_one, joined = open_tabs(context, url, tabs, at_once=False)
            print(f"first frame, one learner joining at a time: {summary(joined)}; first tab "
                  f"{joined[0]:.2f} s")  # fmt: skip
            keys = []
            for page in one_by_one:
                page.bring_to_front()
                pressed = time.perf_counter()
                press(page, "n")
                keys.append((wait_for(page, STEPPED) - pressed) * 1000)
            print(f"keypress to frame (buffer polled every {POLL * 1000:.0f} ms): {summary(keys, 'ms')}")
            _, at_once = open_tabs(context, url, tabs, at_once=True)
            print(f"first frame, {tabs} tabs opened at once: {summary(at_once)}")
            tutors = tutor_pids(server.process.pid)
            sizes = [size for pid in tutors if (size := pss_mb(pid)) is not None]
            print(f"memory per tutor (PSS), {len(sizes)} running: median "
                  f"{statistics.median(sizes):.1f} MB, max {max(sizes):.1f} MB; "
                  f"the server's own: {pss_mb(server.process.pid):.1f} MB")  # fmt: skip
        finally:
            context.close()
            server.stop()


if __name__ == "__main__":
    main()
