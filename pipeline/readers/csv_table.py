"""Read registration data saved from Excel as CSV.

Excel in an Indonesian locale saves with ``;`` (the comma is the decimal
separator), in UTF-8 with or without BOM or in Windows-1252, with CRLF line
ends. The separator is told from the header line and the encoding by trying
UTF-8 first, so staff never have to choose.
"""

import csv
import io
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.errors import InputRefused
from pipeline.models import Parsed
from pipeline.readers.yaml_doc import decode

if TYPE_CHECKING:
    from pipeline.config import Limits

SECTIONS = ("ppk", "panitia", "paket")


def _delimiter(header_line: str) -> str:
    return ";" if header_line.count(";") > header_line.count(",") else ","


def _rows(text: str, limits: "Limits") -> list[tuple[int, dict[str, str]]]:
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise InputRefused("Berkas CSV kosong atau baris judulnya tidak ada.", kind="registrasi")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(lines[0]))
    header = [" ".join(name.split()).lower().replace(" ", "_") for name in next(reader)]
    if "jenis" not in header:
        raise InputRefused(
            "Berkas CSV tidak memiliki kolom \u201cjenis\u201d (ppk, panitia atau paket). "
            "Tambahkan kolom tersebut pada baris judul lalu simpan ulang.",
            kind="registrasi",
        )
    rows: list[tuple[int, dict[str, str]]] = []
    for number, values in enumerate(reader, start=2):
        if not any(value.strip() for value in values):
            continue
        if len(rows) >= limits.max_csv_rows:
            raise InputRefused(
                f"Berkas CSV berisi lebih dari {limits.max_csv_rows} baris data. Bagi datanya menjadi beberapa berkas.",
                kind="registrasi",
            )
        rows.append((number, dict(zip(header, (value.strip() for value in values)))))
    return rows


def read_table(path: Path, limits: "Limits") -> list[dict[str, str]]:
    """Rows of any CSV (reference data) as dicts with lower-case headers."""
    text = decode(path.read_bytes())
    lines = text.splitlines()
    if not lines:
        return []
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=_delimiter(lines[0]))
    rows: list[dict[str, str]] = []
    for row in reader:
        if len(rows) >= limits.max_csv_rows:
            break
        rows.append({" ".join((k or "").split()).lower(): (v or "").strip() for k, v in row.items()})
    return rows


def read(path: Path, limits: "Limits") -> Parsed:
    """Return registration fields (rujukan, ppk, panitia, paket) from a CSV."""
    try:
        rows = _rows(decode(path.read_bytes()), limits)
    except csv.Error:
        raise InputRefused(
            "Berkas CSV tidak dapat dibaca (tanda kutip tidak berpasangan atau sel terlalu "
            "panjang). Buka di Excel, simpan ulang sebagai CSV, lalu letakkan kembali di inbox.",
            kind="registrasi",
        ) from None
    return Parsed(kind="registrasi", fmt="csv", fields=registration_fields(rows))


def registration_fields(
    rows: Iterable[tuple[Any, dict[str, Any]]],
    where: str = "Baris {}",
    single: str = "Satu berkas CSV hanya untuk satu Nota Dinas.",
) -> dict[str, Any]:
    """Registration fields from (row label, {column: text}) rows that each name their section in
    ``jenis``: the CSV's rows and a workbook's (readers/xlsx_table.py). Refused with every
    problem at once."""
    fields: dict[str, Any] = {"jenis": "registrasi", "ppk": [], "panitia": [], "paket": []}
    references: set[str] = set()
    problems: list[str] = []
    for number, row in rows:
        section = row.pop("jenis", "").lower()
        if section not in SECTIONS:
            problems.append(
                f"{where.format(number)}: kolom jenis berisi \u201c{section}\u201d; "
                "isinya harus ppk, panitia atau paket."
            )
            continue
        references.add(row.pop("rujukan", ""))
        for key in ("unit", "tahun_anggaran"):
            if row.get(key):
                fields.setdefault(key, row[key])
        if section == "paket" and "nama_paket" in row:
            row["nama"] = row.pop("nama_paket")
        record = {key: value for key, value in row.items() if value != ""}
        record["_baris"] = number
        fields[section].append(record)
    references.discard("")
    if len(references) > 1:
        problems.append("Kolom rujukan berisi lebih dari satu nomor: " + ", ".join(sorted(references)) + ". " + single)
    if problems:
        raise InputRefused(problems, kind="registrasi")
    if references:
        fields["rujukan"] = references.pop()
    return fields
