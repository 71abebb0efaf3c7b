"""The engine's answers to a lesson's expressions: ``{dloss_dw}``, ``update(5).w_next``,
``large.dloss_dw / dloss_dw``.

A lesson names numbers; this module computes them from the model, never from the text. An
expression is a small part of Python's syntax, read with ``ast`` and walked here (never
``eval``): numbers, + − × / and **, brackets, ``[i]`` (counting from 1, as X1 is the first
input), and these names:

- a line of the derivation of the page's next update: ``z``, ``y``, ``loss``, ``dy_dz``,
  ``dloss_dw``, ``w_next``… (the names ``calc-tutor trace`` writes);
- ``update(N).NAME``: that line in update N of the page's run, counting from 1;
- ``mean_loss``: the mean loss over the examples, before the next update;
- ``check(EPS)`` and ``forward_check(EPS)``: the gradient check of the next update with central
  or forward differences at relative step EPS: ``.numeric`` and ``.analytic`` (the first
  parameter's), ``.error`` (the worst relative error);
- ``attribution(K)``: example K's (1 without a dataset) ``.dy_dx``, ``.grad_x_input``, ``.occlusion``;
- another page's state by its name (``{#large}`` on its heading): ``large.dloss_dw``;
- ``abs``, ``min``, ``max``, ``log``, ``exp``, ``sqrt``.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import math
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .attribution import attribute
from .derivation import Derivation, derive
from .diagnosis import mean_loss
from .gradcheck import gradient_check
from .numbers import MINUS, fmt_value, numbers_of, unwrap
from .parameters import params_after, reachable_params

MAX_UPDATE = 100_000


class ExpressionError(ValueError):
    """An expression the engine cannot answer; the message says why, in a teacher's words."""


class State:
    """A page's model after ``steps`` updates: what its expressions ask about."""

    def __init__(self, model: Any, steps: int) -> None:
        self.model = model
        self.steps = steps
        self.params = reachable_params(model, steps)  # a ConfigError when it diverges before

    @functools.cached_property
    def next_update(self) -> Derivation:
        return self.derivation(self.steps + 1)

    @functools.lru_cache(maxsize=8)  # noqa: B019 (a State lives as long as its lesson)
    def derivation(self, update: int) -> Derivation:
        if update == self.steps + 1:
            params = self.params
        else:
            params, divergence = params_after(self.model, update - 1)
            if divergence is not None:
                raise ExpressionError(f"update {update} is never reached: the run stops at "
                                      f"update {divergence.step} ({divergence.reason})")  # fmt: skip
        record = self.model.update(params, update - 1)
        return derive(self.model, record, update)


@dataclass(frozen=True)
class _Update:
    state: State
    number: int

    def get(self, name: str) -> Any:
        derivation = self.state.derivation(self.number)
        names = [line.name for line in derivation.lines]
        if name not in names:
            raise ExpressionError(f"{name!r} is not a line of update {self.number}: "
                                  f"its lines are {', '.join(names)}")  # fmt: skip
        return derivation.line(name).value


class _Parts:
    """A result with named parts (``check(0.01).error``): only its fields can be asked for."""

    KIND = ""

    def get(self, name: str) -> Any:
        parts = [field.name for field in dataclasses.fields(self)]  # type: ignore[arg-type]
        if name not in parts:
            listed = ", ".join(f".{part}" for part in parts)
            raise ExpressionError(f"{self.KIND} has {listed}, not .{name}")
        return getattr(self, name)


@dataclass(frozen=True)
class _Check(_Parts):
    KIND = "a check"
    numeric: float
    analytic: float
    error: float


@dataclass(frozen=True)
class _Attribution(_Parts):
    KIND = "an attribution"
    dy_dx: tuple[float, ...]
    grad_x_input: tuple[float, ...]
    occlusion: tuple[float, ...]


@dataclass(frozen=True)
class _StateRef:
    state: State

    def get(self, name: str) -> Any:
        state = self.state
        if name == "mean_loss":
            return mean_loss(state.model, state.params)
        if name in _METHODS:
            return functools.partial(_METHODS[name], state)
        return _Update(state, state.steps + 1).get(name)


def _update(state: State, number: Any) -> _Update:
    if not isinstance(number, int) or not 1 <= number <= MAX_UPDATE:
        raise ExpressionError(f"update(N) takes a whole number N from 1 to {MAX_UPDATE:,}")
    return _Update(state, number)


