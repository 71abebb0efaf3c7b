"""The inputs panel: the model and its editable fields, one row each, as the model lists them.

Each model gives its own rows (``model.form``): the neuron W, X, b, α and the target, the
network X, H and its seed, α and the target; both the activation and the loss as lists. The first
row picks the model. Enter (or a new choice in a list) reads every field together with the core's
parsers, so a learner can change the number of features by editing X and then W. A bad value
leaves the session untouched and says, under the fields, which one is wrong and why. A good one
posts ``Applied`` with the new model and where it starts; the screen branches the session with it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from rich.segment import Segment
from rich.style import Style
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.geometry import Region
from textual.message import Message
from textual.reactive import var
from textual.strip import Strip
from textual.widget import AwaitMount, Widget
from textual.widgets import Input, Label, Static

from calc_tutor.core.config import ConfigError
from calc_tutor.core.forms import Field
from calc_tutor.core.models import MODEL_KINDS, switched
from calc_tutor.core.session import Model, Session

from ..ascii import parts_to_ascii, to_ascii
from .choice import ChoiceField

IDLE_HINT = "e: edit · Enter: apply"
EDITING_HINT = "Enter: apply · Esc: leave"
MODEL_ROW = "model"
LABEL_WIDTH = 7  # the grid's label column (app.tcss): the longest label and a space


def rows_of(session: Session) -> tuple[Field, ...]:
    """The panel's rows for the session at its cursor: the model's name, then its own fields."""
    model = session.model
    kind = Field(MODEL_ROW, "model", model.kind, tuple(MODEL_KINDS))
    return (kind, *model.form(session.params(session.cursor)))


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

    Sixteen labels and fields cost some 30 ms before the first frame, yet a learner may never
    edit: the panel builds them only when focus first comes here (e, tab or a click).
    """

    COMPONENT_CLASSES = {"inputs-preview--label", "inputs-preview--field",
                         "inputs-preview--placeholder"}  # fmt: skip

    def __init__(self, ascii_only: bool, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.ascii_only = ascii_only
        self.rows: tuple[Field, ...] = ()

    def show(self, rows: tuple[Field, ...]) -> None:
        # Repaint only the rows that changed (after a step, just W's): each row crosses the link.
        for y in range(max(len(rows), len(self.rows))):
            old = self.rows[y] if y < len(self.rows) else None
            new = rows[y] if y < len(rows) else None
            if old is None or new is None or (old.label, old.text) != (new.label, new.text):
                self.refresh(Region(0, y, self.size.width, 1))
        self.rows = rows

    def render_line(self, y: int) -> Strip:
        label_style = self.get_component_rich_style("inputs-preview--label")
        field_style = self.get_component_rich_style("inputs-preview--field")
        if y >= len(self.rows):
            return Strip.blank(self.size.width)
        row = self.rows[y]
        width = max(0, self.size.width - LABEL_WIDTH)
        label = to_ascii(row.label) if self.ascii_only else row.label
        segments = [Segment(label, label_style), Segment(" " * (LABEL_WIDTH - len(label)),
                    Style(bgcolor=label_style.bgcolor))]  # fmt: skip
        text = row.text
        if row.choices:  # a ChoiceField: the name, a dim arrow, then its background
            arrow = "v" if self.ascii_only else "▾"
            segments += [Segment(f"{text} ", field_style),
                         Segment(arrow, field_style + Style(dim=True))]  # fmt: skip
            used = len(text) + 2
            segments.append(Segment(" " * (width - used), Style(bgcolor=field_style.bgcolor)))
        elif text or not row.placeholder:
            text = text[:width]
            segments += [Segment(text, field_style), Segment(" " * (width - len(text)), field_style)]
        else:  # Input's placeholder
            placeholder = self.get_component_rich_style("inputs-preview--placeholder")
            segments += [Segment(row.placeholder[:width], placeholder),
                         Segment(" " * (width - len(row.placeholder)), field_style)]  # fmt: skip
        return Strip(segments).crop_extend(0, self.size.width, Style(bgcolor=label_style.bgcolor))

    def on_focus(self) -> None:
        parent = self.parent
        if isinstance(parent, InputsPanel):
            parent.first_field().focus()


class InputsPanel(Vertical):
    class Applied(Message):
        """The fields parsed together into a valid model, and the parameters it starts from."""

        def __init__(self, model: Model, params: tuple[float, ...]) -> None:
            super().__init__()
            self.model = model
            self.params = params

    revision = var(0)  # the session changed: show its current values unless editing

    def __init__(self, session: Session, ascii_only: bool = False, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.session = session
        self.ascii_only = ascii_only
        # The rows the fields were last filled from: the exact value behind each (rounded) text,
        # so applying an unchanged field does not round the parameters it shows.
        self.rows: tuple[Field, ...] = ()
        self.built: tuple[str, ...] = ()  # the names of the fields mounted, top to bottom
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
        preview.display = False
        self.mount_fields(rows_of(self.session), before=preview)
        preview.remove()
        self.show_current()

    def mount_fields(self, rows: tuple[Field, ...], before: Widget) -> AwaitMount:
        # A two-column grid (app.tcss): label, field, label, field, …, then the message.
        widgets: list[Widget] = []
        for row in rows:
            label = Label(self.plain(row.label), classes="field-label")
            if row.choices:
                field: Widget = ChoiceField(row.name, row.choices, self.ascii_only,
                                            id=f"field-{row.name}")  # fmt: skip
            else:
                field = FieldInput(id=f"field-{row.name}", placeholder=self.plain(row.placeholder))
            widgets += [label, field]
        self.built = tuple(row.name for row in rows)
        return self.mount(*widgets, before=before)

    async def rebuild(self) -> None:
        """Fields for another model's rows (the network has H and a seed where the neuron has W
        and b); focus stays on the model row if it was there."""
        refocus = self.editing
        await self.query_children(".field-label, FieldInput, ChoiceField").remove()
        await self.mount_fields(rows_of(self.session), before=self.query_one("#inputs-message"))
        self.show_current()
        if refocus:
            self.choice(MODEL_ROW).focus()

    def on_mount(self) -> None:
        self.border_title = "Inputs"
        self.show_current()

    # ---- showing the session's values ----------------------------------------------------

    @property
    def editing(self) -> bool:
        return self.has_focus_within

    def watch_revision(self) -> None:
        if not self.is_mounted:
            return
        rows = rows_of(self.session)
        if self.preview is None and tuple(row.name for row in rows) != self.built:
            self.call_later(self.rebuild)
        elif not self.editing:
            self.show_current()

    def first_field(self) -> Widget:
        """Where editing starts: the model's first own field (W for the neuron, X for the net)."""
        self.build()
        return self.query_one(f"#field-{self.built[1]}")

    def field(self, name: str) -> Input:
        self.build()
        return self.query_one(f"#field-{name}", Input)

    def choice(self, name: str) -> ChoiceField:
        self.build()
        return self.query_one(f"#field-{name}", ChoiceField)

    def show_current(self) -> None:
        """Every field from the session at the cursor; clears any error."""
        rows = rows_of(self.session)
        if self.preview is not None:
            self.preview.show(rows)
            return
        if tuple(row.name for row in rows) != self.built:
            return  # a rebuild for another model is under way; it shows them when mounted
        self.rows = rows
        for row in rows:
            if row.choices:
                self.choice(row.name).value = row.value
                continue
            field = self.field(row.name)
            with field.prevent(Input.Changed):
                field.value = row.text
            field.cursor_position = 0  # a long vector shows its start, not its end
        self.show_message(None)

    def show_message(self, error: ConfigError | None) -> None:
        for name in self.built:
            self.query_one(f"#field-{name}").set_class(
                error is not None and error.field == name, "-invalid"
            )
        self.query_one("#inputs-message", Static).set_class(error is not None, "-error")
        if error is None:
            self.error_field = None
            self.say(EDITING_HINT if self.editing else IDLE_HINT)
        else:
            self.error_field = error.field
            labels = {row.name: row.label for row in self.rows}
            self.say(f"{labels.get(error.field, error.field)}: {error.message}")

    def plain(self, text: str) -> str:
        """``text`` as this panel shows it: ASCII only with --ascii (its hints' " · " as " | ")."""
        return parts_to_ascii(text) if self.ascii_only else text

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

    def read(self, name: str, parse: Callable[[str, str], Any] | None) -> Any:
        """A field's value: a list's choice, the exact value behind an unchanged text, or the
        text parsed (which raises ConfigError naming the field)."""
        shown = {row.name: row for row in self.rows}[name]
        if shown.choices:
            return self.choice(name).value
        text = self.field(name).value
        if text == shown.text and _finite(shown.value):
            return shown.value  # unchanged: the exact value, not its rounded text
        if parse is None:
            raise ValueError(f"no parser for the text field {name!r}")
        return parse(name, text)

    def parse(self) -> tuple[Model, tuple[float, ...]]:
        """All fields together as a validated model and where it starts; raises ConfigError
        naming the field. A new choice in the model row makes that model, like the current one."""
        session = self.session
        model = session.model
        kind = self.choice(MODEL_ROW).value
        if kind != model.kind:
            other = switched(model, kind)
            return other, other.initial_params()
        return type(model).from_form(self.read, model, session.params(session.cursor))

    def apply(self) -> bool:
        try:
            model, params = self.parse()
        except ConfigError as error:
            self.show_message(error)
            if error.field in self.built:
                self.query_one(f"#field-{error.field}").focus()
            return False
        self.show_message(None)
        self.post_message(self.Applied(model, params))
        return True

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.apply()

    def on_choice_field_changed(self, event: ChoiceField.Changed) -> None:
        event.stop()
        self.apply()


def _finite(value: object) -> bool:
    if value is None or isinstance(value, (int, str)):
        return True
    values = value if isinstance(value, tuple) else (value,)
    return all(isinstance(v, float) and math.isfinite(v) for v in values)
