"""Complete, never alter: a letter that cannot be registered as it stands waits in
inbox/lengkapi/, unchanged, beside a prefilled draft; staff complete the draft and save it
into inbox/, and the letter is registered with both archived (docs/inputs.md)."""

import hashlib
import json
import shutil
import subprocess

import pytest
import yaml
from builders import HEADER, tab_memo, yaml_memo

NOMOR = HEADER["Nomor"]
FORBIDDEN = ("letakkan kembali", "pastikan kepala surat", "perbaiki", "simpan ulang", "ubah surat")
WAIT_REASON = (
    "Surat menunggu dilengkapi: surat disimpan tanpa diubah di inbox/lengkapi/{name}.docx dan "
    "draf isiannya di inbox/lengkapi/{name}.yaml. Periksa dan lengkapi draf itu, lalu simpan di "
    "folder inbox dengan nama {name}.yaml; surat aslinya tidak perlu diubah atau dipindahkan."
)


def jsonl(result):
    return [json.loads(line) for line in result.output.splitlines() if line.strip()]


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def without(label):
    return {k: v for k, v in HEADER.items() if k != label}


def complete(ws, name, **values):
    """What staff do: fill the draft's empty fields and save it into the inbox under the same name."""
    draft = (ws.inbox / "lengkapi" / name).read_text(encoding="utf-8")
    for key, value in values.items():
        assert f"\n{key}: ''\n" in draft, key
        draft = draft.replace(f"\n{key}: ''\n", f"\n{key}: {value}\n")
    (ws.inbox / name).write_text(draft, encoding="utf-8")


def test_letter_lacking_nomor_waits_with_draft_then_registers(ws, cli):
    letter = tab_memo(ws.inbox / "tanpa-nomor.docx", without("Nomor"))
    original = digest(letter)
    result = cli("run")
    assert result.exit_code == 0 and "1 menunggu." in result.output
    held = ws.inbox / "lengkapi" / "tanpa-nomor.docx"
    assert digest(held) == original and not letter.exists()
    text = (ws.inbox / "lengkapi" / "tanpa-nomor.yaml").read_text(encoding="utf-8")
    draft = yaml.safe_load(text)
    assert draft == {
        "jenis": "nota_dinas",
        "nomor": "",
        "tanggal": HEADER["Tanggal"],
        "dari": HEADER["Dari"],
        "kepada": HEADER["Yth."],
        "sifat": "Segera",
        "lampiran": HEADER["Lampiran"],
        "hal": HEADER["Hal"],
        "tembusan": HEADER["Tembusan"],
    }
    assert (
        "# Nomor PERLU DIISI: “Nomor” tidak ditemukan pada kepala Nota Dinas tanpa-nomor.docx. Cara "
        "mengisi: isi dengan nomor surat persis seperti tertulis pada surat, misalnya 005/123/ULP/2026.\n"
        "nomor: ''\n"
    ) in text
    assert "# Hal: dibaca dari teks dokumen Word; periksa terhadap surat aslinya.\nhal: Permohonan" in text
    assert "#   2. Simpan berkas ini di folder inbox dengan nama tanpa-nomor.yaml.\n" in text
    [row] = jsonl(cli("journal", "--json"))
    assert (row["berkas"], row["hasil"], row["jenis"], row["lokasi"]) == (
        "tanpa-nomor.docx",
        "menunggu",
        "nota_dinas",
        "inbox/lengkapi/tanpa-nomor.docx",
    )
    assert row["alasan"] == [
        "“Nomor” tidak ditemukan pada kepala Nota Dinas tanpa-nomor.docx.",
        WAIT_REASON.format(name="tanpa-nomor"),
    ]
    status = cli("status").output
    assert "Surat menunggu dilengkapi (1)" in status
    assert "tanpa-nomor.docx: menunggu dilengkapi sejak " in status
    page = (ws.outbox / "status" / "index.html").read_text(encoding="utf-8")
    assert "<td>tanpa-nomor.docx</td>" in page and "<td>inbox/lengkapi/tanpa-nomor.yaml</td>" in page

    complete(ws, "tanpa-nomor.yaml", nomor=NOMOR)
    completed = digest(ws.inbox / "tanpa-nomor.yaml")
    result = cli("run")
    assert result.exit_code == 0 and "2 diterima." in result.output, result.output
    [entry] = jsonl(cli("register", "--json"))
    assert (entry["nomor_urut"], entry["nomor_surat"], entry["hal"]) == (1, NOMOR, HEADER["Hal"])
    assert entry["nomor_agenda"] in result.output
    [folder] = ws.archive.glob("*/surat-masuk/0001_*")
    assert digest(folder / "asli_tanpa-nomor.docx") == original
    assert digest(folder / "asli_tanpa-nomor.yaml") == completed
    assert list((ws.inbox / "lengkapi").iterdir()) == []
    assert [p for p in ws.inbox.iterdir() if p.is_file()] == []
    assert "Surat menunggu dilengkapi" not in cli("status").output
    assert cli("verify").exit_code == 0


