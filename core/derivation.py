"""The derivation a learner reads: ordered lines of symbol, numbers substituted, and value.

One model serves every renderer (the app's panel, ``trace --format text`` and ``markdown``), so
a formula or number can never differ between them. Each line's ``name`` is the record field its
value comes from, and each carries one plain sentence on what the line means: computed from the
update's own numbers where its truth depends on them (a slope's saturation, a gradient's sign).

A substitution carries as many digits as make it true as read (see substitution.py), and is ""
where it would only write the value again (``dz/dW = X = 2``, ``dLoss/dy = −1``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .activations import Activation, is_saturated
from .losses import Loss
from .substitution import Sub, write

if TYPE_CHECKING:  # the models build their lines here: importing them would be a cycle
    from .mlp import Mlp, MlpStep
    from .neuron import Neuron, NeuronStep
    from .session import Model

GROUPS = ("example", "forward", "backward", "update")  # "example": which one, on a dataset
# Lines the update does not use: dLoss/dX says how the loss answers the data, which no update moves.
ASIDES = frozenset({"dloss_dx"})
Value = float | tuple[Any, ...] | None


@dataclass(frozen=True)
class Line:
    group: str  # one of GROUPS
    name: str  # the record field holding the value, e.g. "dy_dz"
    symbol: str  # "dy/dz = y(1 − y)"
    substitution: str  # "0.7311 × (1 − 0.7311)"; "" when it would only repeat the value
    value: Value
    note: str  # what this line means, in one sentence


@dataclass(frozen=True)
class Derivation:
    step: int  # the update these lines compute, counting from 1
    lines: tuple[Line, ...]
    heading: str = ""  # what the update learns from, where it is one of several examples

    def group(self, name: str) -> tuple[Line, ...]:
        return tuple(line for line in self.lines if line.group == name)

    def line(self, name: str) -> Line:
        return next(line for line in self.lines if line.name == name)


def derive(model: Model, record: Any, step: int) -> Derivation:
    """The lines for one update of any model: the model knows its own."""
    return model.derivation(record, step)


def _line(group: str, name: str, symbol: str, value: Value, note: str, *subs: Sub) -> Line:
    return Line(group, name, symbol, write(value, *subs) if subs else "", value, note)


# ---- pieces of formulas --------------------------------------------------------------------


def _factor(formula: str) -> str:
    """The first right-hand side of ``lhs = rhs [= …]``, bracketed when it is a sum or a case."""
    rhs = formula.split(" = ")[1]
    depth, top_level = 0, []
    for char in rhs:
        depth += (char == "(") - (char == ")")
        top_level.append(char if depth == 0 else "_")
    flat = "".join(top_level)
    return f"({rhs})" if any(op in flat for op in (" + ", " − ", " if ")) else rhs


def hidden_layer(formula: str) -> str:
    """A neuron's formula rewritten for the hidden layer: y → h, z → z1."""
    formula = formula.replace("dy/dz", "dh/dz1")
    formula = re.sub(r"(?<![A-Za-z])y(?![A-Za-z])", "h", formula)
    return re.sub(r"(?<![A-Za-z])z(?![A-Za-z0-9])", "z1", formula)


def elementwise(
    operation: Callable[[float, float], float]
) -> Callable[[Any, Any], Any]:  # fmt: skip
    """``operation`` applied to numbers, vectors or matrices, elementwise, a number with each."""

    def apply(a: Any, b: Any) -> Any:
        if isinstance(a, tuple) and isinstance(b, tuple):
            return tuple(apply(p, q) for p, q in zip(a, b))
        if isinstance(a, tuple):
            return tuple(apply(p, b) for p in a)
        if isinstance(b, tuple):
            return tuple(apply(a, q) for q in b)
        return operation(a, b)

    return apply


_times = elementwise(lambda a, b: a * b)
_less = elementwise(lambda a, b: a - b)


def _product(*factors: Any) -> Sub:
    """``a × b × …``, elementwise where a factor is a vector."""
    template = " × ".join("{%d}" % i for i in range(len(factors)))

    def evaluate(*values: Any) -> Any:
        result = values[0]
        for value in values[1:]:
            result = _times(result, value)
        return result

    return Sub(template, tuple(factors), evaluate)


def _descent(current: Any, lr: float, gradient: Any) -> Sub:
    """``p − α × g``: one gradient-descent step."""
    return Sub("{0} − {1} × {2}", (current, lr, gradient),
               lambda p, a, g: _less(p, _times(a, g)))  # fmt: skip


