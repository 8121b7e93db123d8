"""What reading an input may cost, bounded while it is read (docs/architecture.md, "Limits").

A small zip can hold hundreds of megabytes of XML, all within the byte
limits: a .docx of 180,000 tables, a sheet with an empty cell at column XFD
on every row. Before anything is built, each XML part is streamed once with
lxml's iterparse (elements cleared as they end, so memory stays flat),
counting elements and depth and watching a deadline per input; reading stops
at the first limit passed and the input is refused with a reason.
"""

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING

from lxml import etree

from pipeline.errors import InputRefused

if TYPE_CHECKING:
    from pipeline.config import Limits

_CHECK_EVERY = 1024  # elements between two looks at the clock
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_CELL_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?\d+$")
_TRUE = {"1", "true", "on"}


def grouped(number: int) -> str:
    """A count as Indonesian writes it: 2.000.000."""
    return f"{number:,}".replace(",", ".")


class Budget:
    """The cost one input may still spend: a deadline, and the element and depth limits."""

    def __init__(self, limits: "Limits", kind: str | None = None) -> None:
        self.limits, self.kind = limits, kind
        self.deadline = time.monotonic() + limits.max_read_seconds
        self.elements = 0

    def check_time(self) -> None:
        """Refuse the input once its reading has taken longer than ``max_read_seconds``."""
        if time.monotonic() >= self.deadline:
            seconds = self.limits.max_read_seconds
            raise InputRefused(
                f"Pembacaan berkas melebihi batas waktu {seconds:g} detik (limits.max_read_seconds), "
                "sehingga dihentikan. Berkas ini tidak diproses; minta pengirim menyederhanakan isinya "
                "(misalnya membuang tabel, baris atau lembar yang tidak diperlukan) lalu mengirim ulang.",
                kind=self.kind,
            )

    def count(self, depth: int, what: str) -> None:
        """Count one element at ``depth`` of ``what``; refuse past the limits, look at the clock now and then."""
        self.elements += 1
        if self.elements > self.limits.max_xml_elements:
            raise InputRefused(
                f"{what} berisi lebih dari {grouped(self.limits.max_xml_elements)} elemen XML"
                " (limits.max_xml_elements), terlalu mahal untuk dibaca. Berkas ini tidak diproses; minta "
                "pengirim membuang isi yang tidak diperlukan (misalnya tabel kosong yang berulang) lalu "
                "mengirim ulang.",
                kind=self.kind,
            )
        if depth > self.limits.max_xml_depth:
            raise InputRefused(
                f"{what} memuat elemen XML yang bersarang lebih dari {self.limits.max_xml_depth} tingkat "
                "(limits.max_xml_depth), misalnya tabel di dalam tabel berulang-ulang. Berkas ini tidak "
                "diproses; minta pengirim menyederhanakan susunannya lalu mengirim ulang.",
                kind=self.kind,
            )
        if self.elements % _CHECK_EVERY == 1:
            self.check_time()


def _events(stream: IO[bytes]) -> Iterator[tuple[str, "etree._Element"]]:
    """(event, element) of an XML stream, entities never resolved, nothing fetched."""
    return etree.iterparse(
        stream, events=("start", "end"), resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True
    )


def scan_xml(stream: IO[bytes], budget: Budget, what: str) -> None:
    """Stream one XML part, spending ``budget`` on its elements; nothing is kept."""
    for _ in _walk(stream, budget, what):
        pass


def _walk(stream: IO[bytes], budget: Budget, what: str) -> Iterator[tuple[str, "etree._Element"]]:
    """(event, element) of a part within ``budget``; each element is emptied once it ends."""
    depth = 0
    for event, element in _events(stream):
        if event == "start":
            depth += 1
            budget.count(depth, what)
            yield event, element
            continue
        depth -= 1
        yield event, element
        element.clear(keep_tail=False)  # type: ignore[call-arg]  # lxml-stubs lag lxml's keep_tail
        parent = element.getparent()
        while parent is not None and element.getprevious() is not None:
            del parent[0]