def test_same_letter_dropped_again_is_not_drafted_twice(ws, cli):
    letter = tab_memo(ws.inbox / "m.docx", without("Nomor"))
    data = letter.read_bytes()
    cli("run")
    (ws.inbox / "lagi.docx").write_bytes(data)
    result = cli("run")
    assert "1 duplikat." in result.output
    assert sorted(p.name for p in (ws.inbox / "lengkapi").iterdir()) == ["m.docx", "m.yaml"]
    assert (ws.duplicate_dir / "lagi.docx").read_bytes() == data
    row = jsonl(cli("journal", "--json"))[-1]
    assert (row["berkas"], row["hasil"]) == ("lagi.docx", "duplikat")
    assert row["alasan"] == [
        (
            "Surat yang sama persis sudah menunggu dilengkapi di inbox/lengkapi/m.docx. Lengkapi "
            "draf inbox/lengkapi/m.yaml, lalu simpan di folder inbox dengan nama m.yaml. Berkas "
            "ini tidak diproses lagi."
        )
    ]
    (ws.inbox / "ketiga.docx").write_bytes(data)
    assert "1 duplikat." in cli("run").output
    assert sorted(p.name for p in (ws.inbox / "lengkapi").iterdir()) == ["m.docx", "m.yaml"]


@pytest.mark.parametrize("label, key", [("Nomor", "nomor"), ("Tanggal", "tanggal"), ("Dari", "dari"), ("Hal", "hal")])
def test_no_reason_asks_to_change_the_letter(ws, cli, label, key):
    tab_memo(ws.inbox / "surat.docx", without(label))
    cli("run")
    [row] = jsonl(cli("journal", "--json"))
    assert row["alasan"] == [
        f"“{label}” tidak ditemukan pada kepala Nota Dinas surat.docx.",
        WAIT_REASON.format(name="surat"),
    ]
    draft = (ws.inbox / "lengkapi" / "surat.yaml").read_text(encoding="utf-8")
    assert f"\n{key}: ''\n" in draft
    for text in (*row["alasan"], draft):
        assert not any(phrase in text.lower() for phrase in FORBIDDEN), text


@pytest.mark.parametrize(
    "name, content", [("kosong.docx", b""), ("rusak.docx", b"PK\x03\x04 bukan zip"), ("bukan.docx", b"%PDF-1.4 palsu")]
)
def test_refusals_of_unreadable_letters_ask_for_the_original_again(ws, cli, name, content):
    """A file that cannot be read at all is still refused, and the reason never asks to alter it."""
    (ws.inbox / name).write_bytes(content)
    cli("run")
    [row] = jsonl(cli("journal", "--json"))
    assert row["hasil"] == "ditolak"
    assert not any(phrase in row["alasan"][0].lower() for phrase in FORBIDDEN), row["alasan"]
    reason = (ws.rejected_dir / f"{name}.alasan.txt").read_text(encoding="utf-8")
    assert (
        "Surat masuk tidak pernah diubah: bila berkas ini surat masuk, ikuti alasan di atas tanpa mengubah suratnya."
    ) in reason