def descent_line(name: str, symbol: str, value: Value, note: str,
                 current: Any, lr: float, gradient: Any) -> Line:  # fmt: skip
    """An update line ``p ← p − α·dLoss/dp`` with its numbers, for a model built of others."""
    return _line("update", name, symbol, value, note, _descent(current, lr, gradient))


def _lone(value: Any) -> Sub:
    """The value itself: a substitution that writes nothing new (left out)."""
    return Sub("{0}", (value,), lambda v: v)


def _dot(weights: Sequence[float], inputs: Sequence[float], bias: float | None) -> Sub:
    terms = " + ".join("{%d} × {%d}" % (2 * i, 2 * i + 1) for i in range(len(weights)))
    numbers = tuple(n for pair in zip(weights, inputs) for n in pair)
    if bias is not None:
        terms += " + {%d}" % len(numbers)
        numbers += (bias,)

    def evaluate(*values: float) -> float:
        total = sum(values[2 * i] * values[2 * i + 1] for i in range(len(weights)))
        return total + values[-1] if bias is not None else total

    return Sub(terms, numbers, evaluate)


def _stacked(rows: Sequence[tuple[Sub, ...]]) -> tuple[Sub, ...]:
    """One candidate per position from each row's candidates, as a vector ``[row1, row2, …]``.

    A layer's units each have their substitution; stacked, they are checked and written as one.
    """
    if len(rows) == 1:
        return rows[0]
    if not all(rows):
        return ()
    count = max(len(row) for row in rows)
    return tuple(_stack([row[min(k, len(row) - 1)] for row in rows]) for k in range(count))


def _stack(subs: Sequence[Sub]) -> Sub:
    templates, numbers, spans = [], [], []
    for sub in subs:
        offset = len(numbers)
        templates.append(re.sub(r"\{(\d+)(:p)?\}",
                                lambda m: "{%d%s}" % (int(m[1]) + offset, m[2] or ""),
                                sub.template))  # fmt: skip
        spans.append((offset, offset + len(sub.numbers), sub.evaluate))
        numbers.extend(sub.numbers)

    def evaluate(*values: Any) -> tuple[Any, ...]:
        return tuple(f(*values[a:b]) if f else math.nan for a, b, f in spans)

    checked = all(sub.evaluate is not None for sub in subs)
    return Sub("[" + ", ".join(templates) + "]", tuple(numbers), evaluate if checked else None)


# ---- notes that depend on the update's numbers ---------------------------------------------


def _slope_note(activation: Activation, loss: Loss | None, z_name: str, z: float, slope: float,
                slope_name: str) -> str:  # fmt: skip
    """The activation's note; for the output unit, what its slope does with this loss."""
    note = activation.note(z_name, z, slope, slope_name)
    if loss is not None and loss.logit_gradient is not None:
        return f"{note} With {loss.name} this factor cancels: see dLoss/d{z_name}."
    if is_saturated(activation, slope):
        return f"{note} So learning through this unit is slow."
    return note


def _chain_note(loss: Loss, z_name: str, default: str) -> str:
    if loss.logit_gradient is not None:
        return (f"With {loss.name} after the sigmoid, y(1 − y) cancels: dLoss/d{z_name} = y − t, "
                "so the step follows the miss y − t, however flat the sigmoid is.")  # fmt: skip
    return default


def _gradient_sign_note(weight: str, gradient: tuple[float, ...], before: tuple[float, ...],
                        after: tuple[float, ...]) -> str:  # fmt: skip
    """What the sign of dLoss/dW does to W (W ← W − α·dLoss/dW)."""
    if len(gradient) > 1:
        return ("How fast the loss changes as each weight moves: a negative slope moves its "
                "weight up, a positive one down.")  # fmt: skip
    (slope,) = gradient
    if slope == 0:
        return f"Zero: the loss is flat in {weight} here, so this update leaves {weight} where it is."
    sign, way = ("Negative", "up") if slope < 0 else ("Positive", "down")
    effect = "lowers" if slope < 0 else "raises"
    if before == after:
        return (f"{sign}: raising {weight} {effect} the loss, but the step α·dLoss/d{weight} is "
                f"too small to change {weight} at the computer's precision (float64).")  # fmt: skip
    return f"{sign}: raising {weight} {effect} the loss, so the update moves {weight} {way}."


def _output_inputs(activation: Activation, z: float, target: float) -> tuple[float, ...]:
    """(z, y, 1 − y, y − t, t): what the loss's substitutions take."""
    y, complement = activation.forward(z)
    return z, y, complement, activation.minus(z, y, complement, target), target


# ---- each model's lines ---------------------------------------------------------------------


