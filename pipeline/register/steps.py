"""Step records: how far each step of a case got, by key."""

from collections.abc import Iterable, Iterator
from dataclasses import asdict
from typing import Any

from pipeline.register.core import SqlCore
from pipeline.register.records import StepRecord
from pipeline.register.rows import grouped, record
from pipeline.register.shown import FORGET
from pipeline.states import CaseStatus, StepStatus


class StepIntents(SqlCore):
    def steps(self, kasus: str) -> dict[str, StepRecord]:
        """The case's step records by key."""
        rows = self._rows("SELECT * FROM steps WHERE kasus = ?", kasus)
        return {row["key"]: record(StepRecord, row) for row in rows}

    def open_case_steps(self) -> Iterator[tuple[str, list[StepRecord]]]:
        """(case id, its step records) of every unfinished case that has any, in case id order:
        one ordered read, not one query per case (the officials' notices after each pass)."""
        return grouped(
            self._stream(
                StepRecord,
                "SELECT * FROM steps WHERE kasus IN (SELECT id FROM cases WHERE status <> ?) ORDER BY kasus",
                CaseStatus.DONE,
            ),
            "kasus",
        )

    def save_step(self, step: StepRecord) -> None:
        """Write a step record, replacing the one of the same case and key."""
        self._write("DELETE FROM steps WHERE kasus = ? AND key = ?", step.kasus, step.key)
        self._insert("steps", asdict(step))
        self._write_unlogged(FORGET, step.kasus)

    def start_step(self, kasus: str, key: str, mulai: str, catatan: str = "") -> None:
        """The case has reached this step."""
        self.save_step(StepRecord(kasus, key, StepStatus.RUNNING, mulai, catatan=catatan))

    def complete_step(
        self,
        kasus: str,
        key: str,
        selesai: str,
        oleh: str,
        dokumen: Iterable[str] = (),
        catatan: str = "",
        temuan: Iterable[Any] | None = None,
        masukan: int | None = None,
    ) -> None:
        """Mark a step done; documents add to those it already has."""
        current = self.steps(kasus).get(key) or StepRecord(kasus, key, StepStatus.RUNNING, selesai)
        self.save_step(
            StepRecord(
                kasus,
                key,
                StepStatus.DONE,
                current.mulai or selesai,
                selesai,
                oleh,
                tuple(current.dokumen) + tuple(dokumen),
                catatan,
                tuple(temuan if temuan is not None else current.temuan),
                masukan if masukan is not None else current.masukan,
            )
        )

    def note_step(self, kasus: str, key: str, **changes: Any) -> None:
        """Change some fields of a step that stays open (held, or documents prepared)."""
        current = self.steps(kasus).get(key) or StepRecord(kasus, key)
        values = {**asdict(current), **changes}
        values["dokumen"], values["temuan"] = tuple(values["dokumen"]), tuple(values["temuan"])
        self.save_step(StepRecord(**values))

    def reset_steps(self, kasus: str, keys: Iterable[str]) -> None:
        """Send steps back to waiting, forgetting what they did (a new round of data)."""
        for key in keys:
            self.save_step(StepRecord(kasus, key))
