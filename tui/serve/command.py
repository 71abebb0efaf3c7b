"""``calc-tutor serve ssh`` and ``serve web``: their flags, their checks, and starting a server.

Light to import (argparse only): the CLI builds this parser on every run. asyncssh and
textual-serve load only when a server starts.
"""

from __future__ import annotations

import argparse
import importlib.util
import ipaddress
import sys
from dataclasses import dataclass
from pathlib import Path

from calc_tutor.core.config import ConfigError, parse_count, quote

from .auth import NONE, Auth, check_keys_file, read_password

INSTALL_SSH = "pip install 'calc-tutor[ssh]'"
INSTALL_WEB = "pip install 'calc-tutor[web]'"
MAX_PORT = 65535
MAX_SESSIONS = 10_000
MAX_IDLE = 7 * 24 * 3600  # a week, in seconds
LOOPBACK_NAMES = ("localhost",)


def add_serve_parser(commands: argparse._SubParsersAction, state: argparse.ArgumentParser,
                     app: argparse.ArgumentParser) -> None:  # fmt: skip
    """``serve`` and its modes ``ssh`` and ``web``; ``state`` and ``app`` are the parent parsers
    of the starting-state flags and of the tutor's own (--theme, --ascii, --lesson)."""
    serve = commands.add_parser(
        "serve", allow_abbrev=False,
        help="serve the tutor to a class: every learner gets a tutor of their own",
        description="Serve the tutor: every learner who connects gets a tutor of their own, "
        "started with the starting-state flags given here.",
    )  # fmt: skip
    modes = serve.add_subparsers(dest="serve_mode", metavar="MODE", required=True,
                                 parser_class=type(serve))  # fmt: skip
    ssh = modes.add_parser(
        "ssh", allow_abbrev=False, parents=[state, app],
        help="over SSH: learners type ssh -p PORT NAME@HOST",
        description="Serve the tutor over SSH. Each session runs its own tutor in its own "
        "terminal; nothing else (no commands, files or forwarding) is served. Loopback needs no "
        "authentication; any other address needs --authorized-keys, --password-file or --no-auth.",
    )  # fmt: skip
    auth = add_common_flags(ssh, default_port=2222)
    auth.add_argument("--authorized-keys", metavar="FILE",
                      help="let in the public keys listed in FILE (OpenSSH authorized_keys format)")  # fmt: skip
    ssh.add_argument("--no-fork-server", action="store_true",
                     help="start each tutor as a new Python process, not forked from one that "
                     "loaded the app once (slower to start, more memory; for comparison)")  # fmt: skip
    web = modes.add_parser(
        "web", allow_abbrev=False, parents=[state, app],
        help="in a browser: learners open http://HOST:PORT/",
        description="Serve the tutor to web browsers. Each browser tab runs its own tutor. "
        "Loopback needs no authentication; any other address needs --password-file or --no-auth.",
    )  # fmt: skip
    add_common_flags(web, default_port=8000)


def add_common_flags(mode: argparse.ArgumentParser, default_port: int) -> argparse._MutuallyExclusiveGroup:
    """The flags every serve mode has: where it listens, its limits, and --password-file or
    --no-auth (the group returned, for a mode's own way to authenticate)."""
    mode.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    mode.add_argument("--port", default=str(default_port), metavar="N",
                      help=f"port; 0 picks a free one (default {default_port})")  # fmt: skip
    mode.add_argument("--max-sessions", default="50", metavar="N", help="tutors running at once (default 50)")
    mode.add_argument("--per-address", default="5", metavar="N",
                      help="tutors at once from one client address (default 5)")  # fmt: skip
    mode.add_argument("--idle-timeout", default="900", metavar="SECONDS",
                      help="end a session after this long without a key; 0: never (default 900)")  # fmt: skip
    add_data_dir_flag(mode)
    auth = mode.add_mutually_exclusive_group()
    auth.add_argument("--password-file", metavar="FILE",
                      help="one password for the class: the first line of FILE; any user name")  # fmt: skip
    auth.add_argument("--no-auth", action="store_true",
                      help="let anyone in, also on a non-loopback address (a trusted network only)")  # fmt: skip
    return auth


DATA_DIR_HELP = ("keep each learner's progress under DIR, by the name they connect with "
                 "(default: the class folder in the data directory; calc-tutor class reads it)")  # fmt: skip


