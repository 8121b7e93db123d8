"""Kept inputs: registration data and actions, archived and kept until their step applies them."""

from collections.abc import Iterator
from dataclasses import asdict
from typing import Any

from pipeline.register.core import SqlCore
from pipeline.register.records import KeptInput
from pipeline.register.rows import record
from pipeline.register.shown import FORGET
from pipeline.states import Hasil, InputStatus


class InputIntents(SqlCore):
    def keep_input(self, item: KeptInput) -> int:
        """Store a kept input; returns its id."""
        values = asdict(item)
        values.pop("id")
        return self._insert("inputs", values, numbered="id", returning=True).fetchone()["id"]

    def pending_inputs(self, kasus: str, jenis: str | None = None, langkah: str | None = None) -> list[KeptInput]:
        """Kept inputs of a case still waiting for their step, oldest first."""
        sql = "SELECT * FROM inputs WHERE kasus = ? AND status = ?"
        params: list[Any] = [kasus, InputStatus.WAITING]
        for column, value in (("jenis", jenis), ("langkah", langkah)):
            if value is not None:
                sql += f" AND {column} = ?"
                params.append(value)
        return [record(KeptInput, r) for r in self._rows(sql + " ORDER BY id", *params)]

    def unlinked_inputs(self, rujukan: str, kasus: str) -> int:
        """How many kept inputs name this case but arrived before its memo."""
        rows = self._rows("SELECT COUNT(*) AS n FROM inputs WHERE kasus = '' AND rujukan IN (?, ?)", rujukan, kasus)
        return rows[0]["n"]

    def link_early_inputs(self, kasus: str, rujukan: str) -> int:
        """Inputs kept before their memo arrived now belong to its case; returns how many."""
        rows = self._rows("SELECT id, klaim FROM inputs WHERE kasus = '' AND rujukan IN (?, ?)", rujukan, kasus)
        for row in rows:
            self._update("inputs", {"id": row["id"]}, {"kasus": kasus})
            self._write_unlogged(FORGET, kasus)
            self._update("journal", {"klaim": row["klaim"]}, {"kasus": kasus})
        return len(rows)

    def void_input(self, item: KeptInput, when: str, reason: str) -> None:
        """A kept decision that no longer holds (the case went back, or newer data came)."""
        self._update("inputs", {"id": item.id}, {"status": InputStatus.VOIDED, "diterapkan": when, "catatan": reason})
        self._write_unlogged(FORGET, item.kasus)
        self._update(
            "journal", {"klaim": item.klaim}, {"hasil": Hasil.REFUSED, "kasus": item.kasus, "alasan": [reason]}
        )

    def newest_registration(self, kasus: str, rujukan: str) -> int:
        """The id of the newest registration a case has or is waiting to apply (0 when none)."""
        row = self._rows(
            "SELECT COALESCE(MAX(id), 0) AS n FROM inputs WHERE jenis = 'registrasi' "
            "AND status IN (?, ?) "
            "AND (kasus = ? OR (kasus = '' AND rujukan IN (?, ?)))",
            InputStatus.WAITING,
            InputStatus.APPLIED,
            kasus,
            kasus,
            rujukan,
        )
        return row[0]["n"]

    def apply_input(
        self, item: KeptInput, when: str, superseded_by: str | None = None, data: dict[str, Any] | None = None
    ) -> None:
        """Mark a kept input applied (or superseded, with the note why) and its file accepted."""
        values: dict[str, Any] = {
            "status": InputStatus.SUPERSEDED if superseded_by else InputStatus.APPLIED,
            "diterapkan": when,
        }
        if data is not None:
            values["data"] = data
        self._update("inputs", {"id": item.id}, values)
        self._write_unlogged(FORGET, item.kasus)
        self._update(
            "journal",
            {"klaim": item.klaim},
            {"hasil": Hasil.ACCEPTED, "kasus": item.kasus, "alasan": [superseded_by] if superseded_by else []},
        )

    def registration(self, kasus: str) -> KeptInput | None:
        """The registration data the case now works with (the newest applied)."""
        row = self._first(
            "SELECT * FROM inputs WHERE kasus = ? AND jenis = 'registrasi' AND status = ? ORDER BY id DESC",
            kasus,
            InputStatus.APPLIED,
        )
        return record(KeptInput, row) if row else None

    def decisions(self, langkah: str) -> Iterator[KeptInput]:
        """Applied actions of ``langkah`` (every ``tolak``, for the performance report), oldest first, streamed."""
        sql = "SELECT * FROM inputs WHERE jenis = 'tindakan' AND langkah = ? AND status = ? ORDER BY id"
        return self._stream(KeptInput, sql, langkah, InputStatus.APPLIED)

    def inputs(self) -> list[KeptInput]:
        return [record(KeptInput, r) for r in self._rows("SELECT * FROM inputs ORDER BY id")]
