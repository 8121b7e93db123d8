"""Limits checked on a scan (PDF, JPG, PNG) before anything decodes or renders it.

docs/architecture.md, "Limits": an image's size is read from its header, a
PDF's page count and page sizes from its page tree, the size of each image
in it from the image's dictionary, and every other stream is inflated in
small pieces with a running budget, so a compression bomb is stopped after
the first bytes past the limit, never decompressed whole.
"""

import base64
import binascii
import json
import os
import re
import subprocess
import sys
import warnings
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, BinaryIO, cast

from pipeline.errors import InputRefused

if TYPE_CHECKING:
    import pikepdf

    from pipeline.config import Limits

MB = 1024 * 1024
OCR_DPI = 300  # pages of a PDF are rendered at this resolution for OCR
CHUNK = 64 * 1024
SIGNATURES = {b"%PDF-": "pdf", b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpeg"}
# How much larger than its encoded bytes a stream can grow through each filter, at most.
GROWTH = {
    "/ASCIIHexDecode": 1,
    "/AHx": 1,
    "/ASCII85Decode": 1,
    "/A85": 1,
    "/RunLengthDecode": 128,
    "/RL": 128,
    "/LZWDecode": 4096,
    "/LZW": 4096,
}
FLATE = ("/FlateDecode", "/Fl")
AGAIN = "Berkas ini tidak diproses demi keamanan;"
STREAM = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")
IMAGE = re.compile(rb"/Subtype\s*/Image\b")
FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[^\s/\[\]<>()]+)")
FILTERS = re.compile(rb"/([^\s/\[\]<>()]+)")
LENGTH = re.compile(rb"/Length\s+(\d{1,12})(?![\d.])(?!\s+\d+\s+R)")
OWN = re.compile(rb"/Type\s*/(?:ObjStm|XRef)\b")


def scan_kind(path: str | os.PathLike[str]) -> str | None:
    """``pdf``, ``png`` or ``jpeg`` told by the file's first bytes (never by its name), else None."""
    with open(path, "rb") as handle:
        head = handle.read(16)
    for signature, kind in SIGNATURES.items():
        if head.startswith(signature) or (kind == "pdf" and signature in head):
            return kind
    return None


def _number(value: int) -> str:
    """A count written the Indonesian way: 50.000."""
    return f"{value:,}".replace(",", ".")


def _file_size(size: int) -> str:
    """A file size for staff: 12 KB, 3,4 MB."""
    if size < MB:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / MB:.1f} MB".replace(".", ",")


def _megapixels(pixels: float) -> str:
    return f"{pixels / 1e6:,.0f}".replace(",", ".")


def too_many_pixels(width: int, height: int, limits: "Limits", what: str = "Gambar") -> InputRefused:
    """The refusal for an image of ``width`` x ``height`` pixels past ``limits.max_image_pixels``."""
    return InputRefused(
        f"{what} berukuran {_number(width)} x {_number(height)} piksel ({_megapixels(width * height)} juta "
        f"piksel), melebihi batas {_megapixels(limits.max_image_pixels)} juta piksel. {AGAIN} pindai ulang "
        "suratnya pada 200-300 dpi lalu letakkan kembali di inbox (batasnya limits.max_image_pixels "
        "di config.yaml)."
    )


def check_image(path: Path, limits: "Limits") -> tuple[int, int]:
    """Width and height of a JPG or PNG, read from its header before Pillow opens it; refuses an
    image past the pixel limit and one Pillow cannot read."""
    from PIL import Image, UnidentifiedImageError

    width, height = image_size(path)
    if width * height > limits.max_image_pixels:
        raise too_many_pixels(width, height, limits)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                width, height = image.size  # a header the walk above missed is still measured
                image.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError, SyntaxError, EOFError):
        raise InputRefused(
            "Berkas gambar rusak atau formatnya tidak dikenali. Pindai ulang suratnya sebagai PDF, "
            "JPG atau PNG lalu letakkan kembali di inbox."
        ) from None
    if width * height > limits.max_image_pixels:
        raise too_many_pixels(width, height, limits)
    return width, height


