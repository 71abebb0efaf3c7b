"""The derivation a learner reads: ordered lines of symbol, numbers substituted, and value.

One model serves every renderer (the app's panel, ``trace --format text`` and ``markdown``), so
a formula or number can never differ between them. Each line's ``name`` is the record field its
value comes from, and each carries one plain sentence on what the line means.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .mlp import Mlp, MlpStep
from .neuron import Neuron, NeuronStep
from .numbers import fmt_sub, fmt_vector_sub

GROUPS = ("forward", "backward", "update")
Value = float | tuple[Any, ...] | None


@dataclass(frozen=True)
class Line:
    group: str  # one of GROUPS
    name: str  # the record field holding the value, e.g. "dy_dz"
    symbol: str  # "dy/dz = y(1 − y)"
    substitution: str  # "0.7311 × (1 − 0.7311)"
    value: Value
    note: str  # what this line means, in one sentence


@dataclass(frozen=True)
class Derivation:
    step: int  # the update these lines compute, counting from 1
    lines: tuple[Line, ...]

    def group(self, name: str) -> tuple[Line, ...]:
        return tuple(line for line in self.lines if line.group == name)

    def line(self, name: str) -> Line:
        return next(line for line in self.lines if line.name == name)


def derive(model: Neuron | Mlp, record: NeuronStep | MlpStep, step: int) -> Derivation:
    """The lines for one update of either model."""
    if isinstance(record, MlpStep):
        return Derivation(step, tuple(_mlp_lines(model, record)))
    return Derivation(step, tuple(_neuron_lines(model, record)))


def _factor(formula: str) -> str:
    """The first right-hand side of ``lhs = rhs [= …]``, bracketed when it is a sum or a case."""
    rhs = formula.split(" = ")[1]
    depth, top_level = 0, []
    for char in rhs:
        depth += (char == "(") - (char == ")")
        top_level.append(char if depth == 0 else "_")
    flat = "".join(top_level)
    return f"({rhs})" if any(op in flat for op in (" + ", " − ", " if ")) else rhs


def _hidden_layer(formula: str) -> str:
    """A neuron's formula rewritten for the hidden layer: y → h, z → z1."""
    formula = formula.replace("dy/dz", "dh/dz1")
    formula = re.sub(r"(?<![A-Za-z])y(?![A-Za-z])", "h", formula)
    return re.sub(r"(?<![A-Za-z])z(?![A-Za-z0-9])", "z1", formula)


def _dot_sub(weights: Sequence[float], inputs: Sequence[float]) -> str:
    return " + ".join(f"{fmt_sub(w)} × {fmt_sub(x)}" for w, x in zip(weights, inputs))


def _elementwise(values: Sequence[str]) -> str:
    return values[0] if len(values) == 1 else "[" + ", ".join(values) + "]"


def _neuron_lines(model: Neuron, r: NeuronStep) -> list[Line]:
    act, loss, c = model.activation, model.loss, model.config
    bias = r.b is not None
    lr = fmt_sub(c.lr)
    lines = [
        Line("forward", "z", "z = W·X + b" if bias else "z = W·X",
             _dot_sub(r.w, r.x) + (f" + {fmt_sub(r.b)}" if bias else ""), r.z,
             "The weighted sum: each input times its weight, added up"
             + (", plus the bias." if bias else ".")),
        Line("forward", "y", act.formula, act.value_substitution(r.z), r.y,
             f"The {act.name} activation turns the sum z into the neuron's output y."),
        Line("forward", "loss", loss.formula, loss.value_substitution(r.y, c.target), r.loss,
             "How far the output is from what we want: training pushes this number down."),
        Line("backward", "dloss_dy", loss.derivative_formula,
             loss.derivative_substitution(r.y, c.target), r.dloss_dy, loss.note),
        Line("backward", "dy_dz", act.derivative_formula, act.substitution(r.z, r.y), r.dy_dz,
             act.note),
        Line("backward", "dloss_dz", "dLoss/dz = dLoss/dy · dy/dz",
             f"{fmt_sub(r.dloss_dy)} × {fmt_sub(r.dy_dz)}", r.dloss_dz,
             "The chain rule: multiply the local slopes along the path from the loss back to z."),
        Line("backward", "dz_dw", "dz/dW = X", fmt_vector_sub(r.x), r.dz_dw,
             "z changes with each weight at the rate of that weight's input."),
        Line("backward", "dloss_dw",
             "dLoss/dW = dLoss/dy · dy/dz · dz/dW = "
             f"{_factor(loss.derivative_formula)} · {_factor(act.derivative_formula)} · X",
             f"{fmt_sub(r.dloss_dy)} × {fmt_sub(r.dy_dz)} × {fmt_vector_sub(r.x)}", r.dloss_dw,
             "The product of the factors: how fast the loss changes as each weight moves."),
    ]  # fmt: skip
    if bias:
        lines.append(Line("backward", "dloss_db", "dLoss/db = dLoss/dz · 1", fmt_sub(r.dloss_dz),
                          r.dloss_db, "z moves one-for-one with b, so b's gradient is dLoss/dz."))  # fmt: skip
    lines += [
        Line("backward", "dloss_dx", "dLoss/dX = dLoss/dz · W",
             f"{fmt_sub(r.dloss_dz)} × {fmt_vector_sub(r.w)}", r.dloss_dx,
             "The same chain with W in place of X: what backprop hands to an earlier layer."),
        Line("update", "w_next", "W ← W − α·dLoss/dW",
             f"{fmt_vector_sub(r.w)} − {lr} × {fmt_vector_sub(r.dloss_dw)}", r.w_next,
             "Gradient descent: step against the slope, scaled by the learning rate α."),
    ]  # fmt: skip
    if bias:
        lines.append(Line("update", "b_next", "b ← b − α·dLoss/db",
                          f"{fmt_sub(r.b)} − {lr} × {fmt_sub(r.dloss_dz)}", r.b_next,
                          "The bias takes the same kind of step down its own slope."))  # fmt: skip
    return lines


