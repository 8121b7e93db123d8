"""Scanned letters read by OCR (pipeline/readers/ocr.py) and hostile scans refused within the
limits before anything decodes them (pipeline/readers/scan_limits.py)."""

import hashlib
import json
import re
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.builders import HEADER, tab_memo, table_memo
from support.scan_builders import (
    image_only_pdf,
    jpeg_claiming,
    pdf_bomb,
    pdf_with_image,
    pdf_with_object_stream_bomb,
    pdf_with_pages,
    png_claiming,
    rendered_pages,
)
from support.workspace import make_workspace, merge_config

from pipeline import config as config_module
from pipeline.cli import main
from pipeline.documents.pdf import Converter
from pipeline.errors import InputRefused
from pipeline.readers.ocr import make_searchable, read_scan
from pipeline.readers.scan_limits import check_pdf

ROOT = Path(__file__).resolve().parent.parent
WANTED = ("Nomor", "Tanggal", "Dari", "Hal")
PIXELS = (
    "berukuran 50.000 x 50.000 piksel (2.500 juta piksel), melebihi batas 40 juta piksel. Berkas ini tidak "
    "diproses demi keamanan; pindai ulang suratnya pada 200-300 dpi lalu letakkan kembali di inbox "
    "(batasnya limits.max_image_pixels di config.yaml)."
)


def normalised(text):
    """Text compared as OCR may space it: case and every space dropped."""
    return re.sub(r"\s+", "", text).casefold()


@pytest.fixture(scope="module")
def limits(tmp_path_factory):
    """The shipped limits, as a fresh workspace loads them."""
    return make_workspace(tmp_path_factory.mktemp("ws") / "ws").limits


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """Two built memos (tab and table layout) printed to PDF by LibreOffice, as a sender prints them."""
    folder = tmp_path_factory.mktemp("printed")
    sources = [tab_memo(folder / "tab.docx"), table_memo(folder / "table.docx")]
    converter = Converter(True, 120)
    try:
        return dict(zip(("tab", "table"), converter.convert(sources, folder)))
    finally:
        converter.close()


def scanned(printed, layout, dpi, fmt, folder):
    """The printed memo scanned at ``dpi`` into ``fmt`` (png, jpg or an image-only pdf)."""
    [page] = rendered_pages(printed[layout], dpi, folder / f"{layout}-{dpi}")
    if fmt == "png":
        return page
    from PIL import Image

    if fmt == "jpg":
        target = page.with_suffix(".jpg")
        Image.open(page).convert("L").save(target, quality=85, dpi=(dpi, dpi))
        return target
    return image_only_pdf([page], page.with_suffix(".pdf"), dpi)


def assert_header_read(text):
    for label in WANTED:
        assert normalised(HEADER[label]) in normalised(text), (label, text)


@pytest.mark.parametrize(
    "layout,dpi,fmt",
    [("tab", 150, "png"), ("table", 200, "jpg"), ("tab", 300, "png"), ("table", 150, "pdf"), ("tab", 200, "pdf")],
)
def test_a_scan_at_each_resolution_reads_the_header_and_becomes_searchable(
    ocr_tools, printed, limits, tmp_path, layout, dpi, fmt
):
    scan = scanned(printed, layout, dpi, fmt, tmp_path)
    before = hashlib.sha256(scan.read_bytes()).hexdigest()
    result = read_scan(scan, limits, language="ind", searchable_to=tmp_path / "tertelusur.pdf")
    assert result.pages == 1
    assert_header_read(result.text)
    assert all(0 <= line.confidence <= 100 and line.page == 1 for line in result.lines)
    assert sum(line.confidence for line in result.lines) / len(result.lines) > 70
    assert result.searchable == tmp_path / "tertelusur.pdf" and result.searchable_problem is None
    layer = subprocess.run(["pdftotext", "-raw", str(result.searchable), "-"], capture_output=True, text=True).stdout
    assert normalised(HEADER["Nomor"]) in normalised(layer)
    assert hashlib.sha256(scan.read_bytes()).hexdigest() == before  # the original is only read