def _output_lines(act: Activation, loss: Loss, z_name: str, r: Any, dy_dz: float,
                  dloss_dz: float, z: float, target: float) -> list[Line]:  # fmt: skip
    """Loss, dLoss/dy, dy/dz and dLoss/dz of an output unit (the neuron, or the network's)."""
    inputs = _output_inputs(act, z, target)
    _, y, complement, miss, _ = inputs
    slope_formula = act.derivative_formula.replace("dz", f"d{z_name}")
    if loss.logit_gradient is not None:
        chain = (f"dLoss/d{z_name} = dLoss/dy · dy/d{z_name} = y − t",
                 (Sub("{0} − {1}", (y, target), lambda y, t: y - t), _lone(miss)))
    else:
        chain = (f"dLoss/d{z_name} = dLoss/dy · dy/d{z_name}", (_product(r.dloss_dy, dy_dz),))
    return [
        _line("forward", "loss", loss.formula, r.loss, loss.meaning, *loss.value_subs(*inputs)),
        _line("backward", "dloss_dy", loss.derivative_formula, r.dloss_dy, loss.note(target),
              *loss.derivative_subs(*inputs)),
        _line("backward", f"dy_d{z_name}", slope_formula, dy_dz,
              _slope_note(act, loss, z_name, z, dy_dz, f"dy/d{z_name}"),
              *act.slope_subs(z, y, complement)),
        _line("backward", f"dloss_d{z_name}", chain[0], dloss_dz,
              _chain_note(loss, z_name, "The chain rule: multiply the local slopes along the "
                          f"path from the loss back to {z_name}."), *chain[1]),
    ]  # fmt: skip


def neuron_lines(model: Neuron, r: NeuronStep) -> list[Line]:
    """One neuron's update, forward to update (Neuron.derivation)."""
    act, loss, c = model.activation, model.loss, model.config
    bias = r.b is not None
    output = _output_lines(act, loss, "z", r, r.dy_dz, r.dloss_dz, r.z, c.target)
    if loss.logit_gradient is not None:
        dloss_dw = _line("backward", "dloss_dw", "dLoss/dW = dLoss/dz · dz/dW = (y − t) · X",
                         r.dloss_dw, _gradient_sign_note("W", r.dloss_dw, r.w, r.w_next),
                         _product(r.dloss_dz, r.x))  # fmt: skip
    else:
        dloss_dw = _line("backward", "dloss_dw",
                         "dLoss/dW = dLoss/dy · dy/dz · dz/dW = "
                         f"{_factor(loss.derivative_formula)} · {_factor(act.derivative_formula)} · X",
                         r.dloss_dw, _gradient_sign_note("W", r.dloss_dw, r.w, r.w_next),
                         _product(r.dloss_dy, r.dy_dz, r.x))  # fmt: skip
    lines = [
        _line("forward", "z", "z = W·X + b" if bias else "z = W·X", r.z,
              "The weighted sum: each input times its weight, added up"
              + (", plus the bias." if bias else "."), _dot(r.w, r.x, r.b)),
        _line("forward", "y", act.formula, r.y,
              f"The {act.name} activation turns the sum z into the neuron's output y.",
              *act.value_subs(r.z)),
        *output,
        _line("backward", "dz_dw", "dz/dW = X", r.dz_dw,
              "z changes with each weight at the rate of that weight's input.", _lone(r.x)),
        dloss_dw,
    ]  # fmt: skip
    if bias:
        lines.append(_line("backward", "dloss_db", "dLoss/db = dLoss/dz · 1", r.dloss_db,
                           "z moves one-for-one with b, so b's gradient is dLoss/dz.",
                           _lone(r.dloss_dz)))  # fmt: skip
    lines += [
        _line("backward", "dloss_dx", "dLoss/dX = dLoss/dz · W", r.dloss_dx,
              "How fast the loss would change if an input moved: the chain with W in place of X. "
              "X is data, so nothing here updates it.", _product(r.dloss_dz, r.w)),
        _line("update", "w_next", "W ← W − α·dLoss/dW", r.w_next,
              "Gradient descent: step against the slope, scaled by the learning rate α.",
              _descent(r.w, c.lr, r.dloss_dw)),
    ]  # fmt: skip
    if bias:
        lines.append(_line("update", "b_next", "b ← b − α·dLoss/db", r.b_next,
                           "The bias takes the same kind of step down its own slope.",
                           _descent(r.b, c.lr, r.dloss_db)))  # fmt: skip
    return lines