def test_binary_that_is_no_letter_still_refused(ws, cli):
    (ws.inbox / "acak.bin").write_bytes(b"\x00\x01\x02garbage")
    result = cli("run")
    assert "1 ditolak." in result.output
    assert (ws.rejected_dir / "acak.bin").read_bytes() == b"\x00\x01\x02garbage"
    assert not (ws.inbox / "lengkapi").exists()


def test_incomplete_yaml_memo_typed_by_staff_is_refused_not_held(ws, cli):
    yaml_memo(ws.inbox / "ketik.yaml", nomor=None)
    assert "1 ditolak." in cli("run").output
    assert not (ws.inbox / "lengkapi").exists()


def test_completion_still_incomplete_waits_again(ws, cli):
    """A completed draft that still lacks a field puts the letter back beside that YAML, never refused."""
    letter = tab_memo(ws.inbox / "m.docx", without("Nomor"))
    original = digest(letter)
    cli("run")
    draft = ws.inbox / "lengkapi" / "m.yaml"
    shutil.copyfile(draft, ws.inbox / "m.yaml")
    result = cli("run")
    assert "2 menunggu." in result.output, result.output
    assert sorted(p.name for p in (ws.inbox / "lengkapi").iterdir()) == ["m.docx", "m.yaml"]
    assert digest(ws.inbox / "lengkapi" / "m.docx") == original
    complete(ws, "m.yaml", nomor=NOMOR)
    assert "2 diterima." in cli("run").output
    assert list((ws.inbox / "lengkapi").iterdir()) == []


def _soffice():
    return shutil.which("soffice") or shutil.which("libreoffice")


