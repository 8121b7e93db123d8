"""Choose a reader by what a file contains, then read it.

The registry maps a format probe (magic bytes or text shape) to a reader
module, as Pelican chooses readers by extension; here content decides,
because staff name files however they like.
"""

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from pipeline.errors import InputRefused
from pipeline.models import Parsed
from pipeline.readers import csv_table, docx_memo, legacy_doc, letter_scan, xlsx_table, yaml_doc
from pipeline.readers.safety import check_size, check_text

if TYPE_CHECKING:
    from pipeline.config import Limits, OcrSettings

SCAN_MAGIC = {b"%PDF-": "pdf", b"\xff\xd8\xff": "jpg", b"\x89PNG\r\n\x1a\n": "png"}
SCAN_SUFFIXES = (".pdf", ".jpg", ".jpeg", ".png")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def probe(head: bytes, name: str) -> str:
    """Name the format of a file from its first bytes (and, for text, its name)."""
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    for magic, fmt in SCAN_MAGIC.items():
        if head.startswith(magic):
            return fmt
    if head.startswith(_OLE):
        return "ole"
    if b"\x00" in head:
        return "binary"
    return "csv" if name.lower().endswith(".csv") else "yaml"


def _read_scan(path: Path, fmt: str) -> Parsed:
    return Parsed(kind="pindaian", fmt=fmt)


def _refuse_binary(path: Path, limits: "Limits") -> NoReturn:
    raise InputRefused(
        "Jenis berkas tidak dikenali. Yang dapat diproses: Nota Dinas (.docx, .doc atau .pdf), "
        "pindaian (.pdf, .jpg, .png), dan data YAML, CSV atau Excel (.xlsx)."
    )


READERS: dict[str, Callable[[Path, "Limits"], Parsed]] = {
    "docx": docx_memo.read,
    "yaml": yaml_doc.read,
    "csv": csv_table.read,
    "xlsx": xlsx_table.read,
    "pdf": lambda path, limits: _read_scan(path, "pdf"),
    "jpg": lambda path, limits: _read_scan(path, "jpg"),
    "png": lambda path, limits: _read_scan(path, "png"),
    "ole": lambda path, limits: (
        legacy_doc.read(path, limits) if legacy_doc.is_word(path) else _refuse_binary(path, limits)
    ),
    "binary": _refuse_binary,
}


_KIND_LINE = re.compile(rb"^jenis\s*:\s*['\"]?(nota_dinas|registrasi|tindakan)", re.MULTILINE)
ORDER = {"nota_dinas": 0, "registrasi": 1, "tindakan": 1}


def priority(path: Path) -> int:
    """Memos first (Word, PDF or scan), so a batch dropped at once meets its cases; everything else in the
    order it arrived (oldest first), so a decision written before new data never
    judges that data. Only for ordering: ``read`` decides the kind."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(65536)
    except OSError:
        return 1
    if head.startswith(b"PK\x03\x04"):
        return 1 if _is_workbook(path) else 0
    if any(head.startswith(magic) for magic in SCAN_MAGIC):
        return 0  # a PDF or scan: a letter arriving (or the signed copy of ours)
    found = _KIND_LINE.search(head)
    return ORDER[found.group(1).decode()] if found else 1


def read(path: Path, limits: "Limits", name: str | None = None) -> Parsed:
    """Read the file at ``path`` (originally called ``name``) into a Parsed."""
    name = name or path.name
    check_size(path, limits)
    with open(path, "rb") as handle:
        head = handle.read(16)
    fmt = probe(head, name)
    if fmt == "docx" and _is_workbook(path):
        fmt = "xlsx"
    if name.lower().endswith(".docx") and fmt != "docx":
        raise InputRefused(
            "Berkas bernama .docx tetapi isinya bukan dokumen Word. Berkas ini tidak dapat dibaca sebagai "
            "surat; bila ini surat masuk, mintalah kiriman ulang berkas aslinya kepada pengirimnya dan "
            "letakkan kiriman itu di inbox."
        )
    if fmt == "yaml" and not name.lower().endswith((".yaml", ".yml")):
        parsed = _yaml_or_unknown(path, limits)
    else:
        parsed = READERS[fmt](path, limits)
    check_text(parsed.fields)
    return parsed


def read_letter(path: Path, limits: "Limits", name: str | None = None, ocr: "OcrSettings | None" = None) -> Parsed:
    """``read``, and a PDF or image that arrives alone read as a letter: from its text layer, else by
    OCR (``ocr``: the config's OcrSettings) into a draft to confirm (readers/letter_scan.py)."""
    parsed = read(path, limits, name)
    if parsed.kind != "pindaian":
        return parsed
    parsed = letter_scan.read(path, limits, parsed.fmt, ocr)
    check_text(parsed.fields)
    return parsed


def _is_workbook(path: Path) -> bool:
    """A zip holding ``xl/workbook.xml`` is an Excel workbook, whatever its name."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            return any(info.filename == "xl/workbook.xml" for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False  # the docx reader refuses it with its reason


def _yaml_or_unknown(path: Path, limits: "Limits") -> Parsed:
    """Text under another name is read as YAML only when it clearly is one of ours."""
    try:
        return yaml_doc.read(path, limits)
    except InputRefused:
        _refuse_binary(path, limits)