def add_data_dir_flag(parser: argparse.ArgumentParser, help_text: str = DATA_DIR_HELP) -> None:
    parser.add_argument("--data-dir", metavar="DIR", help=help_text)


def data_dir_of(args: argparse.Namespace) -> Path:
    """--data-dir, or the default class directory; a file where the folder should be is a
    ConfigError now, not a failure in every learner's session."""
    if args.data_dir is None:
        from calc_tutor.tui.serve.learners import default_class_directory

        return default_class_directory()
    if not args.data_dir.strip():
        raise ConfigError("data-dir", "is empty; give a folder")
    path = Path(args.data_dir).absolute()
    if path.exists() and not path.is_dir():
        raise ConfigError("data-dir", f"{quote(args.data_dir)} is a file, not a folder")
    return path


@dataclass(frozen=True)
class ServeFlags:
    host: str
    port: int
    max_sessions: int
    per_address: int
    idle_timeout: int
    auth: Auth
    fork_server: bool = True  # serve ssh only
    data_dir: Path = Path()  # where each learner's progress is kept


def check_serve_flags(args: argparse.Namespace) -> ServeFlags:
    """The flags of any serve mode, validated; raises ConfigError naming the flag."""
    port = parse_count("port", args.port, 0, MAX_PORT)
    max_sessions = parse_count("max-sessions", args.max_sessions, 1, MAX_SESSIONS)
    per_address = parse_count("per-address", args.per_address, 1, MAX_SESSIONS)
    idle_timeout = parse_count("idle-timeout", args.idle_timeout, 0, MAX_IDLE)
    keys_file = getattr(args, "authorized_keys", None)  # serve ssh only
    if args.password_file is not None:
        auth = read_password(args.password_file)
    elif keys_file is not None:
        auth = check_keys_file(keys_file)
    else:
        auth = Auth(NONE)
    host = args.host.strip()
    if not host:
        raise ConfigError("host", "is empty; give an address such as 127.0.0.1")
    if auth.mode == NONE and not args.no_auth and not is_loopback(host):
        ways = ("--authorized-keys FILE, --password-file FILE," if hasattr(args, "authorized_keys")
                else "--password-file FILE")  # fmt: skip
        raise ConfigError("host", f"{quote(host)} is not a loopback address, so anyone who can "
                                  f"reach it could connect: give {ways} or --no-auth on a "
                                  "trusted network")  # fmt: skip
    fork_server = not getattr(args, "no_fork_server", False)
    return ServeFlags(host, port, max_sessions, per_address, idle_timeout, auth, fork_server,
                      data_dir_of(args))  # fmt: skip


def is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a name: it may resolve to any address


def tutor_argv(flags: dict[str, str | None], switches: tuple[str, ...]) -> list[str]:
    """The starting-state flags given to serve, as each session's tutor receives them."""
    argv: list[str] = []
    for name, value in flags.items():
        if value is None:
            continue
        # ``--w=-0.5``: one token, so a value starting with a minus sign is never taken for a flag.
        argv.append(f"--{name}" if name in switches else f"--{name}={value}")
    return argv


def has_asyncssh() -> bool:
    return has_module("asyncssh")


def has_textual_serve() -> bool:
    return has_module("textual_serve")


def has_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):  # ValueError: blocked (None in sys.modules)
        return False


def run_serve(args: argparse.Namespace, flags: dict[str, str | None],
              app_argv: list[str] | tuple[str, ...] = ()) -> int:  # fmt: skip
    """``calc-tutor serve ssh|web``, after the starting-state flags were validated; ``app_argv``:
    the tutor's own flags (--theme, --ascii, --lesson), checked, for every tutor."""
    from calc_tutor.tui.cli import SWITCH_NAMES

    serve_flags = check_serve_flags(args)
    argv = tutor_argv(flags, SWITCH_NAMES) + list(app_argv)
    if args.serve_mode == "web":
        if not has_textual_serve():
            return _needs("in a browser needs textual-serve", INSTALL_WEB)
        from .run import run_web_server

        return run_web_server(serve_flags, argv)
    if not has_asyncssh():
        return _needs("over SSH needs asyncssh", INSTALL_SSH)
    from .run import run_ssh_server

    return run_ssh_server(serve_flags, argv)


def _needs(what: str, install: str) -> int:
    print(f"calc-tutor serve: error: serving {what}: {install}", file=sys.stderr)
    return 2
