"""Make the README's screenshots by driving the real app: python screenshots/make.py

The states (and the keys that reach them) are the ones the snapshot tests guard:
tests/look/states.py. Each is saved as an SVG beside this script.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent))  # the repository root, for the tests package

from tests.look.states import STATES, State  # noqa: E402


async def shoot(state: State) -> Path:
    app = state.app()
    async with app.run_test(size=state.screenshot_size) as pilot:
        await state.run_before()(pilot)
        app.save_screenshot(f"{state.name}.svg", str(HERE))
    return HERE / f"{state.name}.svg"


async def main() -> None:
    for state in STATES:
        print(await shoot(state))


if __name__ == "__main__":
    asyncio.run(main())
