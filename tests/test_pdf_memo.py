"""A letter dropped alone as a PDF or an image (no YAML sidecar), through ``pipeline run``: a PDF
with a text layer registers like a .docx memo, its e-signature judged; a scan waits in
inbox/lengkapi/ with a draft (read by OCR where it can be) until staff confirm it (docs/inputs.md)."""

import json
import os
import re
import shutil
import subprocess

import pytest
import yaml
from support.builders import HEADER, digest, registration_yaml, tab_memo, yaml_memo
from support.ca import PASSPHRASE, SIGNER, make_ca, sign, waktu_wib
from support.cli import jsonl
from support.layouts import LAYOUTS
from support.scan_builders import image_only_pdf, pdf_with_pages, rendered_pages
from support.workspace import make_workspace

pytestmark = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext") and shutil.which("pdftoppm")),
    reason="LibreOffice dan poppler-utils belum terpasang; .ci/run memasangnya",
)

CLASSES = [
    "kemendagri-nomor-di-bawah-judul",
    "tabel-titik-dua-sel-sendiri",
    "hari-tanggal",
    "label-menyatu",
    "bps-nomor-tanpa-titik-dua",
]
FIELDS = ("nomor", "tanggal", "dari", "kepada", "sifat", "lampiran", "hal", "tembusan")
TYPED = {
    "nomor": HEADER["Nomor"],
    "tanggal": "2026-10-07",
    "dari": HEADER["Dari"],
    "kepada": HEADER["Yth."],
    "sifat": HEADER["Sifat"],
    "lampiran": HEADER["Lampiran"],
    "hal": HEADER["Hal"],
    "tembusan": HEADER["Tembusan"],
}
OCR_OFF = {"ocr": {"enabled": False}}
WAIT = (
    "Surat menunggu dilengkapi: surat disimpan tanpa diubah di inbox/lengkapi/{name} dan draf isiannya di "
    "inbox/lengkapi/{stem}.yaml. Periksa dan lengkapi draf itu, lalu simpan di folder inbox dengan nama "
    "{stem}.yaml; surat aslinya tidak perlu diubah atau dipindahkan."
)
NO_TEXT = "Surat ini hasil pindaian (tanpa lapisan teks), sehingga isiannya tidak dapat dibaca dari teksnya."


def to_pdf(sources, folder):
    """``sources`` (.docx) exported to PDF by LibreOffice, as a sending office exports its memos."""
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
        timeout=300,
    )
    return {source.stem: folder / (source.stem + ".pdf") for source in sources}


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    """Layout classes and the typed memo as PDFs; the memo signed under the test CA; a scan of it
    (image-only PDF and PNG at 200 dpi); a PDF whose text is no Nota Dinas header."""
    folder = tmp_path_factory.mktemp("pdf-memo")
    sources = [LAYOUTS[name][0](folder / f"{name}.docx") for name in CLASSES]
    sources.append(tab_memo(folder / "nota.docx"))
    other = folder / "bukan-kepala.docx"
    import docx

    document = docx.Document()
    document.add_paragraph("NOTA DINAS")
    document.add_paragraph("Nomor\t: 005/88/ULP-LITBANG/X/2026")
    document.add_paragraph("Lembar ini hanya memuat nomor surat tanpa pengirim, tanggal maupun hal suratnya.")
    document.save(other)
    made = to_pdf([*sources, other], folder)
    root, p12 = make_ca(folder, signer=SIGNER, passphrase=PASSPHRASE)
    made["ditandatangani"] = sign(made["nota"], p12, folder / "ditandatangani.pdf")
    [page] = rendered_pages(made["nota"], 200, folder / "pindaian")
    made["pindaian-png"] = page
    made["pindaian-pdf"] = image_only_pdf([page], folder / "pindaian.pdf", 200)
    made["root"] = root
    return made


def drop(ws, source, name):
    """Put ``source`` alone in the inbox as ``name``; its SHA-256."""
    shutil.copy(source, ws.inbox / name)
    return digest(ws.inbox / name)


