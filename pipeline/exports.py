"""The agenda books as staff know them, for the screen, CSV, Excel and JSON."""

import csv
import json

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


def book_rows(buku, rows):
    """Rows of one book in the printed column order."""
    table = []
    for row in rows:
        note = "BATAL. " + row["keterangan"] if row["batal"] else row["keterangan"]
        note = (note + f" Kasus {row['kasus']}.").strip() if row["kasus"] else note
        if buku == "masuk":
            table.append([row["nomor_urut"], tanggal(row["diterima"]), row["nomor_agenda"],
                          row["dari"], f"{tanggal(row['tanggal_surat'])}, {row['nomor_surat']}",
                          row["hal"], note])
        else:
            table.append([row["nomor_urut"], row["nomor_surat"], tanggal(row["tanggal_surat"]),
                          tanggal(row["dikirim"]), row["kepada"], row["hal"], note])
    return table


def json_lines(rows):
    """``register --json``: one object per line with the keys of DESIGN.md section 6."""
    for row in rows:
        item = {
            "buku": row["buku"], "tahun": row["tahun"], "nomor_urut": row["nomor_urut"],
            "nomor_agenda": row["nomor_agenda"], "nomor_surat": row["nomor_surat"],
            "tanggal_surat": row["tanggal_surat"], "hal": row["hal"], "sifat": row["sifat"],
            "kasus": row["kasus"], "berkas": row["berkas"], "sha256": row["sha256"],
            "diterima": row["diterima"], "dikirim": row["dikirim"], "batal": bool(row["batal"]),
        }
        item["dari" if row["buku"] == "masuk" else "kepada"] = row[
            "dari" if row["buku"] == "masuk" else "kepada"]
        yield json.dumps(item, ensure_ascii=False)


def write_csv(path, buku, rows):
    """CSV that Excel in an Indonesian locale opens correctly: UTF-8 with BOM, ';'."""
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(COLUMNS[buku])
        writer.writerows(book_rows(buku, rows))


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
        for index, width in enumerate((6, 18, 18, 40, 34, 50, 28), start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A3"
    workbook.save(path)
