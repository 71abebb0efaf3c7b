"""Start a server (SSH or web) from validated flags, and say where learners connect."""

from __future__ import annotations

import asyncio
import sys

from .auth import KEYS, PASSWORD
from .children import SpawnLauncher
from .command import ServeFlags
from .state_dir import state_dir
from .zygote import ZygoteLauncher

PROG = "calc-tutor serve"


def report(line: str) -> None:
    print(f"{PROG}: {line}", file=sys.stderr, flush=True)


def run_ssh_server(flags: ServeFlags, tutor_argv: list[str]) -> int:
    # Loaded only now: asyncssh and its cryptography cost startup time and memory.
    from . import host_key
    from .authorized_keys import read_keys
    from .ssh import ServerOptions, serve

    keys = read_keys(flags.auth) if flags.auth.mode == KEYS else None  # a ConfigError: status 2

    try:
        key = host_key.load_or_make(state_dir(), report)
    except OSError as error:
        report(f"error: cannot keep the host key in {state_dir()}: {error.strerror or error}")
        return 1
    options = ServerOptions(flags.host, flags.port, flags.max_sessions, flags.per_address,
                            flags.idle_timeout, flags.auth, flags.data_dir, keys)  # fmt: skip

    def announce(port: int) -> None:
        report(f"serving the tutor over SSH on {flags.host}:{port} ({describe(flags)}); "
               f"learners type: ssh -p {port} NAME@HOST; host key {key.get_fingerprint()}; "
               f"progress kept in {flags.data_dir}; ctrl+c stops it")  # fmt: skip

    # The fork server loads the app while the server starts listening.
    launcher = ZygoteLauncher(tutor_argv, report) if flags.fork_server else SpawnLauncher(tutor_argv)
    try:
        return asyncio.run(serve(options, key, launcher, announce))
    except OSError as error:  # the address is taken or not this machine's
        report(f"error: cannot listen on {flags.host}:{flags.port}: {error.strerror or error}")
        return 1
    finally:
        launcher.close()


def run_web_server(flags: ServeFlags, tutor_argv: list[str]) -> int:
    # Loaded only now: aiohttp and textual-serve cost startup time.
    from .command import is_loopback
    from .web import WebHub, serve

    host = flags.host if is_loopback(flags.host) else "HOST"
    hub = WebHub(flags, tutor_argv)

    def announce(port: int) -> None:
        report(f"serving the tutor to web browsers on {flags.host}:{port} ({describe(flags)}); "
               f"learners open http://{host}:{port}/; progress kept in {flags.data_dir}; "
               "ctrl+c stops it")  # fmt: skip

    try:
        return asyncio.run(serve(hub, announce))
    except OSError as error:  # the address is taken or not this machine's
        report(f"error: cannot listen on {flags.host}:{flags.port}: {error.strerror or error}")
        return 1


def describe(flags: ServeFlags) -> str:
    if flags.auth.mode == PASSWORD:
        return "the class password"
    if flags.auth.mode == KEYS:
        return f"keys listed in {flags.auth.keys_file}"
    return "no authentication"