@pytest.mark.parametrize("name", CLASSES)
def test_a_pdf_memo_alone_registers_with_every_field(pdfs, config, cli, name):
    original = drop(config, pdfs[name], f"{name}.pdf")
    result = cli("run")
    assert result.exit_code == 0 and "1 diterima." in result.output, result.output
    expected = LAYOUTS[name][1]
    [entry] = jsonl(cli("register", "--json"))
    assert (entry["nomor_surat"], entry["tanggal_surat"], entry["dari"], entry["hal"], entry["sifat"]) == (
        expected["nomor"],
        expected["tanggal"],
        expected["dari"],
        expected["hal"],
        expected["sifat"],
    )
    [folder] = config.archive.glob("*/surat-masuk/0001_*")
    memo = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))["nota_dinas"]
    assert {key: memo[key] for key in ("kepada", "lampiran", "tembusan")} == {
        key: expected[key] for key in ("kepada", "lampiran", "tembusan")
    }
    assert digest(folder / f"asli_{name}.pdf") == original
    assert entry["tte_masuk"] == []
    assert list(config.inbox.glob("*.pdf")) == []


def test_an_e_signed_pdf_memo_alone_registers_with_its_signature_shown(pdfs, tmp_path):
    ws = make_workspace(tmp_path / "ws", {"signing": {"trust_roots": [str(pdfs["root"])]}})
    from click.testing import CliRunner

    from pipeline.cli import main

    original = drop(ws, pdfs["ditandatangani"], "nota-bertte.pdf")
    result = CliRunner().invoke(main, ["--config", str(ws.path), "run"], catch_exceptions=False)
    assert result.exit_code == 0 and "1 diterima." in result.output, result.output
    [entry] = jsonl(CliRunner().invoke(main, ["--config", str(ws.path), "register", "--json"]))
    assert (entry["nomor_surat"], entry["hal"]) == (HEADER["Nomor"], HEADER["Hal"])
    [signature] = entry["tte_masuk"]
    line = (
        f"Surat masuk bertanda tangan elektronik: utuh, ditandatangani oleh {SIGNER} pada "
        f"{waktu_wib(signature['waktu'])}; sertifikat dipercaya"
    )
    assert (signature["berkas"], signature["dipercaya"], signature["keterangan"]) == ("nota-bertte.pdf", True, line)
    status = CliRunner().invoke(main, ["--config", str(ws.path), "status", entry["kasus"]]).output
    assert line in " ".join(status.split())
    [folder] = ws.archive.glob("*/surat-masuk/0001_*")
    assert digest(folder / "asli_nota-bertte.pdf") == original


def draft_of(ws, stem):
    return (ws.inbox / "lengkapi" / f"{stem}.yaml").read_text(encoding="utf-8")


def confirm(ws, stem, values):
    """What staff do: check each field of the draft against the letter, write what the letter says,
    and save the draft into the inbox under the same name (its comments kept)."""
    text = draft_of(ws, stem)
    for key, value in values.items():
        text, count = re.subn(rf"(?m)^{key}: .*$", f"{key}: {json.dumps(value, ensure_ascii=False)}", text)
        assert count == 1, key
    (ws.inbox / f"{stem}.yaml").write_text(text, encoding="utf-8")


def held_then_registered(ws, cli, name, original):
    """The letter waits unchanged in inbox/lengkapi/; staff confirm its draft; it registers with both."""
    stem = name.rsplit(".", 1)[0]
    held = ws.inbox / "lengkapi" / name
    assert digest(held) == original and not (ws.inbox / name).exists()
    [row] = jsonl(cli("journal", "--json"))
    assert (row["berkas"], row["hasil"], row["lokasi"]) == (name, "menunggu", f"inbox/lengkapi/{name}")
    assert row["alasan"][-1] == WAIT.format(name=name, stem=stem)
    assert f"{name}: menunggu dilengkapi sejak " in cli("status").output
    confirm(ws, stem, TYPED)
    completed = digest(ws.inbox / f"{stem}.yaml")
    result = cli("run")
    assert result.exit_code == 0 and "2 diterima." in result.output, result.output
    [entry] = jsonl(cli("register", "--json"))
    assert (entry["nomor_surat"], entry["tanggal_surat"], entry["dari"], entry["hal"]) == (
        TYPED["nomor"],
        TYPED["tanggal"],
        TYPED["dari"],
        TYPED["hal"],
    )
    [folder] = ws.archive.glob("*/surat-masuk/0001_*")
    assert digest(folder / f"asli_{name}") == original
    assert digest(folder / f"asli_{stem}.yaml") == completed
    assert list((ws.inbox / "lengkapi").iterdir()) == []


