"""Key x: the session so far saved as Markdown in a new file here, the same text as
``calc-tutor trace --format markdown`` for the same run; never over an existing file."""

from __future__ import annotations

import io

from calc_tutor.tui.trace import run_trace

from .conftest import SIZE, make_app, wait_until


async def test_x_saves_the_run_as_the_trace_writes_it(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "n", "n", "x")
        screen = app.screen
        assert await wait_until(pilot, lambda: screen.notice.startswith("transcript saved"))
        await pilot.press("x")
        assert await wait_until(pilot, lambda: len(list(tmp_path.glob("*.md"))) == 2)
    files = sorted(tmp_path.glob("calc-tutor-*.md"))
    assert len(files) == 2  # the second save made a new file
    expected = io.StringIO()
    run_trace(app.session.model, 3, "markdown", expected, io.StringIO())
    for path in files:
        assert path.read_text(encoding="utf-8") == expected.getvalue()
    assert files[0].name in screen.notice or files[1].name in screen.notice


async def test_an_unwritable_directory_is_a_notice(tmp_path, monkeypatch) -> None:
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()  # the current directory no longer exists
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "x")
        screen = app.screen
        assert await wait_until(pilot, lambda: screen.notice.startswith("could not save"))
        await pilot.press("n")  # the app goes on
        assert app.session.cursor == 2
