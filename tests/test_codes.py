"""Verification codes and QR codes on every generated document."""

import json
import shutil
import subprocess

import pytest
from support.builders import HEADER, docx_text, tab_memo
from support.cli import invoke
from support.workspace import make_workspace

from pipeline import config as config_module
from pipeline.documents import codes, proof

OFFICE = shutil.which("soffice") and shutil.which("pdftoppm")


def test_codes_are_typable_and_read_back_however_typed():
    code = codes.new_code("0" * 64, "2026-0001", "daftar_verifikasi")
    assert len(code) == 11 and code[5] == "-" and set(code.replace("-", "")) <= set(codes.ALPHABET)
    assert codes.normalise(code.lower().replace("-", " ")) == code
    assert codes.normalise("0O1IL-23456") == "00111-23456"
    assert codes.normalise("ABC") is None


def test_every_document_carries_a_code_that_resolves(config):
    tab_memo(config.inbox / "nota.docx")
    invoke(config, "run")
    [sheet] = config.outbox.glob("*/*_lembar-disposisi.docx")
    text = docx_text(sheet)
    code = text.split("Kode verifikasi: ")[1][:11]
    assert f"pipeline verify --kode {code}" in text
    result = invoke(config, "verify", "--kode", code.lower(), "--json")
    found = json.loads(result.output)
    assert result.exit_code == 0 and found["status"] == "sah" and found["utuh"]
    assert found["dokumen"].endswith("/lembar-disposisi.docx") and found["nomor"].endswith("/SM/" + found["kasus"][:4])
    import hashlib

    assert found["sha256"] == hashlib.sha256((config.root / found["dokumen"]).read_bytes()).hexdigest()


def test_a_replaced_version_says_so_and_an_unknown_code_is_refused(config):
    from support.builders import action

    tab_memo(config.inbox / "nota.docx")
    invoke(config, "run")
    first = docx_text(next(config.outbox.glob("*/*_lembar-disposisi.docx"))).split("Kode verifikasi: ")[1][:11]
    action(config.inbox / "kapus.yaml", "disposisi_kapus")
    invoke(config, "run")
    result = invoke(config, "verify", "--kode", first, "--json")
    assert result.exit_code == 1 and json.loads(result.output)["status"] == "diganti"
    unknown = invoke(config, "verify", "--kode", "AAAAA-BBBBB")
    assert unknown.exit_code == 1 and "TIDAK DIKENAL" in unknown.output


@pytest.mark.skipif(not OFFICE, reason="LibreOffice (soffice) dan pdftoppm belum terpasang; .ci/run memasangnya")
def test_the_qr_on_the_printed_page_leads_to_the_document(tmp_path):
    import zxingcpp
    from PIL import Image

    ws = make_workspace(
        tmp_path / "ws",
        {"verification": {"base_url": "https://intranet.kemendagri.go.id/spse/kode"}},
        pdf=True,
    )
    tab_memo(ws.inbox / "nota.docx", HEADER)
    invoke(ws, "run")
    [sheet] = ws.outbox.glob("*/*_lembar-disposisi.pdf")
    subprocess.run(["pdftoppm", "-png", "-r", "150", str(sheet), str(tmp_path / "hal")], check=True)
    [page] = tmp_path.glob("hal*.png")
    [found] = zxingcpp.read_barcodes(Image.open(page))
    assert found.text.startswith("https://intranet.kemendagri.go.id/spse/kode/")
    name = found.text.rsplit("/", 1)[1]  # the page named from the code with the workspace's key
    code = docx_text(next(ws.outbox.glob("*/*_lembar-disposisi.docx"))).split("Kode verifikasi: ")[1][:11]
    page = ws.outbox / "status" / "kode" / name
    assert name == proof.page_name(proof.key(ws.archive), code) and code in page.read_text(encoding="utf-8")
    assert json.loads(invoke(ws, "verify", "--kode", code, "--json").output)["status"] == "sah"


