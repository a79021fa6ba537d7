"""The ``summarizer`` console script: a Ctrl-C while the program still imports is "stopped".

Importing the command line takes a few seconds (the SDK, pydantic models, renderers); an
interrupt then would otherwise end in a traceback. Everything after the import is
``cli.main``'s, which maps every failure to one line and an exit code.
"""

from __future__ import annotations

import sys

EXIT_INTERRUPTED = 130


def main() -> None:
    """Import the command line, then run it; a Ctrl-C during the import exits 130."""
    try:
        if sys.argv[1:2] == ["serve"]:  # the desk needs none of the model stack: start fast
            from .serve.command import main as run
        else:
            from .cli import main as run
    except KeyboardInterrupt:
        sys.stderr.write("summarizer: stopped\n")
        sys.exit(EXIT_INTERRUPTED)
    run()


if __name__ == "__main__":
    main()
