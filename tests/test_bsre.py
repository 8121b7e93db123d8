"""Signing through the agency's BSrE gateway (signing.method bsre), against a stand-in server."""

import json
import shutil

import pytest
from support.bsre_standin import NIK, PASSPHRASE, PASSWORD, TOTP, USER, StandIn, sign
from support.builders import MEMO_NOMOR, action, registration_yaml, tab_memo
from support.ca import make_ca
from support.cli import invoke, jsonl
from support.workspace import make_workspace

from pipeline.letters import signing

pytestmark = pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice belum terpasang; .ci/run memasangnya")


@pytest.fixture(scope="module")
def approved(tmp_path_factory):
    """A workspace signing through BSrE whose letter is numbered and waits for its signature."""
    folder = tmp_path_factory.mktemp("bsre")
    root, p12 = make_ca(folder)
    ws = make_workspace(
        folder / "ws",
        {"signing": {"method": "bsre", "trust_roots": [str(root)], "bsre": {"url": "http://127.0.0.1:9"}}},
        pdf=True,
    )
    tab_memo(ws.inbox / "nota.docx")
    action(ws.inbox / "kapus.yaml", "disposisi_kapus")
    action(ws.inbox / "kabid.yaml", "disposisi_kabid")
    registration_yaml(ws.inbox / "registrasi.yaml")
    invoke(ws, "run")
    for langkah in ("otentikasi", "periksa", "setujui"):
        assert invoke(ws, "act", MEMO_NOMOR, langkah).exit_code == 0
    return folder, p12


@pytest.fixture
def gateway_ws(approved, tmp_path, monkeypatch):
    from pipeline import config as config_module

    folder, _p12 = approved
    shutil.copytree(folder, tmp_path / "salinan")
    monkeypatch.setenv("SPSE_BSRE_USER", USER)
    monkeypatch.setenv("SPSE_BSRE_PASSWORD", PASSWORD)

    def load(url):
        path = tmp_path / "salinan" / "ws" / "config.yaml"
        text = path.read_text(encoding="utf-8").replace(str(folder), str(tmp_path / "salinan"))
        path.write_text(text.replace("http://127.0.0.1:9", url), encoding="utf-8")
        return config_module.load(path)

    return load, tmp_path / "salinan" / "kapus.p12"


@pytest.mark.parametrize("mode", ["ok", "error-with-file"])
def test_the_signer_signs_at_the_terminal_and_the_letter_is_filed_signed(gateway_ws, mode):
    load, p12 = gateway_ws
    with StandIn(p12, mode=mode) as gateway:
        ws = load(gateway.url)
        refused = invoke(ws, "act", MEMO_NOMOR, "kirim")
        assert refused.exit_code == 1 and "belum ditandatangani secara elektronik" in refused.output
        result = invoke(ws, "tandatangani", MEMO_NOMOR, input=f"{NIK}\n{PASSPHRASE}\n")
        assert result.exit_code == 0, result.output
        assert PASSPHRASE not in result.output and "telah ditandatangani secara elektronik" in result.output
    [letter] = jsonl(invoke(ws, "register", "--json", "--buku", "keluar"))
    assert letter["ditandatangani"] and letter["ditandatangani_oleh"].startswith("Dr. Ir. Suryo Wibowo, M.T. (akun ")
    [copy] = (ws.root / letter["berkas"]["nota-dinas.pdf"]).parent.glob("ttd_v1/asli_*.pdf")
    [check] = signing.check_pdf(ws.signing, copy)
    assert check.intact and check.trusted
    assert PASSPHRASE not in "".join(p.read_text(errors="ignore") for p in ws.root.rglob("*.json"))
    assert invoke(ws, "act", MEMO_NOMOR, "kirim").exit_code == 0
    assert "Arsip utuh" in invoke(ws, "verify").output
    assert invoke(ws, "export", "srikandi", str(ws.root.parent / "unggah")).exit_code == 0
    [bundled] = (ws.root.parent / "unggah").glob("*/*.pdf")
    assert bundled.read_bytes() == copy.read_bytes()
    fields = json.loads((bundled.parent / "isian-srikandi.json").read_text(encoding="utf-8"))
    assert fields["tanda_tangan"] == "elektronik (BSrE)"


