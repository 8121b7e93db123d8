"""Read registration data from an Excel workbook (.xlsx), as a ULP fills the blank one
``pipeline formulir`` hands out (docs/inputs.md, "Excel").

The columns, limits and checks are the CSV's (``csv_table.registration_fields``):
one sheet per section (named ppk, panitia, paket) or any sheet with a ``jenis``
column; other sheets (the instructions) are passed over. openpyxl reads in
read-only mode after the zip limits are checked and each part it loads, and
each sheet, is measured within the input's reading budget (``cost``), so a huge
or hostile workbook is refused before it is expanded. Data Excel does not show
(a hidden data sheet, hidden rows or columns holding values) and one section on
two sheets are refused, never read silently or merged.

Excel's ways with numbers are undone where they change a value: a NIP or
telephone typed into a number cell is read back as its digits, and refused when
Excel kept only 15 significant digits of it (an 18-digit NIP loses its last
three, and Excel saves it as 1.97106051998031E+17); a formula is refused,
since the register keeps what staff typed.
"""

import datetime as dt
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl.utils import get_column_letter

from pipeline.errors import InputRefused
from pipeline.models import Parsed
from pipeline.readers.cost import Budget, Extent, scan_sheet, scan_xml
from pipeline.readers.csv_table import SECTIONS, registration_fields
from pipeline.readers.safety import check_zip

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

    from pipeline.config import Limits

TEXT_COLUMNS = {"nip", "ppk_nip", "telepon", "no_sk", "no_sertifikat", "rujukan"}
EXCEL_DIGITS = 15  # what Excel keeps of a number
Row = tuple[str, dict[str, str]]  # (row label, {column: text})


def read(path: Path, limits: "Limits") -> Parsed:
    """Return registration fields (rujukan, unit, ppk, panitia, paket) from a workbook."""
    check_zip(path, limits)
    budget = Budget(limits, kind="registrasi")
    from openpyxl import load_workbook

    try:
        _scan_loaded_parts(path, budget)
        workbook = load_workbook(path, read_only=True, data_only=False)
    except InputRefused:
        raise
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a damaged workbook
        raise InputRefused(
            "Buku kerja Excel rusak atau tidak dapat dibaca. Buka di Excel, simpan ulang "
            "sebagai Buku Kerja Excel (.xlsx), lalu letakkan kembali di inbox.",
            kind="registrasi",
        ) from None
    try:
        rows, common, problems = _all_rows(workbook, limits, budget)
    finally:
        workbook.close()
    if problems:
        raise InputRefused(problems, kind="registrasi")
    if not rows:
        raise InputRefused(
            "Buku kerja tidak berisi data registrasi: tidak ada lembar bernama ppk, panitia "
            "atau paket, dan tidak ada lembar dengan kolom \u201cjenis\u201d.",
            kind="registrasi",
        )
    fields = registration_fields(rows, where="Baris {}", single="Satu buku kerja hanya untuk satu Nota Dinas.")
    stated = fields.get("rujukan")
    if common.get("rujukan") and stated and stated != common["rujukan"]:
        raise InputRefused(
            f"Lembar umum menyebut Nota Dinas {common['rujukan']}, tetapi kolom rujukan di lembar "
            f"lain menyebut {stated}. Satu buku kerja hanya untuk satu Nota Dinas.",
            kind="registrasi",
        )
    for key in ("rujukan", "unit", "tahun_anggaran"):
        if common.get(key):
            fields[key] = common[key]
    return Parsed(kind="registrasi", fmt="xlsx", fields=fields)


# Parts openpyxl builds whole when it opens a workbook, even in read-only mode.
_LOADED_PARTS = {
    "xl/workbook.xml": "Daftar lembar buku kerja",
    "xl/sharedStrings.xml": "Daftar teks buku kerja",
    "xl/styles.xml": "Daftar gaya buku kerja",
}