@dataclass
class Extent:
    """What one sheet stores (its last row and column, the last column holding a value) and
    the rows and columns Excel hides that hold values."""

    rows: int = 0
    columns: int = 0
    used_columns: int = 0
    hidden_rows: list[int] = field(default_factory=list)
    hidden_columns: list[int] = field(default_factory=list)


def column_number(letters: str) -> int:
    """``A`` is 1, ``XFD`` is 16384."""
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number


def scan_sheet(stream: IO[bytes], budget: Budget, title: str, max_cells: int) -> "Extent":
    """The extent of one worksheet, streamed; refused once rows times columns pass ``max_cells``."""
    extent, hidden = Extent(), set[int]()
    row = column = 0
    row_hidden = holds = False
    for event, element in _walk(stream, budget, f"Lembar \u201c{title}\u201d"):
        tag = element.tag
        if event == "start" and tag == _MAIN + "row":
            row, column, row_hidden = _row_number(element, row), 0, _hidden(element)
        elif event == "start" and tag == _MAIN + "c":
            column, holds = _cell_column(element, column), False
        elif event == "start" and tag in _VALUES:
            holds = True
        elif event == "start" and tag == _MAIN + "col" and _hidden(element):
            hidden.update(range(_int(element.get("min")), min(_int(element.get("max")), 16384) + 1))
        elif event == "end" and tag == _MAIN + "c":
            _cell_ends(extent, row, column, max_cells, title, budget)
            if holds:
                _value_at(extent, row, column, row_hidden, hidden)
    return extent


_VALUES = {_MAIN + "v", _MAIN + "f", _MAIN + "is"}


def _hidden(element: "etree._Element") -> bool:
    return element.get("hidden", "").lower() in _TRUE


def _int(text: str | None) -> int:
    if text is None:
        return 1
    try:
        return max(1, int(text))
    except ValueError:
        return 1


def _value_at(extent: "Extent", row: int, column: int, row_hidden: bool, hidden_columns: set[int]) -> None:
    """Note a cell holding a value: the used width, and whether Excel hides it."""
    extent.used_columns = max(extent.used_columns, column)
    if row_hidden and (not extent.hidden_rows or extent.hidden_rows[-1] != row):
        extent.hidden_rows.append(row)
    if column in hidden_columns and column not in extent.hidden_columns:
        extent.hidden_columns.append(column)


def _row_number(element: "etree._Element", previous: int) -> int:
    """A row's number: its ``r``, or the one after the previous row (as Excel and openpyxl read it)."""
    try:
        return int(float(element.get("r") or previous + 1))  # "" is no number either
    except ValueError:
        return previous + 1


def _cell_column(element: "etree._Element", previous: int) -> int:
    """A cell's column: from its reference, or the one after the previous cell."""
    found = _CELL_REF.match(element.get("r", ""))
    return column_number(found.group(1)) if found else previous + 1


def _cell_ends(extent: "Extent", row: int, column: int, max_cells: int, title: str, budget: Budget) -> None:
    """Widen the extent by one stored cell; refuse when the sheet stores more than ``max_cells``."""
    extent.rows = max(extent.rows, row)
    extent.columns = max(extent.columns, column)
    if extent.rows * extent.columns > max_cells:
        raise InputRefused(
            f"Lembar \u201c{title}\u201d menyimpan sel sampai baris {extent.rows} dan kolom {extent.columns}, "
            f"melebihi batas {grouped(max_cells)} sel (limits.max_sheet_cells); biasanya "
            "karena ada sel kosong berformat jauh di kanan atau di bawah data. Hapus baris dan kolom kosong "
            "di luar data (atau salin datanya ke buku kerja baru), simpan, lalu letakkan kembali di inbox.",
            kind=budget.kind,
        )
