"""Every printed document also as PDF, made by headless LibreOffice outside any transaction."""

import json
import shutil
import subprocess

import pytest
from support.builders import MEMO_NOMOR, action, docx_text, registration_yaml, tab_memo
from support.cli import invoke
from support.workspace import make_workspace

from pipeline.documents import pdf

pytestmark = pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice belum terpasang; .ci/run memasangnya")


def pdf_text(path):
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_each_document_has_its_pdf_in_the_outbox_and_the_archive(tmp_path):
    ws = make_workspace(tmp_path / "ws", pdf=True)
    tab_memo(ws.inbox / "nota.docx")
    action(ws.inbox / "kapus.yaml", "disposisi_kapus")
    action(ws.inbox / "kabid.yaml", "disposisi_kabid")
    registration_yaml(ws.inbox / "registrasi.yaml")
    assert invoke(ws, "run").exit_code == 0
    docx = sorted(p.stem for p in ws.outbox.glob("*/*.docx"))
    assert docx == sorted(p.stem for p in ws.outbox.glob("*/*.pdf")) and len(docx) >= 5
    [entry] = [json.loads(line) for line in invoke(ws, "register", "--json").output.splitlines()]
    assert {"lembar-disposisi.docx", "lembar-disposisi.pdf"} <= set(entry["berkas"])
    sheet = ws.root / entry["berkas"]["lembar-disposisi.pdf"]
    text = pdf_text(sheet)
    assert "LEMBAR DISPOSISI" in text and MEMO_NOMOR in text and "Kode verifikasi" in text
    assert "Arsip utuh" in invoke(ws, "verify").output
    # the letter printed, signed in ink and scanned is filed beside it; the printed letter is not an
    # electronic signature, so verify asks none of it. The unsigned letter itself is no signed copy.
    for langkah in ("otentikasi", "periksa", "setujui"):
        assert invoke(ws, "act", MEMO_NOMOR, langkah).exit_code == 0
    letter = json.loads(invoke(ws, "register", "--json", "--buku", "keluar").output)
    printed = ws.root / letter["berkas"]["nota-dinas.pdf"]
    named = letter["nomor_surat"].replace("/", "-")
    shutil.copyfile(printed, ws.inbox / f"{named}.pdf")
    assert "sama persis dengan Nota Dinas" in " ".join(invoke(ws, "run").output.split())
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", str(printed), str(ws.inbox / named)], check=True)
    assert "1 diterima." in invoke(ws, "run").output
    assert invoke(ws, "act", MEMO_NOMOR, "kirim").exit_code == 0
    result = invoke(ws, "verify")
    assert result.exit_code == 0 and "Arsip utuh" in result.output, result.output


def test_without_libreoffice_documents_are_still_made_and_it_is_said_once(tmp_path, monkeypatch):
    ws = make_workspace(tmp_path / "ws", pdf=True)
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    tab_memo(ws.inbox / "nota.docx")
    result = invoke(ws, "run")
    assert result.output.count("LibreOffice belum terpasang") == 1
    assert "sudo apt-get install libreoffice-writer-nogui" in result.output
    assert list(ws.outbox.glob("*/*.pdf")) == [] and len(list(ws.outbox.glob("*/*.docx"))) == 1
    assert "Kode verifikasi" in docx_text(next(ws.outbox.glob("*/*.docx")))


def test_a_conversion_that_hangs_is_stopped_whole_and_sees_no_secret(tmp_path, monkeypatch):
    """soffice starts a child that does the work: the time limit stops both, so nothing is written
    into the staging folder after the limit; the converter never sees the signing passphrase."""
    import time

    from pipeline.errors import RenderError

    monkeypatch.setenv("SPSE_PASSPHRASE", "rahasia-uji")
    late, seen = tmp_path / "ditulis-terlambat", tmp_path / "lingkungan"
    slow = tmp_path / "soffice"
    slow.write_text(f"#!/bin/sh\nenv > {seen}\n(sleep 2; touch {late}) &\nsleep 30\n")
    slow.chmod(0o755)
    converter = pdf.Converter(True, timeout=1, binary=str(slow))
    source = tab_memo(tmp_path / "a.docx")
    with pytest.raises(RenderError, match="tidak dapat diubah menjadi PDF oleh LibreOffice \\(melebihi 1 detik\\)"):
        converter.convert([source], tmp_path)
    time.sleep(3)
    assert not late.exists()
    assert "rahasia-uji" not in seen.read_text() and "HOME=" in seen.read_text()
    converter.close()
