"""The books written into the archive, ``archive/<year>/buku/``, after every change: the
current year's, and an earlier year's whose agenda entries changed (docs/architecture.md,
"The books"). What the books are comes from ``books``, how they are written from ``exports``.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.outputs import exports
from pipeline.outputs.books import BOOKS, gather

if TYPE_CHECKING:
    from pipeline.config import Config
    from pipeline.register.sql import SqlRegister

FOLDER = "buku"
MARKER = ".rantai"  # the chain head the books were written at, how long it took, when
EVENTS = ".peristiwa"  # the newest event id the books took into account (which later changes touch the year)
SLOW_SECONDS, SHARE = 1.0, 20


@dataclass(frozen=True)
class Written:
    """When the year's books were last written: the chain head they show, how long it took, when."""

    head: int
    seconds: float
    at: float  # time.time()
    event: int = 0  # the newest event id the books have taken into account (0: unknown, read all)

    def due(self, head: int, now: float) -> bool:
        """Whether the books should be written again for chain head ``head``.

        Books that take under a second follow every change. Longer ones (a
        year of 100,000 entries takes about a minute) wait until twenty times
        their writing time has passed since the last write: they never take
        more than a twentieth of the pipeline's time, and lag by minutes, not
        by changes (docs/architecture.md, "The books")."""
        if head == self.head:
            return False
        return self.seconds < SLOW_SECONDS or now - self.at >= SHARE * self.seconds


def written(config: Config, year: int) -> Written | None:
    """What ``.rantai`` says of the year's books (None: never written, or unreadable)."""
    folder = config.archive / str(year) / FOLDER
    try:
        head, seconds, at = (folder / MARKER).read_text(encoding="ascii").split()
    except (OSError, ValueError):
        return None
    try:
        event = int((folder / EVENTS).read_text(encoding="ascii"))
    except (OSError, ValueError):
        event = 0  # books written before their events were kept: every event is looked at once
    return Written(int(head), float(seconds), float(at), event)


def book_years(config: Config) -> list[int]:
    """The years whose books are in the archive (``archive/<year>/buku/.rantai``)."""
    return sorted(
        int(p.parent.parent.name) for p in config.archive.glob(f"*/{FOLDER}/{MARKER}") if p.parent.parent.name.isdigit()
    )


def refresh_all(config: Config, register: SqlRegister, year: int, head: int, now: float) -> list[int]:
    """Write again every year's books a change touched, as ``Written.due`` allows: this year's
    (``year``) after any change, an earlier year's when an agenda entry of that year belongs to a
    case with an event since its books were written (a 2026 letter sent or voided in January 2027).
    An earlier year nothing touched only has its marker moved on to ``head``. Returns the years written."""
    done = []
    for past in sorted({year, *book_years(config)}, reverse=True):  # this year's first
        last = written(config, past)
        if last is not None and not last.due(head, now):
            continue
        changed, event = register.years_changed(last.event if last else 0)
        if last is None or past == year or past in changed:
            refresh(config, register, past, head, event)
            done.append(past)
        else:
            _mark(config.archive / str(past) / FOLDER, head, last.seconds, last.at, event)
    return done


def refresh(config: Config, register: SqlRegister, year: int, head: int, event: int = 0) -> list[Path]:
    """Write this year's books into ``archive/<year>/buku/``: one workbook, one CSV per book;
    the agenda books of the year, the SOP registers of every case; then ``.rantai`` with the
    chain head ``head`` they show, how long the writing took and when (``Written.due`` decides
    from it whether the next change writes them again).

    The books are made from the register, never read back: whatever a crash or
    a failure leaves here, the next change writes whole again (the marker is written last).
    """
    from pipeline.outputs import report_views  # the site's and the report's modules, only when books are written

    started = time.monotonic()
    folder = config.archive / str(year) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    books = gather(register, list(BOOKS), year, every_case=True)
    subtitle = f"{config.organisation['name']} \u2014 Tahun {year}"
    kinerja = report_views.year_sheet(config, register, year)  # the "Kinerja SOP" sheet
    files = [exports.write_xlsx(folder / f"buku-agenda-{year}.xlsx", books, subtitle, more=[kinerja])]
    for key, rows in books.items():
        files.append(exports.write_csv(folder / f"{csv_name(key)}-{year}.csv", key, rows))
    for path in files:
        os.chmod(path, 0o444)
    _mark(folder, head, time.monotonic() - started, time.time(), event)
    return files


def _mark(folder: Path, head: int, seconds: float, at: float, event: int) -> None:
    """Write ``.peristiwa`` (the newest event id the books show), then ``.rantai`` (the chain head, how
    long the writing took, when), each through a temporary file."""
    for name, text in ((EVENTS, f"{event}\n"), (MARKER, f"{head} {seconds:.3f} {at:.0f}\n")):
        temp = folder / f".{name}.tmp"
        temp.write_text(text, encoding="ascii")
        os.replace(temp, folder / name)


def csv_name(key: str) -> str:
    """The name (without year and extension) of a book's CSV in the archive."""
    return {
        "masuk": "agenda-surat-masuk",
        "keluar": "agenda-surat-keluar",
        "unit": "daftar-unit-pengguna",
        "ppk": "daftar-ppk",
        "panitia": "daftar-ulp-panitia",
        "paket": "daftar-paket-pagu",
    }[key]


def file_names(year: int) -> set[str]:
    """The names ``refresh`` writes, so ``verify`` knows them."""
    return {f"buku-agenda-{year}.xlsx", MARKER, EVENTS, *(f"{csv_name(key)}-{year}.csv" for key in BOOKS)}
