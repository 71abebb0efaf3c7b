"""The inputs panel: W, X, b, α and the target as one-line fields; activation and loss as lists.

Enter (or a new choice in a list) checks every field together with the core's parsers, so a
learner can change the number of features by editing X and then W. A bad value leaves the
session untouched and says, under the fields, which one is wrong and why. A good one posts
``Applied`` with the new model; the screen branches the session with it.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from rich.segment import Segment
from rich.style import Style
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.geometry import Region
from textual.message import Message
from textual.reactive import var
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from calc_tutor.core.activations import ACTIVATIONS
from calc_tutor.core.config import ConfigError, NeuronConfig, parse_number, parse_vector
from calc_tutor.core.losses import LOSSES
from calc_tutor.core.neuron import Neuron
from calc_tutor.core.numbers import fmt_input
from calc_tutor.core.session import Session

from ..ascii import to_ascii
from .choice import ChoiceField

# (field, label): the field names are the ones ConfigError uses, so an error finds its input.
TEXT_FIELDS = (("w", "W"), ("x", "X"), ("b", "b"), ("lr", "α"), ("target", "target"))
LIST_FIELDS = (("activation", "act", tuple(ACTIVATIONS)), ("loss", "loss", tuple(LOSSES)))
LABELS = dict(TEXT_FIELDS) | {name: label for name, label, _ in LIST_FIELDS}
ASCII_LABELS = {name: to_ascii(label) for name, label in LABELS.items()}
IDLE_HINT = "e: edit · Enter: apply"
EDITING_HINT = "Enter: apply · Esc: leave"
PLACEHOLDER = "none (no bias)"
ROWS = tuple(LABELS)  # the fields' names, top to bottom


def number_text(values: float | tuple[float, ...] | None) -> str:
    if values is None:
        return ""
    if isinstance(values, tuple):
        return ",".join(fmt_input(value) for value in values)
    return fmt_input(values)


class FieldInput(Input):
    """A one-line input without a blinking cursor (each blink would cross an SSH link)."""

    def __init__(self, **kwargs: object) -> None:
        # Compact and valid from the start, without the class changes that Input makes to get
        # there: each would restyle the field once more during startup.
        super().__init__(classes="-valid", **kwargs)  # type: ignore[arg-type]
        self.set_reactive(Input.compact, True)
        self.add_class("-textual-compact", update=False)
        self.cursor_blink = False


class InputsPreview(Widget, can_focus=True):
    """The fields' rows as text, drawn as the real fields draw them, segment for segment.

    Fourteen labels and fields cost some 30 ms before the first frame, yet a learner may never
    edit: the panel builds them only when focus first comes here (e, tab or a click).
    """

    COMPONENT_CLASSES = {"inputs-preview--label", "inputs-preview--field",
                         "inputs-preview--placeholder"}  # fmt: skip

    def __init__(self, ascii_only: bool, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.ascii_only = ascii_only
        self.texts: dict[str, str] = {}

    def show(self, texts: dict[str, str]) -> None:
        # Repaint only the rows that changed (after a step, just W's): each row crosses the link.
        for y, name in enumerate(ROWS):
            if texts.get(name) != self.texts.get(name):
                self.refresh(Region(0, y, self.size.width, 1))
        self.texts = texts

    def render_line(self, y: int) -> Strip:
        label_style = self.get_component_rich_style("inputs-preview--label")
        field_style = self.get_component_rich_style("inputs-preview--field")
        if y >= len(ROWS):
            return Strip.blank(self.size.width)
        name = ROWS[y]
        width = max(0, self.size.width - 7)
        label = (ASCII_LABELS if self.ascii_only else LABELS)[name]
        segments = [Segment(label, label_style), Segment(" " * (7 - len(label)),
                    Style(bgcolor=label_style.bgcolor))]  # fmt: skip
        text = self.texts.get(name, "")
        if y >= len(TEXT_FIELDS):  # a ChoiceField: the name, a dim arrow, then its background
            arrow = "v" if self.ascii_only else "▾"
            segments += [Segment(f"{text} ", field_style),
                         Segment(arrow, field_style + Style(dim=True))]  # fmt: skip
            used = len(text) + 2
            segments.append(Segment(" " * (width - used), Style(bgcolor=field_style.bgcolor)))
        elif text or name != "b":
            text = text[:width]
            segments += [Segment(text, field_style), Segment(" " * (width - len(text)), field_style)]
        else:  # Input's placeholder
            placeholder = self.get_component_rich_style("inputs-preview--placeholder")
            segments += [Segment(PLACEHOLDER[:width], placeholder),
                         Segment(" " * (width - len(PLACEHOLDER)), field_style)]  # fmt: skip
        return Strip(segments).crop_extend(0, self.size.width, Style(bgcolor=label_style.bgcolor))

    def on_focus(self) -> None:
        parent = self.parent
        if isinstance(parent, InputsPanel):
            parent.field("w").focus()


class InputsPanel(Vertical):
    class Applied(Message):
        """The fields parsed together into a valid model."""

        def __init__(self, model: Neuron) -> None:
            super().__init__()
            self.model = model

    revision = var(0)  # the session changed: show its current values unless editing

    def __init__(self, session: Session, ascii_only: bool = False, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.session = session
        self.ascii_only = ascii_only
        # The exact value behind each field's (rounded) text: applying an unchanged field
        # must not round the parameters it shows.
        self.shown: dict[str, tuple[str, float | tuple[float, ...] | None]] = {}
        self.error_field: str | None = None
        self.message_text = self.plain(IDLE_HINT)
        self.preview: InputsPreview | None = InputsPreview(ascii_only, id="inputs-preview")

    def compose(self) -> ComposeResult:
        if self.preview is not None:
            yield self.preview
        yield Static(self.plain(IDLE_HINT), id="inputs-message", markup=False)

    def build(self) -> None:
        """The real fields in place of the preview (once), showing the session's values."""
        preview, self.preview = self.preview, None
        if preview is None:
            return
        # A two-column grid (app.tcss): label, field, label, field, …, then the message.
        widgets: list[Widget] = []
        for name, label in TEXT_FIELDS:
            placeholder = PLACEHOLDER if name == "b" else ""
            widgets += [Label(self.plain(label), classes="field-label"),
                        FieldInput(id=f"field-{name}", placeholder=placeholder)]  # fmt: skip
        for name, label, choices in LIST_FIELDS:
            widgets += [Label(label, classes="field-label"),
                        ChoiceField(name, choices, self.ascii_only, id=f"field-{name}")]  # fmt: skip
        preview.display = False
        self.mount(*widgets, before=preview)
        preview.remove()
        self.show_current()

    def on_mount(self) -> None:
        self.border_title = "Inputs"
        self.show_current()

    # ---- showing the session's values ----------------------------------------------------

    @property
    def editing(self) -> bool:
        return self.has_focus_within

    def watch_revision(self) -> None:
        if self.is_mounted and not self.editing:
            self.show_current()

    def field(self, name: str) -> Input:
        self.build()
        return self.query_one(f"#field-{name}", Input)

    def choice(self, name: str) -> ChoiceField:
        self.build()
        return self.query_one(f"#field-{name}", ChoiceField)

    def current_values(self) -> dict[str, float | tuple[float, ...] | None]:
        session = self.session
        model = session.model
        w, b = model.split(session.params(session.cursor))
        config = model.config
        return {"w": w, "x": config.x, "b": b, "lr": config.lr, "target": config.target}

    def show_current(self) -> None:
        """Every field from the session at the cursor; clears any error."""
        config = self.session.model.config
        if self.preview is not None:
            texts = {name: number_text(value) for name, value in self.current_values().items()}
            self.preview.show(texts | {name: getattr(config, name) for name, _, _ in LIST_FIELDS})
            return
        for name, value in self.current_values().items():
            text = number_text(value)
            self.shown[name] = (text, value)
            field = self.field(name)
            with field.prevent(Input.Changed):
                field.value = text
            field.cursor_position = 0  # a long vector shows its start, not its end
        for name, _label, _choices in LIST_FIELDS:
            self.choice(name).value = getattr(config, name)
        self.show_message(None)

    def show_message(self, error: ConfigError | None) -> None:
        for name, _label in TEXT_FIELDS:
            self.field(name).set_class(error is not None and error.field == name, "-invalid")
        for name, _label, _choices in LIST_FIELDS:
            self.choice(name).set_class(error is not None and error.field == name, "-invalid")
        self.query_one("#inputs-message", Static).set_class(error is not None, "-error")
        if error is None:
            self.error_field = None
            self.say(EDITING_HINT if self.editing else IDLE_HINT)
        else:
            self.error_field = error.field
            self.say(f"{LABELS.get(error.field, error.field)}: {error.message}")

    def plain(self, text: str) -> str:
        """``text`` as this panel shows it: ASCII only with --ascii."""
        return to_ascii(text) if self.ascii_only else text

    def say(self, text: str) -> None:
        """The row under the fields; rewritten only when it changes (each write repaints it)."""
        text = self.plain(text)
        if text != self.message_text:
            self.message_text = text
            self.query_one("#inputs-message", Static).update(text)

    def on_descendant_focus(self) -> None:
        if self.error_field is None:
            self.say(EDITING_HINT)

    def on_descendant_blur(self) -> None:
        if self.error_field is None and not self.editing:
            self.say(IDLE_HINT)

    # ---- reading the fields --------------------------------------------------------------

    def _read(self, name: str, parse: Callable[[str, str], object]) -> object:
        text = self.field(name).value
        shown_text, exact = self.shown.get(name, (None, None))
        if text == shown_text and _finite(exact):
            return exact  # unchanged: the exact value, not its rounded text
        return parse(name, text)

    def parse(self) -> Neuron:
        """All fields together as a validated neuron; raises ConfigError naming the field."""
        x = self._read("x", parse_vector)
        w = self._read("w", parse_vector)
        b = None if not self.field("b").value.strip() else self._read("b", parse_number)
        lr = self._read("lr", parse_number)
        target = self._read("target", parse_number)
        activation = self.choice("activation").value
        loss = self.choice("loss").value
        return Neuron(NeuronConfig(w=w, x=x, b=b, lr=lr, activation=activation, loss=loss,
                                   target=target))  # type: ignore[arg-type]  # fmt: skip

    def apply(self) -> bool:
        try:
            model = self.parse()
        except ConfigError as error:
            self.show_message(error)
            if error.field in LABELS:
                self.query_one(f"#field-{error.field}").focus()
            return False
        self.show_message(None)
        self.post_message(self.Applied(model))
        return True

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.apply()

    def on_choice_field_changed(self, event: ChoiceField.Changed) -> None:
        event.stop()
        self.apply()


def _finite(value: object) -> bool:
    if value is None:
        return True
    values = value if isinstance(value, tuple) else (value,)
    return all(isinstance(v, float) and math.isfinite(v) for v in values)
