"""The graph view (key c) and its backward walk (s): every gradient on screen is the step
record's, one box a key, then the update; c gives the derivation back."""

from __future__ import annotations

from calc_tutor.core.numbers import fmt_value
from calc_tutor.tui.widgets.derivation import DerivationPanel
from calc_tutor.tui.widgets.graph import GraphPanel

from .conftest import SIZE, make_app, raw_screen_text, region_text, screen_text


def expected_gradients(record) -> dict[str, float]:
    """dLoss/d(node) for the seed neuron's nodes, read straight from the step record's fields."""
    return {"Loss": 1.0, "y": record.dloss_dy, "z": record.dloss_dz, "W": record.dloss_dw[0],
            "X": record.dloss_dx[0]}  # fmt: skip


def graph_text(app) -> str:
    return region_text(app, "#graph")


def drawing_text(app) -> str:
    """The whole drawing, the rows scrolled out of view too."""
    canvas = app.main.query_one(GraphPanel).canvas
    rows = canvas.rows_for(canvas.content_size.width)
    return "\n".join("".join(cell.char for cell in row) for row in rows).replace("−", "-")


def shown_gradients(app) -> list[str]:
    """The "g …" texts on the cards, in screen order."""
    text = screen_text(app)
    return [part.split()[0] for part in text.split("g ")[1:] if part[:1] in "-0123456789"]


async def test_c_shows_the_graph_in_the_derivations_place_and_c_gives_it_back() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await pilot.pause()
        assert app.main.query_one(GraphPanel).display
        assert not app.main.query_one(DerivationPanel).display
        text = graph_text(app)
        for forward in ("0.5", "2", "0.731059", "0.268941"):  # W, X, y and the loss
            assert forward in text
        assert "dLoss/dW" not in screen_text(app)  # no derivation line while the graph shows
        await pilot.press("c")
        await pilot.pause()
        assert app.main.query_one(DerivationPanel).display
        assert not app.main.query_one(GraphPanel).display
        assert "dLoss/dW" in screen_text(app)


async def test_s_walks_back_one_node_a_key_with_the_records_gradients_then_applies() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        record = app.session.preview()
        expected = expected_gradients(record)
        order = ["Loss", "y", "z", "W", "X"]
        await pilot.press("c")
        await pilot.pause()
        assert shown_gradients(app) == []  # a preview: no gradient before the walk reaches it
        for walked, node in enumerate(order, 1):
            await pilot.press("s")
            await pilot.pause()
            text = graph_text(app)
            value = fmt_value(expected[node]).replace("−", "-")
            assert f"g {value}" in text, (node, text)
            assert len(shown_gradients(app)) == walked
            if node == "Loss":  # the start: said once, nothing multiplied yet
                assert text.count("dLoss/dLoss = 1") == 1 and "upstream" not in region_text(app, "#graph-walk")
            else:  # upstream × local = gradient, with the numbers
                assert f"dLoss/d{node} = " in text and " × " in text.replace("x", "×")
                assert text.split("= ")[-1].split()[0] == value or f"= {value}" in text
            assert app.session.cursor == 0  # walking does not apply anything
            assert "Step 1" in region_text(app, "#status")  # every panel speaks of update 1
        await pilot.press("s")  # the update
        await pilot.pause()
        text = graph_text(app)
        assert "W ← W - α·dLoss/dW" in text  # screen_text reads "−" as "-"
        assert fmt_value(record.w_next[0]) in text
        await pilot.press("s")  # applies it
        await pilot.pause()
        assert app.session.cursor == 1
        assert app.session.params(1) == record.w_next
        assert app.main.graph_walked == 0
        # The applied update: all its gradients, the same as the record's.
        assert sorted(shown_gradients(app)) == sorted(
            fmt_value(v).replace("−", "-") for v in expected.values())


