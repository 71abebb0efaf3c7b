"""Plain-text and Markdown renderings of the core's derivation model (for ``trace``)."""

from __future__ import annotations

from calc_tutor.core.derivation import GROUPS, Derivation, Line
from calc_tutor.core.mlp import Mlp
from calc_tutor.core.neuron import Neuron
from calc_tutor.core.numbers import fmt_value

BOLD, DIM, RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"
GROUP_TITLES = {"forward": "Forward pass", "backward": "Backward pass (chain rule)", "update": "Update"}


def setup_summary(model: Neuron | Mlp) -> list[tuple[str, str]]:
    """The run's settings as (label, value) pairs, in the order a learner needs them."""
    c = model.config
    rows = [("model", "z = W·X" + (" + b" if getattr(c, "b", None) is not None else "")
             if model.kind == "neuron" else
             f"{len(c.x)} inputs → {c.hidden} hidden ({c.activation}) → 1 sigmoid output, seed {c.seed}")]  # fmt: skip
    if model.kind == "neuron":
        rows.append(("activation", model.activation.formula))
    rows += [("loss", model.loss.formula), ("X", fmt_value(c.x)), ("α", fmt_value(c.lr))]
    if model.loss.fixed_target is None:
        rows.append(("target t", fmt_value(c.target)))
    return rows


def render_text_header(model: Neuron | Mlp, color: bool) -> str:
    bold, reset = (BOLD, RESET) if color else ("", "")
    width = max(len(label) for label, _ in setup_summary(model))
    lines = [f"{bold}calc-tutor trace{reset}"]
    lines += [f"  {label:<{width}}  {value}" for label, value in setup_summary(model)]
    return "\n".join(lines) + "\n"


def render_text(derivation: Derivation, color: bool) -> str:
    """One update: each line's symbol, then its numbers and value, grouped by pass."""
    bold, dim, reset = (BOLD, DIM, RESET) if color else ("", "", "")
    out = [f"\n{bold}Step {derivation.step}{reset}"]
    for group in GROUPS:
        out.append(f"  {bold}{GROUP_TITLES[group]}{reset}")
        for line in derivation.group(group):
            value = fmt_value(line.value)
            if says_its_value(line):  # dLoss/dy = −1: nothing to add
                out.append(f"    {line.symbol}")
            elif not line.substitution:  # dz/dW = X = 2: the value, once
                out.append(f"    {line.symbol} = {bold}{value}{reset}")
            else:
                out.append(f"    {line.symbol}")
                out.append(f"      {dim}= {line.substitution}{reset} = {bold}{value}{reset}")
    return "\n".join(out) + "\n"


def says_its_value(line: Line) -> bool:
    """The formula already ends in the value, as ``dLoss/dy = −1`` does."""
    return not line.substitution and line.symbol.split(" = ")[-1] == fmt_value(line.value)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render_markdown_header(model: Neuron | Mlp) -> str:
    rows = "\n".join(f"| {label} | {_cell(value)} |" for label, value in setup_summary(model))
    return f"# calc-tutor trace\n\n| setting | value |\n|---|---|\n{rows}\n"


def render_markdown(derivation: Derivation) -> str:
    out = [f"\n## Step {derivation.step}\n"]
    for group in GROUPS:
        out += [f"\n### {GROUP_TITLES[group]}\n", "| formula | with numbers | value | what it means |",
                "|---|---|---|---|"]  # fmt: skip
        for line in derivation.group(group):
            numbers = f"`{_cell(line.substitution)}`" if line.substitution else ""
            out.append(
                f"| `{_cell(line.symbol)}` | {numbers} | "
                f"`{_cell(fmt_value(line.value))}` | {_cell(line.note)} |"
            )
    return "\n".join(out) + "\n"
