"""The ``calc-tutor`` command: launch the tutor, ``trace`` a run as text or JSON, ``gradcheck``
its gradient against finite differences, or ``attribute`` its output to its inputs.

All take the same starting-state flags, declared once, before or after the subcommand. Every bad
value exits with status 2 and one line on stderr naming the flag; nothing goes to stdout. The
app's modules load only when the app runs, so the subcommands start fast.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import sys
from dataclasses import dataclass
from collections.abc import Callable
from typing import TYPE_CHECKING, NoReturn, TextIO

from calc_tutor.core.activations import ACTIVATIONS
from calc_tutor.core.datasets import BUILT_IN, Dataset, load_dataset
from calc_tutor.core.config import (
    MAX_HIDDEN,
    MAX_STEPS,
    QUOTE_LIMIT,
    ConfigError,
    MlpConfig,
    NeuronConfig,
    parse_count,
    parse_name,
    parse_number,
    parse_vector,
    quote,
    shorten,
)
from calc_tutor.core.lesson_error import LessonError
from calc_tutor.core.losses import LOSSES
from calc_tutor.core.mlp import Mlp
from calc_tutor.core.models import MODEL_KINDS
from calc_tutor.core.neuron import Neuron
from calc_tutor.core.on_dataset import OnDataset

if TYPE_CHECKING:
    from calc_tutor.core.lesson import Lesson

from .class_command import add_class_parser
from .serve.command import add_serve_parser, run_serve

DEFAULTS = NeuronConfig()
FORMATS = ("jsonl", "text", "markdown")
MODELS = tuple(MODEL_KINDS)
# Where the flags given after the subcommand are kept, apart from the same flags given before it.
AFTER = "after_"
# A value argparse quotes back ('…') or a bare word, longer than a message should echo.
_LONG_VALUE = re.compile(rf"'([^']{{{QUOTE_LIMIT + 1},}})'|[^\s']{{{QUOTE_LIMIT + 1},}}")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        """One line on stderr and status 2, instead of argparse's usage block."""
        # argparse quotes bad values back in full: cut each long one short.
        message = _LONG_VALUE.sub(_shortened, message)
        self.exit(2, f"{self.prog}: error: {message}\n")


def _shortened(match: re.Match[str]) -> str:
    quoted = match.group(1)
    return shorten(match.group()) if quoted is None else quote(quoted)


