"""A letter that arrives alone as a PDF or an image (no YAML sidecar): read its header.

A PDF with a text layer (exported from Word, or signed electronically) is read
from that text with the header logic a .docx uses (``pdf_text`` ->
``header.fields_from_blocks``) and registered like a .docx memo. A page whose
text is not a Nota Dinas header, a PDF of images and a JPG or PNG scan are read
by OCR where it is enabled; what OCR reads is never registered without a person
confirming it, so such a letter always waits in inbox/lengkapi/ with a draft
(``IncompleteLetter``; docs/inputs.md, "PDF and scans" and "Complete, never alter").
The limits of DESIGN.md section 8 are checked before anything is read.
"""

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import IncompleteLetter, OcrUnavailable
from pipeline.models import Parsed
from pipeline.readers import pdf_text
from pipeline.readers.cost import Budget
from pipeline.readers.header import fields_from_blocks
from pipeline.readers.scan_limits import check_image, check_pdf

if TYPE_CHECKING:
    from pipeline.config import Limits, OcrSettings
    from pipeline.readers.ocr import ScanLine

TEXT_SOURCE = "teks PDF"
KEY_FIELDS = ("nomor", "tanggal", "dari", "hal")
MIN_KEY_FIELDS = 2  # fewer of the key fields in the text: it is not a Nota Dinas header
NOT_A_HEADER = (
    "Teks PDF ini tidak memuat kepala Nota Dinas yang dapat dibaca (Nomor, Tanggal, Dari dan Hal), "
    "misalnya karena halamannya hasil pindaian."
)
NO_TEXT = "Surat ini hasil pindaian (tanpa lapisan teks), sehingga isiannya tidak dapat dibaca dari teksnya."
OCR_OFF = "Pembacaan pindaian dengan OCR tidak diaktifkan (ocr.enabled: false)."
BY_OCR = (
    "Isian surat ini dibaca dari pindaian dengan OCR. OCR dapat salah baca, sehingga setiap isian perlu "
    "diperiksa petugas terhadap surat aslinya sebelum surat didaftarkan."
)


def read(path: Path, limits: "Limits", fmt: str, ocr: "OcrSettings | None" = None) -> Parsed:
    """The memo header of a lone PDF or image scan: a Parsed when its text layer holds the header,
    else IncompleteLetter with what the text or OCR read (``ocr``: the config's OcrSettings)."""
    fields: dict[str, str] = {}
    reasons: list[str] = []
    if fmt == "pdf":
        check_pdf(path, limits)
        if pdf_text.has_text(path, limits):
            budget = Budget(limits, kind="nota_dinas")
            fields = fields_from_blocks(pdf_text.text_lines(path, limits), budget.check_time, laid_out=True)
            if sum(1 for key in KEY_FIELDS if fields.get(key)) >= MIN_KEY_FIELDS:
                return Parsed(kind="nota_dinas", fmt="pdf", fields=fields, sources=dict.fromkeys(fields, TEXT_SOURCE))
            reasons.append(NOT_A_HEADER)
        else:
            reasons.append(NO_TEXT)
    else:
        check_image(path, limits)
        reasons.append(NO_TEXT)
    sources = dict.fromkeys(fields, TEXT_SOURCE)
    found, found_sources, problem = by_ocr(path, limits, ocr)
    if problem:
        reasons.append(problem)
    for key, value in found.items():
        if not fields.get(key):  # a text layer is read as written; OCR fills what it lacks
            fields[key], sources[key] = value, found_sources[key]
    if found:
        reasons.append(BY_OCR)
    raise IncompleteLetter(reasons, fields, sources)


def by_ocr(
    path: Path, limits: "Limits", ocr: "OcrSettings | None"
) -> tuple[dict[str, str], dict[str, str], str | None]:
    """(fields, their sources, why OCR read nothing or None) of a scan read by OCR."""
    if ocr is None or not ocr.enabled:
        return {}, {}, OCR_OFF
    from pipeline.readers.ocr import read_scan  # Tesseract's module is loaded only for a scan

    try:
        lines = read_scan(path, limits, ocr.language).lines
    except OcrUnavailable as exc:
        return {}, {}, f"Pindaian belum dapat dibaca dengan OCR: {exc}"
    budget = Budget(limits, kind="nota_dinas")
    fields = fields_from_blocks([line.text for line in lines], budget.check_time, laid_out=True)
    if not fields:
        return {}, {}, "OCR tidak menemukan kepala Nota Dinas pada pindaian ini."
    return fields, {key: f"OCR (keyakinan {confidence(value, lines):.0f}%)" for key, value in fields.items()}, None


def confidence(value: object, lines: Sequence["ScanLine"]) -> float:
    """The confidence of the line a field was read from (the mean of all lines when not found)."""
    words = str(value).split()
    head = " ".join(words[:3])
    for line in lines:
        if head and head in line.text:
            return line.confidence
    return sum(line.confidence for line in lines) / len(lines) if lines else 0