@pytest.mark.parametrize("kind,name", [("pindaian-pdf", "pindaian-nota.pdf"), ("pindaian-png", "pindaian-nota.png")])
def test_a_scan_alone_is_read_by_ocr_into_a_draft_staff_confirm(ocr_tools, pdfs, config, cli, kind, name):
    original = drop(config, pdfs[kind], name)
    result = cli("run")
    assert result.exit_code == 0 and "1 menunggu." in result.output, result.output
    [row] = jsonl(cli("journal", "--json"))
    assert row["alasan"][0] == NO_TEXT
    assert row["alasan"][1] == (
        "Isian surat ini dibaca dari pindaian dengan OCR. OCR dapat salah baca, sehingga "
        "setiap isian perlu diperiksa petugas terhadap surat aslinya sebelum surat "
        "didaftarkan."
    )
    text = draft_of(config, name.rsplit(".", 1)[0])
    draft = yaml.safe_load(text)
    assert draft["jenis"] == "nota_dinas" and set(draft) == {"jenis", *FIELDS}
    assert re.sub(r"\s+", "", draft["nomor"]) == HEADER["Nomor"]
    assert " ".join(draft["hal"].split()) == HEADER["Hal"]
    assert re.search(r"# Hal: dibaca dari OCR \(keyakinan \d{1,3}%\); periksa terhadap surat aslinya\.\nhal: ", text)
    assert jsonl(cli("register", "--json")) == []  # nothing read by OCR is registered unconfirmed
    held_then_registered(config, cli, name, original)


@pytest.mark.parametrize("kind,name", [("pindaian-pdf", "pindaian-nota.pdf"), ("pindaian-png", "pindaian-nota.png")])
def test_a_confirmed_scan_is_archived_unchanged_with_its_searchable_pdf(ocr_tools, pdfs, config, cli, kind, name):
    """Beside the scan kept byte for byte, its searchable PDF (OCRmyPDF), sealed like every archived file."""
    original = drop(config, pdfs[kind], name)
    assert "1 menunggu." in cli("run").output
    held_then_registered(config, cli, name, original)
    [folder] = config.archive.glob("*/surat-masuk/0001_*")
    stem = name.rsplit(".", 1)[0]
    searchable = folder / f"{stem}-tertelusur.pdf"
    text = subprocess.run(["pdftotext", str(searchable), "-"], capture_output=True, text=True, check=True).stdout
    assert HEADER["Nomor"] in re.sub(r"\s+", "", text)
    meta = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    assert meta["sha256"][searchable.name] == digest(searchable)
    assert meta["sha256"][f"asli_{name}"] == original
    result = cli("verify")
    assert result.exit_code == 0 and "Arsip utuh" in result.output, result.output


LOG_FILE = {"logging": {"file": "pipeline.log"}}


def test_a_scan_is_registered_without_its_searchable_pdf_when_ocrmypdf_fails(ocr_tools, pdfs, tmp_path, monkeypatch):
    """OCRmyPDF failing (here: Tesseract gone from the PATH when the draft is confirmed) never holds the filing."""
    from click.testing import CliRunner

    from pipeline.cli import main

    ws = make_workspace(tmp_path / "ws", LOG_FILE)

    def cli(*args):
        return CliRunner().invoke(main, ["--config", str(ws.path), *args], catch_exceptions=False)

    original = drop(ws, pdfs["pindaian-pdf"], "tanpa-salinan.pdf")
    assert "1 menunggu." in cli("run").output
    tools = tmp_path / "bin"
    tools.mkdir()
    for tool in ("pdftotext", "pdfinfo", "pdftoppm"):
        (tools / tool).symlink_to(shutil.which(tool))
    monkeypatch.setenv("PATH", str(tools))
    held_then_registered(ws, cli, "tanpa-salinan.pdf", original)
    [folder] = ws.archive.glob("*/surat-masuk/0001_*")
    assert not (folder / "tanpa-salinan-tertelusur.pdf").exists()
    log = (ws.path.parent / "pipeline.log").read_text(encoding="utf-8")
    [note] = [line.split(" WARNING ", 1)[1] for line in log.splitlines() if "tertelusur" in line]
    assert note.startswith(
        "Pindaian tanpa-salinan.pdf: PDF tertelusur (teksnya dapat dicari) tidak dibuat karena OCRmyPDF gagal"
    ), note
    assert note.endswith(
        "surat aslinya tetap diarsipkan dan dapat dibaca seperti biasa. Periksa pemasangan "
        "OCRmyPDF dengan \u201cpipeline doctor\u201d."
    ), note
    monkeypatch.undo()
    result = cli("verify")
    assert result.exit_code == 0 and "Arsip utuh" in result.output, result.output