class _VersionAction(argparse.Action):
    """--version, reading the installed metadata only when asked (it costs startup time)."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, help="show the version and exit")

    def __call__(self, parser, namespace, values, option_string=None) -> NoReturn:  # noqa: ANN001
        from importlib.metadata import version

        print(f"calc-tutor {version('calc-tutor')}")
        parser.exit(0)


def _fmt(values: tuple[float, ...]) -> str:
    return ",".join(f"{v:g}" for v in values)


STATE_GROUP = "starting state (vectors are comma-separated: --w 0.5,-0.25)"
NETWORK_GROUP = "two-layer network"
DATA_GROUP = "datasets"
DATA_LOSS = "bce"  # the loss --data defaults to: it learns 0/1 targets without saturating
# α with --data: at 0.5 the network's hidden units collapse on xor (every seed 0-9 stalls at
# ln 2 after 4000 one-example steps); at 0.1 every one of them learns it.
DATA_LR = 0.1
# The starting-state flags, declared once: (group, name, metavar, help). Each takes a value,
# except a switch (metavar None), which is on or off.
STATE_FLAGS = (
    (STATE_GROUP, "w", "W", f"weights, one per input (default {_fmt(DEFAULTS.w)})"),
    (STATE_GROUP, "x", "X", f"inputs (default {_fmt(DEFAULTS.x)})"),
    (STATE_GROUP, "bias", "B", "bias b (default: no bias, as in z = W·X)"),
    (STATE_GROUP, "lr", "α", f"learning rate α > 0 (default {DEFAULTS.lr:g})"),
    (STATE_GROUP, "activation", "NAME", f"{', '.join(ACTIVATIONS)} (default {DEFAULTS.activation})"),
    (STATE_GROUP, "loss", "NAME", f"{', '.join(LOSSES)} (default {DEFAULTS.loss})"),
    (STATE_GROUP, "target", "T", f"target t for mse and bce (default {DEFAULTS.target:g})"),
    (STATE_GROUP, "steps", "N", "number of updates (default: 10 in trace, else 0)"),
    (NETWORK_GROUP, "model", "NAME", "neuron (default) or mlp: n inputs → H hidden units "
     "(--activation, default tanh) → 1 sigmoid output"),
    (NETWORK_GROUP, "hidden", "H", f"hidden units, 1 to {MAX_HIDDEN} (default 3)"),
    (NETWORK_GROUP, "seed", "S", "seed for the initial weights (default 0)"),
    (NETWORK_GROUP, "w1", "W1", "first-layer weights, H×n values row by row (default: from --seed)"),
    (NETWORK_GROUP, "b1", "B1", "hidden biases, H values (default 0)"),
    (NETWORK_GROUP, "w2", "W2", "output weights, H values (default: from --seed)"),
    (NETWORK_GROUP, "b2", "B2", "output bias (default 0)"),
    (DATA_GROUP, "data", "NAME|FILE.csv", f"learn a dataset: {', '.join(BUILT_IN)}, or a CSV "
     f"file with the header x1,...,xn,t; the loss defaults to {DATA_LOSS}, α to {DATA_LR:g}, "
     "the neuron's bias to 0"),
    (DATA_GROUP, "batch", None, "with --data: each update uses the mean gradient over all "
     "examples (default: one example per update, in turn)"),
)  # fmt: skip
STATE_NAMES = tuple(name for _group, name, _metavar, _help in STATE_FLAGS)
SWITCH_NAMES = tuple(name for _g, name, metavar, _h in STATE_FLAGS if metavar is None)
SWITCH_ON = "on"  # a switch's value when given, so it merges like the others' texts
# Their values may start with a minus sign (``--w -0.5,1``): argparse would take it for a flag.
VALUE_FLAGS = tuple(f"--{name}" for _g, name, metavar, _h in STATE_FLAGS if metavar) + ("--eps",)


def state_flags(dest_prefix: str = "") -> argparse.ArgumentParser:
    """The starting-state flags as a parent parser, for the app and for ``trace``.

    ``dest_prefix`` keeps the values given after ``trace`` apart from those given before it:
    argparse would otherwise let the subcommand's defaults overwrite them.
    """
    parser = argparse.ArgumentParser(add_help=False)
    groups: dict[str, argparse._ArgumentGroup] = {}
    for title, name, metavar, help_text in STATE_FLAGS:
        if title not in groups:
            groups[title] = parser.add_argument_group(title)
        if metavar is None:
            groups[title].add_argument(f"--{name}", dest=dest_prefix + name, help=help_text,
                                       action="store_const", const=SWITCH_ON)  # fmt: skip
        else:
            groups[title].add_argument(f"--{name}", dest=dest_prefix + name, metavar=metavar,
                                       help=help_text)  # fmt: skip
    return parser


STATELESS_COMMANDS = ("lessons", "class")  # no starting state: its flags would be ignored
APP_FLAGS = ("theme", "ascii", "lesson")  # the tutor's own: for the app, and each served tutor


def app_flags(dest_prefix: str = "", lesson: bool = True) -> argparse.ArgumentParser:
    """The tutor's display and lesson flags as a parent parser: for the app, and for ``serve``,
    which hands them to every learner's tutor (``demo``: without --lesson, its scenes set it)."""
    parser = argparse.ArgumentParser(add_help=False)
    look = parser.add_argument_group("display")
    look.add_argument("--theme", dest=dest_prefix + "theme", metavar="NAME",
                      help="a Textual theme, e.g. textual-ansi")  # fmt: skip
    look.add_argument("--ascii", dest=dest_prefix + "ascii", action="store_true",
                      help="plain ASCII plots and frames, for fonts without braille or box drawing")  # fmt: skip
    if lesson:
        parser.add_argument("--lesson", dest=dest_prefix + "lesson", metavar="N|FILE.md",
                            help="open lesson N (calc-tutor lessons lists them) or a lesson file; "
                            "the lesson sets the starting state")  # fmt: skip
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="calc-tutor",
        description="Step through gradient descent on one neuron and see every chain-rule factor.",
        allow_abbrev=False,
        parents=[state_flags(), app_flags()],
    )
    parser.add_argument("--version", action=_VersionAction)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    trace = commands.add_parser(
        "trace", allow_abbrev=False, parents=[state_flags(AFTER)],
        help="print each update's factors as JSON Lines, text or Markdown",
        description="Print each update's chain-rule factors: JSON Lines (one object per "
        "update), text, or Markdown.",
    )  # fmt: skip
    trace.add_argument("--format", choices=FORMATS, help="output format (default jsonl)")
    gradcheck = commands.add_parser(
        "gradcheck", allow_abbrev=False, parents=[state_flags(AFTER)],
        help="check each parameter's gradient against a central difference (JSON Lines)",
        description="Check the chain rule's gradient of every parameter, after --steps updates, "
        "against the central difference (L(p+h) - L(p-h)) / 2h, h = eps*max(1, |p|). One JSON "
        "object per parameter; exit 0 when every relative error is below 1e-6, 1 otherwise.",
    )  # fmt: skip
    gradcheck.add_argument("--eps", metavar="E", help="relative step of the difference (default 1e-6)")
    gradcheck.add_argument("--bug", action="store_true",
                           help="leave the output's slope dy/dz out of the chain rule, to see a check fail")  # fmt: skip
    commands.add_parser(
        "attribute", allow_abbrev=False, parents=[state_flags(AFTER)],
        help="how the output answers each input: dy/dX, gradient x input, occlusion (JSON)",
        description="Attribute the output y, after --steps updates, to each input: dy/dX, "
        "X*dy/dX and the change in y when that input is set to 0. One JSON object (one per "
        "example with --data).",
    )  # fmt: skip
    commands.add_parser(
        "lessons", allow_abbrev=False, help="list the lessons, one line each (✓ finished)",
        description="List the built-in lessons, numbered for --lesson N; ✓ marks the ones you "
        "finished.",
    )  # fmt: skip
    add_serve_parser(commands, state_flags(AFTER), app_flags(AFTER))
    add_class_parser(commands)
    demo = commands.add_parser(
        "demo", allow_abbrev=False, parents=[app_flags(AFTER, lesson=False)],
        help="an unattended loop through the key moments, for a projector; any key takes over",
        description="Play the key moments in a loop, each with a one-line caption: one update "
        "factor by factor, a divergence, a dead ReLU, and scenes of the lessons. The first key "
        "or click stops the demo (and does nothing else); the app is then yours.",
    )  # fmt: skip
    demo.add_argument("--pace", metavar="SECONDS",
                      help=f"time between the demo's actions, {MIN_PACE:g} to {MAX_PACE:g} "
                      f"(default {DEFAULT_PACE:g})")  # fmt: skip
    # Also accepted before ``trace``, like the state flags, so it is never silently dropped.
    parser.add_argument("--format", dest="format_before", choices=FORMATS, help=argparse.SUPPRESS)
    parser.add_argument("--eps", dest="eps_before", help=argparse.SUPPRESS)  # so gradcheck's are too
    parser.add_argument("--bug", dest="bug_before", action="store_true", help=argparse.SUPPRESS)
    return parser


