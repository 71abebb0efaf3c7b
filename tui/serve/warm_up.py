"""One tutor run in the fork server before it forks any: what every tutor would otherwise load
or work out for itself on its way to the first frame is then done once, and shared.

A tutor loads modules lazily (layouts, width tables), parses its stylesheet, builds the styles
and glyph caches of its first frame and of its first step. Run once here, headless at 80×24,
that work stays in the fork server's memory, which every forked tutor starts from.
"""

from __future__ import annotations

import asyncio
import threading

from calc_tutor.core.config import ConfigError

SIZE = (80, 24)  # the size a learner's terminal most likely has
THREAD_SECONDS = 5.0  # the app's workers (loading the plotting libraries) are done well before


def warm_up(tutor_argv: list[str]) -> bool:
    """Run the tutor ``tutor_argv`` starts (without its lesson, which would read the learner's
    progress) to its first frame and one step, then close it. False if it could not run: a
    tutor then starts cold, as it would without this."""
    from ..app import CalcTutorApp
    from ..cli import build_parser, join_negative_values, setup_from_args

    args = build_parser().parse_args(join_negative_values(tutor_argv))
    try:
        setup = setup_from_args(args, default_steps=0)
    except ConfigError:
        return False  # checked before serving; a tutor will say what is wrong
    app = CalcTutorApp(setup.model, steps=0, theme=args.theme, ascii_only=args.ascii)

    async def first_frame_and_step() -> None:
        async with app.run_test(size=SIZE, tooltips=True, notifications=True) as pilot:
            await pilot.press("n")
            await pilot.pause()

    asyncio.run(first_frame_and_step())
    # Forking is safe only without threads: wait for the app's worker threads to end.
    for thread in threading.enumerate():
        if thread is not threading.main_thread():
            thread.join(THREAD_SECONDS)
    return threading.active_count() == 1
