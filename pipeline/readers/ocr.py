"""Read a scanned letter (PDF of images, JPG, PNG) by OCR, and make its searchable PDF.

docs/architecture.md, "Scans": the limits of scan_limits are checked first;
then each page is rendered by poppler's pdftoppm (PDFs) and read by
Tesseract with the configured language (``ind``), one process per page
with a time limit, no shell, one OpenMP thread, in a process group of its
own that a time limit kills whole. The searchable copy is made by OCRmyPDF
under the same limits; the original is only read.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import InputRefused, OcrUnavailable
from pipeline.processes import kill_group
from pipeline.readers.safety import check_size
from pipeline.readers.scan_limits import OCR_DPI, check_image, check_pdf, scan_kind

if TYPE_CHECKING:
    from pipeline.config import Limits

A4_WIDTH_INCHES = 8.27  # an image without a resolution is taken to be an A4 page wide


@dataclass(frozen=True)
class ScanLine:
    """One line of OCR text, its page, and the mean confidence (0-100) of its words."""

    text: str
    confidence: float
    page: int


@dataclass(frozen=True)
class ScanText:
    """What OCR read from a scan: lines in reading order, page count, and the searchable PDF
    (``searchable`` is None, with ``searchable_problem`` saying why, when it could not be made)."""

    lines: tuple[ScanLine, ...]
    pages: int
    searchable: Path | None = None
    searchable_problem: str | None = None

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


def ocr_problem(language: str = "ind") -> str | None:
    """Why scans cannot be read on this machine (an Indonesian sentence), or None when they can."""
    missing = [tool for tool in ("tesseract", "pdftoppm") if shutil.which(tool) is None]
    if missing:
        return (
            f"Program {', '.join(missing)} belum terpasang, sehingga pindaian surat tidak dapat dibaca. "
            "Pasang paket tesseract-ocr, tesseract-ocr-ind dan poppler-utils (apt-get install), lalu "
            "jalankan ulang pipeline."
        )
    try:
        listed = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return "Tesseract tidak dapat dijalankan. Periksa pemasangannya (tesseract --version), lalu jalankan ulang."
    known = set(listed.stdout.split())
    absent = [code for code in language.split("+") if code not in known]
    if absent:
        return (
            f"Model bahasa Tesseract {', '.join(absent)} belum terpasang. Pasang paket "
            f"tesseract-ocr-{absent[0]} (apt-get install), lalu jalankan ulang pipeline."
        )
    return None


def read_scan(
    path: str | os.PathLike[str],
    limits: "Limits",
    language: str = "ind",
    searchable_to: str | os.PathLike[str] | None = None,
) -> ScanText:
    """OCR the scan at ``path`` within ``limits``; with ``searchable_to``, also write its searchable PDF.

    Raises InputRefused for a file past a limit, OcrUnavailable when this machine cannot read scans.
    """
    path = Path(path).absolute()  # never read as an option, whatever its name
    check_size(path, limits)
    kind = scan_kind(path)
    if kind is None:
        raise InputRefused(
            "Berkas ini bukan pindaian PDF, JPG atau PNG. Pindai ulang suratnya dalam salah "
            "satu format itu lalu letakkan kembali di inbox."
        )
    pages = check_pdf(path, limits) if kind == "pdf" else 1
    size = None if kind == "pdf" else check_image(path, limits)
    problem = ocr_problem(language)
    if problem:
        raise OcrUnavailable(problem)
    deadline = time.monotonic() + limits.ocr_seconds_per_file
    with tempfile.TemporaryDirectory(prefix="spse-ocr-") as work:
        lines: list[ScanLine] = []
        for page in range(1, pages + 1):
            image = _render(path, page, Path(work), limits, deadline) if kind == "pdf" else path
            lines.extend(_ocr_page(image, page, language, limits, deadline))
    result = ScanText(lines=tuple(lines), pages=pages)
    if searchable_to is not None:
        dpi = None if size is None else _image_dpi(path, size)
        problem = make_searchable(path, Path(searchable_to), limits, language, deadline, dpi)
        result = ScanText(result.lines, pages, None if problem else Path(searchable_to), problem)
    return result


def _remaining(limits: "Limits", deadline: float, page: int | None = None) -> float:
    """Seconds left for the next step: the per-page limit, within what is left of the per-file one."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise InputRefused(
            f"Membaca pindaian ini dengan OCR melebihi batas {limits.ocr_seconds_per_file:.0f} detik per berkas. "
            "Pindai ulang suratnya dengan lebih sedikit halaman atau lebih bersih (200-300 dpi, hitam-putih), "
            "lalu letakkan kembali di inbox; atau ketik isian suratnya dalam berkas YAML."
        )
    return left if page is None else min(left, limits.ocr_seconds_per_page)


def _page_timeout(limits: "Limits", page: int) -> InputRefused:
    return InputRefused(
        f"OCR halaman {page} melebihi batas {limits.ocr_seconds_per_page:.0f} detik per halaman. Pindai ulang "
        "halaman itu dengan lebih bersih (200-300 dpi, hitam-putih) lalu letakkan kembali di inbox; atau "
        "ketik isian suratnya dalam berkas YAML."
    )


