"""Verification codes printed on generated documents (docs/verification.md)."""

from dataclasses import asdict
from typing import Any

from pipeline.register.core import SqlCore
from pipeline.register.records import Code
from pipeline.register.rows import record


class CodeIntents(SqlCore):
    def add_code(self, code: Code) -> Code:
        self._insert("kode", asdict(code), numbered="urut")
        return code

    def code(self, kode: str) -> Code | None:
        row = self._first("SELECT * FROM kode WHERE kode = ?", kode)
        return record(Code, row) if row else None

    def codes(self, kasus: str | None = None, folder: str | None = None) -> list[Code]:
        sql = "SELECT * FROM kode WHERE 1 = 1"
        params: list[Any] = []
        for column, value in (("kasus", kasus), ("folder", folder)):
            if value is not None:
                sql += f" AND {column} = ?"
                params.append(value)
        return [record(Code, r) for r in self._rows(sql + " ORDER BY dibuat, kode", *params)]

    def newer_code(self, code: Code) -> bool:
        """True when a later document of the same case and kind was filed after ``code``'s."""
        return bool(
            self._rows(
                "SELECT 1 AS x FROM kode WHERE kasus = ? AND jenis = ? AND urut > "
                "(SELECT urut FROM kode WHERE kode = ?)",
                code.kasus,
                code.jenis,
                code.kode,
            )
        )
