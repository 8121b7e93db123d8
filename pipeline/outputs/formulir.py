"""``pipeline formulir DIR``: the blank registration workbook a ULP fills in
(docs/inputs.md, "Excel").

Its sheets are what ``readers/xlsx_table.py`` reads back: ``umum`` (the memo's
nomor, the unit, the budget year, once), then ``ppk``, ``panitia`` and ``paket``
with the CSV's column names as headers, each header carrying a note that says
what to type. Codes (NIP, telephone, SK and certificate numbers) are text
columns so Excel keeps every digit; ``peran``, ``metode`` and ``sumber_dana``
offer lists. A ``petunjuk`` sheet says how to fill and send it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import ExportError, os_reason
from pipeline.outputs.exports import write_atomically

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from pipeline.config import Config

ROWS = 300  # rows prepared with formats and lists on each sheet
FUNDING = ("APBN", "APBD", "PNBP", "BLU", "Hibah", "Pinjaman Luar Negeri")
ROLES = ("ketua", "sekretaris", "anggota")

# (column, width, text column?, note); a note beginning with "Wajib" marks a required column.
SHEETS = {
    "umum": [
        (
            "rujukan",
            34,
            True,
            "Wajib. Nomor Nota Dinas permohonan, persis seperti tertulis, misalnya 027/301/ULP-BPSDM/XI/2026.",
        ),
        ("unit", 44, False, "Wajib. Nama unit kerja, misalnya Badan Pengembangan Sumber Daya Manusia."),
        ("tahun_anggaran", 16, False, "Wajib. Tahun anggaran paket, misalnya 2027."),
    ],
    "ppk": [
        ("nama", 36, False, "Wajib. Nama lengkap dengan gelar."),
        ("nip", 24, True, "Wajib. NIP 18 digit; spasi boleh. Kolom ini berformat teks agar digit tidak hilang."),
        ("jabatan", 32, False, "Wajib. Jabatan struktural atau fungsional."),
        ("email", 30, False, "Wajib. Alamat email dinas untuk akun SPSE."),
        ("telepon", 18, True, "Nomor telepon atau HP, misalnya 0812-1234-5678."),
        ("no_sk", 30, True, "Wajib. Nomor SK pengangkatan sebagai PPK."),
    ],
    "panitia": [
        ("nama", 36, False, "Wajib. Nama lengkap dengan gelar."),
        ("nip", 24, True, "Wajib. NIP 18 digit; spasi boleh. Kolom ini berformat teks agar digit tidak hilang."),
        ("peran", 14, False, "Wajib. Pilih dari daftar: ketua, sekretaris atau anggota."),
        ("no_sertifikat", 28, True, "Wajib. Nomor sertifikat keahlian pengadaan barang/jasa."),
        ("email", 30, False, "Wajib. Alamat email dinas."),
        ("telepon", 18, True, "Nomor telepon atau HP."),
    ],
    "paket": [
        ("nama_paket", 44, False, "Wajib. Nama paket pengadaan."),
        ("pagu", 22, False, "Wajib. Pagu dalam rupiah tanpa desimal, misalnya 1500000000 atau 1.500.000.000."),
        ("sumber_dana", 20, False, "Wajib. Pilih dari daftar atau ketik sumber dana lain."),
        ("metode", 24, False, "Wajib. Pilih metode pengadaan dari daftar."),
        ("ppk_nip", 24, True, "Wajib. NIP PPK paket ini; harus ada di lembar ppk."),
    ],
}

GUIDE = [
    "Formulir Registrasi Pemanfaatan SPSE",
    "",
    "1. Isi lembar umum satu baris: nomor Nota Dinas permohonan, nama unit kerja dan tahun anggaran.",
    "2. Isi lembar ppk, panitia dan paket, satu orang atau satu paket per baris, mulai baris 2.",
    "3. Arahkan penunjuk ke judul kolom untuk membaca petunjuk pengisiannya.",
    "4. Jangan mengubah nama lembar atau judul kolom; jangan memakai rumus (ketik nilainya).",
    "5. Simpan sebagai Buku Kerja Excel (.xlsx) lalu kirim ke {org} atau letakkan di folder inbox.",
    "",
    "Data diperiksa otomatis. Bila ada yang belum sesuai, Anda menerima penjelasan per baris untuk diperbaiki.",
]


def write(path: Path, config: Config) -> Path:
    """Write the blank workbook to ``path`` (whole, through a temporary file)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"Folder {path.parent} tidak dapat dibuat ({os_reason(exc)}). Pilih folder lain.") from None
    write_atomically(path, lambda temp: _workbook(config).save(temp))
    return path