def test_a_static_page_per_code_says_what_the_code_says(config):
    from support.builders import action

    tab_memo(config.inbox / "nota.docx", {**HEADER, "Hal": "<script>alert(1)</script> Permohonan"})
    invoke(config, "run")
    first = docx_text(next(config.outbox.glob("*/*_lembar-disposisi.docx"))).split("Kode verifikasi: ")[1][:11]
    page = config.outbox / "status" / "kode" / proof.page_name(proof.key(config.archive), first)
    text = page.read_text(encoding="utf-8")
    assert ">SAH<" in text and first in text and "<script>" not in text and "http" not in text.split("<style>")[0]
    action(config.inbox / "kapus.yaml", "disposisi_kapus")
    invoke(config, "run")
    assert ">DIGANTI<" in page.read_text(encoding="utf-8")


def test_a_document_field_never_hides_the_code_nor_the_code_a_field():
    printed = {"kode": "7KQ2M-XH4PD"}
    assert codes.attach({"hal": "x"}, printed) == {"hal": "x", "keaslian": printed}
    with pytest.raises(RuntimeError, match="keaslian"):
        codes.attach({"keaslian": "temuan"}, printed)


@pytest.fixture(scope="module")
def letter_ws(tmp_path_factory):
    """A workspace (PDF on, a base_url) whose Nota Dinas is numbered; (config, its verify --kode JSON)."""
    from support.builders import action, registration_yaml

    ws = make_workspace(
        tmp_path_factory.mktemp("surat") / "ws",
        {"verification": {"base_url": "https://intranet.kemendagri.go.id/spse/kode"}},
        pdf=bool(OFFICE),
    )
    tab_memo(ws.inbox / "nota.docx", HEADER)
    action(ws.inbox / "kapus.yaml", "disposisi_kapus")
    action(ws.inbox / "kabid.yaml", "disposisi_kabid")
    registration_yaml(ws.inbox / "registrasi.yaml")
    invoke(ws, "run")
    for langkah in ("otentikasi", "periksa", "setujui"):
        assert invoke(ws, "act", HEADER["Nomor"], langkah).exit_code == 0
    [letter] = [json.loads(line) for line in invoke(ws, "register", "--json", "--buku", "keluar").output.splitlines()]
    return ws, letter


