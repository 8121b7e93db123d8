"""The journal: what became of each file taken from the inbox."""

from collections.abc import Iterator
from dataclasses import asdict

from pipeline.register.core import SqlCore
from pipeline.register.records import JournalEntry
from pipeline.register.rows import record
from pipeline.states import Hasil


class JournalIntents(SqlCore):
    def add_journal(self, entry: JournalEntry) -> JournalEntry:
        """Record what became of one claimed file; return the entry."""
        self._insert("journal", asdict(entry), numbered="id")
        return entry

    def journal_of_claim(self, klaim: str) -> list[JournalEntry]:
        """Journal entries already written for a claim (a crash may have come after them)."""
        rows = self._rows("SELECT * FROM journal WHERE klaim = ? ORDER BY id", klaim)
        return [record(JournalEntry, r) for r in rows]

    def accepted_file(self, sha256: str) -> JournalEntry | None:
        """The journal entry that accepted a file with this content, if any."""
        row = self._first("SELECT * FROM journal WHERE sha256 = ? AND hasil = ? ORDER BY id", sha256, Hasil.ACCEPTED)
        return record(JournalEntry, row) if row else None

    def decided_file(self, sha256: str) -> JournalEntry | None:
        """The newest journal entry that decided a file with this content (not one put back to retry)."""
        row = self._first("SELECT * FROM journal WHERE sha256 = ? AND lokasi <> 'inbox' ORDER BY id DESC", sha256)
        return record(JournalEntry, row) if row else None

    def last_journal(self, sha256: str) -> JournalEntry | None:
        """The newest journal entry of a file with this content, if any."""
        row = self._first("SELECT * FROM journal WHERE sha256 = ? ORDER BY id DESC", sha256)
        return record(JournalEntry, row) if row else None

    def journal(self) -> Iterator[JournalEntry]:
        return self._stream(JournalEntry, "SELECT * FROM journal ORDER BY id")
