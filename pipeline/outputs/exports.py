"""The books (``books``) written for people and programs: CSV, print-ready Excel, JSON Lines.

openpyxl is imported by the functions that write a workbook: ``register --json``
and ``status`` do not load it (docs/architecture.md, "Speed")."""

from __future__ import annotations

import csv
import functools
import io
import os
import uuid
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.errors import ExportError, os_reason
from pipeline.filing import klasifikasi
from pipeline.filing.archive import shown
from pipeline.formats import rupiah, tanggal
from pipeline.outputs import jsonlines
from pipeline.outputs.books import BOOKS, DATE, NUMBER, RUPIAH, TEXT
from pipeline.readers import incoming_signatures

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

    from pipeline.config import Config
    from pipeline.outputs.books import Book, Row
    from pipeline.register.records import AgendaEntry

# A cell starting with one of these is a formula to Excel; text from a memo is never one.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Excel number formats: Indonesian month names (LCID 0x421) and Rupiah as the office writes it.
DATE_FORMAT = "[$-421]d mmmm yyyy"
RUPIAH_FORMAT = "[$Rp-421]#,##0.00"
LINE_POINTS = 13.5  # height of one line of 10-point text


def _is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def csv_cell(value: Any) -> Any:
    """A CSV cell Excel shows as the text it is (OWASP's advice: a leading apostrophe)."""
    return "'" + value if _is_formula_like(value) else value


def write_atomically(path: Path, write: Callable[[Path], object]) -> None:
    """Write through a temporary file beside ``path``, so no one sees half a file."""
    temp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        write(temp)
        os.replace(temp, path)
    except OSError as exc:
        raise ExportError(
            f"Berkas {path} tidak dapat ditulis ({os_reason(exc)}). Periksa foldernya ada dan dapat "
            "ditulis, atau pilih folder lain."
        ) from None
    finally:
        temp.unlink(missing_ok=True)


def text_cell(kind: str, value: Any) -> str:
    """A value as staff read it: 25 November 2026, Rp1.500.000.000,00, the rest as it is."""
    if value is None:
        return ""
    if kind == DATE:
        return tanggal(value)
    if kind == RUPIAH:
        return rupiah(value)
    return value if isinstance(value, str) else str(value)


def text_rows(key: str, rows: Iterable[Row]) -> list[list[str]]:
    """Rows of a book as text, for the screen and CSV."""
    kinds = [column.kind for column in BOOKS[key].columns]
    return [[text_cell(kind, value) for kind, value in zip(kinds, row)] for row in rows]


def json_lines(entries: Iterable[tuple[AgendaEntry, str | None]], config: Config) -> Iterator[str]:
    """``register --json``: one object per line with the keys of docs/cli.md, from (entry, the
    verification code of the entry's own document: the Lembar Disposisi, the letter) pairs;
    ``berkas`` relative to the workspace, wherever the archive lies."""
    for entry, code in entries:
        item: dict[str, Any] = {
            "buku": entry.buku,
            "tahun": entry.tahun,
            "nomor_urut": entry.nomor_urut,
            "nomor_agenda": entry.nomor_agenda,
            "nomor_surat": entry.nomor_surat,
            "tanggal_surat": entry.tanggal_surat,
            "hal": entry.hal,
            "sifat": entry.sifat,
            "kasus": entry.kasus,
            "berkas": {name: shown(config, path) for name, path in entry.berkas.items()},
            "sha256": entry.sha256,
            "diterima": entry.diterima,
            "dikirim": entry.dikirim,
            "batal": entry.batal,
            "kode": code,
        }
        if entry.buku == "masuk":
            item["dari"] = entry.dari
            item["tte_masuk"] = incoming_signatures.as_json(entry.tte_masuk, config.timezone)
        else:
            item.update(
                kepada=entry.kepada,
                klasifikasi=klasifikasi.of_outgoing(entry.nomor_surat, config.numbering["surat_keluar"]),
                alasan_batal=entry.alasan_batal or None,
                batal_oleh=entry.batal_oleh or None,
                batal_waktu=entry.batal_waktu,
                ditandatangani=entry.ditandatangani,
                ditandatangani_oleh=entry.ditandatangani_oleh or None,
            )
        yield jsonlines.line(item)


def write_csv(path: Path, key: str, rows: Iterable[Row]) -> Path:
    """CSV that Excel in an Indonesian locale opens correctly: UTF-8 with BOM, ';', text as printed."""

    def write(temp: Path) -> None:
        with open(temp, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, delimiter=";")
            writer.writerow([column.name for column in BOOKS[key].columns])
            writer.writerows([csv_cell(value) for value in row] for row in text_rows(key, rows))

    write_atomically(path, write)
    return path


