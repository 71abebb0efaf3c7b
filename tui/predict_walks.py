"""What predict mode asks, walk by walk: the derivation's lines, or the graph's nodes.

Each walk knows its questions in order and how the screen shows one being asked, one answered
and the update after the last; predict_mode.py's flow (ask, answer, score, pause) is the same
for both. The one choice between them is made here, from the view on show.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from calc_tutor.core.predict import (Question, line_question, next_askable, next_askable_step,
                                     step_question)  # fmt: skip

from .now import next_derivation
from .widgets.graph import GraphPanel

if TYPE_CHECKING:
    from .screens.main import MainScreen


class Walk(Protocol):
    def next_question(self) -> tuple[int, Question] | None:
        """The next place asked after what is shown (1-based) and its question; None: all asked."""

    def ask(self, index: int) -> None:
        """Show what comes before place ``index``, and mark it as asked."""

    def reveal(self, index: int) -> None:
        """Place ``index`` was answered: show it."""

    def finish(self) -> None:
        """Every place answered: show the update and apply it."""


class DerivationWalk:
    """Each line of the next update, in the derivation's order (``s`` reveals them so)."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen

    def next_question(self) -> tuple[int, Question] | None:
        derivation = next_derivation(self.screen.session)
        index = next_askable(derivation, self.screen.revealed)
        return None if index is None else (index, line_question(derivation.lines[index - 1]))

    def ask(self, index: int) -> None:
        self.screen.ask_line(index)

    def reveal(self, index: int) -> None:
        self.screen.reveal_line(index)

    def finish(self) -> None:
        self.screen.finish_walk(len(next_derivation(self.screen.session).lines))


class GraphWalk:
    """Each node's gradient dLoss/d(node), in the backward walk's order (``s`` walks it so)."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.panel = screen.query_one(GraphPanel)
        # The path on show stays while asked: the answer row takes rows from the panel, and the
        # whole graph fitting before it opened must not turn into one path under a question.
        if self.panel.path_now:
            screen.graph_path = self.panel.path_now

    def next_question(self) -> tuple[int, Question] | None:
        session = self.screen.session
        # As the panel draws it: where the network's whole graph does not fit, one path of it.
        graph = self.panel.shown_graph(session.model.graph(session.preview()))[0]
        index = next_askable_step(graph, self.screen.graph_walked)
        return None if index is None else (index, step_question(graph, graph.backward[index - 1]))

    def ask(self, index: int) -> None:
        self.screen.ask_node(index)

    def reveal(self, index: int) -> None:
        self.screen.reveal_node(index)

    def finish(self) -> None:
        self.screen.finish_graph_walk()


def walk_for(screen: MainScreen) -> Walk:
    """The walk of the view on show: the graph's nodes while it shows (c), else the lines."""
    return GraphWalk(screen) if screen.graph_shown else DerivationWalk(screen)
