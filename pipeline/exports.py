"""The agenda books as staff know them, for the screen, CSV, Excel and JSON."""

import csv
import json
import os
import uuid

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .render import tanggal

COLUMNS = {
    "masuk": ["No", "Tanggal Terima", "Nomor Agenda", "Pengirim", "Tanggal dan Nomor Surat",
              "Isi Ringkasan", "Keterangan"],
    "keluar": ["No", "Nomor Surat", "Tanggal Surat", "Tanggal Kirim", "Kepada", "Isi Ringkasan",
               "Keterangan"],
}
TITLES = {"masuk": "AGENDA SURAT MASUK", "keluar": "AGENDA SURAT KELUAR"}
# A cell starting with one of these is a formula to Excel; text from a memo is never one.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _is_formula_like(value):
    return isinstance(value, str) and value.startswith(FORMULA_START)


def csv_cell(value):
    """A CSV cell Excel shows as the text it is (OWASP's advice: a leading apostrophe)."""
    return "'" + value if _is_formula_like(value) else value


def _atomic(path, write):
    """Write through a temporary file beside ``path``, so no one sees half a file."""
    temp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        write(temp)
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def book_rows(buku, entries):
    """Rows of one book in the printed column order."""
    table = []
    for entry in entries:
        note = entry.keterangan
        if entry.batal:
            note = (f"BATAL: {entry.alasan_batal} (oleh {entry.batal_oleh}, {tanggal(entry.batal_waktu)}). "
                    + note).strip()
        note = (note + f" Kasus {entry.kasus}.").strip() if entry.kasus else note
        if buku == "masuk":
            table.append([entry.nomor_urut, tanggal(entry.diterima), entry.nomor_agenda, entry.dari,
                          f"{tanggal(entry.tanggal_surat)}, {entry.nomor_surat}", entry.hal, note])
        else:
            table.append([entry.nomor_urut, entry.nomor_surat, tanggal(entry.tanggal_surat),
                          tanggal(entry.dikirim), entry.kepada, entry.hal, note])
    return table


def json_lines(entries):
    """``register --json``: one object per line with the keys of docs/cli.md."""
    for entry in entries:
        item = {
            "buku": entry.buku, "tahun": entry.tahun, "nomor_urut": entry.nomor_urut,
            "nomor_agenda": entry.nomor_agenda, "nomor_surat": entry.nomor_surat,
            "tanggal_surat": entry.tanggal_surat, "hal": entry.hal, "sifat": entry.sifat,
            "kasus": entry.kasus, "berkas": entry.berkas, "sha256": entry.sha256,
            "diterima": entry.diterima, "dikirim": entry.dikirim, "batal": entry.batal,
        }
        if entry.buku == "masuk":
            item["dari"] = entry.dari
        else:
            item.update(kepada=entry.kepada, alasan_batal=entry.alasan_batal or None,
                        batal_oleh=entry.batal_oleh or None, batal_waktu=entry.batal_waktu,
                        ditandatangani=entry.ditandatangani, ditandatangani_oleh=entry.ditandatangani_oleh or None)
        yield json.dumps(item, ensure_ascii=False)


def write_csv(path, buku, rows):
    """CSV that Excel in an Indonesian locale opens correctly: UTF-8 with BOM, ';'."""
    def write(temp):
        with open(temp, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, delimiter=";")
            writer.writerow(COLUMNS[buku])
            writer.writerows([csv_cell(value) for value in row] for row in book_rows(buku, rows))
    _atomic(path, write)


def write_xlsx(path, books):
    """One sheet per book, with a title row, bold headers and sensible widths."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for buku, rows in books.items():
        sheet = workbook.create_sheet(f"Agenda {buku.capitalize()}")
        sheet.append([TITLES[buku]])
        sheet["A1"].font = Font(bold=True, size=12)
        sheet.append(COLUMNS[buku])
        for cell in sheet[2]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        for values in book_rows(buku, rows):
            sheet.append(values)
            for cell in sheet[sheet.max_row]:
                if _is_formula_like(cell.value):
                    cell.data_type = "s"  # text, never a formula
                    cell.quotePrefix = True
        for index, width in enumerate((6, 18, 18, 40, 34, 50, 28), start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A3"
    _atomic(path, lambda temp: workbook.save(temp))
