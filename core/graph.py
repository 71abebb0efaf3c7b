"""The computation graph of one update: the chain rule as a path a learner can walk.

Every operation is a node that knows its forward value; every edge knows its local derivative
d(target)/d(source). The backward pass starts at the loss with dLoss/dLoss = 1 and visits the
nodes in reverse order; at each, ``upstream × local`` gives the node's gradient (CS231n, micrograd).
Where a value feeds several paths (the network's X feeds every hidden unit), its gradient is the
sum of the paths' products: the step keeps each term and the sum.

Each model builds its own graph (``Model.graph``) from its step record. Forward values and
gradients come from the record, the numbers the derivation shows; only what the record lacks
(the product W·X before the bias is added, upstream × local of each term) is computed here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .derivation import elementwise, hidden_layer
from .substitution import Sub, write

Value = Any  # a number, or a vector (tuple) where a node holds several: W, X, a row of W1

# What each kind of gate does to the gradient passing back through it (the CS231n picture).
# Said of the gate, never of a pairing, so each is true with every activation, loss and model;
# {local} is the edge the step just crossed ("d(W·X)/dX = W"), so the note names that step's
# own gate and input, as its formula does.
ROUTER_NOTES = {
    "loss": "The loss's own slope is the first factor of the chain: {local}.",
    "activation": "An activation multiplies the gradient by its slope at its input: {local}.",
    "sum": "A sum passes the gradient to each of its inputs unchanged: {local}.",
    "product": "A product sends each input the gradient times the other input: {local}.",
}  # fmt: skip
START_NOTE = "Backward starts here: the loss changes one for one with itself."
FAN_OUT_NOTE = "{name} feeds {count} paths: its gradient is the sum of what each path sends back."
UPDATE_NOTE = "Gradient descent: a step against the gradient, scaled by α."
INPUT_NOTE = "{name} is data: no update moves it. Its gradient says how the loss would change if it did."
GATES = ("input", "parameter", "product", "sum", "activation", "loss")


@dataclass(frozen=True)
class Node:
    name: str  # unique, as a learner reads it: "W", "W·X", "z", "y", "h[2]", "Loss"
    gate: str  # one of GATES
    label: str  # the gate's sign: "×", "+", "sigmoid"; a leaf's own name; the loss's formula
    value: Value  # its forward value at this update
    column: int  # distance from the inputs: the graph is drawn left to right by it


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    local: Value  # d(target)/d(source) at this update
    symbol: str  # "dz/dW = X"


@dataclass(frozen=True)
class Term:
    """One path's share of a node's gradient: dLoss/d(via) × d(via)/d(node)."""

    via: str  # the node the gradient comes back from
    upstream: Value  # dLoss/d(via)
    local: Value  # d(via)/d(node)
    product: Value  # upstream × local, elementwise where one is a vector


@dataclass(frozen=True)
class BackwardStep:
    node: str
    terms: tuple[Term, ...]  # none at the loss; several where the node fans out
    gradient: Value  # dLoss/d(node), from the step record: the sum of the terms' products
    # How the gradient is written with numbers: upstream × local (summed over the paths), then,
    # where the loss cancels the activation's slope, the shorter form the record computes it by.
    subs: tuple[Sub, ...] = field(default=(), compare=False)
    # Where the upstream is dLoss/dLoss = 1 (the node feeding the loss), the chain would read
    # dLoss/dy = dLoss/dLoss · dLoss/dy, defining dLoss/dy by itself: the loss's own rule instead.
    formula: str = field(default="", compare=False)

    def symbol(self) -> str:
        """``dLoss/dW = dLoss/dz · dz/dW`` (a sum of such products where the node fans out)."""
        if not self.terms:
            return "dLoss/dLoss = 1"
        if self.formula:
            return self.formula
        paths = " + ".join(f"dLoss/d{_named(t.via)} · d{_named(t.via)}/d{_named(self.node)}"
                           for t in self.terms)  # fmt: skip
        return f"dLoss/d{_named(self.node)} = {paths}"

    def substituted(self) -> str:
        """The numbers, with as many digits as make the line true as read ("" at the loss)."""
        return write(self.gradient, *self.subs) if self.subs else ""


@dataclass(frozen=True)
class ParamUpdate:
    """``name ← name − α·gradient``: the step the update takes on one parameter node."""

    name: str
    value: Value
    lr: float
    gradient: Value
    next: Value
    symbol: str  # "W ← W − α·dLoss/dW"

    def substituted(self) -> str:
        """``0.5 − 0.1 × (−0.3932)``, with the digits that make it true as read."""
        return write(self.next, Sub("{0} − {1} × {2}", (self.value, self.lr, self.gradient),
                                    lambda p, a, g: plus(p, times(-a, g))))  # fmt: skip


@dataclass(frozen=True)
class Graph:
    nodes: tuple[Node, ...]  # inputs first, the loss last
    edges: tuple[Edge, ...]
    backward: tuple[BackwardStep, ...]  # from the loss (gradient 1) to the parameters and inputs
    updates: tuple[ParamUpdate, ...]
    heading: str = ""  # what the update learns from, where it is one of several examples
    _by_name: dict[str, Node] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_name", {node.name: node for node in self.nodes})

    def node(self, name: str) -> Node:
        return self._by_name[name]

    def edges_into(self, name: str) -> tuple[Edge, ...]:
        return tuple(edge for edge in self.edges if edge.target == name)

    def edges_from(self, name: str) -> tuple[Edge, ...]:
        return tuple(edge for edge in self.edges if edge.source == name)

    def step_of(self, name: str) -> BackwardStep:
        return next(step for step in self.backward if step.node == name)

    def gradients(self) -> dict[str, Value]:
        return {step.node: step.gradient for step in self.backward}

    def note(self, step: BackwardStep) -> str:
        """What the gates the gradient just came back through did to it."""
        if not step.terms:
            return START_NOTE
        data = self.node(step.node).gate == "input"  # why a gradient no update uses is shown
        after = f" {INPUT_NOTE.format(name=step.node)}" if data else ""
        if len(step.terms) > 1:
            return FAN_OUT_NOTE.format(name=step.node, count=len(step.terms)) + after
        via = step.terms[0].via
        local = next(edge for edge in self.edges_into(via) if edge.source == step.node)
        return ROUTER_NOTES[self.node(via).gate].format(local=local.symbol) + after


# ``a × b`` and ``a + b``, elementwise where one (or both) is a vector: as the derivation does.
times = elementwise(lambda a, b: a * b)
plus = elementwise(lambda a, b: a + b)


def dot(a: Iterable[float], b: Iterable[float]) -> float:
    return sum([p * q for p, q in zip(a, b)])


class GraphBuilder:
    """Nodes, edges and the backward pass, added in order; a term's local derivative is the
    one on its edge, so an edge and the step that uses it can never disagree."""

    def __init__(self) -> None:
        self.nodes: list[Node] = []
        self.edges: dict[tuple[str, str], Edge] = {}
        self.backward: list[BackwardStep] = []
        self.updates: list[ParamUpdate] = []
        self.gradient: dict[str, Value] = {}
        self.loss = ""

    def node(self, name: str, gate: str, label: str, value: Value, column: int) -> str:
        self.nodes.append(Node(name, gate, label, value, column))
        return name

    def edge(self, source: str, target: str, local: Value, symbol: str) -> None:
        self.edges[source, target] = Edge(source, target, local, symbol)

    def start(self, loss: str) -> None:
        self.loss = loss
        self.reach(loss, (), 1.0)  # dLoss/dLoss = 1

    def reach(self, name: str, via: Iterable[str], gradient: Value, *shorter: Sub) -> None:
        """The backward pass reaches ``name`` from the nodes ``via`` (each already reached);
        ``gradient`` is the record's dLoss/d(name); ``shorter``: other ways to write it."""
        via = tuple(via)
        terms = []
        for target in via:
            upstream, local = self.gradient[target], self.edges[name, target].local
            terms.append(Term(target, upstream, local, times(upstream, local)))
        subs = (products_sub(terms), *shorter) if terms else ()
        formula = self.edges[name, self.loss].symbol if via == (self.loss,) else ""
        self.backward.append(BackwardStep(name, tuple(terms), gradient, subs, formula))
        self.gradient[name] = gradient

    def update(self, name: str, value: Value, lr: float, gradient: Value, next_value: Value,
               symbol: str = "") -> None:  # fmt: skip
        symbol = symbol or f"{name} ← {name} − α·dLoss/d{name}"
        self.updates.append(ParamUpdate(name, value, lr, gradient, next_value, symbol))

    def graph(self, heading: str = "") -> Graph:
        return Graph(tuple(self.nodes), tuple(self.edges.values()), tuple(self.backward),
                     tuple(self.updates), heading)  # fmt: skip