def mlp_lines(model: Mlp, r: MlpStep) -> list[Line]:
    """The two-layer network's update, layer by layer (Mlp.derivation)."""
    act, out, loss, c = model.activation, model.output_activation, model.loss, model.config
    units = range(len(r.w1))
    hidden_pairs = [act.forward(z) for z in r.z1]
    output = _output_lines(out, loss, "z2", r, r.dy_dz2, r.dloss_dz2, r.z2, c.target)

    def transpose_times(g: tuple[float, ...]) -> tuple[float, ...]:
        return tuple(sum(r.w1[j][i] * g[j] for j in units) for i in range(len(r.x)))

    return [
        _line("forward", "z1", "z1 = W1·X + b1", r.z1,
              "Each hidden unit takes its own weighted sum of the inputs, plus its bias.",
              *_stacked([(_dot(r.w1[j], r.x, r.b1[j]),) for j in units])),
        _line("forward", "h", f"h = {act.name}(z1)", r.h,
              f"The {act.name} activation turns each hidden sum into that unit's output.",
              *_stacked([act.value_subs(z) for z in r.z1])),
        _line("forward", "z2", "z2 = w2·h + b2", r.z2,
              "The output unit weighs the hidden outputs, as a single neuron weighs its inputs.",
              _dot(r.w2, r.h, r.b2)),
        _line("forward", "y", "y = σ(z2) = 1 / (1 + e^(−z2))", r.y,
              "The sigmoid turns z2 into the network's output.", *out.value_subs(r.z2)),
        *output,
        _line("backward", "dloss_dw2", "dLoss/dw2 = dLoss/dz2 · h", r.dloss_dw2,
              "Each output weight's slope is dLoss/dz2 times the hidden output it multiplies.",
              _product(r.dloss_dz2, r.h)),
        _line("backward", "dloss_db2", "dLoss/db2 = dLoss/dz2 · 1", r.dloss_db2,
              "z2 moves one-for-one with b2.", _lone(r.dloss_dz2)),
        _line("backward", "dloss_dh", "dLoss/dh = dLoss/dz2 · w2", r.dloss_dh,
              "The gradient crosses back into the hidden layer (backpropagation): each hidden "
              "unit's gradient is dLoss/dz2 times its weight into the output.", _product(r.dloss_dz2, r.w2)),
        _line("backward", "dh_dz1", hidden_layer(act.derivative_formula), r.dh_dz1,
              _slope_note(act, None, "z1", math.nan, math.nan, "dh/dz1"),
              *_stacked([act.slope_subs(z, h, comp) for z, (h, comp) in zip(r.z1, hidden_pairs)])),
        _line("backward", "dloss_dz1", "dLoss/dz1 = dLoss/dh ⊙ dh/dz1", r.dloss_dz1,
              "Unit by unit, the chain rule multiplies dLoss/dh by that unit's slope dh/dz1.",
              *_stacked([(_product(g, d),) for g, d in zip(r.dloss_dh, r.dh_dz1)])),
        _line("backward", "dloss_dw1", "dLoss/dW1 = dLoss/dz1 ⊗ X", r.dloss_dw1,
              "Each first-layer weight's slope is its unit's dLoss/dz1 times its input.",
              Sub("{0} ⊗ {1}", (r.dloss_dz1, r.x),
                  lambda g, x: tuple(tuple(gj * xi for xi in x) for gj in g))),
        _line("backward", "dloss_db1", "dLoss/db1 = dLoss/dz1 · 1", r.dloss_db1,
              "Each hidden sum moves one-for-one with its bias.", _lone(r.dloss_dz1)),
        _line("backward", "dloss_dx", "dLoss/dX = W1ᵀ · dLoss/dz1", r.dloss_dx,
              "Every path from the loss back to each input, summed. X is data, so nothing here "
              "updates it.", Sub("W1ᵀ × {0}", (r.dloss_dz1,), transpose_times)),
        _line("update", "w1_next", "W1 ← W1 − α·dLoss/dW1", r.w1_next,
              "Every weight takes a step against its own slope, scaled by α.",
              _descent(r.w1, c.lr, r.dloss_dw1)),
        _line("update", "b1_next", "b1 ← b1 − α·dLoss/db1", r.b1_next,
              "The hidden biases step the same way.", _descent(r.b1, c.lr, r.dloss_db1)),
        _line("update", "w2_next", "w2 ← w2 − α·dLoss/dw2", r.w2_next,
              "The output weights step against their slopes.", _descent(r.w2, c.lr, r.dloss_dw2)),
        _line("update", "b2_next", "b2 ← b2 − α·dLoss/db2", r.b2_next,
              "And the output bias.", _descent(r.b2, c.lr, r.dloss_db2)),
    ]  # fmt: skip
