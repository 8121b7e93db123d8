"""Case documents: each version filed in the case's dokumen/ folder."""

from dataclasses import asdict

from pipeline.register.core import SqlCore
from pipeline.register.records import Document
from pipeline.register.rows import record


class DocumentIntents(SqlCore):
    def next_version(self, kasus: str, jenis: str) -> int:
        row = self._rows(
            "SELECT COALESCE(MAX(versi), 0) + 1 AS v FROM documents WHERE kasus = ? AND jenis = ?", kasus, jenis
        )[0]
        return row["v"]

    def add_document(self, document: Document) -> Document:
        self._insert("documents", asdict(document), numbered="id")
        return document

    def documents(self, kasus: str | None = None) -> list[Document]:
        if kasus is None:
            rows = self._rows("SELECT * FROM documents ORDER BY id")
        else:
            rows = self._rows("SELECT * FROM documents WHERE kasus = ? ORDER BY id", kasus)
        return [record(Document, r) for r in rows]