def _workbook(config: Config) -> Workbook:
    from openpyxl import Workbook

    workbook = Workbook()
    guide = workbook.worksheets[0]  # a new workbook's one sheet, the active one
    guide.title = "petunjuk"
    _guide(guide, config)
    sheets = [workbook.create_sheet(name) for name in SHEETS]
    for sheet in (guide, *sheets):  # printed, each sheet one page wide
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    lists = _lists(
        workbook, {"peran": ROLES, "metode": tuple(sorted(config.rules.method_thresholds)), "sumber_dana": FUNDING}
    )
    for sheet, columns in zip(sheets, SHEETS.values()):
        _columns(sheet, columns)
        for index, (column, *_rest) in enumerate(columns, start=1):
            if column in lists:
                _choices(sheet, index, lists, column, strict=column != "sumber_dana")
    workbook.active = 1
    return workbook


def _guide(sheet: Worksheet, config: Config) -> None:
    from openpyxl.styles import Font

    for row, text in enumerate(GUIDE, start=1):
        cell = sheet.cell(row=row, column=1, value=text.format(org=config.organisation["short_name"]))
        if row == 1:
            cell.font = Font(bold=True, size=13)
    sheet.column_dimensions["A"].width = 110


def _columns(sheet: Worksheet, columns: Sequence[tuple[str, int, bool, str]]) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    required = PatternFill("solid", fgColor="FFF2CC")
    optional = PatternFill("solid", fgColor="E2EFDA")
    for index, (name, width, text, note) in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=name)
        cell.font = Font(bold=True)
        cell.fill = required if note.startswith("Wajib") else optional
        cell.comment = Comment(note, "Pusdatinkomtel", width=260, height=90)
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = width
        if text:
            for row in range(2, ROWS + 2):
                sheet.cell(row=row, column=index).number_format = "@"
    sheet.freeze_panes = "A2"


def _choices(sheet: Worksheet, index: int, lists: dict[str, str], key: str, strict: bool) -> None:
    """A drop-down on the column from a range of the hidden ``daftar`` sheet (a list typed into
    the rule itself may hold only 255 characters)."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    letter = get_column_letter(index)
    listed = DataValidation(
        type="list",
        formula1=lists[key],
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop" if strict else "warning",
        errorTitle="Isian tidak ada dalam daftar",
        error="Pilih salah satu isian dari daftar."
        if strict
        else "Isian ini tidak ada dalam daftar. Lanjutkan bila memang benar.",
    )
    listed.add(f"{letter}2:{letter}{ROWS + 1}")
    sheet.add_data_validation(listed)


def _lists(workbook: Workbook, choices: dict[str, Sequence[str]]) -> dict[str, str]:
    """The hidden sheet of choices; returns {column: its range as a formula}."""
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet("daftar")
    sheet.sheet_state = "hidden"
    ranges: dict[str, str] = {}
    for index, (key, values) in enumerate(choices.items(), start=1):
        letter = get_column_letter(index)
        sheet.cell(row=1, column=index, value=key)
        for row, value in enumerate(values, start=2):
            sheet.cell(row=row, column=index, value=value)
        ranges[key] = f"daftar!${letter}$2:${letter}${len(values) + 1}"
    return ranges