async def test_b_cancels_the_walk_and_n_steps_from_the_graph() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "s", "s")
        await pilot.pause()
        assert app.main.graph_walked == 2
        await pilot.press("b")
        await pilot.pause()
        assert app.main.graph_walked == 0 and app.session.cursor == 0
        await pilot.press("n")
        await pilot.pause()
        assert app.session.cursor == 1
        record = app.session.record(1)
        assert "Step 1" in graph_text(app)
        assert fmt_value(record.dloss_dw[0]).replace("−", "-") in graph_text(app)


async def test_the_graph_under_ascii_is_ascii_through_the_walk() -> None:
    app = make_app(ascii_only=True, b=0.25)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        for _ in range(8):
            await pilot.press("s")
            await pilot.pause()
            text = raw_screen_text(app)
            assert text.isascii(), sorted({c for c in text if not c.isascii()})


async def test_the_walk_fits_at_80_by_24_and_the_whole_neuron_shows_at_120_by_40() -> None:
    for size in (SIZE, (120, 40)):
        app = make_app(b=0.25)
        async with app.run_test(size=size) as pilot:
            await pilot.press("c", "s", "s", "s")
            await pilot.pause()
            panel = app.main.query_one(GraphPanel)
            # Every card and the walk's rows are inside the panel, without scrolling.
            assert panel.scroller.max_scroll_y == 0, size
            text = graph_text(app)
            for name in ("W", "X", "b", "z", "y", "Loss"):
                assert f" {name} " in f" {text} ", (size, name)


async def test_the_networks_walk_ends_at_x_with_the_sum_of_its_paths() -> None:
    """X feeds every hidden unit: its step adds one product per unit, and the box shows the
    record's dLoss/dX."""
    from calc_tutor.core.config import MlpConfig
    from calc_tutor.core.mlp import Mlp
    from calc_tutor.tui.app import CalcTutorApp

    app = CalcTutorApp(Mlp(MlpConfig(x=(1.0, 2.0), hidden=3)))
    async with app.run_test(size=SIZE) as pilot:
        record = app.session.preview()
        nodes = 7 * 3 + 5  # X; per unit W1, ·, b1, z1, h, w2, ·; b2, z2, y, Loss
        await pilot.press("c", "up")  # all paths (80×24 starts on one unit's)
        await pilot.press(*["s"] * nodes)
        await pilot.pause()
        text = graph_text(app)
        assert text.count("dLoss/d(W1[") == 3, text  # one path through each hidden unit
        dloss_dx = "[" + ", ".join(fmt_value(v) for v in record.dloss_dx) + "]"
        assert dloss_dx.replace("−", "-") in text  # the walk's value and X's box
        assert "X feeds 3 paths" in text
        assert app.session.cursor == 0
        await pilot.press("s", "s")  # the update, then applied
        await pilot.pause()
        assert app.session.cursor == 1


async def test_at_120_by_40_the_seed_neuron_reads_in_one_row_from_w_to_the_loss() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        rows = screen_text(app).splitlines()
        top = next(i for i, row in enumerate(rows) if "╭ W " in row)
        band = "\n".join(rows[top : top + 6])  # the rows of W's and X's boxes
        assert all(f" {name} " in band for name in ("W", "X", "z", "y", "Loss")), band


async def test_the_view_says_what_an_arrows_number_is_and_the_loss_box_its_formula() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await pilot.pause()
        text = region_text(app, "#graph-walk")
        assert "arrow's number: the local derivative" in text
        assert "how fast the box it enters moves when this box moves" in text
        assert "Loss = 1 - y" in graph_text(app)  # the loss's box by its formula (screen_text reads − as -)


async def test_help_has_the_graph_among_the_panels_and_says_what_s_does_there() -> None:
    from calc_tutor.tui.screens.help import PANELS
    from calc_tutor.tui.commands import COMMANDS

    graph = dict(PANELS)["Graph"]
    assert "local derivative" in graph and "upstream" in graph
    line = next(command for command in COMMANDS if command.id == "line")
    assert "graph" in line.description and "box" in line.description