MIN_PACE, MAX_PACE = 0.2, 600.0  # seconds: quicker than a room can read; a beat in ten minutes
DEFAULT_PACE = 2.0  # a room reads a line of the derivation in about that


def parse_pace(text: str | None) -> float:
    """``calc-tutor demo --pace``: seconds between the demo's actions."""
    if text is None:
        return DEFAULT_PACE
    pace = parse_number("pace", text)
    if not MIN_PACE <= pace <= MAX_PACE:
        raise ConfigError("pace", f"{quote(text.strip())} is out of range; give {MIN_PACE:g} "
                                  f"to {MAX_PACE:g} seconds between the demo's actions")  # fmt: skip
    return pace


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


def one_value(name: str, before: str | None, after: str | None, command: str = "trace") -> str | None:
    """A flag's text, whether given before or after the subcommand; given in both, they must agree."""
    if before is not None and after is not None and before.strip() != after.strip():
        raise ConfigError(
            name, f"is given before and after {command}, as {quote(before)} and {quote(after)}; "
            "give it once"
        )  # fmt: skip
    return after if after is not None else before


def merge_positions(args: argparse.Namespace) -> dict[str, str | None]:
    """Each state flag's text, from before or after the subcommand."""
    return {name: one_value(name, getattr(args, name), getattr(args, AFTER + name, None), args.command)
            for name in STATE_NAMES}  # fmt: skip


