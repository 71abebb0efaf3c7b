"""A model trained on a dataset (``--data``): each update learns from one example in turn, or,
batched, from the mean gradient over all of them.

``OnDataset`` wraps any model whose config has an input ``x`` and a target ``target``: it
builds one copy of that model per example (the same parameters, the example's X and t) and
answers the Model protocol by asking the copy the update uses. So the neuron and the network
learn a dataset with no code of their own, and a later model does too.

Which example an update uses follows from its index (the update's number − 1): example
``index mod n``. A batch update's record holds the mean loss, the mean gradient and each
example's own record, so every number in it stays checkable.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from .config import ConfigError
from .curvature import power_iteration
from .datasets import Dataset, load_dataset
from .derivation import Derivation, Line, descent_line
from .diagnosis import Note, mean_loss, network_still
from .finite import mean
from .graph import Graph, ParamUpdate, unwrap_one, with_updates
from .forms import Field, Read
from .model_view import ActivationView
from .numbers import fmt_value

Params = tuple[float, ...]


class ExampleStep:
    """One example's update: the example's own record, and which example it was."""

    __slots__ = ("example", "t", "record", "loss")

    def __init__(self, example: int, t: float, record: Any) -> None:
        self.example = example  # counting from 0, as the trace writes it
        self.t = t
        self.record = record
        self.loss = record.loss  # read for every update by the session's hot loop

    @property
    def trace_keys(self) -> tuple[str, ...]:
        return ("example", "t", *self.record.trace_keys)

    def __getattr__(self, name: str) -> Any:
        # The example's own record answers for every factor (z, y, dloss_dw, …).
        return getattr(self.record, name)


@dataclass(frozen=True)
class BatchStep:
    """One update on the mean loss over all examples."""

    params: Params  # where the update started
    loss: float  # the mean of the examples' losses
    gradient: Params  # the mean of the examples' gradients, in the flat parameter order
    next: Params  # params − α · gradient
    records: tuple[Any, ...]  # each example's own record, at ``params``
    targets: tuple[float, ...]
    parts: dict[str, Any]  # the record's values by trace key (w, b, loss, dloss_dw, …)

    @property
    def trace_keys(self) -> tuple[str, ...]:
        return (*self.parts, "examples")  # each example's record last, built only when asked

    def __getattr__(self, name: str) -> Any:
        try:
            return self.parts[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def examples(self) -> tuple[dict[str, Any], ...]:
        """Each example's record as trace writes it: ``example``, ``t``, then its own keys."""
        return tuple(
            {"example": index, "t": t, **{key: getattr(record, key) for key in record.trace_keys}}
            for index, (t, record) in enumerate(zip(self.targets, self.records))
        )


def _plain(group: str, name: str, symbol: str, value: Any, note: str) -> Line:
    """A derivation line that states its value without a substitution."""
    return Line(group, name, symbol, "", value, note)


def example_models(base: Any, dataset: Dataset) -> tuple[Any, ...]:
    """``base`` once per example, with that example's X and t; a target the loss cannot take
    is a ConfigError on ``data`` naming the example."""
    models = []
    for index, (x, t) in enumerate(zip(dataset.inputs, dataset.targets)):
        try:
            models.append(base.replaced(x=x, target=t))
        except ConfigError as error:
            where = dataset.where(index)
            raise ConfigError("data", f"{where}: {error.message}") from None
    return tuple(models)


