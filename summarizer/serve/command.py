"""``summarizer serve [--host 127.0.0.1] [--port 8000] --data DIR [--token-file F]``.

Imports nothing of the web stack until it runs: the command line works without the
``serve`` extra, and says what to install when the desk is asked for.

Loopback by default. Any other host needs the operator's token (``--token-file``, a file
holding it, so it is never on a command line other users can read) or a users file
(``--users-file``, names and scrypt hashes; ``--add-user NAME`` adds one, its password read
from the terminal or stdin); without either the desk does not start (exit 2).
"""

from __future__ import annotations

import getpass
import ipaddress
import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from ..cli_main import run_app
from ..errors import ConfigError
from .users import add_user, read_users

_MIN_TOKEN = 16  # characters: a token short enough to guess is refused


def serve(
    data: Annotated[
        Path | None, typer.Option(help="The desk's folder: runs/*/, inbox/, reviews.jsonl.")
    ] = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    token_file: Annotated[
        Path | None,
        typer.Option(
            help="A file holding the token every request must carry (any host but loopback)."
        ),
    ] = None,
    users_file: Annotated[
        Path | None,
        typer.Option(help="name:scrypt-hash lines: each person signs in and signs their reviews."),
    ] = None,
    add_user: Annotated[
        str | None,
        typer.Option(help="Add NAME to --users-file (password read from stdin), then exit."),
    ] = None,
) -> None:
    """Run the review desk: results of every run, filters, facts with their evidence,
    approvals and fields marked wrong, kept in an audit trail."""
    started = time.perf_counter()
    if add_user is not None:
        _add_user(users_file, add_user)
        return
    token = _token(token_file)
    users = read_users(users_file) if users_file is not None else {}
    if token is None and not users and not is_loopback(host):
        raise ConfigError(
            f"serving on {host} needs --token-file or --users-file: only loopback is open"
        )
    if data is None or not data.is_dir():
        raise ConfigError(f"{data}: no such folder" if data else "give the desk's folder: --data")
    try:
        import uvicorn

        from .app import create_app
    except ImportError as exc:
        raise ConfigError("the desk needs its extra: pip install 'summarizer[serve]'") from exc
    app = create_app(data, token=token, hosts=(host,), users=users)
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", server_header=False)
    server = uvicorn.Server(config)
    sys.stderr.write(
        f"summarizer desk on http://{host}:{port}/ ({data}); ready in"
        f" {time.perf_counter() - started:.2f} s\n"
    )
    server.run()


def is_loopback(host: str) -> bool:
    """Whether ``host`` is this machine only (the desk is open there without a token)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _add_user(users_file: Path | None, name: str) -> None:
    if users_file is None:
        raise ConfigError("--add-user needs --users-file")
    if sys.stdin.isatty():
        password = getpass.getpass(f"password for {name}: ")
        if getpass.getpass("again: ") != password:
            raise ConfigError("the two passwords differ")
    else:
        password = sys.stdin.readline().rstrip("\n")
    add_user(users_file, name, password)
    sys.stderr.write(f"summarizer: {name} can sign in to the desk ({users_file})\n")


def _token(path: Path | None) -> str | None:
    if path is None:
        return None
    try:
        token = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the token ({exc})") from None
    if len(token) < _MIN_TOKEN:
        raise ConfigError(f"{path}: a token needs {_MIN_TOKEN} characters or more")
    return token


def main() -> None:
    """``summarizer serve`` on its own (``entry.py``): the same command as in the full
    command line, without importing the rest of it."""
    alone = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
    alone.command(name="serve")(serve)
    run_app(alone, sys.argv[2:], prog_name="summarizer serve")