def image_size(path: Path) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR or a JPEG's frame header; (0, 0) when none is found."""
    with open(path, "rb") as handle:
        head = handle.read(24)
        if head.startswith(b"\x89PNG") and head[12:16] == b"IHDR":
            return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
        handle.seek(2)
        return _jpeg_frame_size(handle)


def _jpeg_frame_size(handle: BinaryIO) -> tuple[int, int]:
    """Walk the JPEG's segments (lengths only, nothing decoded) to its SOFn header."""
    for _ in range(1000):
        marker = handle.read(2)
        while len(marker) == 2 and marker[0] == 0xFF and marker[1] == 0xFF:  # fill bytes
            marker = marker[1:] + handle.read(1)
        length = handle.read(2)
        if len(marker) < 2 or marker[0] != 0xFF or len(length) < 2:
            return 0, 0
        if 0xC0 <= marker[1] <= 0xCF and marker[1] not in (0xC4, 0xC8, 0xCC):
            frame = handle.read(5)
            return int.from_bytes(frame[3:5], "big"), int.from_bytes(frame[1:3], "big")
        handle.seek(int.from_bytes(length, "big") - 2, 1)
    return 0, 0


def open_pdf(path: Path) -> "pikepdf.Pdf":
    """The PDF through pikepdf (qpdf), or a refusal saying it is broken or locked."""
    import pikepdf

    try:
        return pikepdf.open(path)
    except (pikepdf.PdfError, pikepdf.PasswordError, OSError, ValueError, RecursionError):
        raise InputRefused(
            "Berkas PDF rusak atau terkunci kata sandi sehingga tidak dapat dibaca. Minta pengirim "
            "mengirim ulang PDF yang utuh tanpa kata sandi, lalu letakkan kembali di inbox."
        ) from None


def check_pdf(path: Path, limits: "Limits", memory: int | None = None) -> int:
    """Page count, page sizes, image sizes and inflated stream sizes of a PDF within the limits.

    Returns the number of pages. Measured in a child process whose address space is capped at
    ``memory`` bytes (``probe_memory``) and whose time is ``limits.max_read_seconds``: qpdf inflates
    object and cross-reference streams whole while it opens a file, and one the byte scan could
    not measure costs the child, never the pipeline.
    """
    memory = memory or probe_memory(limits)
    command = [sys.executable, "-m", "pipeline.readers.scan_limits", str(path), json.dumps(asdict(limits)), str(memory)]
    root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))}
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            env=env,
            stdin=subprocess.DEVNULL,
            timeout=limits.max_read_seconds or None,
        )
    except subprocess.TimeoutExpired:
        raise InputRefused(
            f"Memeriksa PDF ini melebihi batas waktu {limits.max_read_seconds:g} detik (limits.max_read_seconds). "
            f"{AGAIN} minta pengirim mengirim ulang suratnya sebagai PDF biasa atau pindaian."
        ) from None
    lines = done.stdout.strip().splitlines()
    answer: dict[str, Any] = (
        json.loads(lines[-1]) if done.returncode == 0 and lines else {"refused": [_too_heavy(memory)]}
    )
    if "refused" in answer:
        raise InputRefused(answer["refused"])
    return answer["pages"]


def probe_memory(limits: "Limits") -> int:
    """The address space the PDF check may use: Python and qpdf, plus twice the inflation budget."""
    return 512 * MB + 2 * limits.max_pdf_uncompressed_bytes


def _too_heavy(memory: int) -> str:
    return (
        f"PDF ini tidak dapat diperiksa dalam batas memori {memory / MB:.0f} MB; isinya "
        f"mengembang terlalu besar bila dibuka. {AGAIN} minta pengirim mengirim ulang suratnya sebagai PDF "
        "biasa atau pindaian, lalu letakkan kembali di inbox."
    )