def _named(name: str) -> str:
    """A node's name inside d…/d…: bracketed where it is more than one word, ``d(W·X)``."""
    return f"({name})" if "·" in name or " " in name else name


def products_sub(terms: list[Term]) -> Sub:
    """``upstream × local (+ …)``: the numbers of a backward step, checked as a reader would.
    One path says which number is which; a fan-out's sum would be too long with the words."""
    template = " + ".join("{%d} × {%d}" % (2 * i, 2 * i + 1) for i in range(len(terms)))
    if len(terms) == 1:
        template = "upstream {0} × local {1}"
    numbers = tuple(n for term in terms for n in (term.upstream, term.local))

    def evaluate(*values: Any) -> Any:
        total = times(values[0], values[1])
        for i in range(2, len(values), 2):
            total = plus(total, times(values[i], values[i + 1]))
        return total

    return Sub(template, numbers, evaluate)


LOSS_TITLE_WIDTH = 16  # a box's title: a formula longer than this gives only the loss's name


def loss_title(loss: Any) -> str:
    """``Loss = 1 − y`` on the loss's box; ``Loss (bce)`` where the formula is too long for one."""
    return loss.formula if len(loss.formula) <= LOSS_TITLE_WIDTH else f"Loss ({loss.name})"


def unwrap_one(value: Value) -> Value:
    """One feature's W is a number on the graph, as the derivation writes it."""
    return value[0] if isinstance(value, tuple) and len(value) == 1 else value


