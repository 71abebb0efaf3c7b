"""A name chosen from a short list: the activation, the loss.

Textual's Select builds its drop-down list with the screen, which costs about 50 ms of startup
for two lists a learner rarely opens. This field shows just the name; Enter opens the list as a
small screen of its own, built only then.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import OptionList


class SteadyOptionList(OptionList):
    """Textual's list pages by its laid-out rows; a page key that arrived before the first
    layout (typed ahead over a slow link) found none and raised KeyError. Now it is ignored."""

    def _move_page(self, direction: int) -> None:
        if self._index_to_line:
            super()._move_page(direction)


class ChoiceMenu(ModalScreen[str | None]):
    """The list of choices; Enter picks the highlighted one, Escape keeps the old one."""

    BINDINGS = [Binding("escape", "dismiss", "Keep", id="keep_choice")]

    def __init__(
        self, title: str, choices: tuple[str, ...], current: str, ascii_only: bool
    ) -> None:
        super().__init__(classes="-ascii" if ascii_only else "")
        self.title_text = title
        self.choices = choices
        self.current = current

    def compose(self) -> ComposeResult:
        menu = SteadyOptionList(*self.choices, id="choice-menu")
        menu.border_title = self.title_text
        menu.border_subtitle = "Enter picks, Esc keeps"
        yield menu

    def on_mount(self) -> None:
        self.query_one(SteadyOptionList).highlighted = self.choices.index(self.current)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.is_active:  # a second Enter typed ahead must not dismiss the screen below
            self.dismiss(self.choices[event.option_index])


class ChoiceField(Widget, can_focus=True):
    BINDINGS = [Binding("enter,space,down", "open", "Choose", show=False)]

    value: reactive[str] = reactive("")

    class Changed(Message):
        """The learner picked another choice (not sent when the value is set in code)."""

        def __init__(self, field: ChoiceField, value: str) -> None:
            super().__init__()
            self.field = field
            self.value = value

    def __init__(self, title: str, choices: tuple[str, ...], ascii_only: bool = False,
                 **kwargs: object) -> None:  # fmt: skip
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.title = title
        self.choices = choices
        self.ascii_only = ascii_only
        self.set_reactive(ChoiceField.value, choices[0])

    def render(self) -> Text:
        arrow = "v" if self.ascii_only else "▾"
        return Text.assemble(self.value, " ", (arrow, "dim"))

    def action_open(self) -> None:
        menu = ChoiceMenu(self.title, self.choices, self.value, self.ascii_only)
        self.app.push_screen(menu, self.picked)

    def on_click(self) -> None:
        self.action_open()

    def picked(self, value: str | None) -> None:
        self.focus()
        if value is not None and value != self.value:
            self.value = value
            self.post_message(self.Changed(self, value))