def measure_pdf(path: Path, limits: "Limits") -> int:
    """check_pdf's work, in this process: the file's bytes first, then the parsed file."""
    _check_raw_streams(path, limits)
    with open_pdf(path) as pdf:
        count = len(pdf.pages)
        if count > limits.max_pages:
            raise InputRefused(
                f"PDF berisi {_number(count)} halaman, melebihi batas {_number(limits.max_pages)} halaman. "
                "Kirim hanya halaman suratnya (bagi berkas yang panjang menjadi beberapa berkas), lalu "
                "letakkan kembali di inbox (batasnya limits.max_pages di config.yaml)."
            )
        if count == 0:
            raise InputRefused("Berkas PDF tidak berisi halaman. Minta pengirim mengirim ulang suratnya.")
        for number, page in enumerate(pdf.pages, 1):
            _check_page_size(number, page, limits)
        _check_streams(pdf, path, limits)
        return count


def _check_page_size(number: int, page: "pikepdf.Page", limits: "Limits") -> None:
    """A page rendered at OCR_DPI must fit the pixel limit (a page 5 metres wide would not)."""
    try:
        x0, y0, x1, y1 = (float(value) for value in page.mediabox)
        unit = float(page.obj.get("/UserUnit", 1))
    except (TypeError, ValueError):
        raise InputRefused(
            f"Ukuran halaman {number} PDF tidak dapat dibaca. Minta pengirim mengirim "
            "ulang PDF yang utuh, lalu letakkan kembali di inbox."
        ) from None
    width = int(abs(x1 - x0) * unit / 72 * OCR_DPI)
    height = int(abs(y1 - y0) * unit / 72 * OCR_DPI)
    if width * height > limits.max_image_pixels:
        raise too_many_pixels(width, height, limits, what=f"Halaman {number} PDF bila dibaca pada {OCR_DPI} dpi")


def _check_streams(pdf: "pikepdf.Pdf", path: Path, limits: "Limits") -> None:
    """Every stream qpdf sees: an image by its declared size, any other by what it inflates to."""
    import pikepdf

    budget = limits.max_pdf_uncompressed_bytes
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Stream):
            continue
        if obj.get("/Subtype") == pikepdf.Name.Image:
            _check_image_stream(obj, limits)
            continue
        budget -= inflated_size(obj.read_raw_bytes(), _filters(obj), budget)
        if budget < 0:
            raise _bomb(path, limits)


def _check_raw_streams(path: Path, limits: "Limits") -> None:
    """Every ``stream ... endstream`` in the file's bytes, images aside, inflated against one budget.

    One pass, each byte measured once; a file crafted to mislead this reading (a ``stream`` word
    outside any stream) is still met by qpdf only within the child's memory cap (check_pdf).
    """
    data = path.read_bytes()  # at most limits.max_file_bytes
    budget, previous = limits.max_pdf_uncompressed_bytes, 0
    for match in STREAM.finditer(data):
        if match.start() < previous:
            continue  # the word inside a stream already measured
        head = _names(data[max(previous, data.rfind(b"obj", previous, match.start())) : match.start()])
        start, previous = match.end(), _stream_end(data, match.end(), head)
        if IMAGE.search(head) and not OWN.search(head):
            continue  # measured by its width and height (qpdf inflates only its own streams on opening)
        raw = data[start:previous]
        filters = [b"/" + name for name in FILTERS.findall(b" ".join(FILTER.findall(head)))]
        budget -= inflated_size(raw, [name.decode("latin-1") for name in filters], budget)
        if budget < 0:
            raise _bomb(path, limits)


def _stream_end(data: bytes, start: int, head: bytes) -> int:
    """Where a stream's bytes end: the farther of its direct /Length and the next ``endstream``,
    so neither a false /Length nor an ``endstream`` hidden in the data shortens what is measured."""
    found = data.find(b"endstream", start)
    end = found if found >= 0 else len(data)
    length = LENGTH.search(head)
    return min(len(data), max(end, start + int(length.group(1)))) if length else end


def _names(text: bytes) -> bytes:
    """PDF names with their #xx escapes undone (``/Fl#61teDecode`` is ``/FlateDecode``)."""
    return re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), text)


