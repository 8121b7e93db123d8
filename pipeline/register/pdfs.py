"""The register's intents for PDFs owed: a document filed as .docx whose PDF is made later.

``pdf`` is part of the book (logged): a row is written in the transaction
that files the .docx, and completed with the PDF's SHA-256 when the PDF
joins its archive folder. ``pdf_coba`` holds each one's attempts, a cache
outside the chain and the log (written with ``logged=False``), like ``tenang``.
"""

from collections.abc import Iterator
from typing import Any

from pipeline.register.records import AgendaEntry, OwedPdf
from pipeline.register.transactions import Transactions

_OWED = (
    "SELECT p.folder, p.berkas, p.kasus, p.keluaran, p.diminta, coalesce(c.percobaan, 0) AS percobaan, "
    "coalesce(c.berikutnya, '') AS berikutnya, coalesce(c.galat, '') AS galat FROM pdf p "
    "LEFT JOIN pdf_coba c ON c.folder = p.folder AND c.berkas = p.berkas WHERE p.dibuat IS NULL"
)


class PdfIntents(Transactions):
    """Owe a PDF, list those owed, record one made or a failed attempt."""

    def owe_pdf(self, folder: str, berkas: str, kasus: str, keluaran: str, diminta: str) -> None:
        """Inside the filing's transaction: ``folder/berkas`` (.docx) is filed without its PDF."""
        self._write(
            "INSERT INTO pdf (folder, berkas, kasus, keluaran, diminta) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (folder, berkas) DO NOTHING",
            folder,
            berkas,
            kasus,
            keluaran,
            diminta,
        )

    def owed_pdfs(self, kasus: str | None = None) -> list[OwedPdf]:
        """The PDFs still owed (of ``kasus``), oldest first."""
        if kasus is None:
            rows = self._rows(_OWED + " ORDER BY p.diminta, p.folder, p.berkas")
        else:
            rows = self._rows(_OWED + " AND p.kasus = ? ORDER BY p.diminta, p.folder, p.berkas", kasus)
        return [OwedPdf(**dict(r)) for r in rows]

    def pdf_made(self, folder: str, berkas: str, sha256: str, dibuat: str) -> bool:
        """Inside a transaction: the PDF of ``folder/berkas`` is in its folder with this digest.
        Returns False when it was already recorded (another host made it first)."""
        done = self._first("SELECT dibuat FROM pdf WHERE folder = ? AND berkas = ?", folder, berkas)
        if done is None or done["dibuat"] is not None:
            return False
        self._write(
            "UPDATE pdf SET dibuat = ?, sha256 = ? WHERE folder = ? AND berkas = ?", dibuat, sha256, folder, berkas
        )
        return True

    def pdf_tried(self, folder: str, berkas: str, percobaan: int, berikutnya: str, galat: str) -> None:
        """Remember a failed attempt, or forget the attempts (``percobaan`` 0). Unlogged: a cache."""
        with self.transaction(logged=False):
            if percobaan:
                self._write(
                    "INSERT INTO pdf_coba (folder, berkas, percobaan, berikutnya, galat) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (folder, berkas) DO UPDATE SET "
                    "percobaan = excluded.percobaan, berikutnya = excluded.berikutnya, "
                    "galat = excluded.galat",
                    folder,
                    berkas,
                    percobaan,
                    berikutnya,
                    galat,
                )
            else:
                self._write("DELETE FROM pdf_coba WHERE folder = ? AND berkas = ?", folder, berkas)

    def letter_pdf(self, letter: AgendaEntry) -> str | None:
        """The numbered letter's own PDF (relative path): filed with it, or made later; None while owed."""
        own = letter.berkas.get("nota-dinas.pdf")
        if own or not letter.folder:
            return own
        row = self._first(
            "SELECT folder FROM pdf WHERE folder = ? AND berkas = 'nota-dinas.docx' AND dibuat IS NOT NULL",
            letter.folder,
        )
        return f"{letter.folder}/nota-dinas.pdf" if row else None

    def made_pdfs(self, folder: str | None = None) -> Iterator[tuple[str, str, str]]:
        """(folder, PDF name, SHA-256) of every PDF made after its filing (in ``folder``), for verify."""
        sql = "SELECT folder, berkas, sha256 FROM pdf WHERE dibuat IS NOT NULL"
        params: tuple[Any, ...] = ()
        if folder is not None:
            sql, params = sql + " AND folder = ?", (folder,)
        for r in self._rows(sql + " ORDER BY folder, berkas", *params):
            yield r["folder"], r["berkas"].rsplit(".", 1)[0] + ".pdf", r["sha256"]
