"""One neuron, one update: z = W·X (+ b), y = act(z), Loss(y), and every chain-rule factor.

Parameters travel as one flat tuple, ``(*W, b)`` (``b`` only when the neuron has a bias), so a
session can keep the whole trajectory in a flat array and recompute any step's factors from it.
All arithmetic is on Python floats: one update costs about a microsecond, far less than NumPy's
per-call overhead on vectors this short.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from typing import Any, NamedTuple

from .activations import ACTIVATIONS
from .config import ConfigError, NeuronConfig, validate_neuron
from .curvature import lowest_point
from .derivation import Derivation, neuron_lines
from .diagnosis import Note, neuron_still
from .finite import first_non_finite
from .graph import Graph, neuron_graph
from .forms import NO_BIAS, Field, Read, parse_number, parse_optional_number, parse_vector
from .losses import LOSSES
from .model_view import ActivationView, DiagramLayer, DiagramUnit, training_rows
from .output import loss_curvature, output_chain


class NeuronStep(NamedTuple):
    """Everything one update computes, at the parameters it started from."""

    w: tuple[float, ...]
    x: tuple[float, ...]
    b: float | None
    z: float
    y: float
    loss: float
    dloss_dy: float
    dy_dz: float
    dloss_dz: float
    dloss_dw: tuple[float, ...]
    w_next: tuple[float, ...]
    b_next: float | None
    # True: every factor above (and dLoss/dX) is finite. False: one may not be, and
    # Neuron.non_finite() looks term by term. Tested in the kernel, where the numbers are locals.
    surely_finite: bool

    # The keys ``calc-tutor trace`` writes for an update, in order: a public contract.
    trace_keys = (
        "w", "x", "b", "z", "y", "loss", "dloss_dy", "dy_dz", "dloss_dz", "dz_dw", "dloss_dw",
        "dloss_db", "dloss_dx", "w_next", "b_next",
    )  # fmt: skip

    # Factors that follow from the stored ones, computed only when a step is shown.
    @property
    def dz_dw(self) -> tuple[float, ...]:
        return self.x

    @property
    def dloss_db(self) -> float | None:
        return self.dloss_dz if self.b is not None else None  # dz/db = 1

    @property
    def dloss_dx(self) -> tuple[float, ...]:
        return tuple([self.dloss_dz * wi for wi in self.w])  # dz/dX = W


# The record's numbers in the order a learner meets them (and the trace writes them).
NEURON_VALUES = (
    "z", "y", "loss", "dloss_dy", "dy_dz", "dloss_dz", "dz_dw", "dloss_dw", "dloss_db",
    "dloss_dx", "w_next", "b_next",
)  # fmt: skip

# Building the tuple directly skips NamedTuple's Python-level __new__: a hot path.
_new_step = NeuronStep._make
# Any inf or NaN term makes a sum non-finite, and a sum of finite numbers is non-finite only by
# overflow (then non_finite() looks term by term): one test clears the common case.
_finite_sum = math.isfinite


_UNKNOWN = object()


class Neuron:
    """A validated neuron config with its activation and loss resolved, ready to update."""

    kind = "neuron"
    title = "one neuron"  # as a sentence names it
    layer_weights = ("W",)  # the weights of each layer, input side first
    activation_symbols = ("z", "y", "dy/dz")  # how the y(z) view names z, y and the slope
    draws_one_line = True  # its classes meet where W·X + b = 0: a straight line (a plane)
    losses_comparable = True  # every update descends the same loss

    def __init__(self, config: NeuronConfig) -> None:
        self.config = validate_neuron(config)
        self.activation = ACTIVATIONS[config.activation]
        self.loss = LOSSES[config.loss]
        self.has_bias = config.b is not None
        self.n_params = len(config.x) + self.has_bias
        self.chain = output_chain(self.activation, self.loss, config.target)  # z → y, loss, …
        self.update = self._compile_update()
        self._bottom_curvature: float | None | object = _UNKNOWN

    def _compile_update(self) -> Callable[[tuple[float, ...], int], NeuronStep]:
        """The update as a closure over plain locals: a session calls it a million times a run.

        The chain from z to dLoss/dz is one function; around it, one feature gets plain float
        arithmetic (the seed neuron, and twice as fast) and several get tuple arithmetic.
        Every update uses the one X, so the update's index is not needed.
        """
        x, lr, has_bias = self.config.x, self.config.lr, self.has_bias
        chain = self.chain
        def update_vector(params: tuple[float, ...], index: int = 0) -> NeuronStep:
            w, b = (params[:-1], params[-1]) if has_bias else (params, None)
            z = sum([wi * xi for wi, xi in zip(w, x)])  # z = W·X (+ b)
            if b is not None:
                z += b
            y, loss, dloss_dy, dy_dz, dloss_dz = chain(z)
            dloss_dw = tuple([dloss_dz * xi for xi in x])  # dz/dW = X
            w_next = tuple([wi - lr * gi for wi, gi in zip(w, dloss_dw)])  # W ← W − α·dLoss/dW
            b_next = b - lr * dloss_dz if b is not None else None  # dz/db = 1
            surely_finite = _finite_sum(
                z + y + loss + dloss_dz + dloss_dy + dy_dz + sum(dloss_dw) + sum(w_next)
                + dloss_dz * sum(map(abs, w)) + (b_next if b is not None else 0.0)
            )  # fmt: skip
            return _new_step((w, x, b, z, y, loss, dloss_dy, dy_dz, dloss_dz, dloss_dw, w_next,
                              b_next, surely_finite))  # fmt: skip

        if len(x) > 1:
            return update_vector
        (x0,) = x

        def update_scalar(params: tuple[float, ...], index: int = 0) -> NeuronStep:
            w0 = params[0]
            b = params[1] if has_bias else None
            z = w0 * x0 if b is None else w0 * x0 + b
            y, loss, dloss_dy, dy_dz, dloss_dz = chain(z)
            dloss_dw0 = dloss_dz * x0
            w_next0 = w0 - lr * dloss_dw0
            b_next = b - lr * dloss_dz if b is not None else None
            surely_finite = _finite_sum(
                z + y + loss + dloss_dz + dloss_dy + dy_dz + dloss_dw0 + w_next0 + dloss_dz * w0
                + (b_next if b is not None else 0.0)
            )  # fmt: skip
            return _new_step(((w0,), x, b, z, y, loss, dloss_dy, dy_dz, dloss_dz, (dloss_dw0,),
                              (w_next0,), b_next, surely_finite))  # fmt: skip

        return update_scalar

    def initial_params(self) -> tuple[float, ...]:
        c = self.config
        return c.w + ((c.b,) if self.has_bias else ())

    def split(self, params: tuple[float, ...]) -> tuple[tuple[float, ...], float | None]:
        """Flat parameters → (W, b)."""
        if self.has_bias:
            return tuple(params[:-1]), params[-1]
        return tuple(params), None

    def forward_loss(self, params: tuple[float, ...], index: int = 0) -> float:
        """The loss alone, as a function of the parameters (for L(W) plots and gradient checks)."""
        return self.update(params).loss

    def each_example(self) -> tuple[Neuron, ...]:
        """The model once per example it learns: itself, with its one X and t."""
        return (self,)

    def replaced(self, **changes: Any) -> Neuron:
        """The same neuron with some settings changed (``x``, ``target``, ``lr``, …), validated."""
        return Neuron(replace(self.config, **changes))

    def params_of(self, step: NeuronStep) -> tuple[float, ...]:
        """The parameters the update started from, flat."""
        return step.w + (step.b,) if self.has_bias else step.w

    def next_params(self, step: NeuronStep) -> tuple[float, ...]:
        if self.has_bias:
            return step.w_next + (step.b_next,)
        return step.w_next

    def gradient(self, step: NeuronStep) -> tuple[float, ...]:
        """dLoss/d(params), in the same order as the flat parameters."""
        if self.has_bias:
            return step.dloss_dw + (step.dloss_db,)
        return step.dloss_dw

    def curvature(self, params: tuple[float, ...]) -> float:
        """L″: the Hessian's one nonzero eigenvalue, d²Loss/dz² · (|X|² + 1 with a bias), exactly
        (the Hessian is that number times v·vᵀ, v = (X, 1))."""
        z = self.update(params).z
        size = sum(xi * xi for xi in self.config.x) + (1.0 if self.has_bias else 0.0)
        return loss_curvature(self.activation, self.loss, self.config.target, z) * size

    def curvature_at_minimum(self) -> float | None:
        """L″ at the bottom of the loss, where a run that bounces bounces around: the loss
        depends on the parameters only through z, so the bottom is a 1-D search over z.
        None when the loss has no bottom at a finite z (Loss = 1 − y, bce with t = 0 or 1)."""
        if self._bottom_curvature is not _UNKNOWN:
            return self._bottom_curvature  # the config never changes: search once
        z = lowest_point(lambda z: self.chain(z)[1])
        size = sum(xi * xi for xi in self.config.x) + (1.0 if self.has_bias else 0.0)
        self._bottom_curvature = (None if z is None else
                                  loss_curvature(self.activation, self.loss, self.config.target, z) * size)  # fmt: skip
        return self._bottom_curvature

    def dy_dx(self, step: NeuronStep) -> tuple[float, ...]:
        """How the output moves with each input: dy/dX = dy/dz · W (for attribution)."""
        return tuple([step.dy_dz * wi for wi in step.w])

    def non_finite(self, step: NeuronStep) -> str | None:
        """The first quantity of the update that is not a finite number, or None."""
        return None if step.surely_finite else first_non_finite(step, NEURON_VALUES)

    # ---- what the views ask of the model ---------------------------------------------------

    def param_names(self) -> tuple[str, ...]:
        """Each flat parameter's name, counting from 1: ``W[1]``, …, ``W[n]``, then ``b``."""
        names = tuple(f"W[{i}]" for i in range(1, len(self.config.x) + 1))
        return names + ("b",) if self.has_bias else names

    def gradient_without_output_slope(self, step: NeuronStep) -> tuple[tuple[float, ...], str, float]:
        """A planted bug for the gradient check: dLoss/d(params) with dy/dz left out of the chain
        (dLoss/dy where dLoss/dz belongs); and the factor dropped, by name and value."""
        wrong = step.dloss_dy
        gradient = tuple([wrong * xi for xi in step.x]) + ((wrong,) if self.has_bias else ())
        return gradient, "dy/dz", step.dy_dz

    def param_parts(self, params: tuple[float, ...]) -> dict[str, Any]:
        """The flat parameters in the model's own shapes: ``{"W": (…), "b": b or None}``."""
        w, b = self.split(params)
        return {"W": w, "b": b}

    def param_groups(self, params: tuple[float, ...]) -> tuple[tuple[str, tuple[float, ...]], ...]:
        """The flat parameters as a learner names them: ``("W", W)`` and ``("b", (b,))``."""
        w, b = self.split(params)
        return (("W", w), ("b", (b,))) if b is not None else (("W", w),)

    def summary(self) -> list[tuple[str, str]]:
        """The run's settings as (label, value) rows, in the order a learner needs them."""
        shape = "z = W·X + b" if self.has_bias else "z = W·X"
        return [("model", shape), ("activation", self.activation.formula), *training_rows(self)]

    def varied_weight(self) -> tuple[str, str]:
        """The weight L(W) varies, and what is held while it does ("" when nothing is)."""
        if len(self.config.x) == 1:
            return "W", "b held" if self.has_bias else ""
        return "W[1]", "other weights" + (" and b" if self.has_bias else "") + " held"

    def activation_view(self, step: NeuronStep) -> ActivationView:
        """The neuron's own activation at this update's z."""
        return ActivationView(self.activation, *self.activation_symbols, step.z, step.y, step.dy_dz)

    def derivation(self, step: NeuronStep, number: int) -> Derivation:
        """The lines a learner reads for update ``number``."""
        return Derivation(number, tuple(neuron_lines(self, step)))

    def graph(self, step: NeuronStep) -> Graph:
        """The update as a computation graph: W, X (and b) to the loss, and back."""
        return neuron_graph(self, step)

    def stall_note(self, step: NeuronStep, gradient: tuple[float, ...], before: tuple[float, ...],
                   after: tuple[float, ...]) -> Note | None:  # fmt: skip
        """Why this update leaves the parameters where they are (asked only when it does)."""
        return neuron_still(self, step, gradient, before, after)

    def slowing_slopes(self, step: NeuronStep) -> tuple[tuple[float, ...], str]:
        """The activation slopes that scale this update's gradient, and their name; none when
        the loss cancels the slope (bce after the sigmoid: dLoss/dz = y − t)."""
        if self.loss.logit_gradient is not None:
            return (), "dy/dz"
        return (step.dy_dz,), "dy/dz"

    # ---- what a learner edits (the inputs panel) -------------------------------------------

    def form(self, params: tuple[float, ...]) -> tuple[Field, ...]:
        """The editable rows: W and b where this update starts, then the settings."""
        w, b = self.split(params)
        c = self.config
        return (
            Field("w", "W", w), Field("x", "X", c.x), Field("b", "b", b, placeholder=NO_BIAS),
            Field("lr", "α", c.lr), Field("target", "target", c.target),
            Field("activation", "act", c.activation, tuple(ACTIVATIONS)),
            Field("loss", "loss", c.loss, tuple(LOSSES)),
        )  # fmt: skip

    @classmethod
    def from_form(
        cls, read: Read, previous: Neuron, params: tuple[float, ...]
    ) -> tuple[Neuron, tuple[float, ...]]:
        """A neuron from the form's fields (X first, so W can be checked against it); it
        starts from the W and b the fields hold."""
        x = read("x", parse_vector)
        config = NeuronConfig(
            w=read("w", parse_vector), x=x, b=read("b", parse_optional_number),
            lr=read("lr", parse_number), target=read("target", parse_number),
            activation=read("activation", None), loss=read("loss", None),
        )  # fmt: skip
        model = cls(config)
        return model, model.initial_params()

    @classmethod
    def like(cls, other: Any, for_data: bool = False) -> Neuron:
        """A neuron with another model's inputs, α, loss, target and activation (the default
        one where the loss cannot pair with it), and its own W; to learn a dataset, with a bias
        (0): a dataset's classes rarely meet at the origin."""
        c = other.config
        config = NeuronConfig(w=NeuronConfig().w * len(c.x), x=c.x, b=0.0 if for_data else None,
                              lr=c.lr, loss=c.loss, target=c.target,
                              activation=other.activation.name)  # fmt: skip
        try:
            return cls(config)
        except ConfigError:  # e.g. bce after a ReLU: the neuron's output must be a probability
            return cls(replace(config, activation=NeuronConfig().activation))

    def as_kind(self, kind: type) -> Any:
        """This neuron's settings in a model of another kind (``models.switched``)."""
        return kind.like(self)

    def diagram(self, step: NeuronStep) -> tuple[DiagramLayer, ...]:
        """The inputs, and the one unit they feed, with its error signal dLoss/dz."""
        inputs = tuple(DiagramUnit(f"X{i}", x, None) for i, x in enumerate(step.x, 1))
        unit = DiagramUnit("y", step.y, step.dloss_dz)
        return (
            DiagramLayer("X", "", inputs, ()),
            DiagramLayer("dLoss/dz", "W", (unit,), (step.w,)),
        )