def _check(state: State, epsilon: Any, forward: bool = False) -> _Check:
    if not isinstance(epsilon, (int, float)) or not 0 < epsilon < 1:
        raise ExpressionError("a check's step EPS is a number between 0 and 1, e.g. check(0.01)")
    checks = gradient_check(state.model, state.params, float(epsilon),
                            update_index=state.steps, forward=forward)  # fmt: skip
    return _Check(checks[0].numeric, checks[0].analytic, max(c.relative_error for c in checks))


def _attribution(state: State, example: Any = 1) -> _Attribution:
    examples = state.model.each_example()
    if not isinstance(example, int) or not 1 <= example <= len(examples):
        raise ExpressionError(f"attribution(K) takes an example K from 1 to {len(examples)}")
    rows = attribute(examples[example - 1], state.params)
    return _Attribution(tuple(r.dy_dx for r in rows), tuple(r.gradient_x_input for r in rows),
                        tuple(r.occlusion for r in rows))  # fmt: skip


_METHODS: dict[str, Callable[..., Any]] = {
    "update": _update,
    "check": _check,
    "forward_check": functools.partial(_check, forward=True),
    "attribution": _attribution,
}
_FUNCTIONS: dict[str, Callable[..., float]] = {
    "abs": abs, "min": min, "max": max, "log": math.log, "exp": math.exp, "sqrt": math.sqrt,
}  # fmt: skip
# Names an expression gives a meaning of its own: a page cannot be called by one of them.
RESERVED = frozenset({"mean_loss", *_METHODS, *_FUNCTIONS})
_OPERATORS: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    # in floats: whole numbers would compute 9 ** 9 ** 9 exactly, for hours
    ast.Pow: lambda base, power: operator.pow(float(base), float(power)),
}  # fmt: skip
_SYMBOLS = {ast.Add: "+", ast.Sub: MINUS, ast.Mult: "×", ast.Div: "/", ast.Pow: "^"}


