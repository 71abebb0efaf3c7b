"""Every private Textual name this project leans on, in one place, with why.

Each steadies a Textual widget against a race or a startup cost that its public API cannot
reach. ``tests/tui/test_textual_private.py`` checks that every name still exists, so an upgrade
that moves one fails a test instead of the app. Textual is pinned below 9 for them.
"""

from __future__ import annotations

from textual.command import CommandList, CommandPalette
from textual.css.stylesheet import Stylesheet
from textual.screen import Screen
from textual.widgets import Footer, OptionList
from textual.widgets._footer import FooterKey  # the footer's key widget: built once (footer.py)

# (owner, attribute, who uses it and why)
PRIVATE_NAMES: tuple[tuple[type, str, str], ...] = (
    (Footer, "_bindings_ready", "footer.py: the keys in the first frame, built once"),
    (OptionList, "_index_to_line", "choice.py, palette.py: a page key before the first layout"),
    (OptionList, "_move_page", "choice.py: ignore a page key before the first layout"),
    (CommandList, "_index_to_line", "palette.py: ignore a page key while the list refills"),
    (CommandPalette, "_action_command_list", "palette.py: the same, for the palette's keys"),
    (CommandPalette, "_select_or_command", "palette.py: a second Enter after dismissal"),
    (CommandPalette, "_watch__list_visible", "palette.py: a search closing with the palette"),
    (Screen, "_get_breakpoint_classes", "main.py: breakpoint classes before the first resize"),
    (Stylesheet, "_parse_rules", "share_css_parses: one parse of each source per process"),
)

_parse_rules = Stylesheet._parse_rules
# (source, where from, defaults?, tie breaker, scope, the theme's variables) → its rule sets
_parsed: dict[tuple[object, ...], list[object]] = {}


def share_css_parses() -> None:
    """Parse each stylesheet source once per process, for the theme's variables, rather than
    once per app and again whenever a theme is applied (which is at every start).

    Textual caches parses per stylesheet; a served tutor is forked from a process that has
    parsed them all already (serve/warm_up.py), so its start parses nothing. Textual itself
    reuses a parse's rule sets across its stylesheets' reparses: they are never changed."""
    Stylesheet._parse_rules = _parse_rules_shared  # type: ignore[method-assign]


def _parse_rules_shared(self: Stylesheet, css: str, read_from: object, is_default_rules: bool = False,
                        tie_breaker: int = 0, scope: str = "") -> list[object]:  # fmt: skip
    variables = self._variables
    cached = getattr(self, "_shared_variables", None)
    if cached is None or cached[0] is not variables:  # sorted once per set of variables
        cached = (variables, tuple(sorted(variables.items())))
        self._shared_variables = cached  # type: ignore[attr-defined]
    key = (css, read_from, is_default_rules, tie_breaker, scope, cached[1])
    rules = _parsed.get(key)
    if rules is None:
        rules = _parsed[key] = _parse_rules(self, css, read_from, is_default_rules, tie_breaker, scope)
    return rules


__all__ = ["FooterKey", "PRIVATE_NAMES", "share_css_parses"]
