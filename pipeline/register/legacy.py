"""Reading the step records of release 0.1, which stored a step by its position.

Migration 3 re-keys them. The position meant the step table the workspace
had then; the table config.yaml holds now is used only when the register's
own documents agree with it (each document was made by the step its
position names), else the table release 0.1 shipped, under the same test.
"""

from collections.abc import Sequence
from sqlite3 import Connection

from pipeline.errors import RegisterError

# The table release 0.1 shipped: (key, handler) by position.
SHIPPED = (
    (1, "nota_dinas_masuk", None),
    (2, "agenda_masuk", "agenda_masuk"),
    (3, "disposisi_kapus", "disposisi"),
    (4, "disposisi_kabid", "disposisi"),
    (5, "input_data", "input_data"),
    (6, "verifikasi", "verifikasi"),
    (7, "otentikasi", "otentikasi"),
    (8, "laporan_kesiapan", "laporan_kesiapan"),
    (9, "periksa", "periksa"),
    (10, "setujui", "setujui"),
    (11, "kirim", "kirim"),
)
# Which handlers made each kind of case document in release 0.1.
MADE_BY = {
    "lembar_disposisi": {"disposisi"},
    "daftar_data": {"input_data"},
    "daftar_verifikasi": {"verifikasi"},
    "daftar_otentifikasi": {"otentikasi"},
    "laporan_kesiapan": {"laporan_kesiapan"},
    "konsep_nota_dinas": {"verifikasi", "otentikasi", "periksa", "setujui"},
}


def _fits(db: Connection, table: Sequence[tuple[int, str, str | None]]) -> bool:
    by_number = {number: handler for number, _, handler in table}
    counts = db.execute("SELECT MAX(no) AS n FROM steps GROUP BY kasus").fetchall()
    if any(row["n"] != len(table) for row in counts):
        return False
    made = db.execute("SELECT DISTINCT langkah, jenis FROM documents").fetchall()
    return all(
        by_number.get(row["langkah"]) in MADE_BY.get(row["jenis"], {by_number.get(row["langkah"])}) for row in made
    )


def step_keys(db: Connection, current: Sequence[tuple[int, str, str | None]] | None) -> dict[int, str]:
    """number -> key for the step rows of a 0.1 register; raises RegisterError when nothing fits."""
    if not db.execute("SELECT 1 FROM steps LIMIT 1").fetchall():
        return {}
    for table in (tuple(current or ()), SHIPPED):
        if table and _fits(db, table):
            return {number: key for number, key, _ in table}
    raise RegisterError(
        "Register dari rilis 0.1 tidak dapat dipindahkan ke bentuk baru: langkah yang tercatat tidak "
        "cocok dengan tabel sop.steps di config.yaml maupun tabel bawaan rilis 0.1. Kembalikan tabel "
        "sop.steps seperti saat register itu dibuat, jalankan pipeline sekali, lalu ubah tabelnya."
    )
