"""Incoming memos signed electronically: each signature judged, recorded with the agenda entry and
shown (status, register --json, the Lembar Disposisi); never a reason to refuse the letter."""

import datetime as dt
import shutil
import subprocess

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from support.builders import docx_text, tab_memo, yaml_memo
from support.ca import PASSPHRASE, SIGNER, certificate, distinguished_name, make_ca, sign, waktu_wib
from support.cli import invoke, jsonl
from support.workspace import make_workspace

from pipeline.letters import signing

pytestmark = pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice belum terpasang; .ci/run memasangnya")

STRANGER = "Budi Santoso"
HEAD = "Surat masuk bertanda tangan elektronik: "


def self_made(folder, common=STRANGER):
    """A PKCS#12 whose certificate signs itself: no authority stands behind it."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = certificate(distinguished_name(common), distinguished_name(common), key, key, False)
    path = folder / "sendiri.p12"
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"sendiri", key, cert, None, serialization.BestAvailableEncryption(PASSPHRASE.encode())
        )
    )
    return path


def memo_pdf(folder):
    """A typed Nota Dinas exported to PDF by LibreOffice, as a sending unit's office does."""
    source = tab_memo(folder / "nota-asli.docx")
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
    return folder / "nota-asli.pdf"


def draw_over(source, target):
    """``source`` with a white box drawn over its text after it was signed."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    with open(source, "rb") as handle, open(target, "wb") as output:
        writer = IncrementalPdfFileWriter(handle, strict=False)
        box = writer.add_object(generic.StreamObject(stream_data=b"q 1 1 1 rg 60 400 480 200 re f Q"))
        writer.add_stream_to_page(0, box)
        writer.write(output)
    return target


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    """The memo as PDF: unsigned, signed under the trusted test CA, self-signed, changed after signing."""
    folder = tmp_path_factory.mktemp("tte-masuk")
    root, p12 = make_ca(folder, signer=SIGNER, passphrase=PASSPHRASE)
    plain = memo_pdf(folder)
    trusted = sign(plain, p12, folder / "dipercaya.pdf")
    return {
        "root": root,
        "tanpa": plain,
        "dipercaya": trusted,
        "sendiri": sign(plain, self_made(folder), folder / "sendiri.pdf"),
        "diubah": draw_over(trusted, folder / "diubah.pdf"),
        "cap_atas": sign(plain, p12, folder / "cap-atas.pdf", box=(60, 700, 260, 740)),
    }


def workspace(tmp_path, root):
    return make_workspace(tmp_path / "ws", {"signing": {"trust_roots": [str(root)]}})


def arrive(ws, pdf):
    """The typed YAML sidecar and the PDF beside it, taken by ``pipeline run``; the run's outcomes."""
    yaml_memo(ws.inbox / "nota-masuk.yaml")
    shutil.copy(pdf, ws.inbox / "nota-masuk.pdf")
    result = invoke(ws, "run", "--json")
    assert result.exit_code == 0, result.output
    return jsonl(result)


def shown(ws):
    """(status --json of the case, register --json of its agenda entry, the Lembar Disposisi's text)."""
    [case] = jsonl(invoke(ws, "status", "--json", "--all"))
    [entry] = jsonl(invoke(ws, "register", "--json", "--buku", "masuk"))
    sheet = next((ws.outbox / case["kasus"]).glob("*lembar-disposisi.docx"))
    return case, entry, docx_text(sheet)


