"""The letter that leaves, signed: PAdES with the institution's certificate (signing.method pkcs12)."""

import json
import shutil
import subprocess
import sys

import pytest
from support.builders import MEMO_NOMOR, action, registration_yaml, tab_memo
from support.ca import make_ca
from support.cli import invoke, jsonl
from support.processes import FAULTS
from support.workspace import configure, make_workspace

from pipeline.documents import proof
from pipeline.letters import signing

pytestmark = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftoppm")),
    reason="LibreOffice dan pdftoppm belum terpasang; .ci/run memasangnya",
)


def to_approval(ws):
    tab_memo(ws.inbox / "nota.docx")
    action(ws.inbox / "kapus.yaml", "disposisi_kapus")
    action(ws.inbox / "kabid.yaml", "disposisi_kabid")
    registration_yaml(ws.inbox / "registrasi.yaml")
    invoke(ws, "run")
    for langkah in ("otentikasi", "periksa"):
        assert invoke(ws, "act", MEMO_NOMOR, langkah).exit_code == 0


@pytest.fixture(scope="module")
def ready(tmp_path_factory):
    """A workspace signing with pkcs12 whose case waits for approval (built once: LibreOffice is slow)."""
    folder = tmp_path_factory.mktemp("ttd")
    root, p12 = make_ca(folder)
    ws = make_workspace(
        folder / "ws",
        {
            "signing": {"method": "pkcs12", "certificate": str(p12), "trust_roots": [str(root)]},
            "verification": {"base_url": "https://intranet.kemendagri.go.id/spse/kode"},
        },
        pdf=True,
    )
    to_approval(ws)
    return folder


@pytest.fixture
def signed_ws(ready, tmp_path, monkeypatch):
    """A copy of the ready workspace for one test."""
    from pipeline import config as config_module

    monkeypatch.setenv("SPSE_PASSPHRASE", "rahasia-uji")
    shutil.copytree(ready, tmp_path / "salinan", symlinks=True)
    path = tmp_path / "salinan" / "ws" / "config.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(str(ready), str(tmp_path / "salinan")), encoding="utf-8")
    ws = config_module.load(path)
    return ws, ws.signing.trust_roots[0]


def test_approval_signs_the_letter_and_verify_trusts_it(signed_ws, tmp_path):
    import zxingcpp
    from PIL import Image

    ws, _ = signed_ws
    assert invoke(ws, "act", MEMO_NOMOR, "setujui", "--oleh", "Dr. Ir. Suryo Wibowo, M.T.").exit_code == 0
    [letter] = jsonl(invoke(ws, "register", "--json", "--buku", "keluar"))
    pdf = ws.root / letter["berkas"]["nota-dinas.pdf"]
    [check] = signing.check_pdf(ws.signing, pdf)
    assert check.intact and check.trusted and check.signer == "Dr. Ir. Suryo Wibowo, M.T."
    assert letter["ditandatangani"]
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "telah ditandatangani secara elektronik menggunakan sertifikat elektronik" in text
    assert letter["nomor_surat"] in text and "KONSEP" not in text
    _page, box = signing.stamp_box(pdf)
    assert box[1] > 150  # at the signature's place (the template's TTE bookmark), not the page's foot
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-l", "1", str(pdf), str(tmp_path / "surat")], check=True)
    codes = {b.text for b in zxingcpp.read_barcodes(Image.open(next(tmp_path.glob("surat*.png"))))}
    urls = [c for c in codes if c.startswith("https://intranet.kemendagri.go.id/spse/kode/")]
    assert urls
    name = urls[0].rsplit("/", 1)[1]  # the letter's page, named from its code with the workspace's key
    assert name == proof.page_name(proof.key(ws.archive), letter["kode"])
    assert letter["kode"] in (ws.outbox / "status" / "kode" / name).read_text(encoding="utf-8")
    found = json.loads(invoke(ws, "verify", "--kode", letter["kode"], "--json").output)
    assert found["status"] == "sah" and found["dokumen"].endswith("nota-dinas.pdf")
    assert found["isi"]["tanda_tangan"] == "elektronik (sertifikat instansi)"
    assert "Arsip utuh" in invoke(ws, "verify").output
    # sent, it goes to SRIKANDI as the signed PDF with the form's fields
    assert invoke(ws, "act", MEMO_NOMOR, "kirim").exit_code == 0
    assert invoke(ws, "export", "srikandi", str(tmp_path / "unggah")).exit_code == 0
    [bundled] = (tmp_path / "unggah").glob("*/*.pdf")
    assert bundled.read_bytes() == pdf.read_bytes() and signing.check_pdf(ws.signing, bundled)[0].trusted
    fields = json.loads((bundled.parent / "isian-srikandi.json").read_text(encoding="utf-8"))
    assert (fields["nomor"], fields["tanda_tangan"]) == (letter["nomor_surat"], "elektronik (sertifikat instansi)")


