"""Predict mode in the graph view (c, then k): each node's gradient asked before the backward
walk reveals it, in the walk's order; right, wrong and twice-wrong answers; the update shown and
applied after the last node; esc; c while asking; the network's fan-out; --ascii. Values come
from the independent autodiff."""

from __future__ import annotations

import numpy as np

from calc_tutor.core.graph import OTHERS, ROUTER_NOTES
from calc_tutor.core.numbers import fmt_value
from calc_tutor.tui.widgets.derivation import DerivationPanel
from calc_tutor.tui.widgets.graph import GraphPanel

from ..core import oracle
from ..core.test_graph import mlp_expected_gradients
from .conftest import SIZE, make_app, raw_screen_text, region_text, screen_text

# The seed neuron's nodes in the backward walk's order: the loss (dLoss/dLoss = 1) is its start.
ASKED = ["y", "z", "W", "X"]
FIELDS = {"y": "dloss_dy", "z": "dloss_dz", "W": "dloss_dw", "X": "dloss_dx"}


def truth(node: str, w: float = 0.5) -> float:
    """dLoss/d(node) for the seed neuron (X = 2, sigmoid, Loss = 1 − y), from the oracle."""
    value = oracle.neuron_expected((w,), (2.0,), None, 0.1, "sigmoid", "one-minus-y", 1.0)[FIELDS[node]]
    return float(value[0]) if hasattr(value, "__len__") else float(value)


def shown(value: float) -> str:
    """A value as screen_text reads it ("−" as "-")."""
    return fmt_value(value).replace("−", "-")


def asked_node(app) -> str:
    screen = app.main
    assert screen.predict is not None and screen.predict.question is not None
    return screen.query_one(GraphPanel).graph.backward[screen.predict.index - 1].node


def card_gradients(app) -> dict[str, str]:
    """Each box drawn in the graph panel: its name, and what its bottom frame says after "g "
    ("" when nothing)."""
    panel = app.main.query_one(GraphPanel).region
    rows = [row[panel.x + 1 : panel.right - 1] for row in screen_text(app).splitlines()]
    found = {}
    for y, row in enumerate(rows[panel.y + 1 : panel.bottom - 3], start=panel.y + 1):
        for x, char in enumerate(row):
            if char == "╭":
                title = row[x + 1 :].split("╮")[0].strip(" ─")
                bottom = rows[y + 2][x + 1 :].split("╯")[0].strip(" ─")
                # "sigmoid y" is y's box; "Loss = 1 - y" the loss's
                name = "Loss" if title.startswith("Loss") else title.split()[-1]
                found[name] = bottom[2:] if bottom.startswith("g ") else ""
    return found


async def answer(pilot, text: str) -> None:
    pilot.app.screen.bar.answer.value = text
    await pilot.press("enter")
    await pilot.pause()


async def test_c_then_k_asks_dloss_dy_first_with_its_box_marked_and_its_formula_above() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "k")
        await pilot.pause()
        screen = app.main
        assert screen.graph_shown and app.main.query_one(GraphPanel).display  # the graph stays
        assert not app.main.query_one(DerivationPanel).display
        assert asked_node(app) == "y" and screen.bar.answer.has_focus
        assert region_text(app, "#predict-prompt") == "dLoss/dy = ?"  # not "dLoss/dy = -1 = ?"
        cards = card_gradients(app)
        assert cards["y"] == "?" and cards["Loss"] == "1"  # the walk's start, and the box asked
        assert cards["z"] == cards["W"] == cards["X"] == ""
        walk = region_text(app, "#graph-walk")
        assert walk == "dLoss/dy = ?", walk
        assert "Step 1 · predict box 2 of 5" in region_text(app, "#graph-title")
        assert "Predict · 0/0" in region_text(app, "#status")


async def test_a_right_answer_reveals_the_nodes_gradient_and_asks_the_next() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "k")
        await answer(pilot, repr(truth("y")))
        assert asked_node(app) == "z"
        cards = card_gradients(app)
        assert cards["y"] == shown(truth("y")) and cards["z"] == "?"
        # Under the next question, the feedback names what it answers.
        assert f"dLoss/dy: Right first time: {shown(truth('y'))}" in region_text(app, "#predict-feedback")
        walk = region_text(app, "#graph-walk")
        assert walk.startswith("dLoss/dz = dLoss/dy · dy/dz") and walk.endswith("= ?")
        assert shown(truth("z")) not in screen_text(app)  # neither on its box nor above it
        await answer(pilot, repr(truth("z")))
        assert asked_node(app) == "W"
        assert card_gradients(app)["z"] == shown(truth("z"))
        assert str(app.main.predict.score) == "2/2 right first time"


