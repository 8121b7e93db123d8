"""The text layer of a PDF memo (pipeline/readers/pdf_text.py): pdftotext -layout, bounded."""

import dataclasses
import shutil
import subprocess

import docx
import pytest
from docx.enum.text import WD_BREAK
from support.builders import HEADER, tab_memo, table_memo

from pipeline.errors import InputRefused
from pipeline.readers import pdf_text

pytestmark = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext") and shutil.which("pdftoppm")),
    reason="LibreOffice dan poppler-utils belum terpasang; .ci/run memasangnya",
)


def to_pdf(source, folder):
    """``source`` (.docx) exported to PDF by LibreOffice, as an office exports a memo."""
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{folder}/lo-profil",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return folder / (source.stem + ".pdf")


def three_pages(path):
    """A memo whose later pages each say which page they are."""
    document = docx.Document()
    document.add_paragraph("NOTA DINAS")
    document.add_paragraph("Nomor\t: 005/88/ULP-LITBANG/X/2026")
    for number in (2, 3):
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        document.add_paragraph(f"HALAMAN KE-{number}")
    document.save(path)
    return path


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pdf-teks")
    tab = to_pdf(tab_memo(folder / "tab.docx"), folder)
    table = to_pdf(table_memo(folder / "tabel.docx"), folder)
    pages = to_pdf(three_pages(folder / "tiga.docx"), folder)
    subprocess.run(["pdftoppm", "-png", "-r", "100", "-singlefile", str(tab), str(folder / "pindaian")], check=True)
    from PIL import Image

    image = folder / "pindaian.pdf"
    Image.open(folder / "pindaian.png").convert("RGB").save(image, resolution=100)
    return {"tab": tab, "tabel": table, "tiga": pages, "gambar": image, "folder": folder}


def words(lines):
    return [" ".join(line.split()) for line in lines]


@pytest.mark.parametrize("layout", ["tab", "tabel"])
def test_the_header_lines_come_out_as_laid_out(pdfs, config, layout):
    """Each label on one line with its colon and the value's start; a long value wraps below."""
    lines = pdf_text.text_lines(pdfs[layout], config.limits)
    assert "NOTA DINAS" in words(lines)
    for label, value in HEADER.items():
        [line] = [line for line in words(lines) if line.split()[0] == label]
        assert line.startswith(f"{label} : {value[:5]}")
    assert all(line == line.rstrip() and line.strip() for line in lines)


def test_a_paragraph_header_reads_whole_once_wrapped_lines_are_joined(pdfs, config):
    text = " ".join(words(pdf_text.text_lines(pdfs["tab"], config.limits)))
    for label, value in HEADER.items():
        assert f"{label} : {value}" in text


def test_a_pdf_of_an_image_has_no_text_layer(pdfs, config):
    assert pdf_text.has_text(pdfs["tab"], config.limits) and pdf_text.has_text(pdfs["tabel"], config.limits)
    assert pdf_text.text_lines(pdfs["gambar"], config.limits) == []
    assert not pdf_text.has_text(pdfs["gambar"], config.limits)


def test_only_the_first_pages_are_read(pdfs, config):
    assert "HALAMAN KE-2" in words(pdf_text.text_lines(pdfs["tiga"], config.limits))
    assert "HALAMAN KE-3" not in words(pdf_text.text_lines(pdfs["tiga"], config.limits))
    assert "HALAMAN KE-3" in words(pdf_text.text_lines(pdfs["tiga"], config.limits, pages=3))
    first = pdf_text.text_lines(pdfs["tiga"], config.limits, pages=1)
    assert words(first) == ["NOTA DINAS", "Nomor : 005/88/ULP-LITBANG/X/2026"]


def test_the_text_read_is_bounded(pdfs, config):
    whole = "\n".join(pdf_text.text_lines(pdfs["tab"], config.limits))
    cut = pdf_text.text_lines(pdfs["tab"], config.limits, max_bytes=100)
    assert len("\n".join(cut).encode("utf-8")) <= 100 < len(whole.encode("utf-8"))
    assert whole.startswith("\n".join(cut[:-1]))


def test_a_pdf_that_takes_too_long_is_refused_with_the_limit_named(pdfs, config):
    limits = dataclasses.replace(config.limits, max_read_seconds=0.000001)
    with pytest.raises(InputRefused) as refused:
        pdf_text.text_lines(pdfs["tab"], limits)
    assert refused.value.reasons == [
        "Teks PDF tidak dapat dibaca dalam batas waktu 1e-06 detik (limits.max_read_seconds). Minta pengirim "
        "mengirim ulang PDF-nya, atau sertakan berkas YAML pendamping."
    ]
    assert not pdf_text.has_text(pdfs["tab"], limits)


def test_a_damaged_pdf_is_refused_and_no_shell_reads_the_name(pdfs, config):
    hostile = pdfs["folder"] / "-x; touch dibobol.pdf"
    hostile.write_bytes(pdfs["tab"].read_bytes()[:400])
    with pytest.raises(InputRefused) as refused:
        pdf_text.text_lines(hostile, config.limits)
    assert refused.value.reasons == [
        "Teks PDF tidak dapat dibaca (berkas rusak atau terkunci sandi). Minta pengirim mengirim ulang "
        "PDF-nya, atau sertakan berkas YAML pendamping."
    ]
    assert not (pdfs["folder"] / "dibobol.pdf").exists() and not list(pdfs["folder"].glob("dibobol*"))
    named = pdfs["folder"] / "-nama aneh; $(id).pdf"
    shutil.copy(pdfs["tab"], named)
    assert pdf_text.has_text(named, config.limits)