@pytest.mark.parametrize("kind,name", [("pindaian-pdf", "surat-kertas.pdf"), ("pindaian-png", "surat-kertas.png")])
def test_a_scan_alone_without_ocr_waits_with_an_empty_draft(pdfs, tmp_path, cli, kind, name):
    ws = make_workspace(tmp_path / "ws2", OCR_OFF)
    from click.testing import CliRunner

    from pipeline.cli import main

    def run(*args):
        return CliRunner().invoke(main, ["--config", str(ws.path), *args], catch_exceptions=False)

    original = drop(ws, pdfs[kind], name)
    result = run("run")
    assert result.exit_code == 0 and "1 menunggu." in result.output, result.output
    [row] = jsonl(run("journal", "--json"))
    assert row["alasan"][:2] == [NO_TEXT, "Pembacaan pindaian dengan OCR tidak diaktifkan (ocr.enabled: false)."]
    text = draft_of(ws, "surat-kertas")
    assert yaml.safe_load(text) == {"jenis": "nota_dinas", **dict.fromkeys(FIELDS, "")}
    assert (
        "# Nomor PERLU DIISI: isi dengan nomor surat persis seperti tertulis pada surat, misalnya "
        "005/123/ULP/2026.\nnomor: ''\n"
    ) in text
    held_then_registered(ws, run, name, original)


def test_a_pdf_whose_text_is_no_memo_header_waits_with_what_its_text_gave(pdfs, tmp_path):
    ws = make_workspace(tmp_path / "ws", OCR_OFF)
    from click.testing import CliRunner

    from pipeline.cli import main

    def run(*args):
        return CliRunner().invoke(main, ["--config", str(ws.path), *args], catch_exceptions=False)

    original = drop(ws, pdfs["bukan-kepala"], "lembar.pdf")
    assert "1 menunggu." in run("run").output
    [row] = jsonl(run("journal", "--json"))
    assert row["alasan"][0] == (
        "Teks PDF ini tidak memuat kepala Nota Dinas yang dapat dibaca (Nomor, Tanggal, Dari "
        "dan Hal), misalnya karena halamannya hasil pindaian."
    )
    text = draft_of(ws, "lembar")
    assert "# Nomor: dibaca dari teks PDF; periksa terhadap surat aslinya.\nnomor: 005/88/ULP-LITBANG/X/2026\n" in text
    assert yaml.safe_load(text)["hal"] == ""
    held_then_registered(ws, run, "lembar.pdf", original)


def test_a_pdf_past_the_page_limit_is_refused_unread(config, cli):
    """The limits of DESIGN.md section 8 hold on this path: 5,000 pages are refused before reading."""
    pdf_with_pages(config.inbox / "tebal.pdf", 5000)
    result = cli("run")
    assert result.exit_code == 0 and "1 ditolak." in result.output, result.output
    [row] = jsonl(cli("journal", "--json"))
    assert row["alasan"] == [
        (
            "PDF berisi 5.000 halaman, melebihi batas 50 halaman. Kirim hanya halaman suratnya (bagi berkas yang panjang "
            "menjadi beberapa berkas), lalu letakkan kembali di inbox (batasnya limits.max_pages di config.yaml)."
        )
    ]
    assert (config.rejected_dir / "tebal.pdf").is_file() and not (config.inbox / "tebal.pdf").exists()


def test_a_scan_with_its_typed_sidecar_still_files_as_a_pair(pdfs, config, cli):
    """A scan beside a YAML staff typed is never read by OCR: the pair files as before."""
    original = drop(config, pdfs["pindaian-png"], "surat-otda.png")
    yaml_memo(config.inbox / "surat-otda.yaml")
    result = cli("run")
    assert result.exit_code == 0 and "2 diterima." in result.output, result.output
    [folder] = config.archive.glob("*/surat-masuk/0001_*")
    assert digest(folder / "asli_surat-otda.png") == original


def test_a_pdf_memo_dropped_with_its_data_opens_its_case_first(pdfs, config, cli):
    """Memos first, a PDF memo too: data written before it, dropped in the same batch, meets its case."""
    data = registration_yaml(config.inbox / "registrasi.yaml")
    drop(config, pdfs["nota"], "nota.pdf")
    os.utime(data, (1_700_000_000, 1_700_000_000))  # the older file
    result = cli("run", "--json")
    outcomes = {o["berkas"]: o for o in jsonl(result)}
    assert (outcomes["nota.pdf"]["hasil"], outcomes["nota.pdf"]["kasus"]) == ("diterima", "2026-0001")
    assert (outcomes["registrasi.yaml"]["hasil"], outcomes["registrasi.yaml"]["kasus"]) == ("menunggu", "2026-0001")
    assert outcomes["registrasi.yaml"]["alasan"][0].startswith(
        "Disimpan; akan diterapkan ketika kasus 2026-0001 mencapai langkah 5"
    )
