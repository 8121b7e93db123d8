"""Read the header of an incoming Nota Dinas from a .docx.

Senders use ``Label<TAB>: value`` paragraphs or a borderless
label/colon/value table, with label variants (Yth., Kepada Yth., Kepada;
Hal, Perihal). python-docx joins the runs Word and LibreOffice split text
into, so labels are matched on whole paragraph or cell text.
"""

import re
import zipfile
import zlib

import docx
from docx.opc.exceptions import PackageNotFoundError

from ..errors import InputRefused
from ..models import Parsed
from .safety import check_zip

LABELS = {
    "nomor": "nomor",
    "no": "nomor",
    "nomor surat": "nomor",
    "tanggal": "tanggal",
    "tgl": "tanggal",
    "tanggal surat": "tanggal",
    "dari": "dari",
    "yth": "kepada",
    "kepada yth": "kepada",
    "kepada": "kepada",
    "sifat": "sifat",
    "lampiran": "lampiran",
    "lamp": "lampiran",
    "hal": "hal",
    "perihal": "hal",
    "tembusan": "tembusan",
}

_LINE = re.compile(r"^\s*([A-Za-z][A-Za-z. ]{0,20}?)\s*(?:\t+\s*:?|:)\s*(.*)$", re.DOTALL)
_PLACE_DATE = re.compile(r"^[A-Z][A-Za-z .]+,\s*\d{1,2}\s+[A-Za-z]+\.?\s+\d{4}$")
_SPACES = str.maketrans({"\u00a0": " ", "\uff1a": ":", "\u2009": " ", "\u202f": " "})


def _label(text):
    return LABELS.get(" ".join(text.replace(".", " ").split()).lower())


def _split(text):
    """Split ``Label<TAB>: value`` or ``Label : value`` into (field, value)."""
    match = _LINE.match(text.translate(_SPACES))
    if not match:
        return None
    name = _label(match.group(1))
    if not name:
        return None
    return name, _clean_value(match.group(2))


def _clean_value(text):
    text = text.translate(_SPACES).strip()
    if text.startswith(":"):
        text = text[1:]
    return " ".join(text.split())


def _row_pairs(row):
    """Pairs from a table row: [label, ':', value], [label, ': value'] or [label, value]."""
    cells = []
    for cell in row.cells:
        text = cell.text.translate(_SPACES).strip()
        if not cells or cells[-1] is not cell:
            cells.append(text)
    pairs = []
    index = 0
    while index < len(cells):
        name = _label(cells[index].rstrip(":").strip())
        if name and index + 1 < len(cells):
            rest = cells[index + 1 :]
            if rest and rest[0] == ":" and len(rest) > 1:
                pairs.append((name, _clean_value(rest[1])))
                index += 3
                continue
            pairs.append((name, _clean_value(rest[0])))
            index += 2
            continue
        split = _split(cells[index])
        if split:
            pairs.append(split)
        index += 1
    return pairs


def _iter_pairs(document):
    for paragraph in document.paragraphs:
        split = _split(paragraph.text)
        if split:
            yield split
    for table in document.tables:
        for row in table.rows:
            yield from _row_pairs(row)
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    split = _split(paragraph.text)
                    if split:
                        yield split


def _place_date(document):
    """A date written as ``Jakarta, 7 Oktober 2026`` near the signature."""
    for paragraph in document.paragraphs:
        text = " ".join(paragraph.text.translate(_SPACES).split())
        if _PLACE_DATE.match(text):
            return text
    return None


def read(path, limits):
    """Return the memo header found in the .docx at ``path``."""
    check_zip(path, limits)
    try:
        document = docx.Document(str(path))
        fields = _header(document)
    except _BROKEN as exc:
        raise InputRefused(
            "Berkas .docx tidak dapat dibuka sebagai dokumen Word "
            f"({type(exc).__name__}). Buka di Word, simpan ulang sebagai .docx, "
            "lalu letakkan kembali di inbox.",
            kind="nota_dinas",
        ) from None
    return Parsed(kind="nota_dinas", fmt="docx", fields=fields)


# What a damaged or forged .docx raises from zipfile, zlib, lxml and python-docx
# (lxml's XMLSyntaxError is a SyntaxError).
_BROKEN = (PackageNotFoundError, zipfile.BadZipFile, zlib.error, KeyError, ValueError, TypeError,
           AttributeError, IndexError, OSError, SyntaxError, EOFError)


def _header(document):
    fields = {}
    for name, value in _iter_pairs(document):
        if value and name not in fields:
            fields[name] = value
    if "tanggal" not in fields:
        found = _place_date(document)
        if found:
            fields["tanggal"] = found
    return fields