async def test_after_an_update_the_graph_says_which_update_it_shows_as_the_derivation_does() -> None:
    """After n, W's box shows the W update 1 started from (0.5) while the inputs show where it
    landed: the title and the hint say so; s then walks update 2, from the new W."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        record = app.session.preview()
        await pilot.press("n", "c")
        await pilot.pause()
        title = region_text(app, "#graph-title")
        moved = f"W {fmt_value(record.w[0])[:6]} → {fmt_value(record.w_next[0])[:6]}"
        assert "Step 1 " in title and moved.replace("−", "-") in title, title
        assert "Step 1 " in region_text(app, "#status")
        assert "Update 1, already applied" in region_text(app, "#graph-walk")
        await pilot.press("s")
        await pilot.pause()
        assert "Step 2 (preview)" in region_text(app, "#graph-title")
        w_box = next(row for row in screen_text(app).splitlines() if "╭ W " in row)
        rows = screen_text(app).splitlines()
        value_row = rows[rows.index(w_box) + 1]
        assert fmt_value(record.w_next[0]) in value_row  # update 2 starts where 1 landed


async def test_a_new_walk_clears_a_stale_notice_and_c_says_a_half_done_walk_ended() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "s", "s", "b")
        await pilot.pause()
        assert "walk-through cancelled" in region_text(app, "#status")
        await pilot.press("s")
        await pilot.pause()
        assert "cancelled" not in region_text(app, "#status")
        await pilot.press("s", "c")
        await pilot.pause()
        assert "walk-through ended" in region_text(app, "#status")
        await pilot.press("s", "c")  # a derivation walk ends the same way
        await pilot.pause()
        assert app.main.graph_shown and "walk-through ended" in region_text(app, "#status")
        await pilot.press("c")  # no walk: nothing to say
        await pilot.pause()
        assert "ended" not in region_text(app, "#status")


async def test_the_networks_update_step_fits_80_by_24_with_its_last_result_and_hint() -> None:
    from calc_tutor.core.config import MlpConfig
    from calc_tutor.core.mlp import Mlp
    from calc_tutor.tui.app import CalcTutorApp

    app = CalcTutorApp(Mlp(MlpConfig(x=(2.0,), hidden=3)))
    async with app.run_test(size=SIZE) as pilot:
        record = app.session.preview()
        await pilot.press("c", "up")  # all paths: ten parameters
        await pilot.press(*["s"] * (7 * 3 + 5 + 1))
        await pilot.pause()
        walk = region_text(app, "#graph-walk")
        assert f"b2: 0 - 0.5 × " in walk and fmt_value(record.b2_next).replace("−", "-") in walk
        assert "s applies it" in walk
        panel = app.main.query_one(GraphPanel)
        assert panel.walk_row.region.bottom <= panel.region.bottom - 1  # inside the frame


async def test_ascii_keeps_times_and_separators_apart() -> None:
    """Under --ascii "*" is multiplication only: the product's box is "* z" (not "x z" beside
    the input X) and the status line and titles separate their parts with "|"."""
    app = make_app(ascii_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "s", "s", "s", "s")
        await pilot.pause()
        assert "+ * z " in graph_text(app) and "x z" not in graph_text(app)
        assert "dLoss/dz * dz/dW" in region_text(app, "#graph-walk")
        status, title = region_text(app, "#status"), region_text(app, "#graph-title")
        assert "*" not in status and " | " in status, status
        assert "*" not in title and " | " in title, title


def network_app(hidden: int = 3):
    from calc_tutor.core.config import MlpConfig
    from calc_tutor.core.mlp import Mlp
    from calc_tutor.tui.app import CalcTutorApp

    return CalcTutorApp(Mlp(MlpConfig(x=(2.0,), hidden=hidden)))


async def test_at_80_by_24_the_network_draws_one_units_path_and_down_picks_the_next() -> None:
    app = network_app()
    async with app.run_test(size=SIZE) as pilot:
        record = app.session.preview()
        await pilot.press("c")
        await pilot.pause()
        for k, expected in ((1, "path of W1[1]"), (2, "path of W1[2]"), (3, "path of W1[3]"),
                            (0, "all paths"), (1, "path of W1[1]")):  # fmt: skip
            assert expected in region_text(app, "#graph-title"), k
            text = drawing_text(app)
            if k:  # this unit's boxes, no other unit's; the others as one box
                assert f"h[{k}]" in text and "Σ other units" in text
                assert not any(f"h[{j}]" in text for j in (1, 2, 3) if j != k), text
                others = sum(w * h for j, (w, h) in enumerate(zip(record.w2, record.h)) if j != k - 1)
                assert fmt_value(others).replace("−", "-") in text
            await pilot.press("down")
            await pilot.pause()
        await pilot.press("up", "up", "up")  # back from W1[2] through W1[1] and all paths
        await pilot.pause()
        assert "path of W1[3]" in region_text(app, "#graph-title")


async def test_a_paths_walk_reaches_its_own_boxes_then_its_update_then_applies_all() -> None:
    app = network_app()
    async with app.run_test(size=SIZE) as pilot:
        record = app.session.preview()
        await pilot.press("c", "down")  # W1[2]'s path
        # Loss, y, z2, other units, b2, w2[2]·h[2], w2[2], h[2], z1[2], b1[2], W1[2]·X, W1[2], X
        await pilot.press(*["s"] * 13)
        await pilot.pause()
        assert "dLoss/dX = " in graph_text(app) and "X feeds 3 paths" in graph_text(app)
        dloss_dx = fmt_value(record.dloss_dx[0]).replace("−", "-")
        assert f"g {dloss_dx}" in drawing_text(app)  # the sum over every unit
        await pilot.press("s")  # the update: this path's parameters, and how many more
        await pilot.pause()
        walk = region_text(app, "#graph-walk")
        assert "W1[2]: " in walk and "b2: " in walk and "W1[1]:" not in walk
        assert "and 6 more, each the same way" in walk
        assert app.session.cursor == 0
        await pilot.press("s")
        await pilot.pause()
        assert app.session.cursor == 1
        after = app.session.preview()  # update 2 starts where update 1 moved every unit
        assert (after.w1, after.b1, after.w2, after.b2) == (
            record.w1_next, record.b1_next, record.w2_next, record.b2_next)


async def test_down_during_a_walk_ends_it_and_the_neuron_has_one_path() -> None:
    app = network_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "s", "s", "down")
        await pilot.pause()
        assert app.main.graph_walked == 0 and "walk-through ended" in region_text(app, "#status")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "down")
        await pilot.pause()
        assert "one path only" in region_text(app, "#status")
        assert "path" not in region_text(app, "#graph-title")


async def test_a_terminal_with_room_for_the_whole_network_draws_all_its_paths() -> None:
    app = network_app()
    async with app.run_test(size=(240, 70)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        assert "all paths" in region_text(app, "#graph-title")
        assert app.main.query_one(GraphPanel).scroller.max_scroll_y == 0
        text = drawing_text(app)
        assert all(f"h[{k}]" in text for k in (1, 2, 3)) and "other units" not in text


async def test_the_box_the_walk_reached_is_always_in_view_and_the_view_moves_seldom() -> None:
    """The network's path is taller than the panel at 80×24: each key's box is in view, and the
    view scrolls only when the box would leave it (a scroll resends every row over SSH)."""
    app = network_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        panel = app.main.query_one(GraphPanel)
        scrolls, last = 0, None
        for _ in range(13):  # the path's boxes, from the loss to X
            await pilot.press("s")
            await pilot.pause()
            top, scroller = panel.canvas.current_top, panel.scroller
            seen = scroller.scrollable_content_region.height
            assert top is not None and scroller.max_scroll_y > 0
            assert scroller.scroll_y <= top and top + 3 <= scroller.scroll_y + seen
            scrolls += last is not None and scroller.scroll_y != last
            last = scroller.scroll_y
        assert scrolls <= 3, scrolls
