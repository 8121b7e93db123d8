"""The agenda books (surat masuk and surat keluar): entries written, memos found again, listings."""

from collections.abc import Iterator
from dataclasses import asdict, replace
from typing import Any, overload

import orjson

from pipeline.register.core import SqlCore
from pipeline.register.keys import letter_key, memo_key
from pipeline.register.records import AgendaEntry
from pipeline.register.rows import record


class AgendaIntents(SqlCore):
    def add_agenda_entry(self, entry: AgendaEntry) -> AgendaEntry:
        key = memo_key(entry.nomor_surat, entry.dari) if entry.buku == "masuk" else letter_key(entry.nomor_surat)
        entry = replace(entry, kunci=key)
        self._insert("agenda", asdict(entry))
        return entry

    def memo_known(self, nomor_surat: str, dari: str) -> AgendaEntry | None:
        """The agenda masuk entry of this memo, however its nomor and sender were typed."""
        row = self._first("SELECT * FROM agenda WHERE kunci = ? AND buku = 'masuk'", memo_key(nomor_surat, dari))
        return record(AgendaEntry, row) if row else None

    def incoming(self, kasus: str) -> AgendaEntry | None:
        """The agenda masuk entry that opened a case."""
        row = self._first("SELECT * FROM agenda WHERE buku = 'masuk' AND kasus = ?", kasus)
        return record(AgendaEntry, row) if row else None

    @overload
    def incoming_signatures(self, kasus: str) -> tuple[Any, ...]: ...
    @overload
    def incoming_signatures(self, kasus: None = None) -> dict[str, tuple[Any, ...]]: ...
    def incoming_signatures(self, kasus: str | None = None) -> tuple[Any, ...] | dict[str, tuple[Any, ...]]:
        """The electronic signatures recorded with the memo that opened ``kasus`` (a tuple, empty when
        unsigned); without ``kasus``, {kasus: signatures} of every signed memo (``status --all``)."""
        if kasus is not None:
            row = self._first("SELECT tte_masuk FROM agenda WHERE buku = 'masuk' AND kasus = ?", kasus)
            return tuple(orjson.loads(row["tte_masuk"])) if row else ()
        rows = self._rows("SELECT kasus, tte_masuk FROM agenda WHERE buku = 'masuk' AND tte_masuk <> '[]'")
        return {r["kasus"]: tuple(orjson.loads(r["tte_masuk"])) for r in rows}

    def counts(self) -> dict[str, int]:
        """How many entries each agenda book holds, and how many cases."""
        found = {"masuk": 0, "keluar": 0}
        found.update({r["buku"]: r["n"] for r in self._rows("SELECT buku, COUNT(*) AS n FROM agenda GROUP BY buku")})
        found["kasus"] = self._rows("SELECT COUNT(*) AS n FROM cases")[0]["n"]
        return found

    def agenda(self, buku: str | None = None, tahun: int | None = None) -> Iterator[AgendaEntry]:
        sql = "SELECT * FROM agenda WHERE 1 = 1"
        params: list[Any] = []
        for column, value in (("buku", buku), ("tahun", tahun)):
            if value:
                sql += f" AND {column} = ?"
                params.append(value)
        return self._stream(AgendaEntry, sql + " ORDER BY buku DESC, tahun, nomor_urut", *params)

    def agenda_newest_first(self, buku: str, tahun: int) -> Iterator[AgendaEntry]:
        """A year's book from its newest entry back (the day's agenda reads only its end)."""
        return self._stream(
            AgendaEntry, "SELECT * FROM agenda WHERE buku = ? AND tahun = ? ORDER BY nomor_urut DESC", buku, tahun
        )

    def agenda_with_codes(self, buku: str, tahun: int | None = None) -> Iterator[tuple[AgendaEntry, str | None]]:
        """(entry, the first verification code filed in its folder) for ``register --json``, streamed."""
        sql = (
            "SELECT a.*, (SELECT k.kode FROM kode k WHERE k.folder = a.folder ORDER BY k.dibuat, k.kode "
            "LIMIT 1) AS kode_dokumen FROM agenda a WHERE buku = ?"
        )
        params: list[Any] = [buku]
        if tahun:
            sql += " AND tahun = ?"
            params.append(tahun)
        yield from self._stream_with(AgendaEntry, ("kode_dokumen",), sql + " ORDER BY tahun, nomor_urut", *params)

    def agenda_numbers(self) -> list[tuple[str, int, int]]:
        """Every (buku, tahun, nomor_urut) in the books, in order (a copy of the register is proved by them)."""
        rows = self._rows("SELECT buku, tahun, nomor_urut FROM agenda ORDER BY buku, tahun, nomor_urut")
        return [(r["buku"], r["tahun"], r["nomor_urut"]) for r in rows]