def test_a_trusted_signature_is_recorded_and_shown_everywhere(pdfs, tmp_path):
    ws = workspace(tmp_path, pdfs["root"])
    outcomes = arrive(ws, pdfs["dipercaya"])
    assert {o["hasil"] for o in outcomes} == {"diterima"}
    case, entry, sheet = shown(ws)
    [signature] = entry["tte_masuk"]
    signed_at = dt.datetime.fromisoformat(signature["waktu"])
    assert abs(dt.datetime.now(dt.UTC) - signed_at) < dt.timedelta(minutes=10)
    line = f"{HEAD}utuh, ditandatangani oleh {SIGNER} pada {waktu_wib(signature['waktu'])}; sertifikat dipercaya"
    assert signature == {
        "berkas": "nota-masuk.pdf",
        "utuh": True,
        "dipercaya": True,
        "penanda_tangan": SIGNER,
        "waktu": signature["waktu"],
        "alasan": "",
        "keterangan": line,
    }
    assert case["tte_masuk"] == entry["tte_masuk"]
    assert line in sheet.splitlines()
    assert line in invoke(ws, "status", case["kasus"]).output.replace("\n    ", " ")
    assert invoke(ws, "act", case["rujukan"], "disposisi_kapus", "--catatan", "Proses lebih lanjut").exit_code == 0
    [after] = jsonl(invoke(ws, "status", "--json", case["kasus"]))
    [filled] = next(s["dokumen"] for s in after["langkah"] if s["key"] == "disposisi_kapus")
    assert line in docx_text(ws.root / filled).splitlines()  # the sheet printed again with the disposition
    assert invoke(ws, "verify").exit_code == 0  # the new column is in the register's log as every other


def test_a_self_made_certificate_is_shown_as_not_trusted_and_the_letter_registered(pdfs, tmp_path):
    ws = workspace(tmp_path, pdfs["root"])
    assert {o["hasil"] for o in arrive(ws, pdfs["sendiri"])} == {"diterima"}
    case, entry, sheet = shown(ws)
    [signature] = entry["tte_masuk"]
    why = (
        f"sertifikat penanda tangan ({STRANGER}) tidak dipercaya oleh signing.trust_roots: sertifikatnya tidak "
        "diterbitkan oleh otoritas sertifikat yang dipercaya atau tidak untuk tanda tangan"
    )
    line = (
        f"{HEAD}utuh, ditandatangani oleh {STRANGER} pada {waktu_wib(signature['waktu'])}; "
        f"sertifikat tidak dipercaya ({why})"
    )
    assert (signature["utuh"], signature["dipercaya"], signature["alasan"]) == (True, False, why + ".")
    assert signature["keterangan"] == line and case["tte_masuk"] == entry["tte_masuk"]
    assert line in sheet.splitlines()


def test_a_letter_changed_after_signing_is_shown_as_broken_and_registered(pdfs, tmp_path):
    ws = workspace(tmp_path, pdfs["root"])
    assert {o["hasil"] for o in arrive(ws, pdfs["diubah"])} == {"diterima"}
    case, entry, sheet = shown(ws)
    [signature] = entry["tte_masuk"]
    line = (
        f"{HEAD}rusak: tanda tangan {SIGNER} rusak atau dokumennya diubah setelah ditandatangani. "
        "Isi dokumen diubah setelah ditandatangani"
    )
    assert (signature["utuh"], signature["dipercaya"], signature["keterangan"]) == (False, False, line)
    assert case["tte_masuk"] == entry["tte_masuk"]
    assert line in sheet.splitlines()
    assert line in " ".join(invoke(ws, "status", case["kasus"]).output.split())


def test_an_unsigned_pdf_shows_nothing(pdfs, tmp_path):
    ws = workspace(tmp_path, pdfs["root"])
    assert {o["hasil"] for o in arrive(ws, pdfs["tanpa"])} == {"diterima"}
    case, entry, sheet = shown(ws)
    assert case["tte_masuk"] == [] and entry["tte_masuk"] == []
    assert "bertanda tangan elektronik" not in sheet
    assert "bertanda tangan elektronik" not in invoke(ws, "status", case["kasus"]).output


