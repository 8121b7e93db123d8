"""Finished cases as ``status --json`` shows them, stored: a listing of every case reads a
finished case's line instead of its records (docs/architecture.md, "Speed").

A cache outside the chain and the log, like ``tenang``: each line is stored under the mark
of what it was made with (the config and the code that shows a case), and the intents that
change what a case shows (its steps, its status, its registration) forget its line in the
same transaction (``FORGET``), unlogged. Losing the table costs one more description of each
finished case.
"""

import heapq
from collections.abc import Iterator, Mapping

from pipeline.register.core import SqlCore
from pipeline.register.records import Case
from pipeline.register.rows import record
from pipeline.states import CaseStatus, StepStatus

# The statement the intents that change a case run, unlogged, in their transaction.
FORGET = "DELETE FROM tampilan WHERE kasus = ?"


# Finished cases with no line stored under a mark (the line's mark is read from the row's first
# page; the line itself, a few kilobytes, only where it is listed).
_UNSTORED = "FROM cases c LEFT JOIN tampilan t ON t.kasus = c.id AND t.tanda = ? AND c.status = ? WHERE t.kasus IS NULL"


class ShownCases(SqlCore):
    def unstored(self, tanda: str) -> int:
        """How many cases have no line stored under ``tanda`` (unfinished ones included)."""
        row = self._first(f"SELECT count(*) AS n {_UNSTORED}", tanda, CaseStatus.DONE)
        return int(row["n"]) if row else 0

    def cases_and_lines(self, tanda: str) -> Iterator[tuple[str, Case | None, str]]:
        """(kasus, None, its line) for each case with a line stored under ``tanda``, and (kasus,
        the case, '') for every other, in case order: two ordered reads merged, the stored lines
        read as plain rows."""
        lines = self._stream_plain(
            # read in the order of the lines' index, never sorted: a join on the cases made SQLite
            # sort 300 MB of lines at 100,000 cases (three times the time of reading them)
            "SELECT t.kasus, t.baris FROM tampilan t WHERE t.tanda = ? "
            "AND EXISTS (SELECT 1 FROM cases c WHERE c.id = t.kasus AND c.status = ?) ORDER BY t.kasus",
            tanda,
            CaseStatus.DONE,
        )
        others = self._stream(Case, f"SELECT c.* {_UNSTORED} ORDER BY c.id", tanda, CaseStatus.DONE)
        stored = ((kasus, None, line) for kasus, line in lines)
        described = ((case.id, case, "") for case in others)
        return heapq.merge(stored, described, key=lambda item: item[0])

    def unshown_finished(self, tanda: str, limit: int) -> list[Case]:
        """Up to ``limit`` finished cases with no line stored under ``tanda``, oldest first; not
        those with a PDF owed or a step still running (their lines would not hold: the PDFs are
        made, a running step's minutes count on)."""
        rows = self._rows(
            f"SELECT c.* {_UNSTORED} "
            "AND NOT EXISTS (SELECT 1 FROM pdf p WHERE p.kasus = c.id AND p.dibuat IS NULL) "
            "AND NOT EXISTS (SELECT 1 FROM steps s WHERE s.kasus = c.id AND s.status = ?) "
            "ORDER BY c.id LIMIT ?",
            tanda,
            CaseStatus.DONE,
            StepStatus.RUNNING,
            limit,
        )
        return [record(Case, row) for row in rows]

    def store_shown(self, tanda: str, lines: Mapping[str, str]) -> None:
        """Store each case's line under ``tanda``. Inside ``transaction(logged=False)``."""
        for kasus, baris in lines.items():
            self._write(
                "INSERT INTO tampilan (kasus, tanda, baris) VALUES (?, ?, ?) "
                "ON CONFLICT (kasus) DO UPDATE SET tanda = excluded.tanda, baris = excluded.baris",
                kasus,
                tanda,
                baris,
            )
