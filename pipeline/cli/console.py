"""What every command prints with: the two consoles, rich markup escaped, JSON Lines in
batches, tables, status words in their colours.

rich is imported on first use: ``pipeline --help`` and the light commands do not load it
(docs/architecture.md, "Speed").
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from pipeline.states import CaseStatus, Hasil

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table as RichTable


class LazyConsole:
    """A rich Console made when first printed to (rich alone takes 40 ms to import)."""

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._console: Console | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.console(), name)

    def console(self) -> Console:
        """The rich Console itself (for what takes one, such as a progress bar)."""
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._options)
        return self._console


# Piped output (logs, make demo) gets room for the tables; a terminal uses its own width.
out = LazyConsole(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 120)
err = LazyConsole(stderr=True, highlight=False, soft_wrap=True)


def escape(text: str) -> str:
    """Text printed as it is, never read as rich markup."""
    from rich.markup import escape as markup_escape

    return markup_escape(text)


def echo_lines(lines: Iterable[str], chunk: int = 1000) -> None:
    """Lines to stdout a thousand at a time (a listing of 100,000 entries, written as it is read).
    Written to the stream as they are: ``click.echo`` would search each chunk for terminal colour
    codes to strip (a third of a 300 MB ``status --json --all``), and JSON lines have none."""
    stream = sys.stdout
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) >= chunk:
            stream.write("\n".join(batch) + "\n")
            batch = []
    if batch:
        stream.write("\n".join(batch) + "\n")
    stream.flush()


def Table(**options: Any) -> RichTable:
    """A rich Table (rich imported on first use)."""
    from rich.table import Table as RichTable

    return RichTable(**options)


_STYLE: dict[str, str] = {
    Hasil.ACCEPTED: "green",
    Hasil.REFUSED: "red",
    Hasil.DUPLICATE: "yellow",
    Hasil.WAITING: "cyan",
    Hasil.IGNORED: "dim",
    CaseStatus.DONE: "green",
    CaseStatus.RUNNING: "cyan",
    CaseStatus.HELD: "red",
}


def styled(word: str) -> str:
    """A status word in its colour (plain when it has none)."""
    style = _STYLE.get(word)
    return f"[{style}]{escape(word)}[/{style}]" if style else escape(word)
