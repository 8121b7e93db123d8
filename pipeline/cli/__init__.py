"""Command line: the only place that prints and exits (docs/cli.md).

Thin by design: each module parses one group of commands, calls the library
(``engine.open_workspace`` and the stage modules), prints and sets the exit
code. ``group`` holds the ``pipeline`` group and its error handling,
``console`` what the commands print with; importing this package adds every
command to the group.
"""

from pipeline.cli import admin, books, cases, inbox, laporan  # noqa: F401 - each adds its commands to ``main``
from pipeline.cli.group import main

__all__ = ["main"]