def check_placement(args: argparse.Namespace) -> None:
    """Flags of the app or of trace alone are refused elsewhere, never silently ignored."""
    lesson = one_value("lesson", args.lesson, getattr(args, AFTER + "lesson", None), args.command)
    if args.command == "demo":
        given = [name for name, value in merge_positions(args).items() if value is not None]
        if lesson is not None or given:
            raise ConfigError(given[0] if given else "lesson",
                              "does not go with demo: each scene sets its own starting state")  # fmt: skip
    if lesson is not None:
        given = [name for name, value in merge_positions(args).items() if value is not None]
        if given:
            raise ConfigError(given[0], "does not go with --lesson: the lesson sets the starting state")
    if args.command in STATELESS_COMMANDS:
        given = [name for name, value in merge_positions(args).items() if value is not None]
        if given:
            raise ConfigError(given[0], f"does not apply to calc-tutor {args.command}")
    # serve hands them to each tutor; the demo is the tutor, shown as they say
    if args.command not in (None, "serve", "demo"):
        for name in APP_FLAGS:
            if getattr(args, name):
                raise ConfigError(name, f"only applies to the app, not to {args.command}")
    if args.command == "trace":
        one_value("format", args.format_before, args.format)
    elif args.format_before is not None:
        raise ConfigError("format", "only applies to calc-tutor trace")
    if args.command != "gradcheck":
        for name in ("eps", "bug"):
            if getattr(args, f"{name}_before") not in (None, False):
                raise ConfigError(name, "only applies to calc-tutor gradcheck")


@dataclass(frozen=True)
class Setup:
    """What the flags ask for: a validated model and how many updates to run."""

    model: Neuron | Mlp | OnDataset
    steps: int


def setup_from_args(args: argparse.Namespace, default_steps: int) -> Setup:
    """Validate the starting-state flags; raises ConfigError naming the flag's field."""
    flags = merge_positions(args)
    dataset = data_from_flags(flags)
    if dataset is not None:
        x, target = dataset.inputs[0], DATA_TARGET  # each example brings its own X and t
    else:
        x = parse_vector("x", flags["x"]) if flags["x"] is not None else DEFAULTS.x
        target = parse_number("target", flags["target"]) if flags["target"] is not None else DEFAULTS.target
    common = {
        "x": x,
        "lr": parse_number("lr", flags["lr"]) if flags["lr"] is not None
        else DATA_LR if dataset is not None else DEFAULTS.lr,
        "target": target,
    }
    if flags["activation"] is not None:
        common["activation"] = parse_name("activation", flags["activation"], list(ACTIVATIONS))
    if flags["loss"] is not None:
        common["loss"] = parse_name("loss", flags["loss"], list(LOSSES))
    elif dataset is not None:
        common["loss"] = DATA_LOSS
    if dataset is not None and common["loss"] == "one-minus-y":
        raise ConfigError("loss", "one-minus-y has no target, so it cannot learn a dataset's t; "
                                  f"use {DATA_LOSS} (the default with --data) or mse")  # fmt: skip
    steps = (
        parse_count("steps", flags["steps"], 0, MAX_STEPS)
        if flags["steps"] is not None
        else default_steps
    )
    model = parse_name("model", flags["model"], list(MODELS)) if flags["model"] is not None else "neuron"

    if model == "mlp":
        for flag in ("w", "bias"):
            if flags[flag] is not None:
                raise ConfigError(flag, "is not used with --model mlp: its weights come from --seed, "
                                        "--w1, --b1, --w2 and --b2")  # fmt: skip
        hidden = flags["hidden"]
        hidden = parse_count("hidden", hidden, 1, MAX_HIDDEN) if hidden is not None else 3
        seed = parse_count("seed", flags["seed"], 0, 2**63 - 1) if flags["seed"] is not None else 0
        given: dict = {name: parse_vector(name, flags[name]) for name in ("w1", "b1", "w2")
                       if flags[name] is not None}  # fmt: skip
        if flags["b2"] is not None:
            given["b2"] = parse_number("b2", flags["b2"])
        config = MlpConfig(hidden=hidden, seed=seed, **given, **common)
        return Setup(on_data(Mlp(config), dataset, flags), steps)

    for flag in ("hidden", "seed", *NETWORK_WEIGHTS):
        if flags[flag] is not None:
            raise ConfigError(flag, "only applies with --model mlp")
    w = parse_vector("w", flags["w"]) if flags["w"] is not None else None
    if w is None:
        # The default weight, repeated for each input, so --x alone is enough for several features.
        w = DEFAULTS.w * len(x)
    elif dataset is not None and len(w) != len(x):
        raise ConfigError("w", f"has {len(w)} value(s) but {dataset.name} has {len(x)} input "
                               "column(s); give one weight per column")  # fmt: skip
    bias = parse_number("bias", flags["bias"]) if flags["bias"] is not None else None
    if bias is None and dataset is not None:
        bias = DATA_BIAS  # a dataset's classes rarely meet at the origin: learn where they do
    return Setup(on_data(Neuron(NeuronConfig(w=w, b=bias, **common)), dataset, flags), steps)