def output_path(builder: GraphBuilder, activation: Any, loss: Any, target: float, z: str,
                y: str, column: int, record: Any, dy_dz: float, dloss_dz: float,
                slope_symbol: str) -> None:  # fmt: skip
    """The unit's activation and the loss after it (the neuron's, the network's output), and
    the backward pass from the loss to ``z``."""
    builder.node(y, "activation", activation.name, record.y, column)
    builder.node("Loss", "loss", loss_title(loss), record.loss, column + 1)
    builder.edge(z, y, dy_dz, slope_symbol)
    builder.edge(y, "Loss", record.dloss_dy, loss.derivative_formula)
    builder.start("Loss")
    builder.reach(y, ("Loss",), record.dloss_dy)
    # bce after the sigmoid: y(1 − y) cancels, and the record computes dLoss/dz as y − t, which
    # stays exact where the two factors do not (1/(1 − y) overflows as y reaches 1).
    cancels = loss.logit_gradient is not None
    miss = Sub("y − t = {0} − {1}", (record.y, target), lambda y, t: y - t)
    builder.reach(z, (y,), dloss_dz, *((miss,) if cancels else ()))


def neuron_graph(model: Any, r: Any) -> Graph:
    """One neuron: W and X meet in a product, + b where there is a bias, the activation, the loss."""
    builder = GraphBuilder()
    w, x = unwrap_one(r.w), unwrap_one(r.x)
    bias = r.b is not None
    product = "W·X" if bias else "z"
    builder.node("W", "parameter", "W", w, 0)
    builder.node("X", "input", "X", x, 0)
    # W·X before the bias: the one number the record lacks (z − b would round differently).
    builder.node(product, "product", "×", dot(r.w, r.x) if bias else r.z, 1)
    d_product = "d(W·X)" if bias else "dz"
    builder.edge("W", product, x, f"{d_product}/dW = X")
    builder.edge("X", product, w, f"{d_product}/dX = W")
    column = 2
    if bias:
        builder.node("b", "parameter", "b", r.b, 1)
        builder.node("z", "sum", "+", r.z, 2)
        builder.edge(product, "z", 1.0, "dz/d(W·X) = 1")
        builder.edge("b", "z", 1.0, "dz/db = 1")
        column = 3
    output_path(builder, model.activation, model.loss, model.config.target, "z", "y", column, r, r.dy_dz, r.dloss_dz,
                model.activation.derivative_formula)  # fmt: skip
    if bias:
        builder.reach("b", ("z",), r.dloss_db)
        builder.reach(product, ("z",), r.dloss_dz)
    builder.reach("W", (product,), unwrap_one(r.dloss_dw))
    builder.reach("X", (product,), unwrap_one(r.dloss_dx))
    lr = model.config.lr
    builder.update("W", w, lr, unwrap_one(r.dloss_dw), unwrap_one(r.w_next))
    if bias:
        builder.update("b", r.b, lr, r.dloss_db, r.b_next)
    return builder.graph()