def test_a_pdf_of_several_page_images_is_read_page_by_page_in_reading_order(ocr_tools, printed, limits, tmp_path):
    pages = [rendered_pages(printed["tab"], dpi, tmp_path / f"p{dpi}")[0] for dpi in (200, 300)]
    scan = image_only_pdf(pages, tmp_path / "pindaian.pdf", 200)
    result = read_scan(scan, limits)
    assert result.pages == 2 and result.searchable is None
    for page in (1, 2):
        lines = [line.text for line in result.lines if line.page == page]
        assert_header_read("\n".join(lines))
        starts = [next(i for i, text in enumerate(lines) if text.startswith(label)) for label in WANTED]
        assert starts == sorted(starts), lines  # Nomor, Tanggal, Dari, Hal: as a person reads them


def test_ordinary_pdfs_pass_the_checks(printed, limits, tmp_path):
    """A PDF as LibreOffice writes it (deflated pages, fonts, an end of line before each endstream)
    and one with a deflated page of 100 MB of content pass, with their page counts."""
    import zlib

    assert check_pdf(printed["tab"], limits) == 1
    content = zlib.compress(b" " * (100 * 1024 * 1024))
    heavy = pdf_with_pages(
        tmp_path / "berat.pdf",
        2,
        content=b"<< /Filter /FlateDecode /Length %d >>\nstream\r\n" % len(content) + content + b"\r\nendstream",
    )
    assert check_pdf(heavy, limits) == 2


def refusal(path, limits):
    with pytest.raises(InputRefused) as caught:
        read_scan(path, limits)
    return caught.value.reasons


def test_a_pdf_whose_stream_inflates_to_gigabytes_is_refused(limits, tmp_path):
    bomb = pdf_bomb(tmp_path / "bom.pdf", 2 * 1024**3)
    assert bomb.stat().st_size < 3 * 1024 * 1024
    assert refusal(bomb, limits) == [
        "Isi PDF bila dibuka melebihi batas 200 MB, padahal berkasnya hanya 2,0 MB. Berkas ini tidak diproses "
        "demi keamanan; minta pengirim mengirim ulang suratnya sebagai PDF biasa atau pindaian, lalu letakkan "
        "kembali di inbox."
    ]


def test_a_pdf_whose_object_stream_inflates_to_gigabytes_is_refused_before_qpdf_opens_it(limits, tmp_path):
    """qpdf inflates an object stream whole to find the page tree: the file's bytes are measured first."""
    bomb = pdf_with_object_stream_bomb(tmp_path / "bom.pdf", 2 * 1024**3)
    assert refusal(bomb, limits) == [
        "Isi PDF bila dibuka melebihi batas 200 MB, padahal berkasnya hanya 2,0 MB. Berkas ini tidak diproses "
        "demi keamanan; minta pengirim mengirim ulang suratnya sebagai PDF biasa atau pindaian, lalu letakkan "
        "kembali di inbox."
    ]


def test_what_the_bytes_cannot_show_is_measured_within_a_memory_cap(limits, tmp_path):
    """Where the scan of the file's bytes lets a stream by (here: a budget larger than the bomb), qpdf
    meets it in the measuring child, whose address space is capped: the child fails, the scan is
    refused, and the pipeline's own process never holds the inflated data."""
    bomb = pdf_with_object_stream_bomb(tmp_path / "bom.pdf", 1200 * 1024 * 1024)
    generous = replace(limits, max_pdf_uncompressed_bytes=1500 * 1024 * 1024)
    with pytest.raises(InputRefused) as caught:
        check_pdf(bomb, generous, memory=700 * 1024 * 1024)
    assert caught.value.reasons[0] in (
        "PDF ini tidak dapat diperiksa dalam batas memori 700 MB; isinya mengembang terlalu besar bila dibuka. "
        "Berkas ini tidak diproses demi keamanan; minta pengirim mengirim ulang suratnya sebagai PDF biasa atau "
        "pindaian, lalu letakkan kembali di inbox.",
        # qpdf reports its failed allocation as a page tree it could not find
        "Berkas PDF rusak atau terkunci kata sandi sehingga tidak dapat dibaca. Minta pengirim mengirim ulang PDF "
        "yang utuh tanpa kata sandi, lalu letakkan kembali di inbox.",
    )