class Context:
    """Where a page's expressions are answered: its own state, and every named page's."""

    def __init__(self, here: State, named: Mapping[str, State]) -> None:
        self.here = _StateRef(here)
        self.named = named  # may build a state only when an expression asks for it

    # ---- reading ---------------------------------------------------------------------------

    @staticmethod
    def parse(expression: str) -> ast.expr:
        try:
            return ast.parse(expression.strip(), mode="eval").body
        except SyntaxError:
            raise ExpressionError(f"{expression!r} is not an expression") from None

    def value(self, expression: str) -> Any:
        """The expression's value: a number, or a vector or matrix of them."""
        result = unwrap(self._eval(self.parse(expression)))
        if isinstance(result, tuple) and all(isinstance(n, (int, float)) for n in numbers_of(result)):
            return result
        if not isinstance(result, (int, float)) or isinstance(result, bool):
            raise ExpressionError(f"{expression!r} is not a number")
        return float(result)

    def text(self, expression: str, spec: str = "") -> str:
        """The value as a learner reads it: ``−0.393224``; with ``spec``, Python's format."""
        value = self.value(expression)
        if not spec:
            return fmt_value(value)
        if isinstance(value, tuple):
            raise ExpressionError(f"{expression!r} is a vector: a format like :{spec} needs one number")
        try:
            return format(value, spec).replace("-", MINUS)
        except ValueError:
            raise ExpressionError(f"{spec!r} is not a number format (try .3f or ,.0f)") from None

    def with_numbers(self, expression: str) -> str:
        """The expression with each quantity's value in its place: ``−0.5749 / −0.0001816``."""
        return self._show(self.parse(expression))

    def line_reference(self, expression: str) -> tuple[int, str] | None:
        """(update, line name) when the expression is one line of the page's own run, or one
        number of it (``dloss_dw``, ``update(5).w_next``, ``dloss_dw[2]``): the app then walks
        the derivation to that line, so that it is hidden until answered, and reveals it there."""
        node = self.parse(expression)
        if isinstance(node, ast.Subscript):
            node = node.value
        here = self.here.state
        if isinstance(node, ast.Name) and node.id not in self.named and node.id not in _FUNCTIONS:
            names = [line.name for line in here.next_update.lines]
            return (here.steps + 1, node.id) if node.id in names else None
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Call)
                and isinstance(node.value.func, ast.Name) and node.value.func.id == "update"
                and len(node.value.args) == 1 and isinstance(node.value.args[0], ast.Constant)):  # fmt: skip
            number = node.value.args[0].value
            if isinstance(number, int):
                _update(here, number).get(node.attr)  # an error if there is no such line
                return number, node.attr
        return None

    def computes(self, expression: str) -> bool:
        """Whether the expression works something out (arithmetic or a function of numbers),
        so that it written with its numbers is a hint, not the answer itself."""
        node = self.parse(expression)
        return isinstance(node, (ast.BinOp, ast.UnaryOp)) or (
            isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _FUNCTIONS
        )

    # ---- walking ---------------------------------------------------------------------------

    def _eval(self, node: ast.expr) -> Any:
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) \
                and not isinstance(node.value, bool):
            return node.value
        if isinstance(node, ast.Name):
            if node.id in self.named:
                return _StateRef(self.named[node.id])
            if node.id in _FUNCTIONS:
                return _FUNCTIONS[node.id]
            return self.here.get(node.id)
        if isinstance(node, ast.Attribute):
            owner = self._eval(node.value)
            if not hasattr(owner, "get"):
                raise ExpressionError(f".{node.attr} follows something that has no parts")
            return owner.get(node.attr)
        if isinstance(node, ast.Call) and not node.keywords:
            function = self._eval(node.func)
            if not callable(function):
                raise ExpressionError(f"{ast.unparse(node.func)} cannot be called")
            args = [unwrap(self._eval(arg)) for arg in node.args]
            try:
                return function(*args)
            except ExpressionError:
                raise
            except TypeError:
                raise ExpressionError(f"{ast.unparse(node)}: wrong number or kind of values") from None
            except (ValueError, OverflowError):  # log(−1), sqrt(−1), exp(1000)
                raise ExpressionError(f"{ast.unparse(node)} has no value (outside where the "
                                      "function is defined, or a number too large)") from None  # fmt: skip
        if isinstance(node, ast.Subscript):
            vector = self._eval(node.value)
            index = self._eval(node.slice)
            if not isinstance(vector, tuple):
                raise ExpressionError(f"{ast.unparse(node.value)} is one number: it has no [i]")
            if not isinstance(index, int) or not 1 <= index <= len(vector):
                raise ExpressionError(f"{ast.unparse(node)}: [i] counts from 1 to {len(vector)}")
            return vector[index - 1]
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            operand = self._number(node.operand)
            return -operand if isinstance(node.op, ast.USub) else operand
        if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
            left, right = self._number(node.left), self._number(node.right)
            try:
                result = _OPERATORS[type(node.op)](left, right)
                if isinstance(result, complex):  # (−8) ** (1/3) in floats
                    raise ValueError
                if math.isfinite(left) and math.isfinite(right) and not math.isfinite(result):
                    raise OverflowError  # 1e300 * 1e300 is inf in floats, not an error
                return result
            except (ZeroDivisionError, OverflowError, ValueError):
                raise ExpressionError(f"{ast.unparse(node)} has no value (a division by 0, a "
                                      "number too large, or a root of a negative number)") from None  # fmt: skip
        raise ExpressionError(f"{ast.unparse(node)!r} is not allowed in a lesson's expression")

    def _number(self, node: ast.expr) -> float:
        value = unwrap(self._eval(node))
        if isinstance(value, tuple):
            raise ExpressionError(f"{ast.unparse(node)} is a vector: pick one number with [i]")
        if not isinstance(value, (int, float)):
            raise ExpressionError(f"{ast.unparse(node)} is not a number")
        return value

    def _show(self, node: ast.expr) -> str:
        if isinstance(node, ast.BinOp) and type(node.op) in _SYMBOLS:
            return f"{self._operand(node.left)} {_SYMBOLS[type(node.op)]} {self._operand(node.right)}"
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return f"{MINUS}{self._operand(node.operand)}"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _FUNCTIONS:
            return f"{node.func.id}({', '.join(self._show(arg) for arg in node.args)})"
        return fmt_value(unwrap(self._eval(node)))

    def _operand(self, node: ast.expr) -> str:
        text = self._show(node)
        if isinstance(node, ast.BinOp) or text.startswith(MINUS):
            return f"({text})"
        return text