def test_a_letter_code_shows_what_the_genuine_letter_says_and_asks_for_the_comparison(letter_ws):
    """A matching code proves only that the register issued it (it can be copied onto a forgery): the answer
    names the letter's content, its signer, how it was signed and its pages, and says that comparing is the check."""
    from PIL import Image

    from pipeline.formats import tanggal

    ws, letter = letter_ws
    pages = "1" if OFFICE else "tidak diketahui"
    result = invoke(ws, "verify", "--kode", letter["kode"].lower())
    assert result.exit_code == 0
    assert result.output.split("Isi dokumen asli:\n")[1] == (
        "  Jenis dokumen: Nota Dinas\n"
        f"  Nomor: {letter['nomor_surat']}\n"
        f"  Tanggal: {tanggal(letter['tanggal_surat'])}\n"
        "  Kepada: Ketua Unit Layanan Pengadaan Badan Penelitian dan Pengembangan\n"
        "  Hal: Hasil Fasilitasi Pemanfaatan SPSE\n"
        "  Penanda tangan: Dr. Ir. Suryo Wibowo, M.T.\n"
        "  Tanda tangan: belum ditandatangani\n"
        f"  Jumlah halaman: {pages}\n"
        f"{proof.COMPARE}\n"
    )
    assert proof.COMPARE == (
        "Kode yang cocok saja tidak membuktikan keaslian, karena kode dapat disalin ke surat palsu. Bandingkan "
        "kertas yang Anda pegang dengan isi dokumen asli di atas: jenis, nomor, tanggal, tujuan atau pengirim, hal, "
        "penanda tangan, cara penandatanganan dan jumlah halaman harus sama. Bila ada yang berbeda, dokumen itu "
        "bukan dokumen asli; laporkan kepada pengelola arsip."
    )
    Image.new("RGB", (80, 100), "white").save(ws.inbox / (letter["nomor_surat"].replace("/", "-") + ".png"))
    assert "1 diterima." in invoke(ws, "run").output  # the letter signed in ink, scanned
    found = json.loads(invoke(ws, "verify", "--kode", letter["kode"], "--json").output)
    assert {"kode", "status", "kasus", "dokumen", "jenis", "nomor", "sha256", "dibuat", "utuh", "pesan"} <= set(found)
    assert found["isi"] == {
        "jenis_dokumen": "Nota Dinas",
        "nomor": letter["nomor_surat"],
        "tanggal": letter["tanggal_surat"][:10],
        "kepada": "Ketua Unit Layanan Pengadaan Badan Penelitian dan Pengembangan",
        "dari": None,
        "hal": "Hasil Fasilitasi Pemanfaatan SPSE",
        "penandatangan": "Dr. Ir. Suryo Wibowo, M.T.",
        "tanda_tangan": "basah (pindaian)",
        "halaman": 1 if OFFICE else None,
    }
    assert found["periksa"] == proof.COMPARE
    page = ws.outbox / "status" / "kode" / proof.page_name(proof.key(ws.archive), letter["kode"])
    text = " ".join(page.read_text(encoding="utf-8").split())
    assert "<td>Tanda tangan</td><td>basah (pindaian)</td>" in text and proof.COMPARE in text
    assert "<td>Hal</td><td>Hasil Fasilitasi Pemanfaatan SPSE</td>" in text


def test_the_pages_reveal_no_code_and_a_page_the_register_never_issued_is_found(letter_ws, tmp_path):
    """No name in outbox/status/kode/ is a code (a listing enumerates nothing; the folder has its own index page);
    a page planted there, and a page of the earlier layout named by its code, are named by verify."""
    ws, letter = letter_ws
    folder = ws.outbox / "status" / "kode"
    issued = [
        json.loads(line)["kode"] for line in invoke(ws, "register", "--json", "--buku", "keluar").output.splitlines()
    ]
    names = sorted(p.name for p in folder.iterdir())
    assert "index.html" in names and len(names) > 2
    assert not [n for n in names if codes.normalise(n.removesuffix(".html")) or any(c in n.upper() for c in issued)]
    assert invoke(ws, "verify").exit_code == 0
    copy = tmp_path / "salinan"
    shutil.copytree(ws.root, copy, symlinks=True)
    ws = config_module.load(copy / "config.yaml")
    (ws.outbox / "status" / "kode" / "palsu.html").write_text("<p>SAH</p>", encoding="utf-8")
    (ws.outbox / "status" / "kode" / letter["kode"]).mkdir()
    result = invoke(ws, "verify", "--json")
    found = {p["lokasi"]: p for p in map(json.loads, result.output.splitlines())}
    assert result.exit_code == 1
    assert found["outbox/status/kode/palsu.html"] == {
        "jenis": "halaman_tak_dikenal",
        "lokasi": "outbox/status/kode/palsu.html",
        "pesan": "Halaman outbox/status/kode/palsu.html ada di folder halaman verifikasi tetapi bukan halaman kode "
        "yang diterbitkan register; halaman itu dapat menyatakan sah dokumen yang tidak pernah dibuat. Hapus "
        "halaman itu dan periksa siapa yang menaruhnya.",
    }
    old = f"outbox/status/kode/{letter['kode']}"
    assert found[old]["pesan"] == (
        f"Folder {old} adalah halaman verifikasi bentuk lama yang dinamai dengan kodenya, "
        "sehingga kode dokumen dapat didaftar oleh siapa pun. Hapus folder itu."
    )
