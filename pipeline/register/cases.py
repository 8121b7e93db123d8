"""Cases: opened with their first steps, found, listed, and read in full for ``status``."""

from collections.abc import Iterator
from dataclasses import asdict

from pipeline.errors import RegisterError
from pipeline.register.records import Case, KeptInput, StepRecord
from pipeline.register.rows import grouped, record
from pipeline.register.shown import FORGET
from pipeline.register.steps import StepIntents
from pipeline.states import CaseStatus, InputStatus


class CaseIntents(StepIntents):
    def open_case(self, case: Case, steps: list[StepRecord] | tuple[StepRecord, ...]) -> Case:
        """A new case with its first step records."""
        self._insert("cases", asdict(case))
        for step in steps:
            self.save_step(step)
        return case

    def case(self, kasus: str) -> Case | None:
        row = self._first("SELECT * FROM cases WHERE id = ?", kasus)
        return record(Case, row) if row else None

    def existing_case(self, kasus: str) -> Case:
        """The case ``kasus``, which the caller holds from the register (RegisterError when it is gone)."""
        found = self.case(kasus)
        if found is None:
            raise RegisterError(f"Kasus {kasus} tidak ada di register.")
        return found

    def find_cases(self, ident: str) -> list[Case]:
        """Cases whose id or incoming memo nomor is ``ident``, oldest first."""
        rows = self._rows("SELECT * FROM cases WHERE id = ? OR rujukan = ? ORDER BY id", ident, ident)
        return [record(Case, r) for r in rows]

    def cases(self) -> Iterator[Case]:
        return self._stream(Case, "SELECT * FROM cases ORDER BY id")

    def finished_cases(self, limit: int) -> list[Case]:
        """The ``limit`` newest finished cases, newest first (the status site's index)."""
        rows = self._rows(f"SELECT * FROM cases WHERE status = ? ORDER BY id DESC LIMIT {int(limit)}", CaseStatus.DONE)
        return [record(Case, r) for r in rows]

    def open_cases(self) -> list[Case]:
        rows = self._rows("SELECT * FROM cases WHERE status <> ? ORDER BY id", CaseStatus.DONE)
        return [record(Case, r) for r in rows]

    def open_case_heads(self) -> list[tuple[str, str, str, str]]:
        """(id, status, unit, rujukan) of every unfinished case, in ``open_cases``' order, as plain
        tuples: what the status site checks the rows it kept against (no record per case)."""
        sql = "SELECT id, status, unit, rujukan FROM cases WHERE status <> ? ORDER BY id"
        return [tuple(row) for row in self._execute_plain(self._sql(sql), (CaseStatus.DONE,)).fetchall()]

    def set_case_status(self, kasus: str, status: CaseStatus | str) -> None:
        self._update("cases", {"id": kasus}, {"status": status})
        self._write_unlogged(FORGET, kasus)

    def changed_cases(self, after: int) -> tuple[set[str], int]:
        """(cases with an event newer than event id ``after``, the newest event id they were read up
        to). The newest id is read first, so an event committed meanwhile (another host) is seen
        next time rather than passed over: the status site keeps the rows of the other cases."""
        row = self._first("SELECT id FROM events ORDER BY id DESC")
        newest = row["id"] if row else 0
        rows = self._rows("SELECT DISTINCT kasus FROM events WHERE id > ? AND id <= ? AND kasus <> ''", after, newest)
        return {r["kasus"] for r in rows}, newest

    def years_changed(self, after: int) -> tuple[set[int], int]:
        """(the years of the agenda entries of cases with an event newer than event id ``after``, the
        newest event id they were read up to): the years whose books a change touched. The newest id
        is read first, so an event committed meanwhile is seen next time rather than passed over."""
        row = self._first("SELECT id FROM events ORDER BY id DESC")
        newest = row["id"] if row else 0
        rows = self._rows(
            "SELECT DISTINCT tahun FROM agenda WHERE kasus IN (SELECT kasus FROM events "
            "WHERE id > ? AND id <= ? AND kasus <> '')",
            after,
            newest,
        )
        return {int(r["tahun"]) for r in rows}, newest

    def cases_in_full(self) -> Iterator[tuple[Case, dict[str, StepRecord], KeptInput | None]]:
        """(case, its step records by key, its current registration or None) for every case, streamed:
        three ordered reads merged, not three queries per case (``status`` of 100,000 cases)."""
        steps = grouped(self._stream(StepRecord, "SELECT * FROM steps ORDER BY kasus"), "kasus")
        registrations = grouped(
            self._stream(
                KeptInput,
                "SELECT * FROM inputs WHERE jenis = 'registrasi' AND status = ? "
                "AND kasus IS NOT NULL ORDER BY kasus, id",
                InputStatus.APPLIED,
            ),
            "kasus",
        )
        next_steps, next_data = next(steps, None), next(registrations, None)
        for case in self.cases():
            while next_steps is not None and next_steps[0] < case.id:
                next_steps = next(steps, None)
            while next_data is not None and next_data[0] < case.id:
                next_data = next(registrations, None)
            records: dict[str, StepRecord] = {}
            data = None
            if next_steps is not None and next_steps[0] == case.id:
                records = {step.key: step for step in next_steps[1]}
            if next_data is not None and next_data[0] == case.id:
                data = next_data[1][-1]  # the newest applied, as registration() gives it
            yield case, records, data