NETWORK_WEIGHTS = ("w1", "b1", "w2", "b2")  # the network's starting weights, each optional
DATA_TARGET = 0.5  # the config's own t before each example's replaces it: any t bce and mse take
DATA_BIAS = 0.0


class _RaisingParser(_Parser):
    def error(self, message: str) -> NoReturn:
        raise ConfigError("flags", message)


def model_from_flags(tokens: tuple[str, ...]) -> Neuron | Mlp | OnDataset:
    """The model that these starting-state flags describe (a lesson's page), by the command
    line's own rules; a ConfigError names the flag. ``--steps`` is not one of them here."""
    parser = _RaisingParser(prog="calc-tutor", add_help=False, allow_abbrev=False,
                            parents=[state_flags()])  # fmt: skip
    args = parser.parse_args(join_negative_values(list(tokens)))
    if args.steps is not None:
        raise ConfigError("steps", "is not a lesson flag: a page's 'steps:' line applies updates")
    args.command = None
    return setup_from_args(args, 0).model


def data_from_flags(flags: dict[str, str | None]) -> Dataset | None:
    """The dataset --data names, or None; flags that cannot go with it are refused."""
    if flags["data"] is None:
        if flags["batch"] is not None:
            raise ConfigError("batch", "only applies with --data: without it there is one example")
        return None
    for flag, what in (("x", "inputs"), ("target", "targets")):
        if flags[flag] is not None:
            raise ConfigError(flag, f"does not apply: the {what} come from --data")
    return load_dataset(flags["data"])


def on_data(model: Neuron | Mlp, dataset: Dataset | None,
            flags: dict[str, str | None]) -> Neuron | Mlp | OnDataset:  # fmt: skip
    """``model`` trained on ``dataset`` when there is one, else as it is."""
    if dataset is None:
        return model
    return OnDataset(model, dataset, batch=flags["batch"] is not None)


def trace(setup: Setup, fmt: str, prog: str) -> int:
    """Run ``trace`` to stdout; an output that fails ends in one line on stderr, no traceback."""
    from .trace import run_trace

    return write_out(prog, lambda out, err: run_trace(setup.model, setup.steps, fmt, out, err))


