"""What tui/serve/web_private.py takes from textual-serve beyond its public API still exists,
in the shape used: an upgrade that moves any of it fails here, by name."""

from __future__ import annotations

import inspect

from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager
from textual_serve.server import Server


async def _nothing(*_args: object) -> None:
    pass


def test_the_app_service_starts_its_process_in_a_method_of_its_own():
    assert list(inspect.signature(AppService._open_app_process).parameters) == ["self", "width", "height"]
    service = AppService("app", write_bytes=_nothing, write_str=_nothing, close=_nothing,
                         download_manager=DownloadManager())  # fmt: skip
    # The process and its stdin are kept here, where send_bytes, send_meta and run read them.
    assert service._process is None and service._stdin is None
    env = service._build_environment(width=100, height=30)
    assert env["TEXTUAL_DRIVER"].endswith("WebDriver")
    assert (env["COLUMNS"], env["ROWS"]) == ("100", "30")


def test_the_server_relays_a_tabs_messages_in_a_method_of_its_own():
    assert list(inspect.signature(Server._process_messages).parameters) == ["self", "websocket", "app_service"]


def test_the_page_builds_its_urls_from_the_route_names():
    source = inspect.getsource(Server.handle_index)
    assert 'get_websocket_url("websocket")' in source and 'get_url("static"' in source
    assert "self.public_url" in source
