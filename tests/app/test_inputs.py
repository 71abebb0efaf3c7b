"""The inputs panel: every validation message, and edit → branch → undo."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from calc_tutor.tui.app import CalcTutorApp
from calc_tutor.tui.widgets.choice import ChoiceMenu
from calc_tutor.tui.widgets.derivation import DerivationPanel

from .conftest import SIZE, make_app, region_text, screen_text


async def focus_field(pilot: Pilot, app: CalcTutorApp, name: str) -> None:
    """Reach a field the way a learner does: e, then tab."""
    await pilot.press("e")
    target = app.main.inputs.query_one(f"#field-{name}")
    for _ in range(10):
        if app.focused is target:
            return
        await pilot.press("tab")
    raise AssertionError(f"tab never reached the {name} field")


async def edit(pilot: Pilot, app: CalcTutorApp, name: str, text: str) -> None:
    """Replace a field's text by typing, then press Enter."""
    await focus_field(pilot, app, name)
    await pilot.press("end", "ctrl+u", *text, "enter")


async def submit(pilot: Pilot, app: CalcTutorApp, name: str, text: str) -> None:
    """Put ``text`` in a field and press Enter: ``edit`` without the typing, which the tests
    of edits cover (each key Pilot presses costs the suite about 60 ms)."""
    field = app.main.inputs.field(name)
    field.focus()
    field.value = text
    await pilot.press("enter")


async def choose(pilot: Pilot, app: CalcTutorApp, name: str, value: str) -> None:
    """Open a list with Enter, move to ``value`` with the arrow keys, and pick it."""
    field = app.main.inputs.choice(name)
    field.focus()
    moves = field.choices.index(value) - field.choices.index(field.value)
    await pilot.press("enter", *(["down"] * moves if moves > 0 else ["up"] * -moves), "enter")


def session_state(app: CalcTutorApp) -> tuple:
    session = app.session
    return (session.cursor, session.length, session.model.config, session.can_undo,
            session.params(session.cursor))  # fmt: skip


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("w", "abc", "W: 'abc' is not a number"),
        ("x", "2,", "X: is missing a number at position 2"),
        ("b", "one", "b: 'one' is not a number"),
        ("lr", "nan", "α: NaN is not allowed; expected a finite number"),
        ("lr", "", "α: is empty; expected a number"),
        ("target", "inf", "target: 'inf' is infinite; expected a finite number"),
        ("w", "-1e999", "W: '-1e999' is infinite; expected a finite number"),
        ("w", "0.5,1", "W: has 2 value(s) but X has 1; give one weight per input"),
        ("lr", "0", "α: 0 is not positive; α must be greater than 0"),
        ("lr", "-0.1", "α: -0.1 is not positive; α must be greater than 0"),
        ("target", "0.5", "target: the one-minus-y loss has a fixed target of 1"),
    ],
)
async def test_a_bad_value_says_what_is_wrong_and_leaves_the_session_alone(
    name: str, text: str, message: str
) -> None:
    app = make_app(steps=2)
    async with app.run_test(size=SIZE) as pilot:
        before = session_state(app)
        await submit(pilot, app, name, text)
        assert message in region_text(app, "#inputs-message")
        assert session_state(app) == before
        field = app.main.inputs.query_one(f"#field-{name}", Input)
        assert field.has_class("-invalid")
        assert app.focused is field  # straight back to the field to fix it
        assert field.value == text  # nothing the learner typed is lost


async def test_bce_needs_the_sigmoid_activation() -> None:
    app = make_app(activation="tanh", loss="mse")
    async with app.run_test(size=SIZE) as pilot:
        before = session_state(app)
        await choose(pilot, app, "loss", "bce")
        assert app.main.inputs.choice("loss").value == "bce"
        assert "loss: bce needs an output strictly between 0 and 1, so it needs the sigmoid " \
               "activation, not tanh" in region_text(app, "#inputs-message")  # fmt: skip
        assert session_state(app) == before
        # Choosing the sigmoid as well makes the pair valid: it applies.
        await choose(pilot, app, "activation", "sigmoid")
        config = app.session.model.config
        assert (config.activation, config.loss) == ("sigmoid", "bce")
        assert app.session.can_undo