def write_out(prog: str, run: Callable[[TextIO, TextIO], int]) -> int:
    """Run a subcommand that writes to stdout: a closed stdout, a reader that stops early, a
    full disk and ctrl+c each end in at most one line on stderr, never a traceback."""
    if sys.stdout is None:  # started with stdout closed (``>&-``)
        print(f"{prog}: error: standard output is closed; nothing to write to", file=sys.stderr)
        return 1
    try:
        code = run(sys.stdout, sys.stderr)
        sys.stdout.flush()  # a full disk shows here, while it can still be reported
        return code
    except BrokenPipeError:
        # The reader stopped early (``| head``): not an error.
        _discard_stdout()
        return 0
    except OSError as error:
        _discard_stdout()
        reason = error.strerror or str(error)
        print(f"{prog}: error: cannot write the output: {reason}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        _discard_stdout()
        return 130  # ctrl+c: the shell's status for SIGINT, without a traceback


def _discard_stdout() -> None:
    """Point stdout at /dev/null so the flush at exit does not fail a second time."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    tokens = join_negative_values(sys.argv[1:] if argv is None else argv)
    check_flag_names(parser, tokens)
    args = parser.parse_args(tokens)
    command = args.command
    prog = f"calc-tutor {command}" if command else "calc-tutor"
    try:
        check_placement(args)
        if command == "lessons":
            return write_out(prog, lambda out, err: list_lessons(out))
        if command == "class":
            from .class_command import run_class

            return write_out(prog, lambda out, err: run_class(args, out, err))
        setup = setup_from_args(args, default_steps=10 if command == "trace" else 0)
        lesson = None
        if args.lesson is not None:
            lesson = open_lesson(args.lesson)
        if command == "gradcheck":
            from .gradcheck_command import prepare, run_gradcheck

            eps = one_value("eps", args.eps_before, args.eps, "gradcheck")
            job = prepare(setup.model, setup.steps, eps, args.bug or args.bug_before)
            return write_out(prog, lambda out, err: run_gradcheck(job, out, err))
        if command == "attribute":
            from calc_tutor.core.parameters import reachable_params

            from .attribute_command import run_attribute

            params = reachable_params(setup.model, setup.steps)
            return write_out(prog, lambda out, err: run_attribute(setup.model, params, out))
        if command == "serve":
            return run_serve(args, merge_positions(args), tutor_app_argv(args))
        demo_pace = parse_pace(args.pace) if command == "demo" else None
        theme = one_value("theme", args.theme, getattr(args, AFTER + "theme", None), command)
    except ConfigError as error:
        parser.exit(2, f"{prog}: error: --{error.field}: {error.message}\n")
    except LessonError as error:
        parser.exit(2, f"{prog}: error: --lesson: {error}\n")

    if command == "trace":
        return trace(setup, args.format or args.format_before or FORMATS[0], prog)

    from .launch import launch

    ascii_only = args.ascii or bool(getattr(args, AFTER + "ascii", False))
    return launch(setup, theme=theme, ascii_only=ascii_only, parser=parser, lesson=lesson,
                  demo_pace=demo_pace)  # fmt: skip


def check_flag_names(parser: argparse.ArgumentParser, tokens: list[str]) -> None:
    """An unknown flag before the subcommand is named as such: argparse would otherwise take
    its value for the subcommand (``--b 0.5``: "invalid choice: '0.5'")."""
    known = parser._option_string_actions  # argparse's own table of the flags it knows
    commands = {name for action in parser._subparsers._group_actions for name in action.choices}
    for token in tokens:
        if token in commands or token == "--":
            return
        name = token.split("=", 1)[0]
        if name.startswith("--") and name not in known:
            shown = [flag for flag in known if flag.startswith("--") and not _hidden(known[flag])]
            # Flags it begins (--b: --bias) first, then flags spelled alike (--bais: --bias).
            close = [flag for flag in shown if flag.startswith(name)]
            close += [flag for flag in difflib.get_close_matches(name, shown, n=3, cutoff=0.7)
                      if flag not in close]  # fmt: skip
            hint = f"; did you mean {' or '.join(close[:3])}?" if close else "; calc-tutor --help lists them"
            parser.error(f"unknown flag {shorten(name)}{hint}")


def _hidden(action: argparse.Action) -> bool:
    return action.help == argparse.SUPPRESS


def tutor_app_argv(args: argparse.Namespace) -> list[str]:
    """``--theme``, ``--ascii`` and ``--lesson`` given to serve, checked now (a bad one would
    fail every learner's tutor), as each tutor receives them: a lesson file by its full path."""
    theme = one_value("theme", args.theme, getattr(args, AFTER + "theme"), args.command)
    lesson = one_value("lesson", args.lesson, getattr(args, AFTER + "lesson"), args.command)
    argv = []
    if theme is not None:
        from .app import theme_names

        if theme not in theme_names():
            raise ConfigError("theme", f"unknown theme {quote(theme)}; choose one of: "
                                       f"{', '.join(theme_names())}")  # fmt: skip
        argv.append(f"--theme={theme}")
    if args.ascii or getattr(args, AFTER + "ascii"):
        argv.append("--ascii")
    if lesson is not None:
        open_lesson(lesson)
        argv.append(f"--lesson={lesson if lesson.isdigit() else os.path.abspath(lesson)}")
    return argv


def open_lesson(choice: str) -> Lesson:
    """The lesson --lesson names; a teacher's file is checked whole first, so a mistake in it
    is reported now, not on the page that holds it (the built-in ones are checked by tests)."""
    from .lessons import check_lesson, find_lesson

    lesson = find_lesson(choice)
    if not choice.isdigit():
        check_lesson(lesson)
    return lesson


def list_lessons(out: TextIO) -> int:
    from .learner_progress import ProgressStore
    from .lessons import lesson_list

    store = ProgressStore()
    messages = store.load()
    for message in messages:
        print(f"calc-tutor lessons: {message}", file=sys.stderr)
    out.write(lesson_list(store.progress.finished))
    return 0


if __name__ == "__main__":
    sys.exit(main())
