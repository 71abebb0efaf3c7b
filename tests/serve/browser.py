"""Debian's headless Chromium, driven by Playwright, reading a served tutor's screen.

xterm.js draws on a canvas (WebGL): the page's DOM holds no text. The screen is read from the
terminal's own buffer, through the page's terminal object (found by its fields, as the page
script keeps it in no global).
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from playwright.sync_api import BrowserContext, Page, Playwright

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
FIND_TERMINAL = """function () {
    window.tutorTerminal = this.find(o => o && o.terminal && o.websocket_url);
    return Boolean(window.tutorTerminal);
}"""
READ_SCREEN = """() => {
    const terminal = window.tutorTerminal.terminal, buffer = terminal.buffer.active, rows = [];
    for (let y = 0; y < terminal.rows; y++) rows.push(buffer.getLine(y).translateToString(true));
    return rows.join("\\n");
}"""


def has_chromium() -> bool:
    return Path(CHROMIUM).is_file()


def launch(playwright: Playwright, profile: Path, *flags: str) -> BrowserContext:
    """A fresh headless browser (its own profile folder), 1000×700 CSS pixels at scale 1."""
    return playwright.chromium.launch_persistent_context(
        profile, executable_path=CHROMIUM, headless=True, args=[*FLAGS, *flags],
        viewport={"width": 1000, "height": 700}, device_scale_factor=1,
    )  # fmt: skip


def find_terminal(page: Page, context: BrowserContext, timeout: float) -> None:
    """Keep the page's terminal object where READ_SCREEN finds it (once the script made it)."""
    cdp = context.new_cdp_session(page)
    deadline = time.monotonic() + timeout
    while True:
        prototype = cdp.send("Runtime.evaluate", {"expression": "Object.prototype"})["result"]
        objects = cdp.send("Runtime.queryObjects", {"prototypeObjectId": prototype["objectId"]})
        found = cdp.send("Runtime.callFunctionOn", {
            "objectId": objects["objects"]["objectId"], "functionDeclaration": FIND_TERMINAL,
            "returnByValue": True,
        })["result"]["value"]  # fmt: skip
        if found:
            return
        if time.monotonic() > deadline:
            raise AssertionError("the page made no terminal")
        time.sleep(0.05)


def wait_for_screen(page: Page, text: str, timeout: float) -> str:
    """The screen once ``text`` is on it."""
    deadline = time.monotonic() + timeout
    while text not in (screen := page.evaluate(READ_SCREEN)):
        if time.monotonic() > deadline:
            raise AssertionError(f"{text!r} never appeared; the screen:\n{screen}")
        time.sleep(0.05)
    return screen


def press(page: Page, key: str) -> None:
    # Keys reach xterm.js through its hidden textarea: without focus they are lost.
    page.focus(".xterm-helper-textarea")
    page.keyboard.press(key)
