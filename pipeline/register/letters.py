"""Outgoing letters in the agenda keluar: found by number or folder, signed, sent, voided."""

from pipeline.register.core import SqlCore
from pipeline.register.keys import letter_key
from pipeline.register.records import AgendaEntry
from pipeline.register.rows import record


class LetterIntents(SqlCore):
    def outgoing(self, kasus: str, void: bool = True) -> AgendaEntry | None:
        """The case's newest numbered letter in the agenda keluar (not a voided one with ``void=False``)."""
        row = self._first(
            "SELECT * FROM agenda WHERE buku = 'keluar' AND kasus = ?"
            + ("" if void else " AND batal = 0")
            + " ORDER BY tahun DESC, nomor_urut DESC",
            kasus,
        )
        return record(AgendaEntry, row) if row else None

    def letter(self, nomor_or_key: str) -> AgendaEntry | None:
        """The agenda keluar entry of an outgoing number (written with slashes, or as in a file name)."""
        row = self._first("SELECT * FROM agenda WHERE kunci = ? AND buku = 'keluar'", letter_key(nomor_or_key))
        return record(AgendaEntry, row) if row else None

    def letter_in(self, folder: str) -> AgendaEntry | None:
        """The agenda keluar entry that files ``folder`` (or holds it), if any."""
        row = self._first(
            "SELECT * FROM agenda WHERE buku = 'keluar' AND (folder = ? OR ? LIKE folder || '/%')", folder, folder
        )
        return record(AgendaEntry, row) if row else None

    def voided_letters(self) -> list[AgendaEntry]:
        """Letters voided in the agenda keluar, oldest first."""
        return [
            record(AgendaEntry, r)
            for r in self._rows("SELECT * FROM agenda WHERE buku = 'keluar' AND batal = 1 ORDER BY tahun, nomor_urut")
        ]

    def void_letter(self, entry: AgendaEntry, alasan: str, oleh: str, waktu: str) -> None:
        """Void an outgoing number: it stays in the book, never reused, with why, who and when."""
        self._update(
            "agenda",
            {"buku": "keluar", "tahun": entry.tahun, "nomor_urut": entry.nomor_urut},
            {"batal": True, "alasan_batal": alasan, "batal_oleh": oleh, "batal_waktu": waktu},
        )

    def record_signed(self, entry: AgendaEntry, waktu: str, oleh: str) -> None:
        self._update(
            "agenda",
            {"buku": "keluar", "tahun": entry.tahun, "nomor_urut": entry.nomor_urut},
            {"ditandatangani": waktu, "ditandatangani_oleh": oleh},
        )

    def record_sent(self, kasus: str, dikirim: str, keterangan: str) -> None:
        """The case's letter (the one not void) was sent."""
        self._write(
            "UPDATE agenda SET dikirim = ?, keterangan = ? WHERE buku = 'keluar' AND kasus = ? AND batal = 0",
            dikirim,
            keterangan,
            kasus,
        )
