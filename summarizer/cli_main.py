"""Running a Typer app as the console script does: every failure becomes one line on stderr
and the exit code SPEC gives it (0 done, 1 failed, 2 usage, 130 stopped), never a traceback.

Kept apart from ``cli.py`` so that a command that needs none of the model stack (``serve``)
can run without importing it.
"""

from __future__ import annotations

import sys
from typing import NoReturn

import typer

from .briefing.clean import clean_text
from .errors import ConfigError, InputError, SummarizerError

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def fail(message: str, code: int) -> NoReturn:
    # The message may quote a server's body or an input: one line, no terminal escapes.
    sys.stderr.write(f"summarizer: {clean_text(message)}\n")
    sys.exit(code)


def run_app(app: typer.Typer, args: list[str] | None = None, prog_name: str | None = None) -> None:
    """Run ``app`` on ``args`` (the command line's by default), its usage naming
    ``prog_name``."""
    try:
        # click turns a Ctrl-C in a command into a return of 130 instead of raising.
        code = app(args=args, prog_name=prog_name, standalone_mode=False)
        if code == EXIT_INTERRUPTED:
            fail("stopped", EXIT_INTERRUPTED)
        if isinstance(code, int) and code:
            sys.exit(code)
    except typer.TyperException as exc:  # typer's own usage errors (bad flag, bad value)
        fail(exc.format_message(), exc.exit_code)
    except (KeyboardInterrupt, typer.Abort):
        fail("stopped", EXIT_INTERRUPTED)
    except ConfigError as exc:
        fail(str(exc), EXIT_USAGE)
    except (InputError, SummarizerError) as exc:
        fail(str(exc), EXIT_FAILED)
    except OSError as exc:
        fail(f"{exc.filename or 'output'}: {exc.strerror}", EXIT_FAILED)
