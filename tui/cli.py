"""The ``calc-tutor`` command: launch the tutor, or ``calc-tutor trace`` a run as text or JSON.

Both take the same starting-state flags. Every bad value exits with status 2 and one line on
stderr naming the flag; nothing goes to stdout. The app's modules load only when the app runs,
so ``trace`` starts fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from typing import NoReturn

from calc_tutor.core.activations import ACTIVATIONS
from calc_tutor.core.config import (
    MAX_HIDDEN,
    MAX_STEPS,
    ConfigError,
    MlpConfig,
    NeuronConfig,
    parse_count,
    parse_name,
    parse_number,
    parse_vector,
)
from calc_tutor.core.losses import LOSSES
from calc_tutor.core.mlp import Mlp
from calc_tutor.core.neuron import Neuron

# Flags whose value may start with a minus sign (``--w -0.5,1``): argparse would take it for a flag.
VALUE_FLAGS = ("--w", "--x", "--bias", "--lr", "--target", "--steps", "--seed", "--hidden")
DEFAULTS = NeuronConfig()
FORMATS = ("jsonl", "text", "markdown")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        """One line on stderr and status 2, instead of argparse's usage block."""
        self.exit(2, f"{self.prog}: error: {message}\n")


class _VersionAction(argparse.Action):
    """--version, reading the installed metadata only when asked (it costs startup time)."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, help="show the version and exit")

    def __call__(self, parser, namespace, values, option_string=None) -> NoReturn:  # noqa: ANN001
        from importlib.metadata import version

        print(f"calc-tutor {version('calc-tutor')}")
        parser.exit(0)


def _add_state_flags(parser: argparse.ArgumentParser) -> None:
    def fmt(values: tuple[float, ...]) -> str:
        return ",".join(f"{v:g}" for v in values)

    state = parser.add_argument_group("starting state (vectors are comma-separated: --w 0.5,-0.25)")
    state.add_argument("--w", metavar="W", help=f"weights, one per input (default {fmt(DEFAULTS.w)})")
    state.add_argument("--x", metavar="X", help=f"inputs (default {fmt(DEFAULTS.x)})")
    state.add_argument("--bias", metavar="B", help="bias b (default: no bias, as in z = W·X)")
    state.add_argument("--lr", metavar="α", help=f"learning rate α > 0 (default {DEFAULTS.lr:g})")
    state.add_argument("--activation", metavar="NAME",
                       help=f"{', '.join(ACTIVATIONS)} (default {DEFAULTS.activation})")  # fmt: skip
    state.add_argument("--loss", metavar="NAME",
                       help=f"{', '.join(LOSSES)} (default {DEFAULTS.loss})")  # fmt: skip
    state.add_argument("--target", metavar="T",
                       help=f"target t for mse and bce (default {DEFAULTS.target:g})")  # fmt: skip
    state.add_argument("--steps", metavar="N", help="number of updates")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="calc-tutor",
        description="Step through gradient descent on one neuron and see every chain-rule factor.",
        allow_abbrev=False,
    )
    parser.add_argument("--version", action=_VersionAction)
    _add_state_flags(parser)
    look = parser.add_argument_group("display")
    look.add_argument("--theme", metavar="NAME", help="a Textual theme, e.g. textual-ansi")
    look.add_argument("--ascii", action="store_true",
                      help="plain ASCII plots and frames, for fonts without braille or box drawing")  # fmt: skip
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    trace = commands.add_parser(
        "trace", allow_abbrev=False,
        help="print each update's factors as JSON Lines, text or Markdown",
        description="Print each update's chain-rule factors: JSON Lines (one object per "
        "update), text, or Markdown.",
    )  # fmt: skip
    _add_state_flags(trace)
    trace.add_argument("--format", choices=FORMATS, default="jsonl", help="output format (default jsonl)")
    model = trace.add_argument_group("two-layer network")
    model.add_argument("--model", choices=("neuron", "mlp"), default="neuron",
                       help="neuron (default) or mlp: n inputs → H hidden units (--activation, default tanh) → 1 sigmoid output")  # fmt: skip
    model.add_argument("--hidden", metavar="H", help=f"hidden units, 1 to {MAX_HIDDEN} (default 3)")
    model.add_argument("--seed", metavar="S", help="seed for the initial weights (default 0)")
    return parser


def join_negative_values(argv: list[str]) -> list[str]:
    """``--w -0.5,1`` → ``--w=-0.5,1``, so a value may start with a minus sign."""
    joined: list[str] = []
    tokens = iter(argv)
    for token in tokens:
        if token in VALUE_FLAGS:
            value = next(tokens, None)
            if value is not None and value.startswith("-") and not value.startswith("--"):
                joined.append(f"{token}={value}")
                continue
            joined.append(token)
            if value is not None:
                joined.append(value)
            continue
        joined.append(token)
    return joined


@dataclass(frozen=True)
class Setup:
    """What the flags ask for: a validated model and how many updates to run."""

    model: Neuron | Mlp
    steps: int


def _text(args: argparse.Namespace, name: str) -> str | None:
    return getattr(args, name, None)


def setup_from_args(args: argparse.Namespace, default_steps: int) -> Setup:
    """Validate the starting-state flags; raises ConfigError naming the flag's field."""
    x = parse_vector("x", args.x) if args.x is not None else DEFAULTS.x
    common = {
        "x": x,
        "lr": parse_number("lr", args.lr) if args.lr is not None else DEFAULTS.lr,
        "target": parse_number("target", args.target) if args.target is not None else DEFAULTS.target,
    }
    if args.activation is not None:
        common["activation"] = parse_name("activation", args.activation, list(ACTIVATIONS))
    if args.loss is not None:
        common["loss"] = parse_name("loss", args.loss, list(LOSSES))
    steps = parse_count("steps", args.steps, 0, MAX_STEPS) if args.steps is not None else default_steps

    if _text(args, "model") == "mlp":
        for flag in ("w", "bias"):
            if getattr(args, flag) is not None:
                raise ConfigError(flag, "is not used with --model mlp: its weights come from --seed")
        hidden = parse_count("hidden", args.hidden, 1, MAX_HIDDEN) if args.hidden is not None else 3
        seed = parse_count("seed", args.seed, 0, 2**63 - 1) if args.seed is not None else 0
        return Setup(Mlp(MlpConfig(hidden=hidden, seed=seed, **common)), steps)

    for flag in ("hidden", "seed"):
        if _text(args, flag) is not None:
            raise ConfigError(flag, "only applies with --model mlp")
    w = parse_vector("w", args.w) if args.w is not None else None
    if w is None:
        # The default weight, repeated for each input, so --x alone is enough for several features.
        w = DEFAULTS.w * len(x)
    bias = parse_number("bias", args.bias) if args.bias is not None else None
    return Setup(Neuron(NeuronConfig(w=w, b=bias, **common)), steps)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(join_negative_values(sys.argv[1:] if argv is None else argv))
    prog = "calc-tutor trace" if args.command == "trace" else "calc-tutor"
    try:
        setup = setup_from_args(args, default_steps=10 if args.command == "trace" else 0)
    except ConfigError as error:
        parser.exit(2, f"{prog}: error: --{error.field}: {error.message}\n")

    if args.command == "trace":
        from .trace import run_trace

        try:
            return run_trace(setup.model, setup.steps, args.format, sys.stdout, sys.stderr)
        except BrokenPipeError:
            # The reader stopped early (``| head``): not an error. Silence the final flush.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 0

    from .launch import launch

    return launch(setup, theme=args.theme, ascii_only=args.ascii, parser=parser)


if __name__ == "__main__":
    sys.exit(main())