def test_an_unreadable_trust_root_never_holds_the_letter(pdfs, tmp_path):
    """A trust root that cannot be read: the signature is checked for integrity, shown as not
    trusted with that reason, and the letter is registered all the same."""
    ws = workspace(tmp_path, pdfs["root"])
    broken = tmp_path / "akar-rusak.pem"
    broken.write_text("bukan sertifikat", encoding="utf-8")
    ws.path.write_text(ws.path.read_text(encoding="utf-8").replace(str(pdfs["root"]), str(broken)), encoding="utf-8")
    assert {o["hasil"] for o in arrive(ws, pdfs["dipercaya"])} == {"diterima"}
    [signature] = shown(ws)[1]["tte_masuk"]
    assert (signature["utuh"], signature["dipercaya"]) == (True, False)
    assert signature["alasan"].startswith(f"Sertifikat akar {broken} pada signing.trust_roots tidak dapat dibaca")


def test_one_judgement_but_a_senders_stamp_is_not_held_against_our_signature_place(pdfs):
    """signing.fault judges an incoming signature as it judges ours, except where its stamp is drawn:
    the sender's letter has no TTE bookmark of ours (a stamp at the top of page 1 is theirs to place)."""
    from pipeline.readers import incoming_signatures

    settings = signing.SigningSettings(trust_roots=(pdfs["root"],))
    [check] = signing.check_pdf(settings, pdfs["cap_atas"])
    assert check.intact and check.trusted and check.drawn_outside and signing.fault(check)
    [item] = incoming_signatures.check_files(settings, [("a.yaml", pdfs["root"]), ("a.pdf", pdfs["cap_atas"])])
    assert (item["berkas"], item["utuh"], item["dipercaya"], item["alasan"]) == ("a.pdf", True, True, "")
    assert incoming_signatures.check_files(settings, [("b.pdf", pdfs["tanpa"])]) == ()


def test_the_record_moves_to_postgresql_and_is_kept_there_too(pdfs, tmp_path, postgres):
    """Migration 10 on both backends: a signed memo's record copied by migrate-register, and a
    signed memo filed on PostgreSQL, each shown as on SQLite and in the proved log."""
    ws = workspace(tmp_path, pdfs["root"])
    arrive(ws, pdfs["sendiri"])
    [before] = jsonl(invoke(ws, "register", "--json", "--buku", "masuk"))
    moved = invoke(ws, "migrate-register", "--to", postgres.database())
    assert moved.exit_code == 0, moved.output
    yaml_memo(ws.inbox / "nota-kedua.yaml", nomor="050/18/ULP-OTDA/XI/2026")
    shutil.copy(pdfs["dipercaya"], ws.inbox / "nota-kedua.pdf")
    assert {o["hasil"] for o in jsonl(invoke(ws, "run", "--json"))} == {"diterima"}
    first, second = jsonl(invoke(ws, "register", "--json", "--buku", "masuk"))
    assert first["tte_masuk"] == before["tte_masuk"] and not first["tte_masuk"][0]["dipercaya"]
    assert [(s["penanda_tangan"], s["dipercaya"]) for s in second["tte_masuk"]] == [(SIGNER, True)]
    listed = jsonl(invoke(ws, "status", "--json", "--all"))
    assert [c["tte_masuk"] for c in listed] == [first["tte_masuk"], second["tte_masuk"]]
    assert invoke(ws, "verify").exit_code == 0


def test_a_typed_sidecar_cannot_claim_a_signature(pdfs, tmp_path):
    """Only the pipeline's own check writes the record: a ``tte_masuk`` typed into the YAML (or read
    from a letter by any reader) never becomes one."""
    import datetime

    from pipeline.models import Memo

    forged = ({"utuh": True, "dipercaya": True, "penanda_tangan": SIGNER},)
    assert (
        Memo.from_fields(
            {"nomor": "1/2", "tanggal": datetime.date(2026, 11, 3), "dari": "ULP", "hal": "Uji", "tte_masuk": forged}
        ).tte_masuk
        == ()
    )
    ws = workspace(tmp_path, pdfs["root"])
    yaml_memo(ws.inbox / "nota-masuk.yaml", tte_masuk=list(forged))
    shutil.copy(pdfs["tanpa"], ws.inbox / "nota-masuk.pdf")
    assert invoke(ws, "run").exit_code == 0
    assert all(e["tte_masuk"] == [] for e in jsonl(invoke(ws, "register", "--json", "--buku", "masuk")))
