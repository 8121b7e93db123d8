"""The agenda books' numbers: one counter row per (book, year), gapless."""

from pipeline.register.core import SqlCore


class Numbering(SqlCore):
    def peek_number(self, buku: str, tahun: int) -> int:
        """The number ``allocate_number`` would give now (to render before committing)."""
        row = self._first("SELECT terakhir FROM counters WHERE buku = ? AND tahun = ?", buku, tahun)
        return (row["terakhir"] if row else 0) + 1

    def allocate_number(self, buku: str, tahun: int) -> int:
        """The next gapless number of a book and year, from its counter row.

        Call inside the transaction that writes the entry: the counter row
        stays locked until it commits, and a rollback gives the number back.
        """
        self._write(
            "INSERT INTO counters (buku, tahun, terakhir) VALUES (?, ?, 1) "
            "ON CONFLICT (buku, tahun) DO UPDATE SET terakhir = counters.terakhir + 1",
            buku,
            tahun,
        )
        return self._rows("SELECT terakhir FROM counters WHERE buku = ? AND tahun = ?", buku, tahun)[0]["terakhir"]