async def test_wrong_twice_gets_the_hint_without_the_value_then_the_value_with_why() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "k")
        await answer(pilot, repr(truth("y")))
        await answer(pilot, "5")  # dLoss/dz is about −0.2
        feedback = region_text(app, "#predict-feedback")
        assert "Hint" in feedback and "dLoss/dz = dLoss/dy · dy/dz, with upstream" in feedback
        assert "× local" in feedback.replace("x", "×")
        assert shown(truth("z")) not in feedback
        assert asked_node(app) == "z" and card_gradients(app)["z"] == "?"  # still asked
        await answer(pilot, "7")
        feedback = region_text(app, "#predict-feedback")
        assert f"It is {shown(truth('z'))}." in feedback
        assert ROUTER_NOTES["activation"].split(":")[0] in feedback  # what the gate did
        assert card_gradients(app)["z"] == shown(truth("z")) and asked_node(app) == "W"
        assert str(app.main.predict.score) == "1/2 right first time"


async def test_no_hint_contains_its_value() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "k")
        for node in ASKED:
            assert asked_node(app) == node
            await answer(pilot, repr(truth(node) + 3))
            hint = region_text(app, "#predict-feedback")
            assert "Hint" in hint and shown(truth(node)) not in hint, hint
            await answer(pilot, repr(truth(node)))


async def test_the_whole_walk_shows_the_update_applies_it_and_goes_on() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "k")
        for node in ASKED:
            assert asked_node(app) == node
            assert app.session.cursor == 0
            await answer(pilot, repr(truth(node)))
        screen = app.main
        w_next = oracle.neuron_expected((0.5,), (2.0,), None, 0.1, "sigmoid", "one-minus-y", 1.0)["w_next"][0]
        assert screen.predict.paused and app.session.cursor == 1
        assert abs(app.session.params(1)[0] - w_next) <= 1e-12
        assert "Step 1 applied. Enter: predict step 2" in region_text(app, "#predict-row")
        walk = region_text(app, "#graph-walk")
        assert "W ← W - α·dLoss/dW" in walk and shown(w_next) in walk
        assert "s applies it" not in walk  # it has been applied
        assert "Step 1 · graph" in region_text(app, "#graph-title")
        assert "Predict · 4/4 right first time" in region_text(app, "#status")
        await answer(pilot, "")  # Enter: the next update, asked from its loss again
        assert asked_node(app) == "y" and screen.step == 2
        await answer(pilot, repr(truth("y", w_next)))
        await answer(pilot, repr(truth("z", w_next)))
        assert card_gradients(app)["z"] == shown(truth("z", w_next))
        assert str(screen.predict.score) == "6/6 right first time"


async def test_esc_leaves_and_the_graph_walks_again() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "k")
        await answer(pilot, repr(truth("y")))
        await pilot.press("escape")
        await pilot.pause()
        screen = app.main
        assert screen.predict is None and not screen.bar.display
        assert screen.notice == "predict off: 1/1 right first time"
        assert screen.graph_shown and screen.graph_walked == 0 and app.session.cursor == 0
        assert "?" not in card_gradients(app).values()
        await pilot.press("s", "s")
        await pilot.pause()
        assert screen.graph_walked == 2 and card_gradients(app)["y"] == shown(truth("y"))


async def test_c_waits_while_a_question_is_open_and_switches_the_view_between_updates() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "k")
        screen = app.main
        await pilot.press("c")
        await pilot.pause()
        assert screen.graph_shown and asked_node(app) == "y"
        assert "c waits until you answer" in region_text(app, "#status")
        for node in ASKED:
            await answer(pilot, repr(truth(node)))
        assert screen.predict.paused
        await pilot.press("c")  # between updates: the derivation, and the next is asked there
        await pilot.pause()
        assert not screen.graph_shown and screen.bar.answer.has_focus
        await answer(pilot, "")
        derivation = screen.query_one(DerivationPanel).current()[0]
        assert derivation.lines[screen.predict.index - 1].name == "z"  # the derivation's first
        assert screen.asking == screen.predict.index


async def test_k_with_the_derivation_shown_still_asks_its_lines() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("k")
        await pilot.pause()
        screen = app.main
        assert not screen.graph_shown and screen.asking == 1
        assert screen.predict.question.label.startswith("z = W·X")


