"""A two-layer network, n inputs → H hidden units → 1 output, backpropagated layer by layer.

    z1 = W1·X + b1      h = act(z1)      z2 = w2·h + b2      y = σ(z2)      Loss(y, t)

One training example per update. Every layer's chain-rule factors land in one immutable record,
in the same style as the single neuron's. Parameters travel as one flat tuple,
``(*W1 row by row, *b1, *w2, b2)``, so a session stores them the same way for both models.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any, NamedTuple

from .activations import ACTIVATIONS, SIGMOID
from .config import MlpConfig, validate_mlp
from .curvature import power_iteration
from .derivation import Derivation, mlp_lines
from .diagnosis import Note, network_still
from .finite import first_non_finite
from .graph import Graph, mlp_graph
from .forms import Field, Read, parse_hidden, parse_number, parse_seed, parse_vector
from .losses import LOSSES
from .model_view import ActivationView, DiagramLayer, DiagramUnit, training_rows
from .output import output_chain

Vector = tuple[float, ...]
Matrix = tuple[Vector, ...]


class MlpStep(NamedTuple):
    """Everything one update of the two-layer network computes, at its starting parameters."""

    x: Vector
    w1: Matrix  # H rows of n weights
    b1: Vector
    w2: Vector
    b2: float
    z1: Vector
    h: Vector
    z2: float
    y: float
    loss: float
    dloss_dy: float
    dy_dz2: float
    dloss_dz2: float
    dloss_dw2: Vector  # dLoss/dz2 · h
    dloss_db2: float  # dLoss/dz2 · 1
    dloss_dh: Vector  # dLoss/dz2 · w2
    dh_dz1: Vector  # act'(z1), unit by unit
    dloss_dz1: Vector  # dLoss/dh ⊙ dh/dz1
    dloss_dw1: Matrix  # dLoss/dz1 ⊗ X
    dloss_db1: Vector  # dLoss/dz1 · 1
    dloss_dx: Vector  # W1ᵀ · dLoss/dz1
    w1_next: Matrix
    b1_next: Vector
    w2_next: Vector
    b2_next: float

    # The keys ``calc-tutor trace`` writes for an update, in order (a public contract): every field.
    trace_keys = (
        "x", "w1", "b1", "w2", "b2", "z1", "h", "z2", "y", "loss", "dloss_dy", "dy_dz2",
        "dloss_dz2", "dloss_dw2", "dloss_db2", "dloss_dh", "dh_dz1", "dloss_dz1", "dloss_dw1",
        "dloss_db1", "dloss_dx", "w1_next", "b1_next", "w2_next", "b2_next",
    )  # fmt: skip


# The record's numbers in the order backprop meets them (and the trace writes them).
MLP_VALUES = MlpStep._fields[MlpStep._fields.index("z1") :]


def _dot(a: Vector, b: Vector) -> float:
    return sum([ai * bi for ai, bi in zip(a, b)])


def _descend(values: Vector, gradient: Vector, lr: float) -> Vector:
    return tuple([v - lr * g for v, g in zip(values, gradient)])


class Mlp:
    """A validated two-layer config with its functions resolved, ready to update."""

    kind = "mlp"
    title = "the two-layer network"  # as a sentence names it
    layer_weights = ("W1", "w2")  # the weights of each layer, input side first
    output_activation = SIGMOID
    # The y(z) view shows hidden unit 1: the output is always a sigmoid, the hidden activation
    # is the one the learner chooses.
    activation_symbols = ("z1[1]", "h[1]", "dh/dz1")
    draws_one_line = False  # its hidden layer bends the boundary between classes
    losses_comparable = True  # every update descends the same loss

    def __init__(self, config: MlpConfig) -> None:
        self.config = validate_mlp(config)
        self.activation = ACTIVATIONS[config.activation]
        self.loss = LOSSES[config.loss]
        self.n_inputs = len(config.x)
        self.n_params = config.hidden * (self.n_inputs + 2) + 1
        self.output_chain = output_chain(self.output_activation, self.loss, config.target)

    def initial_params(self) -> Vector:
        """The weights given in the config; the others drawn uniformly from ±1/√fan-in
        (PyTorch's default scale), biases zero."""
        import numpy as np  # here, not at the top: the neuron's users need no numpy at startup

        c = self.config
        rng = np.random.default_rng(c.seed)
        hidden, n = c.hidden, self.n_inputs
        # Both are drawn even when given, so giving w2 alone leaves W1 as the seed draws it.
        w1 = tuple((rng.uniform(-1.0, 1.0, size=hidden * n) / math.sqrt(n)).tolist())
        w2 = tuple((rng.uniform(-1.0, 1.0, size=hidden) / math.sqrt(hidden)).tolist())
        return ((c.w1 if c.w1 is not None else w1) + (c.b1 if c.b1 is not None else (0.0,) * hidden)
                + (c.w2 if c.w2 is not None else w2) + (c.b2 if c.b2 is not None else 0.0,))  # fmt: skip

    def _given_weights(self) -> tuple[str, ...]:
        """The names of the parameter groups set by hand rather than by the seed."""
        c = self.config
        return tuple(name for name, value in (("W1", c.w1), ("b1", c.b1), ("w2", c.w2), ("b2", c.b2))
                     if value is not None)  # fmt: skip

    def split(self, params: Vector) -> tuple[Matrix, Vector, Vector, float]:
        """Flat parameters → (W1, b1, w2, b2)."""
        hidden, n = self.config.hidden, self.n_inputs
        w1 = tuple(tuple(params[row * n : (row + 1) * n]) for row in range(hidden))
        rest = params[hidden * n :]
        return w1, tuple(rest[:hidden]), tuple(rest[hidden : 2 * hidden]), rest[2 * hidden]

    def update(self, params: Vector, index: int = 0) -> MlpStep:
        """One update; every update uses the one X, so ``index`` is not needed."""
        x, lr = self.config.x, self.config.lr
        act = self.activation
        w1, b1, w2, b2 = self.split(params)

        # Forward, layer by layer; the output unit's chain also gives its backward factors.
        z1 = tuple([_dot(row, x) + bias for row, bias in zip(w1, b1)])
        hidden = [act.forward(z) for z in z1]  # (h, 1 − h) per unit
        h = tuple([pair[0] for pair in hidden])
        z2 = _dot(w2, h) + b2
        y, loss, dloss_dy, dy_dz2, dloss_dz2 = self.output_chain(z2)

        # Backward: the output layer first, then through w2 into the hidden layer.
        dloss_dw2 = tuple([dloss_dz2 * hj for hj in h])  # dz2/dw2 = h
        dloss_dh = tuple([dloss_dz2 * wj for wj in w2])  # dz2/dh = w2
        dh_dz1 = tuple([act.slope(z, hj, cj) for z, (hj, cj) in zip(z1, hidden)])
        dloss_dz1 = tuple([g * d for g, d in zip(dloss_dh, dh_dz1)])
        dloss_dw1 = tuple(tuple([g * xi for xi in x]) for g in dloss_dz1)  # dz1/dW1 = X per row
        dloss_dx = tuple(_dot([row[i] for row in w1], dloss_dz1) for i in range(len(x)))

        return MlpStep(
            x, w1, b1, w2, b2, z1, h, z2, y, loss, dloss_dy, dy_dz2, dloss_dz2, dloss_dw2,
            dloss_dz2, dloss_dh, dh_dz1, dloss_dz1, dloss_dw1, dloss_dz1, dloss_dx,
            tuple(_descend(row, grad, lr) for row, grad in zip(w1, dloss_dw1)),
            _descend(b1, dloss_dz1, lr), _descend(w2, dloss_dw2, lr), b2 - lr * dloss_dz2,
        )  # fmt: skip

    def forward_loss(self, params: Vector, index: int = 0) -> float:
        return self.update(params).loss

    def each_example(self) -> tuple[Mlp, ...]:
        """The model once per example it learns: itself, with its one X and t."""
        return (self,)

    def replaced(self, **changes: Any) -> Mlp:
        """The same network with some settings changed (``x``, ``target``, ``lr``, …), validated."""
        return Mlp(replace(self.config, **changes))

    def params_of(self, step: MlpStep) -> Vector:
        """The parameters the update started from, flat."""
        return sum(step.w1, ()) + step.b1 + step.w2 + (step.b2,)

    def next_params(self, step: MlpStep) -> Vector:
        return sum(step.w1_next, ()) + step.b1_next + step.w2_next + (step.b2_next,)

    def gradient(self, step: MlpStep) -> Vector:
        """dLoss/d(params), in the same order as the flat parameters."""
        return sum(step.dloss_dw1, ()) + step.dloss_db1 + step.dloss_dw2 + (step.dloss_db2,)

    def curvature(self, params: Vector) -> float:
        """L″, the Hessian's largest eigenvalue, by power iteration on the gradient."""
        return power_iteration(lambda p: self.gradient(self.update(p)), params)

    def curvature_at_minimum(self) -> float | None:
        """Not known in closed form for the network: its bottom is no 1-D search."""
        return None

    def dy_dx(self, step: MlpStep) -> Vector:
        """How the output moves with each input, backpropagated from y instead of the loss."""
        dy_dz1 = [step.dy_dz2 * wj * d for wj, d in zip(step.w2, step.dh_dz1)]
        return tuple(_dot([row[i] for row in step.w1], dy_dz1) for i in range(self.n_inputs))

    def non_finite(self, step: MlpStep) -> str | None:
        return first_non_finite(step, MLP_VALUES)

    # ---- what the views ask of the model ---------------------------------------------------

    def param_names(self) -> tuple[str, ...]:
        """Each flat parameter's name, counting from 1: ``W1[unit,input]`` row by row, then
        ``b1[unit]``, ``w2[unit]`` and ``b2``."""
        units, inputs = range(1, self.config.hidden + 1), range(1, self.n_inputs + 1)
        return (
            tuple(f"W1[{j},{i}]" for j in units for i in inputs)
            + tuple(f"b1[{j}]" for j in units) + tuple(f"w2[{j}]" for j in units) + ("b2",)
        )  # fmt: skip

    def gradient_without_output_slope(self, step: MlpStep) -> tuple[Vector, str, float]:
        """A planted bug for the gradient check: dy/dz2 left out of the chain (dLoss/dy where
        dLoss/dz2 belongs), the rest backpropagated as usual; and the factor dropped."""
        wrong = step.dloss_dy
        dloss_dz1 = [wrong * wj * d for wj, d in zip(step.w2, step.dh_dz1)]
        gradient = (
            tuple([g * xi for g in dloss_dz1 for xi in step.x]) + tuple(dloss_dz1)
            + tuple([wrong * hj for hj in step.h]) + (wrong,)
        )  # fmt: skip
        return gradient, "dy/dz2", step.dy_dz2

    def param_parts(self, params: Vector) -> dict[str, Any]:
        """The flat parameters in the model's own shapes: W1 (H rows of n), b1, w2, b2."""
        return dict(zip(("W1", "b1", "w2", "b2"), self.split(params)))

    def param_groups(self, params: Vector) -> tuple[tuple[str, Vector], ...]:
        """The flat parameters as a learner names them: W1 (row by row), b1, w2 and (b2,)."""
        w1, b1, w2, b2 = self.split(params)
        return ("W1", sum(w1, ())), ("b1", b1), ("w2", w2), ("b2", (b2,))

    def summary(self) -> list[tuple[str, str]]:
        """The run's settings as (label, value) rows, in the order a learner needs them."""
        c = self.config
        given = self._given_weights()
        start = f"{', '.join(given)} given, the rest from seed {c.seed}" if given else f"seed {c.seed}"
        shape = (f"{self.n_inputs} inputs → {c.hidden} hidden ({c.activation}) → 1 sigmoid "
                 f"output, {start}")  # fmt: skip
        return [("model", shape), *training_rows(self)]

    def varied_weight(self) -> tuple[str, str]:
        """The weight L(W) varies (the first flat parameter), and what is held while it does."""
        return "W1[1,1]", "other weights and biases held"

    def activation_view(self, step: MlpStep) -> ActivationView:
        """Hidden unit 1's activation at this update's z1[1]."""
        return ActivationView(self.activation, *self.activation_symbols, step.z1[0], step.h[0],
                              step.dh_dz1[0])  # fmt: skip

    def derivation(self, step: MlpStep, number: int) -> Derivation:
        """The lines a learner reads for update ``number``, layer by layer."""
        return Derivation(number, tuple(mlp_lines(self, step)))

    def graph(self, step: MlpStep) -> Graph:
        """The update as a computation graph: every hidden unit a path from X to the loss."""
        return mlp_graph(self, step)

    def stall_note(self, step: MlpStep, gradient: Vector, before: Vector,
                   after: Vector) -> Note | None:  # fmt: skip
        """Why this update leaves the parameters where they are (asked only when it does)."""
        return network_still(self, step, gradient, before, after)

    def slowing_slopes(self, step: MlpStep) -> tuple[Vector, str]:
        """The hidden units' slopes dh/dz1, each scaling its unit's share of the gradient: the
        activation the learner chose (the output unit is always a sigmoid)."""
        return step.dh_dz1, "dh/dz1"

    # ---- what a learner edits (the inputs panel) -------------------------------------------

    def form(self, params: Vector) -> tuple[Field, ...]:
        """The editable rows: the weights come from the seed, so H and the seed stand for them."""
        c = self.config
        return (
            Field("x", "X", c.x), Field("hidden", "H", c.hidden), Field("seed", "seed", c.seed),
            Field("lr", "α", c.lr), Field("target", "target", c.target),
            Field("activation", "act", c.activation, tuple(ACTIVATIONS)),
            Field("loss", "loss", c.loss, tuple(LOSSES)),
        )  # fmt: skip

    @classmethod
    def from_form(cls, read: Read, previous: Mlp, params: Vector) -> tuple[Mlp, Vector]:
        """A network from the form's fields, shown for ``previous`` at ``params``. It keeps
        training from those weights unless the shape or the seed changed: then it starts from
        the seed (weights given by hand fit the old shape, and a new seed asks for new ones)."""
        config = MlpConfig(
            x=read("x", parse_vector), hidden=read("hidden", parse_hidden),
            seed=read("seed", parse_seed), lr=read("lr", parse_number),
            target=read("target", parse_number), activation=read("activation", None),
            loss=read("loss", None),
        )  # fmt: skip
        before = previous.config
        keeps = (before.hidden, before.seed, len(before.x)) == (config.hidden, config.seed, len(config.x))
        if not keeps:
            model = cls(config)
            return model, model.initial_params()
        # The given weights stay the run's starting point, so restarting it starts from them.
        model = cls(replace(config, w1=before.w1, b1=before.b1, w2=before.w2, b2=before.b2))
        return model, tuple(params)

    @classmethod
    def like(cls, other: Any, for_data: bool = False) -> Mlp:
        """A network with another model's inputs, α, loss, target and activation (for its
        hidden units: any pairs with the sigmoid output), and its own weights (its biases learn
        a dataset as they are)."""
        c = other.config
        return cls(MlpConfig(x=c.x, lr=c.lr, loss=c.loss, target=c.target,
                             activation=other.activation.name))  # fmt: skip

    def as_kind(self, kind: type) -> Any:
        """This network's settings in a model of another kind (``models.switched``)."""
        return kind.like(self)

    def diagram(self, step: MlpStep) -> tuple[DiagramLayer, ...]:
        """Inputs → hidden units → output, each unit with its error signal dLoss/dz."""
        inputs = tuple(DiagramUnit(f"X{i}", x, None) for i, x in enumerate(step.x, 1))
        hidden = tuple(DiagramUnit(f"h{j}", h, e)
                       for j, (h, e) in enumerate(zip(step.h, step.dloss_dz1), 1))  # fmt: skip
        output = DiagramUnit("y", step.y, step.dloss_dz2)
        return (
            DiagramLayer("X", "", inputs, ()),
            DiagramLayer("dLoss/dz1", "W1", hidden, step.w1),
            DiagramLayer("dLoss/dz2", "w2", (output,), (step.w2,)),
        )