def _mlp_lines(model: Mlp, r: MlpStep) -> list[Line]:
    act, out, loss, c = model.activation, model.output_activation, model.loss, model.config
    lr = fmt_sub(c.lr)
    rows = range(len(r.w1))
    return [
        Line("forward", "z1", "z1 = W1·X + b1",
             _elementwise([f"{_dot_sub(r.w1[j], r.x)} + {fmt_sub(r.b1[j])}" for j in rows]), r.z1,
             "Each hidden unit takes its own weighted sum of the inputs."),
        Line("forward", "h", f"h = {act.name}(z1)",
             _elementwise([act.value_substitution(z) for z in r.z1]), r.h,
             f"The {act.name} activation turns each hidden sum into that unit's output."),
        Line("forward", "z2", "z2 = w2·h + b2", f"{_dot_sub(r.w2, r.h)} + {fmt_sub(r.b2)}", r.z2,
             "The output unit weighs the hidden outputs, as a single neuron weighs its inputs."),
        Line("forward", "y", "y = σ(z2) = 1 / (1 + e^(−z2))",
             out.value_substitution(r.z2), r.y, "The sigmoid turns z2 into the network's output."),
        Line("forward", "loss", loss.formula, loss.value_substitution(r.y, c.target), r.loss,
             "How far the output is from what we want: training pushes this number down."),
        Line("backward", "dloss_dy", loss.derivative_formula,
             loss.derivative_substitution(r.y, c.target), r.dloss_dy, loss.note),
        Line("backward", "dy_dz2", out.derivative_formula.replace("dz", "dz2"),
             out.substitution(r.z2, r.y), r.dy_dz2, out.note),
        Line("backward", "dloss_dz2", "dLoss/dz2 = dLoss/dy · dy/dz2",
             f"{fmt_sub(r.dloss_dy)} × {fmt_sub(r.dy_dz2)}", r.dloss_dz2,
             "The chain rule through the output unit, exactly as for one neuron."),
        Line("backward", "dloss_dw2", "dLoss/dw2 = dLoss/dz2 · h",
             f"{fmt_sub(r.dloss_dz2)} × {fmt_vector_sub(r.h)}", r.dloss_dw2,
             "Each output weight's slope is the hidden output it multiplies."),
        Line("backward", "dloss_db2", "dLoss/db2 = dLoss/dz2 · 1", fmt_sub(r.dloss_dz2),
             r.dloss_db2, "z2 moves one-for-one with b2."),
        Line("backward", "dloss_dh", "dLoss/dh = dLoss/dz2 · w2",
             f"{fmt_sub(r.dloss_dz2)} × {fmt_vector_sub(r.w2)}", r.dloss_dh,
             "Backprop crosses a layer: each hidden unit's blame is its weight into the output."),
        Line("backward", "dh_dz1", _hidden_layer(act.derivative_formula),
             _elementwise([act.substitution(z, h) for z, h in zip(r.z1, r.h)]), r.dh_dz1, act.note),
        Line("backward", "dloss_dz1", "dLoss/dz1 = dLoss/dh ⊙ dh/dz1",
             _elementwise([f"{fmt_sub(g)} × {fmt_sub(d)}" for g, d in zip(r.dloss_dh, r.dh_dz1)]),
             r.dloss_dz1, "Unit by unit, the chain rule multiplies the blame by the local slope."),
        Line("backward", "dloss_dw1", "dLoss/dW1 = dLoss/dz1 ⊗ X",
             f"{fmt_vector_sub(r.dloss_dz1)} ⊗ {fmt_vector_sub(r.x)}", r.dloss_dw1,
             "Each first-layer weight's slope is its unit's dLoss/dz1 times its input."),
        Line("backward", "dloss_db1", "dLoss/db1 = dLoss/dz1 · 1", fmt_vector_sub(r.dloss_dz1),
             r.dloss_db1, "Each hidden sum moves one-for-one with its bias."),
        Line("backward", "dloss_dx", "dLoss/dX = W1ᵀ · dLoss/dz1",
             f"W1ᵀ × {fmt_vector_sub(r.dloss_dz1)}", r.dloss_dx,
             "Every path from the loss back to each input, summed: the basis of attribution."),
        Line("update", "w1_next", "W1 ← W1 − α·dLoss/dW1", f"W1 − {lr} × dLoss/dW1", r.w1_next,
             "Every weight takes a step against its own slope, scaled by α."),
        Line("update", "b1_next", "b1 ← b1 − α·dLoss/db1",
             f"{fmt_vector_sub(r.b1)} − {lr} × {fmt_vector_sub(r.dloss_db1)}", r.b1_next,
             "The hidden biases step the same way."),
        Line("update", "w2_next", "w2 ← w2 − α·dLoss/dw2",
             f"{fmt_vector_sub(r.w2)} − {lr} × {fmt_vector_sub(r.dloss_dw2)}", r.w2_next,
             "The output weights step against their slopes."),
        Line("update", "b2_next", "b2 ← b2 − α·dLoss/db2",
             f"{fmt_sub(r.b2)} − {lr} × {fmt_sub(r.dloss_db2)}", r.b2_next,
             "And the output bias."),
    ]  # fmt: skip