def test_a_tampered_signed_letter_is_caught(signed_ws):
    ws, _ = signed_ws
    invoke(ws, "act", MEMO_NOMOR, "setujui")
    [letter] = jsonl(invoke(ws, "register", "--json", "--buku", "keluar"))
    pdf = ws.root / letter["berkas"]["nota-dinas.pdf"]
    data = bytearray(pdf.read_bytes())
    index = data.find(b"/Contents", 2000)
    data[index - 40] ^= 0x01
    pdf.chmod(0o644)
    pdf.write_bytes(bytes(data))
    kinds = {p["jenis"] for p in jsonl(invoke(ws, "verify", "--json"))}
    assert {"berkas_berubah", "tanda_tangan"} <= kinds


def test_an_untrusted_signer_is_named(signed_ws, tmp_path):
    ws, _ = signed_ws
    invoke(ws, "act", MEMO_NOMOR, "setujui")
    other_root, _ = make_ca(tmp_path / "lain" if (tmp_path / "lain").mkdir() is None else tmp_path)
    text = ws.path.read_text(encoding="utf-8").replace(str(ws.signing.trust_roots[0]), str(other_root))
    ws.path.write_text(text, encoding="utf-8")
    found = [p for p in jsonl(invoke(ws, "verify", "--json")) if p["jenis"] == "tanda_tangan"]
    assert found and "tidak dipercaya oleh signing.trust_roots" in found[0]["pesan"]


def test_without_the_passphrase_the_approval_waits_and_says_why(signed_ws, monkeypatch):
    ws, _ = signed_ws
    monkeypatch.delenv("SPSE_PASSPHRASE")
    result = invoke(ws, "act", MEMO_NOMOR, "setujui")
    assert "Frasa sandi sertifikat belum diberikan: isi variabel lingkungan SPSE_PASSPHRASE" in result.output
    assert jsonl(invoke(ws, "register", "--json", "--buku", "keluar")) == []
    monkeypatch.setenv("SPSE_PASSPHRASE", "salah")
    assert "tidak dapat dibuka" in invoke(ws, "run").output
    monkeypatch.setenv("SPSE_PASSPHRASE", "rahasia-uji")
    invoke(ws, "run")
    assert len(jsonl(invoke(ws, "register", "--json", "--buku", "keluar"))) == 1


def test_with_a_time_stamp_server_the_signature_is_pades_b_t(signed_ws):
    import datetime as dt

    from support.tsa_standin import TimeStampServer

    ws, _ = signed_ws
    when = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(seconds=30)
    with TimeStampServer(when) as tsa:
        ws = configure(ws.path, {"signing": {"tsa_url": tsa.url}})
        assert invoke(ws, "act", MEMO_NOMOR, "setujui").exit_code == 0
        assert tsa.requests >= 1  # pyHanko also asks once to size the signature
    [letter] = jsonl(invoke(ws, "register", "--json", "--buku", "keluar"))
    [check] = signing.check_pdf(ws.signing, ws.root / letter["berkas"]["nota-dinas.pdf"])
    assert check.intact and check.trusted and check.timestamped and check.signed_at == when


def test_a_time_stamp_server_that_does_not_answer_is_named_and_the_approval_waits(signed_ws):

    ws, _ = signed_ws
    ws = configure(ws.path, {"signing": {"tsa_url": "http://127.0.0.1:9/tsa"}})
    result = invoke(ws, "act", MEMO_NOMOR, "setujui")
    assert "Server cap waktu http://127.0.0.1:9/tsa (signing.tsa_url) tidak memberi cap waktu" in " ".join(
        result.output.split()
    )
    assert "Arsip tidak dapat ditulis" not in result.output
    assert jsonl(invoke(ws, "register", "--json", "--buku", "keluar")) == []