def write_xlsx(
    path: Path, books: dict[str, list[Row]], subtitle: str, more: Iterable[Callable[[Workbook], None]] = ()
) -> Path:
    """One sheet per book, made to be printed: title, header repeated on every page and frozen,
    widths, landscape A4 fitted to the page width, dates as dates, pagu in Rupiah, borders,
    page numbers; a text cell is always text, never a formula.

    Written in openpyxl's write-only mode, row by row, each cell naming one of a few named
    styles: 100,000 rows take seconds and little memory (docs/architecture.md, "Speed")."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    _add_styles(workbook)
    for key, rows in books.items():
        _sheet(workbook.create_sheet(BOOKS[key].sheet), BOOKS[key], rows, subtitle)
    for add in more:  # sheets of their own shape (report_views.add_sheet: "Kinerja SOP")
        add(workbook)
    content = io.BytesIO()  # openpyxl writes whole; a file system error is write_atomically's, after
    workbook.save(content)
    write_atomically(path, lambda temp: temp.write_bytes(content.getvalue()))
    return path


HEADER_ROW = 4  # title, subtitle, an empty line, then the column names
STYLE = {TEXT: "Isi teks", NUMBER: "Isi angka", DATE: "Isi tanggal", RUPIAH: "Isi rupiah"}
TITLE, SUBTITLE, HEADER = "Judul buku", "Subjudul buku", "Judul kolom"


def _add_styles(workbook: Workbook) -> None:
    """The named styles every cell of the books takes: the title, the column names, one per kind of data."""
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side

    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    workbook.add_named_style(
        NamedStyle(name=TITLE, font=Font(bold=True, size=13), alignment=Alignment(horizontal="center"))
    )
    workbook.add_named_style(
        NamedStyle(name=SUBTITLE, font=Font(bold=True, size=11), alignment=Alignment(horizontal="center"))
    )
    workbook.add_named_style(
        NamedStyle(
            name=HEADER,
            font=Font(bold=True),
            fill=PatternFill("solid", fgColor="D9D9D9"),
            border=border,
            alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
        )
    )
    for kind, number_format in ((TEXT, "General"), (NUMBER, "General"), (DATE, DATE_FORMAT), (RUPIAH, RUPIAH_FORMAT)):
        workbook.add_named_style(
            NamedStyle(
                name=STYLE[kind],
                font=Font(size=10),
                border=border,
                number_format=number_format,
                alignment=Alignment(
                    vertical="top", wrap_text=kind == TEXT, horizontal="center" if kind in (NUMBER, DATE) else None
                ),
            )
        )


@functools.cache
def _write_only_cell() -> Callable[..., Cell]:
    from openpyxl.cell import WriteOnlyCell

    return WriteOnlyCell


def styled(sheet: Worksheet, value: Any, style: str) -> Cell:
    cell = _write_only_cell()(sheet, value=value)
    cell.style = style
    return cell


def _sheet(sheet: Worksheet, book: Book, rows: Iterable[Row], subtitle: str) -> None:
    from openpyxl.utils import get_column_letter

    last = get_column_letter(len(book.columns))
    for index, column in enumerate(book.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    _print_setup(sheet, book)
    sheet.append([styled(sheet, book.title, TITLE)])
    sheet.append([styled(sheet, subtitle, SUBTITLE)])
    sheet.merged_cells.add(f"A1:{last}1")
    sheet.merged_cells.add(f"A2:{last}2")
    sheet.append([])
    sheet.row_dimensions[HEADER_ROW].height = LINE_POINTS * max(_lines(c.name, c.width) for c in book.columns)
    sheet.append([styled(sheet, column.name, HEADER) for column in book.columns])
    for offset, values in enumerate(rows, start=1):
        # Spreadsheets do not grow a row for wrapped text they did not lay out themselves.
        sheet.row_dimensions[HEADER_ROW + offset].height = LINE_POINTS * max(
            _lines(v, c.width) if c.kind == TEXT and isinstance(v, str) else 1 for c, v in zip(book.columns, values)
        )
        sheet.append([_data_cell(sheet, column.kind, value) for column, value in zip(book.columns, values)])


def _print_setup(sheet: Worksheet, book: Book) -> None:
    from openpyxl.worksheet.worksheet import Worksheet

    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    fit, footer = sheet.sheet_properties.pageSetUpPr, sheet.oddFooter  # both made with the sheet
    assert fit is not None and footer is not None and footer.center is not None and footer.right is not None
    fit.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    footer.center.text = "Halaman &P dari &N"
    footer.right.text = book.title.title()


def _lines(text: Any, width: float) -> int:
    """How many lines ``text`` wraps to in a column ``width`` characters wide (words kept whole)."""
    lines, used, room = 1, 0, max(int(width * 1.1) - 1, 4)
    for word in str(text).split():
        if used and used + 1 + len(word) > room:
            lines, used = lines + 1, 0
        used += (1 if used else 0) + len(word)
        lines += (used - 1) // room if used > room else 0
        used = used % room if used > room else used
    return lines


def _data_cell(sheet: Worksheet, kind: str, value: Any) -> Cell:
    cell = styled(sheet, None, STYLE[kind])
    if value is None or value == "":
        return cell
    if kind == DATE:
        cell.value = value
    elif kind == RUPIAH:
        cell.value = int(value)
    elif kind == NUMBER:
        cell.value = value
    else:
        cell.value = str(value)
        cell.data_type = "s"  # text, never a formula, whatever it starts with
        cell.quotePrefix = _is_formula_like(cell.value)
    return cell
