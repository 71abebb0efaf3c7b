"""The peer for the startup benchmark: a bare Textual app with a Header and a Footer."""

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header


class BareApp(App):
    BINDINGS = [("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Footer()


if __name__ == "__main__":
    BareApp().run()
