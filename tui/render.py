"""Plain-text and Markdown renderings of the core's derivation model (for ``trace``)."""

from __future__ import annotations

from calc_tutor.core.derivation import GROUPS, Derivation, Line
from calc_tutor.core.numbers import fmt_value
from calc_tutor.core.session import Model

BOLD, DIM, RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"
GROUP_TITLES = {"example": "Example", "forward": "Forward pass", "backward": "Backward pass (chain rule)", "update": "Update"}


def render_text_header(model: Model, color: bool) -> str:
    bold, reset = (BOLD, RESET) if color else ("", "")
    rows = model.summary()
    width = max(len(label) for label, _ in rows)
    lines = [f"{bold}calc-tutor trace{reset}"]
    lines += [f"  {label:<{width}}  {value}" for label, value in rows]
    return "\n".join(lines) + "\n"


def render_text(derivation: Derivation, color: bool) -> str:
    """One update: each line's symbol, then its numbers and value, grouped by pass."""
    bold, dim, reset = (BOLD, DIM, RESET) if color else ("", "", "")
    out = [f"\n{bold}Step {derivation.step}{reset}"]
    for group in (group for group in GROUPS if derivation.group(group)):
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


def render_markdown_header(model: Model) -> str:
    return f"# calc-tutor trace\n\n{render_markdown_settings(model)}"


def render_markdown_settings(model: Model) -> str:
    """The model's settings as a table (a transcript repeats it where an edit changed them)."""
    rows = "\n".join(f"| {label} | {_cell(value)} |" for label, value in model.summary())
    return f"| setting | value |\n|---|---|\n{rows}\n"


def render_markdown(derivation: Derivation) -> str:
    out = [f"\n## Step {derivation.step}\n"]
    for group in (group for group in GROUPS if derivation.group(group)):
        out += [f"\n### {GROUP_TITLES[group]}\n", "| formula | with numbers | value | what it means |",
                "|---|---|---|---|"]  # fmt: skip
        for line in derivation.group(group):
            numbers = f"`{_cell(line.substitution)}`" if line.substitution else ""
            out.append(
                f"| `{_cell(line.symbol)}` | {numbers} | "
                f"`{_cell(fmt_value(line.value))}` | {_cell(line.note)} |"
            )
    return "\n".join(out) + "\n"