def test_a_wrong_passphrase_is_said_and_nothing_is_filed(gateway_ws):
    load, p12 = gateway_ws
    with StandIn(p12) as gateway:
        ws = load(gateway.url)
        result = invoke(ws, "tandatangani", MEMO_NOMOR, input=f"{NIK}\nsalah\n")
    assert result.exit_code == 1 and "Gateway BSrE tidak menandatangani surat: Passphrase anda salah" in result.output
    assert not jsonl(invoke(ws, "register", "--json", "--buku", "keluar"))[0]["ditandatangani"]


def test_a_gateway_answer_that_is_not_a_signed_letter_is_refused(gateway_ws):
    load, p12 = gateway_ws
    with StandIn(p12, mode="broken") as gateway:
        ws = load(gateway.url)
        result = invoke(ws, "tandatangani", MEMO_NOMOR, input=f"{NIK}\n{PASSPHRASE}\n")
    assert result.exit_code == 1 and "bukan Nota Dinas" in result.output and "bertanda tangan utuh" in result.output


def test_totp_instead_of_a_passphrase(gateway_ws):
    load, p12 = gateway_ws
    with StandIn(p12) as gateway:
        ws = load(gateway.url)
        result = invoke(ws, "tandatangani", MEMO_NOMOR, "--totp", input=f"{NIK}\n{TOTP}\n")
        assert result.exit_code == 0, result.output
        assert [path for path, _ in gateway.requests] == ["/api/v2/sign/get/totp", "/api/v2/sign/pdf"]


def _png_scan(pdf, target):
    """A page of ``pdf`` as an image, the way a scanner hands it over."""
    import subprocess

    subprocess.run(["pdftoppm", "-png", "-r", "50", "-singlefile", str(pdf), str(target.with_suffix(""))], check=True)
    return target


def test_only_a_signed_copy_of_the_approved_letter_counts_as_signed(gateway_ws, tmp_path):
    """A copy of the unsigned letter is refused; a PDF signed electronically that is not the approved
    letter is refused; an ink scan is archived but does not stand for the BSrE signature."""
    load, p12 = gateway_ws
    ws = load("http://127.0.0.1:9")
    [letter] = jsonl(invoke(ws, "register", "--json", "--buku", "keluar"))
    own = ws.root / letter["berkas"]["nota-dinas.pdf"]
    named = letter["nomor_surat"].replace("/", "-")
    shutil.copyfile(own, ws.inbox / f"{named}.pdf")
    invoke(ws, "run")
    [refused] = [e for e in jsonl(invoke(ws, "journal", "--json")) if e["berkas"] == f"{named}.pdf"]
    assert refused["hasil"] == "ditolak" and "sama persis dengan Nota Dinas" in refused["alasan"][0]

    konsep = next(ws.root.glob("archive/*/surat-masuk/*/dokumen/*/konsep-nota-dinas.pdf"))
    (ws.inbox / f"{named}.pdf").write_bytes(sign(p12, "rahasia-uji", konsep.read_bytes()))
    invoke(ws, "run")
    last = [e for e in jsonl(invoke(ws, "journal", "--json")) if e["berkas"] == f"{named}.pdf"][-1]
    assert last["hasil"] == "ditolak" and "bukan Nota Dinas yang disetujui" in last["alasan"][0]

    _png_scan(own, ws.inbox / f"{named}.png")
    assert "1 diterima." in invoke(ws, "run").output
    refused = invoke(ws, "act", MEMO_NOMOR, "kirim")
    assert refused.exit_code == 1 and "belum ditandatangani secara elektronik" in refused.output


def test_secrets_are_nowhere_in_the_workspace_and_copies_of_both_kinds_are_kept(gateway_ws, tmp_path):
    load, p12 = gateway_ws
    with StandIn(p12) as gateway:
        ws = load(gateway.url)
        assert invoke(ws, "tandatangani", MEMO_NOMOR, input=f"{NIK}\n{PASSPHRASE}\n").exit_code == 0
    [letter] = jsonl(invoke(ws, "register", "--json", "--buku", "keluar"))
    _png_scan(
        ws.root / letter["berkas"]["nota-dinas.pdf"], ws.inbox / (letter["nomor_surat"].replace("/", "-") + ".png")
    )
    assert "1 diterima." in invoke(ws, "run").output  # an ink scan after the electronic copy: ttd_v2
    folder = (ws.root / letter["berkas"]["nota-dinas.pdf"]).parent
    assert sorted(p.name for p in folder.glob("ttd_v*")) == ["ttd_v1", "ttd_v2"]
    for path in ws.root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert PASSPHRASE.encode() not in data and NIK.encode() not in data and PASSWORD.encode() not in data, path
    assert "Arsip utuh" in invoke(ws, "verify").output