def mlp_graph(model: Any, r: Any) -> Graph:
    """The two-layer network: every hidden unit its own path, X feeding them all."""
    builder = GraphBuilder()
    x = unwrap_one(r.x)
    units = range(len(r.w1))
    builder.node("X", "input", "X", x, 0)
    hidden_slope = hidden_layer(model.activation.derivative_formula)  # "dh/dz1 = 1 − h²"
    for j in units:
        k = j + 1
        row, product, z1, h = f"W1[{k}]", f"W1[{k}]·X", f"z1[{k}]", f"h[{k}]"
        builder.node(row, "parameter", row, unwrap_one(r.w1[j]), 0)
        builder.node(product, "product", "×", dot(r.w1[j], r.x), 1)
        builder.node(f"b1[{k}]", "parameter", f"b1[{k}]", r.b1[j], 1)
        builder.node(z1, "sum", "+", r.z1[j], 2)
        builder.node(h, "activation", model.activation.name, r.h[j], 3)
        builder.node(f"w2[{k}]", "parameter", f"w2[{k}]", r.w2[j], 3)
        builder.node(f"w2[{k}]·h[{k}]", "product", "×", r.w2[j] * r.h[j], 4)
        builder.edge(row, product, x, f"d({product})/d{row} = X")
        builder.edge("X", product, unwrap_one(r.w1[j]), f"d({product})/dX = {row}")
        builder.edge(product, z1, 1.0, f"d{z1}/d({product}) = 1")
        builder.edge(f"b1[{k}]", z1, 1.0, f"d{z1}/db1[{k}] = 1")
        builder.edge(z1, h, r.dh_dz1[j], of_unit(hidden_slope, k))
        builder.edge(h, f"w2[{k}]·h[{k}]", r.w2[j], f"d(w2[{k}]·h[{k}])/d{h} = w2[{k}]")
        builder.edge(f"w2[{k}]", f"w2[{k}]·h[{k}]", r.h[j], f"d(w2[{k}]·h[{k}])/dw2[{k}] = h[{k}]")
        builder.edge(f"w2[{k}]·h[{k}]", "z2", 1.0, f"dz2/d(w2[{k}]·h[{k}]) = 1")
    builder.node("b2", "parameter", "b2", r.b2, 4)
    builder.node("z2", "sum", "+", r.z2, 5)
    builder.edge("b2", "z2", 1.0, "dz2/db2 = 1")
    output = model.output_activation
    output_path(builder, output, model.loss, model.config.target, "z2", "y", 6, r, r.dy_dz2, r.dloss_dz2,
                output.derivative_formula.replace("dz", "dz2"))  # fmt: skip
    builder.reach("b2", ("z2",), r.dloss_db2)
    for j in units:
        k = j + 1
        builder.reach(f"w2[{k}]·h[{k}]", ("z2",), r.dloss_dz2)
        builder.reach(f"w2[{k}]", (f"w2[{k}]·h[{k}]",), r.dloss_dw2[j])
        builder.reach(f"h[{k}]", (f"w2[{k}]·h[{k}]",), r.dloss_dh[j])
        builder.reach(f"z1[{k}]", (f"h[{k}]",), r.dloss_dz1[j])
        builder.reach(f"b1[{k}]", (f"z1[{k}]",), r.dloss_db1[j])
        builder.reach(f"W1[{k}]·X", (f"z1[{k}]",), r.dloss_dz1[j])
        builder.reach(f"W1[{k}]", (f"W1[{k}]·X",), unwrap_one(r.dloss_dw1[j]))
    # X feeds every hidden unit: its gradient is the sum over those paths.
    builder.reach("X", tuple(f"W1[{j + 1}]·X" for j in units), unwrap_one(r.dloss_dx))
    lr = model.config.lr
    for j in units:
        k = j + 1
        builder.update(f"W1[{k}]", unwrap_one(r.w1[j]), lr, unwrap_one(r.dloss_dw1[j]),
                       unwrap_one(r.w1_next[j]))  # fmt: skip
        builder.update(f"b1[{k}]", r.b1[j], lr, r.dloss_db1[j], r.b1_next[j])
        builder.update(f"w2[{k}]", r.w2[j], lr, r.dloss_dw2[j], r.w2_next[j])
    builder.update("b2", r.b2, lr, r.dloss_db2, r.b2_next)
    return builder.graph()