async def test_a_list_opens_on_the_current_choice_and_escape_keeps_it() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        field = app.main.inputs.choice("loss")
        field.focus()
        await pilot.press("enter")
        assert isinstance(app.screen, ChoiceMenu)
        assert app.screen.query_one(OptionList).highlighted == field.choices.index("one-minus-y")
        await pilot.press("down", "escape")
        assert app.screen is app.main
        assert app.focused is field
        assert field.value == "one-minus-y"
        assert not app.session.can_undo
        await choose(pilot, app, "loss", "mse")
        assert app.session.model.config.loss == "mse"
        assert "sigmoid ▾" in region_text(app, "#inputs")


async def test_bce_target_must_lie_in_0_1() -> None:
    app = make_app(loss="bce", target=1.0)
    async with app.run_test(size=SIZE) as pilot:
        before = session_state(app)
        await submit(pilot, app, "target", "2")
        assert "target: 2 is outside [0, 1], as bce requires" in region_text(app, "#inputs-message")
        assert session_state(app) == before


async def test_escape_after_an_error_restores_every_field_and_clears_the_message() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await submit(pilot, app, "lr", "zero")
        await pilot.press("escape")
        inputs = app.main.inputs
        assert inputs.field("lr").value == "0.1"
        assert not inputs.field("lr").has_class("-invalid")
        assert "is not a number" not in screen_text(app)
        assert isinstance(app.focused, DerivationPanel)


async def test_an_edit_branches_from_the_current_step_and_undo_returns() -> None:
    app = make_app(steps=3)
    async with app.run_test(size=SIZE) as pilot:
        w_before = app.session.params(3)
        await edit(pilot, app, "lr", "0.5")
        session = app.session
        assert session.model.config.lr == 0.5
        assert (session.cursor, session.can_undo) == (3, True)
        assert session.params(3) == w_before  # W carried over exactly, not its rounded text
        assert "applied (u undoes)" in region_text(app, "#status")
        text = region_text(app, "#derivation")
        assert "Step 4 (preview) · n applies it" in text
        assert "0.6136 - 0.5 × (-0.3506)" in text  # the next update uses the new α
        assert isinstance(app.focused, DerivationPanel)

        await pilot.press("n")
        assert session.cursor == 4
        assert session.model_at(3).config.lr == 0.5

        await pilot.press("u")
        assert (session.cursor, session.length) == (3, 3)
        assert session.model.config.lr == 0.1
        assert app.main.inputs.field("lr").value == "0.1"
        await pilot.press("n")
        assert "0.6136 - 0.1 × (-0.3506)" in region_text(app, "#derivation")


async def test_the_number_of_features_changes_by_editing_x_then_w() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await edit(pilot, app, "x", "1,2")
        assert "W: has 1 value(s) but X has 2" in region_text(app, "#inputs-message")
        assert app.session.model.config.x == (2.0,)
        await edit(pilot, app, "w", "0.5,-0.25")
        config = app.session.model.config
        assert (config.x, config.w) == ((1.0, 2.0), (0.5, -0.25))
        # At 80×24 the forward pass of two inputs is folded (test_derivation_fold.py).
        text = region_text(app, "#derivation")
        assert "dz/dW = X = [1, 2]" in text and "= [0.5, -0.25] - 0.1 ×" in text


async def test_a_bias_can_be_added_and_removed() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await submit(pilot, app, "b", "0.1")
        assert app.session.model.config.b == 0.1
        assert "b ← b - α·dLoss/db" in region_text(app, "#derivation")
        assert "dLoss/db" in region_text(app, "#derivation")
        await submit(pilot, app, "b", "")
        assert app.session.model.config.b is None


async def test_fields_follow_the_session_and_an_unchanged_submit_changes_nothing() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "n", "n")
        assert app.main.inputs.field("w").value == "0.613643"
        await focus_field(pilot, app, "w")
        await pilot.press("enter")
        assert not app.session.can_undo
        assert "nothing changed" in screen_text(app)


async def test_fields_being_edited_are_not_overwritten_by_autoplay() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await focus_field(pilot, app, "lr")
        await pilot.press("ctrl+u", "0", ".", "3")
        app.main.action_step()  # as autoplay would, while the learner types
        await pilot.pause()
        assert app.main.inputs.field("lr").value == "0.3"
        assert app.main.inputs.field("w").value == "0.5"  # the whole panel holds still
        await pilot.press("escape")
        assert app.main.inputs.field("w").value == "0.539322"
