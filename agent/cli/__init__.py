"""The `calltriage` command line.

click gives typed options, environment fallbacks and exit code 2 for usage
errors; each command lives in its own module and registers itself here.
"""

from __future__ import annotations

import logging
import sys

from agent.cli import calls, evaluate, mcp, process, queue, worker  # noqa: F401  (registers commands)
from agent.cli.common import main

__all__ = ["main", "run"]


def run() -> None:
    logging.basicConfig(
        level=logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    main(prog_name="calltriage")