def test_content_drawn_over_a_signed_letter_breaks_its_signature(signed_ws):
    """An incremental update after the signature (a white box over the text, say) leaves pyHanko's
    digest intact; it is still a letter changed after signing, and verify says so."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    ws, _ = signed_ws
    assert invoke(ws, "act", MEMO_NOMOR, "setujui").exit_code == 0
    [letter] = jsonl(invoke(ws, "register", "--json", "--buku", "keluar"))
    pdf = ws.root / letter["berkas"]["nota-dinas.pdf"]
    with open(pdf, "rb") as handle:
        writer = IncrementalPdfFileWriter(handle, strict=False)
        box = writer.add_object(generic.StreamObject(stream_data=b"q 1 1 1 rg 60 400 480 200 re f Q"))
        writer.add_stream_to_page(0, box)
        changed = pdf.with_name("diubah.pdf")
        with open(changed, "wb") as output:
            writer.write(output)
    [check] = signing.check_pdf(ws.signing, changed)
    assert not check.intact and check.problem == "Isi dokumen diubah setelah ditandatangani."
    pdf.chmod(0o644)
    changed.replace(pdf)
    result = invoke(ws, "verify")
    assert result.exit_code == 1 and "rusak atau dokumennya diubah setelah ditandatangani" in " ".join(
        result.output.split()
    )


def test_a_voided_signed_letter_and_its_successor_both_verify(signed_ws):
    ws, _ = signed_ws
    assert invoke(ws, "act", MEMO_NOMOR, "setujui").exit_code == 0
    [first] = jsonl(invoke(ws, "register", "--json", "--buku", "keluar"))
    assert invoke(ws, "batal", first["nomor_surat"], "--alasan", "Salah tanggal").exit_code == 0
    assert invoke(ws, "act", MEMO_NOMOR, "setujui").exit_code == 0
    first, second = jsonl(invoke(ws, "register", "--json", "--buku", "keluar"))
    assert first["batal"] and second["ditandatangani"] and second["nomor_urut"] == 2
    result = invoke(ws, "verify")
    assert result.exit_code == 0 and "Arsip utuh" in result.output, result.output


def test_a_letter_approved_while_libreoffice_fails_is_numbered_and_signed_when_its_pdf_is_made(
    signed_ws, tmp_path, monkeypatch
):
    """The number and the .docx are filed at once; signing waits for the PDF (status says so, kirim
    is refused), and the PDF made later is signed before it joins the letter's folder."""
    import os

    ws, _ = signed_ws
    broken = tmp_path / "bin"
    broken.mkdir()
    (broken / "soffice").write_text("#!/bin/sh\nexit 3\n")
    (broken / "soffice").chmod(0o755)
    monkeypatch.setenv("PATH", f"{broken}{os.pathsep}{os.environ['PATH']}")
    assert invoke(ws, "act", MEMO_NOMOR, "setujui").exit_code == 0
    [letter] = jsonl(invoke(ws, "register", "--json", "--buku", "keluar"))
    assert "nota-dinas.docx" in letter["berkas"] and "nota-dinas.pdf" not in letter["berkas"]
    assert not letter["ditandatangani"]
    [case] = jsonl(invoke(ws, "status", "--json"))
    assert [o["menunggu_ttd"] for o in case["pdf_terutang"]] == [True]
    assert "tanda tangan elektronik Nota Dinas menunggu PDF ini" in " ".join(invoke(ws, "status").output.split())
    sent = invoke(ws, "act", MEMO_NOMOR, "kirim")
    assert (
        sent.exit_code == 1
        and "belum dapat ditandatangani secara elektronik karena PDF-nya belum dibuat" in " ".join(sent.output.split())
    )
    monkeypatch.setenv("PATH", os.environ["PATH"].split(os.pathsep, 1)[1])
    # killed after the signed PDF joined the folder, before it was recorded: the next run records the signing
    killed = subprocess.run(
        [
            sys.executable,
            str(FAULTS),
            "after_owed_pdf_placed",
            "1",
            "--",
            "--config",
            str(ws.path),
            "pdf",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert killed.returncode == -9, killed.stderr
    assert invoke(ws, "pdf").exit_code == 0
    [letter] = jsonl(invoke(ws, "register", "--json", "--buku", "keluar"))
    assert letter["ditandatangani"]
    pdf = (ws.root / letter["berkas"]["nota-dinas.docx"]).with_suffix(".pdf")  # made later, beside it
    [check] = signing.check_pdf(ws.signing, pdf)
    assert check.intact and check.trusted
    assert invoke(ws, "act", MEMO_NOMOR, "kirim").exit_code == 0
    result = invoke(ws, "verify")
    assert result.exit_code == 0 and "Arsip utuh" in result.output, result.output