def of_unit(formula: str, k: int) -> str:
    """A hidden layer's formula for unit ``k``: ``dh/dz1 = 1 − h²`` → ``dh[2]/dz1[2] = 1 − h[2]²``,
    the names its box and its backward step use."""
    _, _, right = formula.partition(" = ")
    right = re.sub(r"(?<![A-Za-z])h(?![A-Za-z\[])", f"h[{k}]", right)
    right = re.sub(r"(?<![A-Za-z])z1(?![0-9\[])", f"z1[{k}]", right)
    return f"dh[{k}]/dz1[{k}] = {right}"


def with_updates(graph: Graph, updates: tuple[ParamUpdate, ...], heading: str) -> Graph:
    """``graph`` whose update is another's (a batch: one example's graph, the mean step)."""
    return Graph(graph.nodes, graph.edges, graph.backward, updates, heading)


def sum_of_terms(step: BackwardStep) -> Value:
    """The sum of the paths' products at a node: its gradient, where it fans out."""
    total = step.terms[0].product
    for term in step.terms[1:]:
        total = plus(total, term.product)
    return total


OTHERS = "other units"  # the box a sum's inputs off the chosen path fold into


def path_starts(graph: Graph) -> tuple[str, ...]:
    """The parameters a path can be picked by: the first layer's weights, each the start of a
    path to the loss (the neuron's W alone; the network's W1[1] … W1[H])."""
    return tuple(node.name for node in graph.nodes if node.gate == "parameter" and node.column == 0)


def path_to(graph: Graph, start: str) -> Graph:
    """The part of ``graph`` the gradient takes from the loss back to ``start``: the nodes on its
    paths to the loss, each with its inputs. A sum's inputs computed off the path (the other
    hidden units' w2[j]·h[j]) fold into one box, their total, so 64 units draw as 3 boxes."""
    on_path = {start}
    for edge in graph.edges:  # edges run forward in the order the graph was built
        if edge.source in on_path:
            on_path.add(edge.target)
    kept = set(on_path)
    folded: dict[str, list[str]] = {}  # a sum on the path -> its computed inputs off it
    for edge in graph.edges:
        if edge.target not in on_path or edge.source in on_path:
            continue
        source = graph.node(edge.source)
        if graph.node(edge.target).gate == "sum" and source.gate not in ("input", "parameter"):
            folded.setdefault(edge.target, []).append(edge.source)
        else:
            kept.add(edge.source)
    if len(folded) > 1:  # one OTHERS box: a graph with two such sums would need two names
        raise ValueError(f"more than one sum folds inputs: {sorted(folded)}")
    nodes = [node for node in graph.nodes if node.name in kept]
    edges = [edge for edge in graph.edges if edge.source in kept and edge.target in kept]
    backward = [step for step in graph.backward if step.node in kept]
    for target, names in folded.items():
        # Each input of a sum gets the sum's gradient (local 1): so does their total.
        values = [graph.node(name).value for name in names]
        total = values[0]
        for value in values[1:]:
            total = plus(total, value)
        column = max(graph.node(name).column for name in names)
        nodes.insert(nodes.index(graph.node(target)), Node(OTHERS, "sum", "Σ", total, column))
        edges.append(Edge(OTHERS, target, 1.0, f"d{target}/d({OTHERS}) = 1"))
        upstream = graph.step_of(target).gradient
        term = Term(target, upstream, 1.0, times(upstream, 1.0))
        reached = next(i for i, step in enumerate(backward) if step.node == target) + 1
        backward.insert(reached, BackwardStep(OTHERS, (term,), upstream, (products_sub([term]),)))
    updates = tuple(update for update in graph.updates if update.name in kept)
    return Graph(tuple(nodes), tuple(edges), tuple(backward), updates, graph.heading)