def _scan_loaded_parts(path: Path, budget: Budget) -> None:
    """Stream the parts openpyxl loads whole within the input's budget, before it loads them."""
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        for name, what in _LOADED_PARTS.items():
            if name in names:
                with archive.open(name) as stream:
                    scan_xml(stream, budget, what)


def _all_rows(workbook: "Workbook", limits: "Limits", budget: Budget) -> tuple[list[Row], dict[str, str], list[str]]:
    """(row label, {column: text}) for every data row, the ``umum`` sheet's first row (the
    memo's nomor, the unit, the year) and the problems found. Each sheet is measured first
    (``cost.scan_sheet``) and read no wider than its last column holding a value."""
    rows: list[Row] = []
    problems: list[str] = []
    common: dict[str, str] = {}
    sources: dict[str, list[str]] = {}
    for sheet in workbook.worksheets:
        section = " ".join(sheet.title.split()).lower()
        with sheet._get_source() as stream:  # type: ignore[attr-defined]  # ReadOnlyWorksheet: its XML part
            extent = scan_sheet(stream, budget, sheet.title, limits.max_sheet_cells)
        if not extent.used_columns:
            continue
        sheet.reset_dimensions()  # rows as stored, never the million a claimed A1:XFD1048576 would be
        lines = sheet.iter_rows(max_col=extent.used_columns)
        header = _header(lines)
        if header is None or (section not in SECTIONS and section != "umum" and "jenis" not in header):
            continue
        if _hidden(sheet, extent, problems):
            continue
        if section == "umum":
            _one_source(sources, "umum", sheet.title)
            common = next(_values(sheet, header, lines, problems, budget), ("", {}))[1]
            continue
        for label, values in _values(sheet, header, lines, problems, budget):
            if len(rows) >= limits.max_csv_rows:
                raise InputRefused(
                    f"Buku kerja berisi lebih dari {limits.max_csv_rows} baris data. "
                    "Bagi datanya menjadi beberapa buku kerja.",
                    kind="registrasi",
                )
            if "jenis" not in header:
                values["jenis"] = section
            _one_source(sources, values.get("jenis", "").strip().lower(), sheet.title)
            rows.append((label, values))
    return rows, common, problems + _merged(sources)


def _one_source(sources: dict[str, list[str]], section: str, title: str) -> None:
    """Note that ``section`` has rows on the sheet ``title``."""
    titles = sources.setdefault(section, [])
    if title not in titles:
        titles.append(title)


def _merged(sources: dict[str, list[str]]) -> list[str]:
    """Each section comes from one sheet: two sheets holding one section are refused, not merged."""
    problems: list[str] = []
    for section, titles in sources.items():
        if len(titles) > 1:
            named = " dan ".join("\u201c" + title + "\u201d" for title in titles)
            problems.append(
                f"Lembar {named} sama-sama berisi data {section}. Data satu bagian hanya boleh ada "
                "di satu lembar: gabungkan ke satu lembar atau hapus lembar yang tidak berlaku, "
                "simpan, lalu letakkan kembali di inbox."
            )
    return problems


def _hidden(sheet: Any, extent: Extent, problems: list[str]) -> bool:
    """Note data Excel does not show (a hidden sheet, hidden rows or columns holding values): it is
    never silently read. True when the whole sheet is hidden (its rows are then not read)."""
    title = sheet.title
    if sheet.sheet_state in ("hidden", "veryHidden"):
        how = (
            "disembunyikan sepenuhnya (veryHidden: tidak dapat ditampilkan dari menu Excel)"
            if sheet.sheet_state == "veryHidden"
            else "disembunyikan"
        )
        problems.append(
            f"Lembar \u201c{title}\u201d {how} tetapi berisi data registrasi. Data yang tidak tampak "
            "di Excel tidak dibaca: salin data yang benar ke lembar yang tampak (atau ke buku kerja "
            "baru dari \u201cpipeline formulir\u201d), hapus lembar tersembunyi itu, simpan, lalu "
            "letakkan kembali di inbox."
        )
        return True
    if extent.hidden_rows:
        problems.append(
            f"Baris {_listed(extent.hidden_rows)} lembar \u201c{title}\u201d disembunyikan (atau "
            "tersaring) tetapi berisi data. Data yang tidak tampak di Excel tidak dibaca: tampilkan "
            "semua baris (hapus saringan, lalu Tampilkan Baris), hapus baris yang bukan data, simpan, "
            "lalu letakkan kembali di inbox."
        )
    if extent.hidden_columns:
        letters = _listed([get_column_letter(n) for n in extent.hidden_columns])
        problems.append(
            f"Kolom {letters} lembar \u201c{title}\u201d disembunyikan tetapi berisi data. Data yang "
            "tidak tampak di Excel tidak dibaca: tampilkan kolomnya, hapus isi yang bukan data, "
            "simpan, lalu letakkan kembali di inbox."
        )
    return False