def _bomb(path: Path, limits: "Limits") -> InputRefused:
    return InputRefused(
        f"Isi PDF bila dibuka melebihi batas {limits.max_pdf_uncompressed_bytes / MB:.0f} MB, padahal "
        f"berkasnya hanya {_file_size(path.stat().st_size)}. {AGAIN} minta pengirim mengirim ulang "
        "suratnya sebagai PDF biasa atau pindaian, lalu letakkan kembali di inbox."
    )


def _check_image_stream(obj: "pikepdf.Stream", limits: "Limits") -> None:
    try:
        width, height = int(obj.get("/Width", 0)), int(obj.get("/Height", 0))
    except (TypeError, ValueError):
        width = height = 0
    if width <= 0 or height <= 0 or width * height > limits.max_image_pixels:
        raise too_many_pixels(width, height, limits, what="PDF memuat gambar yang")


def _filters(obj: "pikepdf.Stream") -> list[str]:
    import pikepdf

    value = obj.get("/Filter")
    if value is None:
        return []
    return [str(item) for item in value] if isinstance(value, pikepdf.Array) else [str(value)]


def _ascii_decoded(raw: bytes, filters: list[str]) -> tuple[bytes, list[str]]:
    """Undo leading ASCIIHex/ASCII85 filters (they only shrink data); the rest of the chain."""
    while filters and filters[0] in ("/ASCIIHexDecode", "/AHx", "/ASCII85Decode", "/A85"):
        try:
            if filters[0] in ("/ASCIIHexDecode", "/AHx"):
                text = bytes(raw).split(b">")[0]
                raw = binascii.unhexlify(b"".join(text.split()) + b"0" * (len(b"".join(text.split())) % 2))
            else:
                raw = base64.a85decode(
                    bytes(raw).strip().removeprefix(b"<~").split(b"~>")[0], adobe=False, ignorechars=b" \t\n\r\x0b\x0c"
                )
        except ValueError:
            return b"", []  # broken: nothing a reader could decode from it
        filters = filters[1:]
    return raw, filters


def inflated_size(raw: bytes, filters: list[str], budget: int) -> int:
    """What encoded bytes decode to through ``filters``, counted up to just past ``budget``."""
    raw, filters = _ascii_decoded(raw, filters)
    if all(name in FLATE for name in filters):
        pieces: Iterable[bytes] = [raw[i : i + CHUNK] for i in range(0, len(raw), CHUNK)]
        for _ in filters:
            pieces = _inflate(pieces)
        total = 0
        for piece in pieces:
            total += len(piece)
            if total > budget:
                break
        return total
    growth = 1
    for name in filters:
        growth *= 1032 if name in FLATE else GROWTH.get(name, 1)  # 1032: deflate's largest ratio
    return len(raw) * growth


def _inflate(pieces: Iterable[bytes]) -> Iterator[bytes]:
    """Inflate a stream of compressed pieces lazily, never more than CHUNK bytes at a time."""
    inflater = zlib.decompressobj()
    try:
        for piece in pieces:
            data = piece
            while data and not inflater.eof:  # bytes after the end (an end of line) are not data
                out = inflater.decompress(data, CHUNK)
                if out:
                    yield out
                data = inflater.unconsumed_tail
            if inflater.eof:
                return
        tail = inflater.flush()  # at most a window's worth once all input is taken
        if tail:
            yield tail
    except zlib.error:
        return  # a broken stream: what inflated so far is what a reader could get from it


def _child(path: str, limits_json: str, memory: str) -> None:
    """``python -m pipeline.readers.scan_limits PATH LIMITS MEMORY``: caps its own address space, then
    measures."""
    import resource

    limits = cast("Limits", SimpleNamespace(**json.loads(limits_json)))  # the fields alone: no config to import
    resource.setrlimit(resource.RLIMIT_AS, (int(memory), int(memory)))
    answer: dict[str, object]
    try:
        answer = {"pages": measure_pdf(Path(path), limits)}
    except InputRefused as refused:
        answer = {"refused": refused.reasons}
    except MemoryError:
        answer = {"refused": [_too_heavy(int(memory))]}
    print(json.dumps(answer))


if __name__ == "__main__":
    _child(*sys.argv[1:4])
