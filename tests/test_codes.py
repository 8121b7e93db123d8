"""Verification codes and QR codes on every generated document."""

import json
import shutil
import subprocess

import pytest
from builders import HEADER, docx_text, tab_memo
from click.testing import CliRunner

from pipeline import codes
from pipeline.cli import main

from conftest import make_workspace

OFFICE = shutil.which("soffice") and shutil.which("pdftoppm")


def invoke(ws, *args):
    return CliRunner().invoke(main, ["--config", str(ws.path), *args], catch_exceptions=False)


def test_codes_are_typable_and_read_back_however_typed():
    code = codes.new_code("0" * 64, "2026-0001", "daftar_verifikasi")
    assert len(code) == 11 and code[5] == "-" and set(code.replace("-", "")) <= set(codes.ALPHABET)
    assert codes.normalise(code.lower().replace("-", " ")) == code
    assert codes.normalise("0O1IL-23456") == "00111-23456"
    assert codes.normalise("ABC") is None


def test_every_document_carries_a_code_that_resolves(ws):
    tab_memo(ws.inbox / "nota.docx")
    invoke(ws, "run")
    [sheet] = ws.outbox.glob("*/*_lembar-disposisi.docx")
    text = docx_text(sheet)
    code = text.split("Kode verifikasi: ")[1][:11]
    assert f"pipeline verify --kode {code}" in text
    result = invoke(ws, "verify", "--kode", code.lower(), "--json")
    found = json.loads(result.output)
    assert result.exit_code == 0 and found["status"] == "sah" and found["utuh"]
    assert found["dokumen"].endswith("/lembar-disposisi.docx") and found["nomor"].endswith("/SM/" + found["kasus"][:4])
    import hashlib
    assert found["sha256"] == hashlib.sha256((ws.root / found["dokumen"]).read_bytes()).hexdigest()


def test_a_replaced_version_says_so_and_an_unknown_code_is_refused(ws):
    from builders import action
    tab_memo(ws.inbox / "nota.docx")
    invoke(ws, "run")
    first = docx_text(next(ws.outbox.glob("*/*_lembar-disposisi.docx"))).split("Kode verifikasi: ")[1][:11]
    action(ws.inbox / "kapus.yaml", "disposisi_kapus")
    invoke(ws, "run")
    result = invoke(ws, "verify", "--kode", first, "--json")
    assert result.exit_code == 1 and json.loads(result.output)["status"] == "diganti"
    unknown = invoke(ws, "verify", "--kode", "AAAAA-BBBBB")
    assert unknown.exit_code == 1 and "TIDAK DIKENAL" in unknown.output


@pytest.mark.skipif(not OFFICE, reason="LibreOffice (soffice) dan pdftoppm belum terpasang; .ci/run memasangnya")
def test_the_qr_on_the_printed_page_leads_to_the_document(tmp_path):
    import zxingcpp
    from PIL import Image
    ws = make_workspace(tmp_path / "ws", pdf=True, **{"verification:\n  base_url:": "verification:\n  base_url: "
                                                      "https://intranet.kemendagri.go.id/spse/kode"})
    tab_memo(ws.inbox / "nota.docx", HEADER)
    invoke(ws, "run")
    [sheet] = ws.outbox.glob("*/*_lembar-disposisi.pdf")
    subprocess.run(["pdftoppm", "-png", "-r", "150", str(sheet), str(tmp_path / "hal")], check=True)
    [page] = tmp_path.glob("hal*.png")
    [found] = zxingcpp.read_barcodes(Image.open(page))
    assert found.text.startswith("https://intranet.kemendagri.go.id/spse/kode/")
    code = found.text.rsplit("/", 1)[1]
    assert json.loads(invoke(ws, "verify", "--kode", code, "--json").output)["status"] == "sah"


def test_a_static_page_per_code_says_what_the_code_says(ws):
    from builders import action
    tab_memo(ws.inbox / "nota.docx", {**HEADER, "Hal": "<script>alert(1)</script> Permohonan"})
    invoke(ws, "run")
    first = docx_text(next(ws.outbox.glob("*/*_lembar-disposisi.docx"))).split("Kode verifikasi: ")[1][:11]
    page = ws.outbox / "status" / "kode" / first / "index.html"
    text = page.read_text(encoding="utf-8")
    assert ">SAH<" in text and first in text and "<script>" not in text and "http" not in text.split("<style>")[0]
    action(ws.inbox / "kapus.yaml", "disposisi_kapus")
    invoke(ws, "run")
    assert ">DIGANTI<" in page.read_text(encoding="utf-8")


def test_a_document_field_never_hides_the_code_nor_the_code_a_field():
    printed = {"kode": "7KQ2M-XH4PD"}
    assert codes.attach({"hal": "x"}, printed) == {"hal": "x", "keaslian": printed}
    with pytest.raises(RuntimeError, match="keaslian"):
        codes.attach({"keaslian": "temuan"}, printed)