@pytest.mark.parametrize(
    "build,what",
    [
        (lambda path: png_claiming(path.with_suffix(".png"), 50000, 50000), "Gambar"),
        (lambda path: jpeg_claiming(path.with_suffix(".jpg"), 50000, 50000), "Gambar"),
        (lambda path: pdf_with_image(path.with_suffix(".pdf"), 50000, 50000), "PDF memuat gambar yang"),
    ],
    ids=["png", "jpeg", "pdf"],
)
def test_an_image_of_50000_by_50000_pixels_is_refused(limits, tmp_path, build, what):
    hostile = build(tmp_path / "raksasa")
    assert hostile.stat().st_size < 1024 * 1024
    assert refusal(hostile, limits) == [f"{what} {PIXELS}"]


def test_a_pdf_of_5000_pages_is_refused(limits, tmp_path):
    thick = pdf_with_pages(tmp_path / "tebal.pdf", 5000)
    assert refusal(thick, limits) == [
        "PDF berisi 5.000 halaman, melebihi batas 50 halaman. Kirim hanya halaman suratnya (bagi berkas yang "
        "panjang menjadi beberapa berkas), lalu letakkan kembali di inbox (batasnya limits.max_pages di "
        "config.yaml)."
    ]


def test_a_page_too_large_to_render_is_refused(limits, tmp_path):
    wide = pdf_with_pages(tmp_path / "lebar.pdf", 1, media=b"[0 0 14400 14400]")  # 5 metres square
    assert refusal(wide, limits) == [
        f"Halaman 1 PDF bila dibaca pada 300 dpi {PIXELS.replace('50.000', '60.000')}".replace(
            "2.500 juta", "3.600 juta"
        )
    ]


def test_files_that_are_no_scan_or_broken_are_refused(limits, tmp_path):
    text = tmp_path / "surat.pdf"
    text.write_text("bukan pindaian", encoding="utf-8")
    assert refusal(text, limits) == [
        "Berkas ini bukan pindaian PDF, JPG atau PNG. Pindai ulang suratnya dalam "
        "salah satu format itu lalu letakkan kembali di inbox."
    ]
    broken = tmp_path / "rusak.pdf"
    broken.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\n")
    assert refusal(broken, limits) == [
        "Berkas PDF rusak atau terkunci kata sandi sehingga tidak dapat dibaca. Minta pengirim mengirim ulang PDF "
        "yang utuh tanpa kata sandi, lalu letakkan kembali di inbox."
    ]
    cut = tmp_path / "potong.png"
    cut.write_bytes(png_claiming(tmp_path / "kecil.png", 100, 100).read_bytes()[:40])
    assert refusal(cut, limits) == [
        "Berkas gambar rusak atau formatnya tidak dikenali. Pindai ulang suratnya "
        "sebagai PDF, JPG atau PNG lalu letakkan kembali di inbox."
    ]


PEAK = """
import resource, subprocess, sys
subprocess.run([sys.executable, "-c", sys.argv[1], *sys.argv[2:]])
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
"""
PROBE = """
import sys
from pipeline.config import load
from pipeline.errors import InputRefused
from pipeline.readers.ocr import make_searchable, read_scan
from pipeline.readers.scan_limits import check_pdf
try:
    read_scan(sys.argv[2], load(sys.argv[1]).limits)
except InputRefused as refused:
    print(refused.reasons[0])
"""