def _sign_visible(p12, pdf, box, passphrase="rahasia-uji"):
    """``pdf`` (bytes) signed once more, its stamp drawn at ``box`` on the first page."""
    import io

    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = signers.SimpleSigner.load_pkcs12(str(p12), passphrase=passphrase.encode())
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    fields.append_signature_field(writer, fields.SigFieldSpec("Kedua", on_page=0, box=box))
    output = io.BytesIO()
    signers.sign_pdf(
        writer, signers.PdfSignatureMetadata(field_name="Kedua", md_algorithm="sha256"), signer=signer, output=output
    )
    return output.getvalue()


def _dropped(ws, name, data):
    """The journal entry of ``data`` dropped in the inbox as ``name`` and taken by ``run``."""
    (ws.inbox / name).write_bytes(data)
    invoke(ws, "run")
    return [e for e in jsonl(invoke(ws, "journal", "--json")) if e["berkas"] == name][-1]


def test_a_self_made_certificate_named_like_the_kapus_is_refused_at_intake(gateway_ws, tmp_path):
    """Signed with a certificate of the same name from a CA outside signing.trust_roots: refused with the
    reason, the letter stays unsigned and kirim stays refused."""
    load, _ = gateway_ws
    ws = load("http://127.0.0.1:9")
    _, forged_p12 = make_ca(tmp_path)
    [letter] = jsonl(invoke(ws, "register", "--json", "--buku", "keluar"))
    own = (ws.root / letter["berkas"]["nota-dinas.pdf"]).read_bytes()
    entry = _dropped(ws, letter["nomor_surat"].replace("/", "-") + ".pdf", sign(forged_p12, "rahasia-uji", own))
    assert entry["hasil"] == "ditolak"
    assert entry["alasan"] == [
        f"Surat {letter['nomor_surat']} bertanda tangan elektronik tidak diarsipkan: sertifikat penanda tangan "
        "(Dr. Ir. Suryo Wibowo, M.T.) tidak dipercaya oleh signing.trust_roots: sertifikatnya tidak diterbitkan "
        "oleh otoritas sertifikat yang dipercaya atau tidak untuk tanda tangan. Tandatangani PDF Nota Dinas dari "
        "outbox dengan sertifikat dari otoritas yang dipercaya (signing.trust_roots), tanpa tanda tangan lain."
    ]
    assert not jsonl(invoke(ws, "register", "--json", "--buku", "keluar"))[0]["ditandatangani"]
    refused = invoke(ws, "act", MEMO_NOMOR, "kirim")
    assert refused.exit_code == 1 and "belum ditandatangani secara elektronik" in refused.output


@pytest.mark.parametrize("second", ["tidak_dipercaya", "dipercaya"])
def test_a_second_signature_stamped_over_the_body_is_refused_and_a_genuine_one_accepted(gateway_ws, tmp_path, second):
    """A genuine signature followed by a second one whose stamp covers the text: refused, whether the second
    signer is untrusted or trusted (it draws over what was signed). The genuine one alone is filed."""
    load, p12 = gateway_ws
    ws = load("http://127.0.0.1:9")
    [letter] = jsonl(invoke(ws, "register", "--json", "--buku", "keluar"))
    genuine = sign(p12, "rahasia-uji", (ws.root / letter["berkas"]["nota-dinas.pdf"]).read_bytes())
    other = make_ca(tmp_path)[1] if second == "tidak_dipercaya" else p12
    name = letter["nomor_surat"].replace("/", "-") + ".pdf"
    entry = _dropped(ws, name, _sign_visible(other, genuine, (60, 400, 540, 600)))
    assert entry["hasil"] == "ditolak"
    reason = entry["alasan"][0]
    if second == "tidak_dipercaya":
        assert (
            "sertifikat penanda tangan (Dr. Ir. Suryo Wibowo, M.T.) tidak dipercaya oleh signing.trust_roots" in reason
        )
    else:
        assert (
            "tampilan tanda tangan Dr. Ir. Suryo Wibowo, M.T. digambar di luar tempat tanda tangan surat "
            "(penanda TTE), di atas isi yang ditandatangani."
        ) in reason
    assert _dropped(ws, name, genuine)["hasil"] == "diterima"
    assert invoke(ws, "act", MEMO_NOMOR, "kirim").exit_code == 0
    assert "Arsip utuh" in invoke(ws, "verify").output
