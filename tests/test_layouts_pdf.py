"""Every Nota Dinas layout of tests/support/layouts.py, exported to PDF by LibreOffice as a sending office
does, reads from the PDF's text layer with the same fields as from the .docx (docs/inputs.md)."""

import json
import shutil
import subprocess

import pytest
from support.layouts import LAYOUTS
from support.workspace import make_workspace

from pipeline.config import load
from pipeline.fields import parse_date
from pipeline.readers import read_letter
from pipeline.readers.validate import normalise_sifat

pytestmark = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext")),
    reason="LibreOffice dan poppler-utils belum terpasang; .ci/run memasangnya",
)

FIELDS = ("nomor", "tanggal", "dari", "kepada", "sifat", "lampiran", "hal", "tembusan")
# What cannot be read from a PDF, and why: in a table nested in a narrow cell LibreOffice breaks
# words mid-word across lines without a hyphen, so the text layer itself holds the broken words
# (docs/inputs.md, "PDF and scans"). Staff correct these fields when they check the register.
FROM_PDF = {
    "tabel-bersarang": {
        "nomor": "000.4.5/60 6/ADPIM/2026",
        "dari": "Kepala Biro Administr asi Pimpinan",
        "kepada": "Kepala Pusat Data, Informasi, Komunika si dan Telekomu nikasi",
        "hal": "Permohon an Fasilitasi Pemanfaat an SPSE",
    }
}
# Classes whose values wrap back to the left margin in the PDF's text, read also through `pipeline run`.
THROUGH_RUN = ["deret-tab", "kepada-di-kanan-bertab", "tanggal-sebaris-nomor-tab"]


@pytest.fixture(scope="session")
def layout_pdfs(tmp_path_factory):
    """Every layout class as a PDF, all converted in one LibreOffice call."""
    folder = tmp_path_factory.mktemp("layout-pdf")
    sources = [build(folder / f"{name}.docx") for name, (build, _) in LAYOUTS.items()]
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{folder}/lo-profil",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *map(str, sources),
        ],
        check=True,
        capture_output=True,
        timeout=900,
    )
    return {name: folder / f"{name}.pdf" for name in LAYOUTS}


def expected_from_pdf(name):
    """The .docx's fields, except where the PDF's own text cannot carry them (FROM_PDF)."""
    return {**LAYOUTS[name][1], **FROM_PDF.get(name, {})}


def as_registered(fields):
    """Fields as the register keeps them: the date as ISO, Sifat as one of the official values."""
    read = {key: fields.get(key, "") for key in FIELDS}
    read["tanggal"] = parse_date(read["tanggal"]).isoformat() if read["tanggal"] else ""
    read["sifat"] = normalise_sifat(read["sifat"])
    return read


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_layout_reads_from_its_pdf_like_the_docx(layout_pdfs, tmp_path, name):
    config = load(make_workspace(tmp_path / "ws").path)
    parsed = read_letter(layout_pdfs[name], config.limits, ocr=config.ocr)
    assert as_registered(parsed.fields) == expected_from_pdf(name)


@pytest.mark.parametrize("name", THROUGH_RUN)
def test_wrapped_layout_pdf_registers_through_run(layout_pdfs, tmp_path, name):
    from click.testing import CliRunner

    from pipeline.cli import main

    ws = make_workspace(tmp_path / "ws")
    shutil.copy(layout_pdfs[name], ws.inbox / f"{name}.pdf")
    result = CliRunner().invoke(main, ["--config", str(ws.path), "run"], catch_exceptions=False)
    assert result.exit_code == 0 and "1 diterima." in result.output, result.output
    expected = expected_from_pdf(name)
    listing = CliRunner().invoke(main, ["--config", str(ws.path), "register", "--json"]).output
    [entry] = [json.loads(line) for line in listing.splitlines() if line.strip()]
    assert (entry["nomor_surat"], entry["tanggal_surat"], entry["dari"], entry["hal"], entry["sifat"]) == (
        expected["nomor"],
        expected["tanggal"],
        expected["dari"],
        expected["hal"],
        expected["sifat"],
    )
    [meta] = ws.archive.glob("*/surat-masuk/*/metadata.json")
    memo = json.loads(meta.read_text(encoding="utf-8"))["nota_dinas"]
    assert {key: memo[key] for key in ("kepada", "lampiran", "tembusan")} == {
        key: expected[key] for key in ("kepada", "lampiran", "tembusan")
    }
