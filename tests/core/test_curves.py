"""The numbers behind the plots: downsampling keeps every bucket's extremes, tangent slopes
match central finite differences, ranges and segments stay finite and drawable."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from calc_tutor.core import curves
from calc_tutor.core.activations import ACTIVATIONS
from calc_tutor.core.config import MlpConfig, NeuronConfig
from calc_tutor.core.mlp import Mlp
from calc_tutor.core.neuron import Neuron

from .cases import CORE_SETTINGS, mlp_cases, neuron_configs

STEP = 1e-5
KINK_MARGIN = 1e-3  # a difference that straddles a ReLU corner measures neither side's slope


def central_difference(function, x: float) -> float:
    h = STEP * (1.0 + abs(x))
    return (function(x + h) - function(x - h)) / (2 * h)


def assert_slope(analytic: float, numeric: float, what: str) -> None:
    assert abs(analytic - numeric) <= 1e-6 * max(1.0, abs(analytic)), (what, analytic, numeric)


def with_first(params: tuple[float, ...], value: float) -> tuple[float, ...]:
    return (value,) + tuple(params[1:])


# ---- downsampling ----------------------------------------------------------------------------

losses_with_spikes = arrays(
    np.float64, st.integers(1, 600),
    elements=st.floats(-1e6, 1e6, allow_nan=False)
    | st.sampled_from([math.inf, -math.inf, math.nan]),
)  # fmt: skip


@CORE_SETTINGS
@given(losses=losses_with_spikes, buckets=st.integers(1, 80))
def test_downsampling_keeps_each_buckets_lowest_and_highest_finite_loss(losses, buckets):
    steps, values = curves.downsample_min_max(losses, buckets)
    assert len(values) <= max(2 * buckets, len(losses) if len(losses) <= 2 * buckets else 0)
    assert np.all(np.diff(steps) > 0), "points stay in step order, each step once"
    np.testing.assert_array_equal(values, losses[steps - 1])  # steps count from 1
    assert np.all(np.isfinite(values))
    if len(losses) <= 2 * buckets:
        np.testing.assert_array_equal(steps, np.flatnonzero(np.isfinite(losses)) + 1)
        return
    size = -(-len(losses) // buckets)
    kept = set(steps.tolist())
    for start in range(0, len(losses), size):
        bucket = losses[start : start + size]
        finite = np.isfinite(bucket)
        if not finite.any():
            assert not kept & set(range(start + 1, start + size + 1))
            continue
        in_bucket = values[(steps > start) & (steps <= start + size)]
        assert in_bucket.min() == bucket[finite].min()
        assert in_bucket.max() == bucket[finite].max()


def test_downsampling_bounds_the_point_count_at_a_long_history():
    rng = np.random.default_rng(0)
    losses = rng.random(100_000)
    losses[73_123] = 50.0  # a single spike among 100,000 updates
    steps, values = curves.downsample_min_max(losses, buckets=40)
    assert len(values) <= 80
    assert 73_124 in steps and values.max() == 50.0
    assert values.min() == losses.min()


def test_downsampling_an_empty_history_gives_no_points():
    steps, values = curves.downsample_min_max(np.empty(0), buckets=40)
    assert len(steps) == len(values) == 0


def test_downsampling_skips_a_bucket_that_holds_only_non_finite_losses():
    losses = np.array([1.0, 2.0, 3.0, 4.0, math.nan, math.inf, 5.0, 0.5])
    steps, values = curves.downsample_min_max(losses, buckets=4)
    assert steps.tolist() == [1, 2, 3, 4, 7, 8]
    assert values.tolist() == [1.0, 2.0, 3.0, 4.0, 5.0, 0.5]


# ---- L(W) and its tangent --------------------------------------------------------------------


def check_loss_curve(model, params) -> None:
    curve = curves.loss_curve(model, params, points=81)
    assert curve is not None
    record = model.update(params)
    weight = params[0]
    assert curve.point == (weight, record.loss)

    # The tangent's slope is dLoss/dW, and dLoss/dW is what the loss curve does at W.
    numeric = central_difference(lambda w: model.forward_loss(with_first(params, w)), weight)
    assert_slope(curve.slope, numeric, "dLoss/dW against a central difference")
    check_unit_tangent(curve)

    # Both points sit inside the window, and the landing point is W − α·dLoss/dW on the curve.
    next_weight = weight - model.config.lr * curve.slope
    assert curve.x_range[0] < weight < curve.x_range[1]
    assert curve.x_range[0] < next_weight < curve.x_range[1]
    assert curve.landing is not None
    assert curve.landing[0] == pytest.approx(next_weight, rel=1e-12, abs=1e-15)
    assert curve.landing[1] == model.forward_loss(with_first(params, curve.landing[0]))

    # The curve is L with W varied and everything else held.
    for index in (0, 40, 80):
        expected = model.forward_loss(with_first(params, float(curve.xs[index])))
        assert curve.ys[index] == expected


def check_unit_tangent(curve) -> None:
    """The tangent drawn in the unit box, mapped back to the curve's numbers, has its slope and
    passes through its point."""
    segment = curves.unit_tangent(curve)
    if segment is None:
        return
    (x_low, x_high), (y_low, y_high) = curve.x_range, curve.y_range
    (u0, v0), (u1, v1) = segment
    assert 0 <= u0 < u1 <= 1 or (u0 == u1 and (v0, v1) == (0.0, 1.0))
    if u0 < u1:
        real = [(x_low + u * (x_high - x_low), y_low + v * (y_high - y_low)) for u, v in segment]
        (x0, y0), (x1, y1) = real
        assert_slope((y1 - y0) / (x1 - x0), curve.slope, "the drawn tangent's slope")
        x, y = curve.point
        # To a billionth of the box's height, and never finer than the floats themselves: on a
        # curve 1e-12 high around 0.5, a float is only good to about 1e-16.
        tolerance = 1e-9 * (y_high - y_low) + 4 * math.ulp(max(abs(y), abs(y0)))
        assert y == pytest.approx(y0 + curve.slope * (x - x0), abs=tolerance)


@CORE_SETTINGS
@given(config=neuron_configs(kink_margin=KINK_MARGIN))
def test_neuron_loss_curve_tangent_is_dloss_dw(config):
    model = Neuron(config)
    record = model.update(model.initial_params())
    check_loss_curve(model, model.initial_params())
    assert curves.loss_curve(model, model.initial_params(), 9).slope == record.dloss_dw[0]


@CORE_SETTINGS
@given(case=mlp_cases(kink_margin=KINK_MARGIN))
def test_mlp_loss_curve_varies_the_first_weight_of_w1(case):
    model, params = case
    check_loss_curve(model, params)
    record = model.update(params)
    assert curves.loss_curve(model, params, 9).slope == record.dloss_dw1[0][0]


def test_loss_curve_is_none_when_the_weights_are_no_longer_finite():
    model = Neuron(NeuronConfig())
    assert curves.loss_curve(model, (math.nan,), 40) is None
    assert curves.loss_curve(model, (math.inf,), 40) is None


def test_loss_window_widens_with_a_big_step_and_keeps_a_floor_for_a_tiny_one():
    assert curves.weight_window(0.0, 100.0, scale=1.0) == (-30.0, 130.0)
    low, high = curves.weight_window(2.0, 2.0 + 1e-9, scale=1.5)
    assert low == pytest.approx(0.5) and high == pytest.approx(3.5)
    assert curves.weight_window(1.0, math.nan, scale=1.0) == (0.0, 2.0)


@pytest.mark.parametrize(
    ("center", "window"),
    [(1e17, lambda: curves.weight_window(1e17, 1e17, scale=3.0)),
     (-1e17, lambda: curves.activation_window(-1e17)),
     (0.5, lambda: curves.weight_window(0.5, 0.5, scale=3e-300)),
     (1e299, lambda: curves.activation_window(1e299))],
)  # fmt: skip
def test_a_window_around_a_huge_or_tiny_scale_still_holds_distinct_points(center, window):
    """At W = 1e17, W ± 3 rounds to W itself: the window must open to what floats resolve."""
    low, high = window()
    assert low < center < high
    xs = np.linspace(low, high, 81)
    assert len(np.unique(xs)) == 81
    assert np.all(np.isfinite(curves.to_unit(xs, (low, high))))


def test_the_loss_curve_at_w_1e17_is_drawable():
    model = Neuron(NeuronConfig(w=(1e17,), x=(1.0,)))
    curve = curves.loss_curve(model, model.initial_params(), 40)
    assert curve.x_range[0] < 1e17 < curve.x_range[1]
    assert curve.y_range[0] < curve.point[1] < curve.y_range[1]
    assert curves.unit_tangent(curve) is not None  # flat, through the point


@pytest.mark.parametrize(
    ("model", "name", "held"),
    [
        (Neuron(NeuronConfig()), "W", ""),
        (Neuron(NeuronConfig(b=0.1)), "W", "b held"),
        (Neuron(NeuronConfig(w=(0.5, 1.0), x=(2.0, 1.0))), "W[1]", "other weights held"),
        (Mlp(MlpConfig()), "W1[1,1]", "other weights and biases held"),
    ],
)
def test_the_varied_weight_is_named_with_what_is_held(model, name, held):
    assert curves.varied_weight(model) == (name, held)


# ---- y(z) and its tangent --------------------------------------------------------------------


@CORE_SETTINGS
@given(config=neuron_configs(kink_margin=KINK_MARGIN))
def test_neuron_activation_tangent_is_dy_dz(config):
    model = Neuron(config)
    params = model.initial_params()
    record = model.update(params)
    curve = curves.activation_curve(model, params, points=61)
    assert curve.point == (record.z, record.y) and curve.slope == record.dy_dz
    numeric = central_difference(model.activation.value, record.z)
    assert_slope(curve.slope, numeric, f"dy/dz of {config.activation}")
    assert curve.x_range[0] < record.z < curve.x_range[1]
    np.testing.assert_allclose(curve.ys, [model.activation.value(float(z)) for z in curve.xs])


@CORE_SETTINGS
@given(case=mlp_cases(kink_margin=KINK_MARGIN))
def test_mlp_activation_tangent_is_hidden_unit_ones_slope(case):
    model, params = case
    record = model.update(params)
    curve = curves.activation_curve(model, params, points=61)
    assert curve.point == (record.z1[0], record.h[0]) and curve.slope == record.dh_dz1[0]
    assert_slope(curve.slope, central_difference(model.activation.value, record.z1[0]), "dh/dz1")
    assert curves.activation_label(model) == f"h[1] = {model.config.activation}(z1[1])"


@pytest.mark.parametrize("z", [0.0, 3.0, -7.5, 30.0, 1e6, -1e6])
def test_activation_window_holds_the_current_z_and_stays_readable(z):
    low, high = curves.activation_window(z)
    assert low < z < high
    assert high - low <= curves.ACTIVATION_MAX_SPAN
    assert min(z - low, high - z) >= curves.ACTIVATION_HALF_SPAN / 2  # never on the edge
    if abs(z) <= curves.ACTIVATION_HALF_SPAN / 2:
        assert (low, high) == (-5.0, 5.0)  # the whole bend of the sigmoid, steady while z moves


def test_activation_curve_survives_a_huge_z():
    model = Neuron(NeuronConfig(w=(1e6,), x=(1.0,)))
    curve = curves.activation_curve(model, model.initial_params(), 40)
    assert curve.point == (1e6, 1.0) and curve.slope == 0.0
    assert np.all(np.isfinite(curve.ys))


# ---- ranges, segments, runs ------------------------------------------------------------------

finite_or_not = st.floats(allow_nan=True, allow_infinity=True)


@CORE_SETTINGS
@given(values=st.lists(finite_or_not, max_size=30))
def test_padded_range_is_finite_never_empty_and_holds_every_drawable_value(values):
    low, high = curves.padded_range(values)
    assert math.isfinite(low) and math.isfinite(high) and low < high
    assert np.all(np.isfinite(curves.to_unit([low, high], (low, high))))
    for value in values:
        if math.isfinite(value):
            clipped = max(-curves.DISPLAY_LIMIT, min(value, curves.DISPLAY_LIMIT))
            assert low <= clipped <= high


@pytest.mark.parametrize("value", [0.2689, -3.5, 1e-200, 4e305, -1.7e308])
def test_one_point_gets_a_range_of_its_own_size(value):
    """One loss of 0.2689 in a range of ±0.5 sits between two far gridlines: keep it close."""
    low, high = curves.padded_range([value])
    clipped = max(-curves.DISPLAY_LIMIT, min(value, curves.DISPLAY_LIMIT))
    assert low <= clipped <= high and low < high
    assert high - low <= 0.25 * abs(clipped)


@CORE_SETTINGS
@given(
    values=st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=1, max_size=20),
    low=st.floats(allow_nan=False, allow_infinity=False),
    high=st.floats(allow_nan=False, allow_infinity=False),
)
def test_to_unit_maps_any_range_and_keeps_order(values, low, high):
    if not low < high:
        low, high = high, low
    if low == high:
        return
    mapped = curves.to_unit(values + [low, high], (low, high))
    assert not np.any(np.isnan(mapped))  # far outside a tiny range: ±inf, still in order
    assert mapped[-2] == 0.0 and mapped[-1] == pytest.approx(1.0)
    ordered = mapped[np.argsort(values + [low, high], kind="stable")]
    assert np.all(ordered[1:] >= ordered[:-1])
    inside = [low <= value <= high for value in values]
    assert np.all((mapped[:-2][inside] >= 0) & (mapped[:-2][inside] <= 1 + 1e-12))


box_coordinates = st.floats(-1e3, 1e3)


@CORE_SETTINGS
@given(x0=box_coordinates, y0=box_coordinates, slope=st.floats(-1e4, 1e4))
def test_tangent_segment_lies_in_the_box_on_the_line(x0, y0, slope):
    x_range, y_range = (-10.0, 10.0), (-5.0, 5.0)
    segment = curves.tangent_segment((x0, y0), slope, x_range, y_range)
    if -10.0 < x0 < 10.0 and -5.0 < y0 < 5.0:
        assert segment is not None, "a line through a point inside the box crosses the box"
    if segment is None:
        return
    (x_start, _), (x_end, _) = segment
    assert x_start < x_end
    for x, y in segment:
        assert -10.0 <= x <= 10.0 and -5.0 - 1e-9 <= y <= 5.0 + 1e-9
        assert y == pytest.approx(y0 + slope * (x - x0), abs=1e-6)


def test_tangent_segment_is_none_for_a_slope_that_is_not_a_number():
    assert curves.tangent_segment((0.0, 0.0), math.nan, (-1.0, 1.0), (-1.0, 1.0)) is None
    assert curves.tangent_segment((0.0, 0.0), math.inf, (-1.0, 1.0), (-1.0, 1.0)) is None


def test_tangent_segment_misses_a_box_it_does_not_cross():
    assert curves.tangent_segment((0.0, 10.0), 0.0, (-1.0, 1.0), (-1.0, 1.0)) is None
    assert curves.tangent_segment((0.0, 10.0), 1.0, (-1.0, 1.0), (-1.0, 1.0)) is None


def test_finite_runs_split_the_curve_at_each_gap():
    xs = np.arange(7.0)
    ys = np.array([1.0, math.nan, 2.0, 3.0, math.inf, 4.0, 1e308])
    runs = curves.finite_runs(xs, ys)
    assert [run_x.tolist() for run_x, _ in runs] == [[0.0], [2.0, 3.0], [5.0, 6.0]]
    assert runs[2][1].tolist() == [4.0, curves.DISPLAY_LIMIT]  # clipped, so a plot can scale it


# ---- the core stays free of the terminal -----------------------------------------------------


def test_curves_import_no_terminal_library():
    code = (
        "import sys, calc_tutor.core.curves\n"
        "print(sorted(m for m in ('textual', 'rich', 'plotext') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_every_activation_can_be_plotted():
    for name in ACTIVATIONS:
        model = Neuron(NeuronConfig(activation=name, loss="mse", target=0.5))
        curve = curves.activation_curve(model, model.initial_params(), 20)
        assert curve is not None and np.all(np.isfinite(curve.ys)), name