def make_doc(tmp_path, header=None):
    """An old Word .doc made by LibreOffice from a built .docx, as an old office would send it."""
    source = tab_memo(tmp_path / "lama.docx", header)
    profile = tmp_path / "profil"
    subprocess.run(
        [
            _soffice(),
            "--headless",
            "--norestore",
            f"-env:UserInstallation={profile.as_uri()}",
            "--convert-to",
            "doc",
            "--outdir",
            str(tmp_path / "doc"),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return tmp_path / "doc" / "lama.doc"


@pytest.mark.skipif(not _soffice(), reason="LibreOffice is not installed")
def test_old_word_doc_memo_is_converted_read_and_archived_as_it_came(ws, cli, tmp_path):
    made = make_doc(tmp_path)
    shutil.copyfile(made, ws.inbox / "lama.doc")
    result = cli("run")
    assert result.exit_code == 0 and "1 diterima." in result.output, result.output
    [entry] = jsonl(cli("register", "--json"))
    assert (entry["nomor_surat"], entry["dari"], entry["hal"]) == (NOMOR, HEADER["Dari"], HEADER["Hal"])
    [folder] = ws.archive.glob("*/surat-masuk/0001_*")
    assert digest(folder / "asli_lama.doc") == digest(made)


@pytest.mark.skipif(not _soffice(), reason="LibreOffice is not installed")
def test_old_word_doc_without_libreoffice_waits_with_empty_draft(ws, cli, tmp_path, monkeypatch):
    made = make_doc(tmp_path)
    shutil.copyfile(made, ws.inbox / "lama.doc")
    monkeypatch.setenv("PATH", str(tmp_path / "tanpa-libreoffice"))
    assert "1 menunggu." in cli("run").output
    assert digest(ws.inbox / "lengkapi" / "lama.doc") == digest(made)
    text = (ws.inbox / "lengkapi" / "lama.yaml").read_text(encoding="utf-8")
    assert (
        "#   - Dokumen Word lama (.doc) ini belum dapat dibaca karena LibreOffice tidak terpasang pada "
        "server pipeline.\n"
    ) in text
    assert yaml.safe_load(text) == {
        "jenis": "nota_dinas",
        **{key: "" for key in ("nomor", "tanggal", "dari", "kepada", "sifat", "lampiran", "hal", "tembusan")},
    }
    assert "# Nomor PERLU DIISI: isi dengan nomor surat persis seperti tertulis pada surat" in text
    complete(ws, "lama.yaml", nomor=NOMOR, tanggal="7 Oktober 2026", dari="Kepala ULP", hal="Permohonan SPSE")
    assert "2 diterima." in cli("run").output
    [folder] = ws.archive.glob("*/surat-masuk/0001_*")
    assert digest(folder / "asli_lama.doc") == digest(made)


def test_completion_still_incomplete_after_a_duplicate_drop_waits_again(ws, cli):
    letter = tab_memo(ws.inbox / "m.docx", without("Nomor"))
    data = letter.read_bytes()
    cli("run")
    (ws.inbox / "lagi.docx").write_bytes(data)
    cli("run")
    shutil.copyfile(ws.inbox / "lengkapi" / "m.yaml", ws.inbox / "m.yaml")
    assert "2 menunggu." in cli("run").output
    assert sorted(p.name for p in (ws.inbox / "lengkapi").iterdir()) == ["m.docx", "m.yaml"]
    assert not (ws.rejected_dir / "m.docx").exists()


@pytest.mark.parametrize("letter_first", [True, False])
def test_staff_moving_both_files_back_still_registers_once(ws, cli, letter_first):
    """Only the YAML needs to go back; a letter moved back with it is taken with it all the same."""
    import os

    letter = tab_memo(ws.inbox / "m.docx", without("Nomor"))
    original = digest(letter)
    cli("run")
    complete(ws, "m.yaml", nomor=NOMOR)
    (ws.inbox / "lengkapi" / "m.yaml").unlink()
    os.rename(ws.inbox / "lengkapi" / "m.docx", ws.inbox / "m.docx")
    older, newer = ("m.docx", "m.yaml") if letter_first else ("m.yaml", "m.docx")
    os.utime(ws.inbox / older, (1_700_000_000, 1_700_000_000))
    os.utime(ws.inbox / newer, (1_700_000_100, 1_700_000_100))
    cli("run")
    cli("run")
    [entry] = jsonl(cli("register", "--json"))
    assert entry["nomor_surat"] == NOMOR
    [folder] = ws.archive.glob("*/surat-masuk/0001_*")
    assert digest(folder / "asli_m.docx") == original
    assert list((ws.inbox / "lengkapi").iterdir()) == []
    assert [p for p in ws.inbox.iterdir() if p.is_file()] == []


def test_letter_modules_hold_no_text_asking_to_change_a_letter():
    """The modules that read and judge an incoming letter never tell staff to change or re-save it."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "pipeline"
    for name in (
        "readers/__init__.py",
        "readers/docx_memo.py",
        "readers/legacy_doc.py",
        "readers/validate.py",
        "sop/memo.py",
        "inbox/completion.py",
    ):
        text = " ".join((root / name).read_text(encoding="utf-8").lower().split())
        for phrase in ("letakkan kembali", "pastikan kepala surat", "simpan ulang", "simpan sebagai .docx"):
            assert phrase not in text, (name, phrase)


def test_letter_kept_when_lengkapi_cannot_be_written(ws, cli):
    """A folder that cannot be made keeps the letter claimed (never lost), and it waits once it can."""
    letter = tab_memo(ws.inbox / "m.docx", without("Nomor"))
    original = digest(letter)
    (ws.inbox / "lengkapi").symlink_to(ws.inbox / "tidak-ada")  # a dangling link: no folder can be made there
    result = cli("run")
    assert "Surat tidak dapat dipindahkan ke inbox/lengkapi: sudah ada. Berkas akan dicoba lagi." in " ".join(
        result.output.split()
    ), result.output
    [claimed] = ws.work_dir.iterdir()
    assert digest(claimed) == original
    (ws.inbox / "lengkapi").unlink()
    cli("run")
    assert digest(ws.inbox / "lengkapi" / "m.docx") == original
    assert (ws.inbox / "lengkapi" / "m.yaml").is_file()
    assert list(ws.work_dir.iterdir()) == []
