"""calc-tutor serve web in a real browser (issue 8): the page shows the tutor's first frame, and
a key pressed in the page steps it. Skipped only where no Chromium is installed (.ci/run
installs Debian's)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import sync_playwright

from .browser import CHROMIUM, find_terminal, has_chromium, launch, press, wait_for_screen
from .server import Server, step_one_w

pytestmark = pytest.mark.skipif(not has_chromium(), reason=f"no Chromium at {CHROMIUM} "
                                "(apt-get install chromium)")  # fmt: skip
FRAME_SECONDS = 30.0  # a fresh browser on a busy two-core machine (10 tabs at once: ~14 s)


def test_the_page_shows_the_tutor_and_a_key_steps_it(tmp_path):
    server = Server.start(tmp_path, "--w", "-0.25", mode="web")
    try:
        with sync_playwright() as playwright:
            context = launch(playwright, tmp_path / "profile")
            try:
                page = context.new_page()
                page.goto(f"http://127.0.0.1:{server.port}/")
                find_terminal(page, context, FRAME_SECONDS)
                first = wait_for_screen(page, "Step 1 (preview)", FRAME_SECONDS)
                assert re.search(r"Step 1 \(preview\) · W −0\.25 → ", first)
                press(page, "n")
                after = f"{step_one_w(-0.25):.4g}".replace("-", "−")
                stepped = wait_for_screen(page, f"Step 1 · W −0.25 → {after}", FRAME_SECONDS)
                assert "(preview)" not in stepped
            finally:
                context.close()
    finally:
        assert server.stop() == 0
    assert any(re.fullmatch(r"\S+Z 127\.0\.0\.1 \d+\.\d s\n", line) for line in server.log)
