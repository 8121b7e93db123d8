"""The text layer of a PDF, read by poppler's ``pdftotext -layout`` (docs/inputs.md, "PDF").

A building block for memos that arrive as PDFs exported from Word or signed
electronically: the lines come out as the page lays them out, so the header
logic reads them as it reads a document's paragraphs. ``pdftotext`` runs
without a shell, on the first pages only, under a time limit, with its
output file and memory bounded by resource limits (DESIGN.md sections 8, 9).
"""

import os
import resource
import shutil
import signal
import subprocess
import tempfile
from typing import TYPE_CHECKING

from pipeline.errors import InputRefused, PipelineError

if TYPE_CHECKING:
    from pipeline.config import Limits

FIRST_PAGES = 2  # the header of a Nota Dinas is on its first page; the second catches a long kop
MAX_TEXT_BYTES = 1024 * 1024  # a memo's first pages hold a few kilobytes of text
MAX_MEMORY_BYTES = 1024 * 1024 * 1024
MIN_LETTERS = 40  # fewer letters on page 1: a scan (or a stamp on one), not a usable text layer
INSTALL = (
    "Program pdftotext (poppler) belum terpasang, sehingga teks PDF tidak dapat dibaca. Pasang dengan "
    "\u201csudo apt-get install poppler-utils\u201d, lalu jalankan pipeline lagi."
)


def text_lines(
    path: str | os.PathLike[str], limits: "Limits", pages: int = FIRST_PAGES, max_bytes: int = MAX_TEXT_BYTES
) -> list[str]:
    """The lines of the first ``pages`` pages as laid out on the page (trailing spaces and
    empty lines dropped, pages run together). Raises InputRefused when the PDF cannot be
    read within ``limits.max_read_seconds``."""
    binary = shutil.which("pdftotext")
    if binary is None:
        raise PipelineError(INSTALL)
    with tempfile.TemporaryDirectory(prefix="spse-pdftext-") as folder:
        output = os.path.join(folder, "teks.txt")
        command = [
            binary,
            "-layout",
            "-enc",
            "UTF-8",
            "-f",
            "1",
            "-l",
            str(max(1, int(pages))),
            "-q",
            "--",
            os.fspath(path),
            output,
        ]
        _run(command, limits.max_read_seconds, max_bytes)
        with open(output, "rb") as handle:
            data = handle.read(max_bytes)
    text = data.decode("utf-8", "replace").replace("\f", "\n")
    return [line.rstrip() for line in text.splitlines() if line.strip()]


def has_text(path: str | os.PathLike[str], limits: "Limits", min_letters: int = MIN_LETTERS) -> bool:
    """True when page 1 carries a usable text layer (at least ``min_letters`` letters);
    False for a scan, an image-only page or a PDF that cannot be read."""
    try:
        lines = text_lines(path, limits, pages=1)
    except InputRefused:
        return False
    return sum(ch.isalpha() for line in lines for ch in line) >= min_letters


def _run(command: list[str], seconds: float, max_bytes: int) -> None:
    """Run pdftotext with no shell, no input, a time limit and bounded output and memory."""

    def bounded() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, max_bytes))
        resource.setrlimit(resource.RLIMIT_AS, (MAX_MEMORY_BYTES, MAX_MEMORY_BYTES))

    try:
        done = subprocess.run(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=seconds,
            preexec_fn=bounded,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise InputRefused(
            f"Teks PDF tidak dapat dibaca dalam batas waktu {seconds:g} detik "
            "(limits.max_read_seconds). Minta pengirim mengirim ulang PDF-nya, atau "
            "sertakan berkas YAML pendamping."
        ) from None
    if done.returncode not in (0, -signal.SIGXFSZ):  # SIGXFSZ: the output reached its bound, kept as cut
        raise InputRefused(
            "Teks PDF tidak dapat dibaca (berkas rusak atau terkunci sandi). Minta pengirim "
            "mengirim ulang PDF-nya, atau sertakan berkas YAML pendamping."
        )