def test_the_bombs_are_stopped_early_in_bounded_memory(tmp_path):
    """A child process (whose peak memory is measured alone) meets a 4 GB PDF bomb and a PNG bomb."""
    ws = make_workspace(tmp_path / "ws")
    for bomb in (
        pdf_bomb(tmp_path / "bom.pdf", 4 * 1024**3),
        png_claiming(tmp_path / "bom.png", 50000, 50000),
        pdf_with_object_stream_bomb(tmp_path / "objstm.pdf", 4 * 1024**3),
    ):
        done = subprocess.run(
            [sys.executable, "-c", PEAK, PROBE, str(ws.path), str(bomb)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        )
        reason, peak_mb = done.stdout.strip().splitlines()
        assert reason.startswith(("Isi PDF bila dibuka melebihi batas 200 MB", "Gambar berukuran 50.000 x 50.000"))
        assert int(peak_mb) < 300, peak_mb  # 4 GB inflated would not fit; Python, pikepdf and Pillow do


def test_time_limits_per_page_and_per_file_stop_the_reading(ocr_tools, printed, limits, tmp_path):
    scan = scanned(printed, "tab", 150, "pdf", tmp_path)
    assert refusal(scan, replace(limits, ocr_seconds_per_page=1e-6)) == [
        "OCR halaman 1 melebihi batas 0 detik per halaman. Pindai ulang halaman itu dengan lebih bersih "
        "(200-300 dpi, hitam-putih) lalu letakkan kembali di inbox; atau ketik isian suratnya dalam berkas YAML."
    ]
    assert refusal(scan, replace(limits, ocr_seconds_per_file=1e-9)) == [
        "Membaca pindaian ini dengan OCR melebihi batas 0 detik per berkas. Pindai ulang suratnya dengan lebih "
        "sedikit halaman atau lebih bersih (200-300 dpi, hitam-putih), lalu letakkan kembali di inbox; atau ketik "
        "isian suratnya dalam berkas YAML."
    ]


def test_a_searchable_copy_out_of_time_is_reported_not_raised(ocr_tools, printed, limits, tmp_path):
    scan = scanned(printed, "tab", 150, "png", tmp_path)
    target = tmp_path / "tertelusur.pdf"
    assert make_searchable(scan, target, limits, "ind", time.monotonic() - 1) == (
        "PDF tertelusur (teksnya dapat dicari) tidak dibuat karena waktu OCR pindaian ini (600 detik per berkas) "
        "sudah habis; surat aslinya tetap diarsipkan dan dapat dibaca seperti biasa."
    )
    assert not target.exists()


def test_the_limits_and_language_come_from_config(tmp_path):
    ws = make_workspace(tmp_path / "ws", {"limits": {"max_pages": 3}, "ocr": {"language": "ind+eng"}})
    assert (ws.limits.max_pages, ws.limits.max_image_pixels, ws.ocr.language) == (3, 40_000_000, "ind+eng")
    assert (ws.limits.ocr_seconds_per_page, ws.limits.ocr_seconds_per_file) == (60, 600)
    assert ws.limits.max_pdf_uncompressed_bytes == 200 * 1024 * 1024
    merge_config(ws.path, {"ocr": {"language": "ind; rm"}})
    with pytest.raises(config_module.ConfigError, match="language"):
        config_module.load(ws.path)


def test_doctor_says_whether_scans_can_be_read(tmp_path, monkeypatch):
    ws = make_workspace(tmp_path / "ws")
    monkeypatch.setenv("PATH", str(tmp_path))  # no tesseract, no pdftoppm on this PATH
    result = CliRunner().invoke(main, ["--config", str(ws.path), "doctor", "--json"], catch_exceptions=False)
    found = {item["pemeriksaan"]: item for item in map(json.loads, result.output.splitlines())}
    assert found["OCR"] == {
        "pemeriksaan": "OCR",
        "status": "peringatan",
        "pesan": (
            "Program tesseract, pdftoppm belum terpasang, sehingga pindaian surat tidak dapat dibaca. Pasang paket "
            "tesseract-ocr, tesseract-ocr-ind dan poppler-utils (apt-get install), lalu jalankan ulang pipeline."
        ),
    }


def test_doctor_names_tesseract_and_its_language(ocr_tools, config):
    result = CliRunner().invoke(main, ["--config", str(config.path), "doctor", "--json"], catch_exceptions=False)
    found = {item["pemeriksaan"]: item for item in map(json.loads, result.output.splitlines())}
    assert found["OCR"]["status"] == "baik" and found["OCR"]["pesan"].endswith("tesseract, bahasa ind")