class OnDataset:
    """``base`` trained on ``dataset``: one example an update in turn, or (``batch``) the mean
    gradient over all of them."""

    def __init__(self, base: Any, dataset: Dataset, batch: bool = False) -> None:
        if dataset.features != len(base.config.x):
            raise ConfigError("data", f"{dataset.name} has {dataset.features} input(s); the model "
                                      f"takes {len(base.config.x)}")  # fmt: skip
        self.base, self.dataset, self.batch = base, dataset, batch
        self.examples = example_models(base, dataset)
        self.kind = base.kind
        self.title = base.title
        self.config = self.examples[0].config
        self.n_params = base.n_params
        self.activation = base.activation
        self.loss = base.loss
        self.activation_symbols = base.activation_symbols
        self.draws_one_line = base.draws_one_line
        # One example's loss against the next example's says nothing about progress.
        self.losses_comparable = batch
        self.targets = dataset.targets
        self.update = self._batch_update if batch else self._example_update
        self.layer_weights = base.layer_weights

    def each_example(self) -> tuple[Any, ...]:
        return self.examples

    def replaced(self, **changes: Any) -> OnDataset:
        return OnDataset(self.base.replaced(**changes), self.dataset, self.batch)

    # ---- training ----------------------------------------------------------------------

    def example_of(self, index: int) -> int:
        """The example update ``index`` (counting from 0) learns from."""
        return index % len(self.examples)

    def _example_update(self, params: Params, index: int = 0) -> ExampleStep:
        example = index % len(self.examples)
        return ExampleStep(example, self.targets[example], self.examples[example].update(params))

    def _batch_update(self, params: Params, index: int = 0) -> BatchStep:
        records = tuple(model.update(params) for model in self.examples)
        gradients = [model.gradient(record) for model, record in zip(self.examples, records)]
        gradient = tuple(mean([g[i] for g in gradients]) for i in range(len(params)))
        lr = self.config.lr
        following = tuple([p - lr * g for p, g in zip(params, gradient)])  # p ← p − α·dLoss/dp
        loss = mean([record.loss for record in records])
        shapes = self.base.param_parts
        parts = {name.lower(): value for name, value in shapes(params).items()}
        parts["loss"] = loss
        parts |= {f"dloss_d{name.lower()}": value for name, value in shapes(gradient).items()}
        parts |= {f"{name.lower()}_next": value for name, value in shapes(following).items()}
        return BatchStep(params, loss, gradient, following, records, self.targets, parts)

    def initial_params(self) -> Params:
        return self.base.initial_params()

    def next_params(self, step: Any) -> Params:
        if self.batch:
            return step.next
        return self.examples[step.example].next_params(step.record)

    def params_of(self, step: Any) -> Params:
        return step.params if self.batch else self.base.params_of(step.record)

    def gradient(self, step: Any) -> Params:
        return step.gradient if self.batch else self.base.gradient(step.record)

    def non_finite(self, step: Any) -> str | None:
        if not self.batch:
            return self.examples[step.example].non_finite(step.record)
        for model, record in zip(self.examples, step.records):
            quantity = model.non_finite(record)
            if quantity is not None:
                return quantity
        numbers = (step.loss, *step.gradient, *step.next)
        return None if all(map(math.isfinite, numbers)) else "loss"

    def split(self, params: Params) -> tuple[Any, ...]:
        return self.base.split(params)

    def forward_loss(self, params: Params, index: int = 0) -> float:
        """The loss update ``index`` descends: its example's, or the mean over all."""
        if self.batch:
            return self.mean_loss(params)
        return self.examples[index % len(self.examples)].forward_loss(params)

    def mean_loss(self, params: Params) -> float:
        """The mean loss over the dataset at ``params``."""
        return mean_loss(self, params)

    def dy_dx(self, step: Any) -> Params:
        if not self.batch:
            return self.base.dy_dx(step.record)
        slopes = [model.dy_dx(record) for model, record in zip(self.examples, step.records)]
        return tuple(mean([s[i] for s in slopes]) for i in range(self.dataset.features))

    def _mean_gradient(self, params: Params) -> Params:
        return self._batch_update(params).gradient

    def curvature(self, params: Params) -> float:
        """L″ of the mean loss over the dataset (the largest Hessian eigenvalue)."""
        return power_iteration(self._mean_gradient, params)

    def curvature_at_minimum(self) -> float | None:
        return None

    # ---- what a learner reads ------------------------------------------------------------

    def param_names(self) -> tuple[str, ...]:
        return self.base.param_names()

    def param_parts(self, params: Params) -> dict[str, Any]:
        return self.base.param_parts(params)

    def param_groups(self, params: Params) -> tuple[tuple[str, Params], ...]:
        return self.base.param_groups(params)

    def gradient_without_output_slope(self, step: Any) -> tuple[Params, str, Any]:
        if not self.batch:
            return self.examples[step.example].gradient_without_output_slope(step.record)
        planted = [model.gradient_without_output_slope(record)
                   for model, record in zip(self.examples, step.records)]  # fmt: skip
        mean = tuple(mean([p[0][i] for p in planted]) for i in range(self.n_params))
        # Each example drops its own slope: all of them are named.
        return mean, f"each example's {planted[0][1]}", tuple(p[2] for p in planted)

    def summary(self) -> list[tuple[str, str]]:
        """The base model's rows, with the dataset in place of the one X and t."""
        rows = [row for row in self.examples[0].summary() if row[0] not in ("X", "target t")]
        way = (f"the mean gradient over all {len(self.dataset)} examples each update" if self.batch
               else "one example each update, in turn")  # fmt: skip
        return rows + [("data", f"{self.dataset.name}: {len(self.dataset)} examples, {way}")]

    def varied_weight(self) -> tuple[str, str]:
        return self.base.varied_weight()

    def activation_view(self, step: Any) -> ActivationView:
        """The unit's activation at this update's example (a batch shows its first example)."""
        if self.batch:
            return self.examples[0].activation_view(step.records[0])
        return self.examples[step.example].activation_view(step.record)

    def example_line(self, example: int) -> Line:
        """The derivation's first line: which example this update learns from."""
        x, t = self.dataset.inputs[example], self.targets[example]
        return _plain("example", "t", f"example {example + 1} of {len(self.dataset)}: "
                    f"X = {fmt_value(x)}, t = {fmt_value(t)}", t,
                    "Each update learns from one example in turn; the next update takes the "
                    "next one.")  # fmt: skip

    def derivation(self, step: Any, number: int) -> Derivation:
        n = len(self.dataset)
        if not self.batch:
            inner = self.examples[step.example].derivation(step.record, number)
            x, t = self.dataset.inputs[step.example], self.targets[step.example]
            heading = f"example {step.example + 1}/{n}: X {fmt_value(x)}, t {fmt_value(t)}"
            return Derivation(number, (self.example_line(step.example), *inner.lines), heading)
        return Derivation(number, tuple(self._batch_lines(step)), f"mean over {n} examples")

    def graph(self, step: Any) -> Graph:
        """The example's own graph; a batch shows its first example's, with the mean step."""
        n = len(self.dataset)
        if not self.batch:
            inner = self.examples[step.example].graph(step.record)
            x, t = self.dataset.inputs[step.example], self.targets[step.example]
            heading = f"example {step.example + 1}/{n}: X {fmt_value(x)}, t {fmt_value(t)}"
            return with_updates(inner, inner.updates, heading)
        inner = self.examples[0].graph(step.records[0])
        starts, slopes = self.base.param_parts(step.params), self.base.param_parts(step.gradient)
        landed = self.base.param_parts(step.next)
        # The update's step is the mean over every example: the parameters as the base names them.
        updates = tuple(
            ParamUpdate(name, unwrap_one(starts[name]), self.config.lr, unwrap_one(slopes[name]),
                        unwrap_one(landed[name]), f"{name} ← {name} − α·mean dLoss/d{name}")
            for name in landed if landed[name] is not None
        )  # fmt: skip
        return with_updates(inner, updates, f"example 1 of {n}; the update takes the mean over all {n}")

    def _batch_lines(self, step: BatchStep) -> list[Line]:
        n = len(self.examples)
        lines = [_plain("forward", "n", f"examples averaged: n = {n}", n,
                      "This update descends the mean loss over every example at once.")]  # fmt: skip
        for index, (record, x, t) in enumerate(zip(step.records, self.dataset.inputs, self.targets)):
            # No " = " inside the symbol: a folded line keeps only what stands around those.
            lines.append(_plain("forward", f"examples[{index}].loss",
                              f"example {index + 1} (X {fmt_value(x)}, t {fmt_value(t)}): "
                              f"y {fmt_value(record.y)}, Loss", record.loss,
                              "This example's own forward pass and loss."))  # fmt: skip
        lines.append(_plain("forward", "loss", f"Loss = (1/{n}) · Σ example losses", step.loss,
                          "The mean of the examples' losses."))  # fmt: skip
        per_example = [self.base.param_parts(model.gradient(record))
                       for model, record in zip(self.examples, step.records)]  # fmt: skip
        for name, value in self.base.param_parts(step.gradient).items():
            if value is None:
                continue
            for index, parts in enumerate(per_example):
                lines.append(_plain("backward", f"examples[{index}].dloss_d{name.lower()}",
                                  f"example {index + 1}: dLoss/d{name}", parts[name],
                                  "This example's own gradient, by the chain rule."))  # fmt: skip
            lines.append(_plain("backward", f"dloss_d{name.lower()}",
                              f"dLoss/d{name} = (1/{n}) · Σ example dLoss/d{name}", value,
                              "The mean of the examples' gradients: the slope of the mean loss."))  # fmt: skip
        starts, slopes = self.base.param_parts(step.params), self.base.param_parts(step.gradient)
        for name, value in self.base.param_parts(step.next).items():
            if value is not None:
                lines.append(descent_line(f"{name.lower()}_next",
                                          f"{name} ← {name} − α·dLoss/d{name}", value,
                                          "One step against the mean slope, scaled by α.",
                                          starts[name], self.config.lr, slopes[name]))  # fmt: skip
        return lines

    # ---- what the diagnosis asks ---------------------------------------------------------

    def stall_note(self, step: Any, gradient: Params, before: Params, after: Params) -> Note | None:
        if not self.batch:
            return self.examples[step.example].stall_note(step.record, gradient, before, after)
        return network_still(self, step, gradient, before, after)

    def slowing_slopes(self, step: Any) -> tuple[tuple[float, ...], str]:
        if not self.batch:
            return self.examples[step.example].slowing_slopes(step.record)
        return (), "dy/dz"  # each example has its own: no one unit's slope to name

    # ---- the layers' views and what a learner edits ---------------------------------------

    def diagram(self, step: Any) -> tuple[Any, ...]:
        """The network at this update's example (a batch shows its first example)."""
        if self.batch:
            return self.examples[0].diagram(step.records[0])
        return self.examples[step.example].diagram(step.record)

    def form(self, params: Params) -> tuple[Field, ...]:
        """The dataset in place of the one X and t, the base model's other rows, and whether
        an update takes one example or the mean over all."""
        rows = [row for row in self.base.form(params) if row.name not in ("x", "target")]
        return (
            Field("data", "data", self.dataset.name), *rows,
            Field("batch", "batch", "yes" if self.batch else "no", ("no", "yes")),
        )  # fmt: skip

    @classmethod
    def from_form(cls, read: Read, previous: OnDataset, params: Params) -> tuple[OnDataset, Params]:
        """The base model from its own rows, trained on the dataset the data row names."""
        spec = read("data", _dataset_name)
        dataset = previous.dataset if spec == previous.dataset.name else load_dataset(spec)
        batch = read("batch", None) == "yes"
        before = previous.base

        def base_read(name: str, parse: Any) -> Any:
            if name == "x":
                return dataset.inputs[0]  # each example brings its own X and t
            if name == "target":
                return before.config.target
            return read(name, parse)

        base, start = type(before).from_form(base_read, before, params)
        return cls(base, dataset, batch), start

    def as_kind(self, kind: type) -> OnDataset:
        """The same dataset learnt by a model of another kind."""
        return OnDataset(kind.like(self.base, for_data=True), self.dataset, self.batch)


def _dataset_name(field: str, text: str) -> str:
    if not text.strip():
        raise ConfigError(field, "is empty; name a dataset (and, or, xor) or a .csv file")
    return text.strip()