def _render(path: Path, page: int, work: Path, limits: "Limits", deadline: float) -> Path:
    """Page ``page`` of the PDF as a grey PNG at OCR_DPI (pdftoppm, its own time limit)."""
    prefix = work / f"halaman-{page}"
    command = [
        "pdftoppm",
        "-r",
        str(OCR_DPI),
        "-gray",
        "-png",
        "-f",
        str(page),
        "-l",
        str(page),
        "-singlefile",
        str(path),
        str(prefix),
    ]
    code, _ = run_limited(command, _remaining(limits, deadline, page), lambda: _page_timeout(limits, page))
    image = prefix.with_suffix(".png")
    if code != 0 or not image.is_file():
        raise InputRefused(
            f"Halaman {page} PDF tidak dapat dibaca sebagai gambar. Minta pengirim mengirim "
            "ulang PDF yang utuh, lalu letakkan kembali di inbox."
        )
    return image


def _ocr_page(image: Path, page: int, language: str, limits: "Limits", deadline: float) -> list[ScanLine]:
    """Tesseract's words of one page image (TSV), grouped into lines in its reading order."""
    command = ["tesseract", str(image), "stdout", "-l", language, "--psm", "4", "tsv"]
    code, output = run_limited(command, _remaining(limits, deadline, page), lambda: _page_timeout(limits, page))
    if code != 0:
        raise InputRefused(
            f"Halaman {page} pindaian tidak dapat dibaca oleh OCR (gambarnya rusak). Pindai "
            "ulang suratnya lalu letakkan kembali di inbox."
        )
    return lines_from_tsv(output.decode("utf-8", "replace"), page)


def lines_from_tsv(tsv: str, page: int) -> list[ScanLine]:
    """Words of Tesseract's TSV joined into lines (block, paragraph, line), each with its mean confidence."""
    lines: dict[tuple[str, ...], list[tuple[str, float]]] = {}
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5" or not cells[11].strip():
            continue
        try:
            confidence = float(cells[10])
        except ValueError:
            continue
        if confidence < 0:
            continue
        lines.setdefault(tuple(cells[2:5]), []).append((cells[11].strip(), confidence))
    return [
        ScanLine(" ".join(word for word, _ in words), round(sum(c for _, c in words) / len(words), 1), page)
        for words in lines.values()
    ]


def _image_dpi(path: Path, size: tuple[int, int]) -> int:
    """The resolution an image claims, or the one that makes it an A4 page wide."""
    from PIL import Image

    with Image.open(path) as image:
        claimed = image.info.get("dpi", (0, 0))[0]
    return int(claimed) if claimed and claimed >= 50 else max(50, round(size[0] / A4_WIDTH_INCHES))


def make_searchable(
    source: Path, target: Path, limits: "Limits", language: str, deadline: float, image_dpi: int | None = None
) -> str | None:
    """Write the searchable PDF of ``source`` to ``target`` with OCRmyPDF; None, or why it failed.

    ``source`` is only read. A copy that cannot be made never holds back the original.
    """
    kept = "surat aslinya tetap diarsipkan dan dapat dibaca seperti biasa."
    seconds = deadline - time.monotonic()
    if seconds <= 0:
        return (
            f"PDF tertelusur (teksnya dapat dicari) tidak dibuat karena waktu OCR pindaian ini "
            f"({limits.ocr_seconds_per_file:.0f} detik per berkas) sudah habis; {kept}"
        )
    command = [
        sys.executable,
        "-m",
        "ocrmypdf",
        "--quiet",
        "-l",
        language,
        "--jobs",
        "1",
        "--output-type",
        "pdf",
        "--optimize",
        "0",
        "--skip-text",
        "--tesseract-timeout",
        str(int(limits.ocr_seconds_per_page)),
        "--max-image-mpixels",
        str(max(1, limits.max_image_pixels // 1_000_000)),
    ]
    if image_dpi:
        command += ["--image-dpi", str(image_dpi)]
    command += [str(source), str(target)]
    code, _ = run_limited(command, seconds, lambda: None)
    if code == 0 and target.is_file():
        return None
    target.unlink(missing_ok=True)
    if code is None:
        return f"PDF tertelusur (teksnya dapat dicari) tidak dibuat karena melebihi batas {seconds:.0f} detik; {kept}"
    return (
        f"PDF tertelusur (teksnya dapat dicari) tidak dibuat karena OCRmyPDF gagal (kode {code}); {kept} "
        "Periksa pemasangan OCRmyPDF dengan \u201cpipeline doctor\u201d."
    )


def run_limited(
    command: list[str], seconds: float, on_timeout: Callable[[], BaseException | None]
) -> tuple[int | None, bytes]:
    """Run ``command`` (no shell) in its own process group with one OCR thread; (exit code, stdout).

    Past ``seconds`` the whole group is killed and ``on_timeout()`` is raised, or (None, b"")
    returned when it gives None.
    """
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )
    except OSError as exc:
        raise OcrUnavailable(
            f"Program {command[0]} tidak dapat dijalankan ({exc.strerror}). Periksa "
            "pemasangannya, lalu jalankan ulang pipeline."
        ) from None
    try:
        output, _ = process.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        kill_group(process)
        refusal = on_timeout()
        if refusal is None:
            return None, b""
        raise refusal from None
    except BaseException:
        kill_group(process)
        raise
    return process.returncode, output