def _listed(items: Iterable[object], shown: int = 10) -> str:
    """``5, 6, 9``, or the first ten of a long list and how many more."""
    texts = [str(item) for item in items]
    more = f" dan {len(texts) - shown} lainnya" if len(texts) > shown else ""
    return ", ".join(texts[:shown]) + more


def _values(
    sheet: Any, header: list[str], lines: Iterator[tuple[Any, ...]], problems: list[str], budget: Budget
) -> Iterator[Row]:
    """(row label, {column: text}) for each row of ``sheet`` that holds anything, within the time allowed."""
    for cells in lines:
        budget.check_time()
        values = {
            name: _text(name, cell, sheet.title, problems)
            for name, cell in zip(header, cells)
            if name and cell.value is not None
        }
        if any(values.values()):
            row = next(cell.row for cell in cells if cell.value is not None)
            yield f"{row} lembar {sheet.title}", values


def _header(lines: Iterator[tuple[Any, ...]]) -> list[str] | None:
    """Column names from the first row that has any, normalised as the CSV's."""
    for cells in lines:
        names = [" ".join(str(c.value).split()).lower().replace(" ", "_") if c.value is not None else "" for c in cells]
        if any(names):
            return names
    return None


def _text(name: str, cell: Any, sheet: str, problems: list[str]) -> str:
    """A cell as the text a CSV would hold."""
    value = cell.value
    where = f"Sel {cell.coordinate} lembar {sheet}"
    if value is None:
        return ""
    if cell.data_type == "f" or (isinstance(value, str) and value.startswith("=")):
        problems.append(
            f"{where} berisi rumus ({value}). Salin kolomnya lalu tempel sebagai nilai "
            "(Tempel Khusus \u2192 Nilai), simpan, lalu letakkan kembali di inbox."
        )
        return ""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, (int, float)):
        return _number(name, value, where, problems)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return " ".join(str(value).split()) if name not in TEXT_COLUMNS else str(value).strip()


def _number(name: str, value: int | float, where: str, problems: list[str]) -> str:
    """A number cell as digits. Excel keeps 15 significant digits of a number, so a code
    (NIP, telephone) typed into a number cell past that has lost digits: refused."""
    if isinstance(value, int) or (value.is_integer() and abs(value) < 10**EXCEL_DIGITS):
        digits = str(int(value))
        if name == "telepon":  # a number cell drops the leading 0 (or the + of 62...)
            return "+" + digits if digits.startswith("62") else "0" + digits
        return digits
    if not value.is_integer():
        return repr(value)
    if name in TEXT_COLUMNS and abs(value) >= 10**EXCEL_DIGITS:
        problems.append(
            f"{where}: {name.upper()} tersimpan di Excel sebagai angka ({value:.{EXCEL_DIGITS}g}) "
            f"sehingga digit setelah digit ke-{EXCEL_DIGITS} hilang. Ubah format kolom menjadi "
            "Teks, ketik ulang nilainya, simpan, lalu letakkan kembali di inbox."
        )
        return ""
    return str(int(value))