async def test_while_asking_the_title_hides_ws_move() -> None:
    """W before → after would give dLoss/dW away (W moves by −α·dLoss/dW)."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await pilot.pause()
        w_next = oracle.neuron_expected((0.5,), (2.0,), None, 0.1, "sigmoid", "one-minus-y", 1.0)["w_next"][0]
        assert shown(w_next)[:5] in region_text(app, "#graph-title")
        await pilot.press("k")
        await answer(pilot, repr(truth("y")))
        await answer(pilot, repr(truth("z")))
        assert asked_node(app) == "W"
        assert shown(w_next)[:5] not in screen_text(app)


def network_app():
    from calc_tutor.core.config import MlpConfig
    from calc_tutor.core.mlp import Mlp
    from calc_tutor.tui.app import CalcTutorApp

    model = Mlp(MlpConfig(x=(1.0, 2.0), hidden=3))
    expected = mlp_expected_gradients(model, model.initial_params())
    expected[OTHERS] = expected["z2"]  # the other units' sum: the sum z2's gradient passes on
    return CalcTutorApp(model), expected


async def answer_the_network(pilot, expected: dict) -> list[str]:
    """Answer every question of one update with the oracle's value; the nodes asked, in order."""
    app, asked = pilot.app, []
    while app.main.predict.question is not None:
        node = asked_node(app)
        asked.append(node)
        assert card_gradients(app).get(node, "?") == "?"  # the box asked shows no gradient
        await answer(pilot, ", ".join(repr(float(v)) for v in np.ravel(expected[node])))
    return asked


async def test_the_network_asks_all_its_paths_nodes_once_and_xs_fan_out_sum_last() -> None:
    app, expected = network_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "up", "k")  # all paths (80×24 starts on one unit's)
        await pilot.pause()
        assert "all paths" in region_text(app, "#graph-title")
        asked = await answer_the_network(pilot, expected)
        nodes = 7 * 3 + 4  # per unit W1, ·, b1, z1, h, w2, ·; then b2, z2, y and X
        assert len(asked) == nodes and len(set(asked)) == nodes and "Loss" not in asked
        assert asked[0] == "y" and asked[-1] == "X"  # X's sum of its three paths, once
        assert str(app.main.predict.score) == f"{nodes}/{nodes} right first time"
        assert app.session.cursor == 1


async def test_the_network_at_80_by_24_asks_the_boxes_of_the_path_drawn() -> None:
    """One unit's path, the other units in one box: those boxes are asked, and X's sum over
    every unit's path (the drawing shows one of them)."""
    app, expected = network_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "k")
        await pilot.pause()
        assert "path of W1[1]" in region_text(app, "#graph-title")
        asked = await answer_the_network(pilot, expected)
        assert asked == ["y", "z2", OTHERS, "b2", "w2[1]·h[1]", "w2[1]", "h[1]", "z1[1]", "b1[1]",
                         "W1[1]·X", "W1[1]", "X"]  # fmt: skip
        assert app.session.cursor == 1
        await pilot.press("down")  # ↑/↓ wait between updates too: the path is the one asked
        await pilot.pause()
        assert "path of W1[1]" in region_text(app, "#graph-title")


async def test_ascii_is_ascii_while_asking_and_after() -> None:
    app = make_app(ascii_only=True, b=0.25)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "k")
        await pilot.pause()
        assert "g ?" in raw_screen_text(app)
        for _ in range(6):
            await answer(pilot, "9")  # wrong: the hint, in ASCII
            text = raw_screen_text(app)
            assert text.isascii(), sorted({c for c in text if not c.isascii()})
            await answer(pilot, "9")  # wrong again: the value and why
            text = raw_screen_text(app)
            assert text.isascii(), sorted({c for c in text if not c.isascii()})
        assert app.main.predict.paused and app.session.cursor == 1


def test_help_and_the_palette_say_k_predicts_in_the_derivation_and_in_the_graph() -> None:
    from calc_tutor.tui.commands import COMMANDS

    predict = next(command for command in COMMANDS if command.id == "predict")
    assert "line" in predict.description and "graph" in predict.description
    assert "gradient" in predict.description
    from calc_tutor.tui.screens.help import PANELS

    assert "k asks you each box's gradient" in dict(PANELS)["Graph"]


async def test_the_path_on_show_stays_while_the_answer_row_takes_the_panels_rows() -> None:
    """At 240×33 the network's whole graph just fits: the answer row, opening, leaves room for
    one unit's path only. The boxes asked are those drawn when k was pressed."""
    app, expected = network_app()
    async with app.run_test(size=(240, 33)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        assert "all paths" in region_text(app, "#graph-title")
        await pilot.press("k")
        await pilot.pause()
        await answer(pilot, "9")  # wrong: the hint takes another row
        title = region_text(app, "#graph-title")
        assert "all paths" in title and "of 26" in title, title
        assert len(await answer_the_network(pilot, expected)) == 7 * 3 + 4
