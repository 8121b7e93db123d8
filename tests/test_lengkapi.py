"""Complete, never alter: a letter that cannot be registered as it stands waits in
inbox/lengkapi/, unchanged, beside a prefilled draft; staff complete the draft and save it
into inbox/, and the letter is registered with both archived (docs/inputs.md)."""

import shutil
import subprocess

import pytest
import yaml
from support.builders import HEADER, digest, tab_memo, yaml_memo
from support.cli import jsonl

NOMOR = HEADER["Nomor"]
FORBIDDEN = ("letakkan kembali", "pastikan kepala surat", "perbaiki", "simpan ulang", "ubah surat")
WAIT_REASON = (
    "Surat menunggu dilengkapi: surat disimpan tanpa diubah di inbox/lengkapi/{name}.docx dan "
    "draf isiannya di inbox/lengkapi/{name}.yaml. Periksa dan lengkapi draf itu, lalu simpan di "
    "folder inbox dengan nama {name}.yaml; surat aslinya tidak perlu diubah atau dipindahkan."
)


def without(label):
    return {k: v for k, v in HEADER.items() if k != label}


def complete(ws, name, **values):
    """What staff do: fill the draft's empty fields and save it into the inbox under the same name."""
    draft = (ws.inbox / "lengkapi" / name).read_text(encoding="utf-8")
    for key, value in values.items():
        assert f"\n{key}: ''\n" in draft, key
        draft = draft.replace(f"\n{key}: ''\n", f"\n{key}: {value}\n")
    (ws.inbox / name).write_text(draft, encoding="utf-8")


def test_letter_lacking_nomor_waits_with_draft_then_registers(config, cli):
    letter = tab_memo(config.inbox / "tanpa-nomor.docx", without("Nomor"))
    original = digest(letter)
    result = cli("run")
    assert result.exit_code == 0 and "1 menunggu." in result.output
    held = config.inbox / "lengkapi" / "tanpa-nomor.docx"
    assert digest(held) == original and not letter.exists()
    text = (config.inbox / "lengkapi" / "tanpa-nomor.yaml").read_text(encoding="utf-8")
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
    page = (config.outbox / "status" / "index.html").read_text(encoding="utf-8")
    assert "<td>tanpa-nomor.docx</td>" in page and "<td>inbox/lengkapi/tanpa-nomor.yaml</td>" in page

    complete(config, "tanpa-nomor.yaml", nomor=NOMOR)
    completed = digest(config.inbox / "tanpa-nomor.yaml")
    result = cli("run")
    assert result.exit_code == 0 and "2 diterima." in result.output, result.output
    [entry] = jsonl(cli("register", "--json"))
    assert (entry["nomor_urut"], entry["nomor_surat"], entry["hal"]) == (1, NOMOR, HEADER["Hal"])
    assert entry["nomor_agenda"] in result.output
    [folder] = config.archive.glob("*/surat-masuk/0001_*")
    assert digest(folder / "asli_tanpa-nomor.docx") == original
    assert digest(folder / "asli_tanpa-nomor.yaml") == completed
    assert list((config.inbox / "lengkapi").iterdir()) == []
    assert [p for p in config.inbox.iterdir() if p.is_file()] == []
    assert "Surat menunggu dilengkapi" not in cli("status").output
    assert cli("verify").exit_code == 0


def test_same_letter_dropped_again_is_not_drafted_twice(config, cli):
    letter = tab_memo(config.inbox / "m.docx", without("Nomor"))
    data = letter.read_bytes()
    cli("run")
    (config.inbox / "lagi.docx").write_bytes(data)
    result = cli("run")
    assert "1 duplikat." in result.output
    assert sorted(p.name for p in (config.inbox / "lengkapi").iterdir()) == ["m.docx", "m.yaml"]
    assert (config.duplicate_dir / "lagi.docx").read_bytes() == data
    row = jsonl(cli("journal", "--json"))[-1]
    assert (row["berkas"], row["hasil"]) == ("lagi.docx", "duplikat")
    assert row["alasan"] == [
        (
            "Surat yang sama persis sudah menunggu dilengkapi di inbox/lengkapi/m.docx. Lengkapi "
            "draf inbox/lengkapi/m.yaml, lalu simpan di folder inbox dengan nama m.yaml. Berkas "
            "ini tidak diproses lagi."
        )
    ]
    (config.inbox / "ketiga.docx").write_bytes(data)
    assert "1 duplikat." in cli("run").output
    assert sorted(p.name for p in (config.inbox / "lengkapi").iterdir()) == ["m.docx", "m.yaml"]


@pytest.mark.parametrize("label, key", [("Nomor", "nomor"), ("Tanggal", "tanggal"), ("Dari", "dari"), ("Hal", "hal")])
def test_no_reason_asks_to_change_the_letter(config, cli, label, key):
    tab_memo(config.inbox / "surat.docx", without(label))
    cli("run")
    [row] = jsonl(cli("journal", "--json"))
    assert row["alasan"] == [
        f"“{label}” tidak ditemukan pada kepala Nota Dinas surat.docx.",
        WAIT_REASON.format(name="surat"),
    ]
    draft = (config.inbox / "lengkapi" / "surat.yaml").read_text(encoding="utf-8")
    assert f"\n{key}: ''\n" in draft
    for text in (*row["alasan"], draft):
        assert not any(phrase in text.lower() for phrase in FORBIDDEN), text


@pytest.mark.parametrize(
    "name, content", [("kosong.docx", b""), ("rusak.docx", b"PK\x03\x04 bukan zip"), ("bukan.docx", b"%PDF-1.4 palsu")]
)
def test_refusals_of_unreadable_letters_ask_for_the_original_again(config, cli, name, content):
    """A file that cannot be read at all is still refused, and the reason never asks to alter it."""
    (config.inbox / name).write_bytes(content)
    cli("run")
    [row] = jsonl(cli("journal", "--json"))
    assert row["hasil"] == "ditolak"
    assert not any(phrase in row["alasan"][0].lower() for phrase in FORBIDDEN), row["alasan"]
    reason = (config.rejected_dir / f"{name}.alasan.txt").read_text(encoding="utf-8")
    assert (
        "Surat masuk tidak pernah diubah: bila berkas ini surat masuk, ikuti alasan di atas tanpa mengubah suratnya."
    ) in reason


def test_binary_that_is_no_letter_still_refused(config, cli):
    (config.inbox / "acak.bin").write_bytes(b"\x00\x01\x02garbage")
    result = cli("run")
    assert "1 ditolak." in result.output
    assert (config.rejected_dir / "acak.bin").read_bytes() == b"\x00\x01\x02garbage"
    assert not (config.inbox / "lengkapi").exists()


def test_incomplete_yaml_memo_typed_by_staff_is_refused_not_held(config, cli):
    yaml_memo(config.inbox / "ketik.yaml", nomor=None)
    assert "1 ditolak." in cli("run").output
    assert not (config.inbox / "lengkapi").exists()


def test_completion_still_incomplete_waits_again(config, cli):
    """A completed draft that still lacks a field puts the letter back beside that YAML, never refused."""
    letter = tab_memo(config.inbox / "m.docx", without("Nomor"))
    original = digest(letter)
    cli("run")
    draft = config.inbox / "lengkapi" / "m.yaml"
    shutil.copyfile(draft, config.inbox / "m.yaml")
    result = cli("run")
    assert "2 menunggu." in result.output, result.output
    assert sorted(p.name for p in (config.inbox / "lengkapi").iterdir()) == ["m.docx", "m.yaml"]
    assert digest(config.inbox / "lengkapi" / "m.docx") == original
    complete(config, "m.yaml", nomor=NOMOR)
    assert "2 diterima." in cli("run").output
    assert list((config.inbox / "lengkapi").iterdir()) == []


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
def test_old_word_doc_memo_is_converted_read_and_archived_as_it_came(config, cli, tmp_path):
    made = make_doc(tmp_path)
    shutil.copyfile(made, config.inbox / "lama.doc")
    result = cli("run")
    assert result.exit_code == 0 and "1 diterima." in result.output, result.output
    [entry] = jsonl(cli("register", "--json"))
    assert (entry["nomor_surat"], entry["dari"], entry["hal"]) == (NOMOR, HEADER["Dari"], HEADER["Hal"])
    [folder] = config.archive.glob("*/surat-masuk/0001_*")
    assert digest(folder / "asli_lama.doc") == digest(made)


@pytest.mark.skipif(not _soffice(), reason="LibreOffice is not installed")
def test_old_word_doc_without_libreoffice_waits_with_empty_draft(config, cli, tmp_path, monkeypatch):
    made = make_doc(tmp_path)
    shutil.copyfile(made, config.inbox / "lama.doc")
    monkeypatch.setenv("PATH", str(tmp_path / "tanpa-libreoffice"))
    assert "1 menunggu." in cli("run").output
    assert digest(config.inbox / "lengkapi" / "lama.doc") == digest(made)
    text = (config.inbox / "lengkapi" / "lama.yaml").read_text(encoding="utf-8")
    assert (
        "#   - Dokumen Word lama (.doc) ini belum dapat dibaca karena LibreOffice tidak terpasang pada "
        "server pipeline.\n"
    ) in text
    assert yaml.safe_load(text) == {
        "jenis": "nota_dinas",
        **{key: "" for key in ("nomor", "tanggal", "dari", "kepada", "sifat", "lampiran", "hal", "tembusan")},
    }
    assert "# Nomor PERLU DIISI: isi dengan nomor surat persis seperti tertulis pada surat" in text
    complete(config, "lama.yaml", nomor=NOMOR, tanggal="7 Oktober 2026", dari="Kepala ULP", hal="Permohonan SPSE")
    assert "2 diterima." in cli("run").output
    [folder] = config.archive.glob("*/surat-masuk/0001_*")
    assert digest(folder / "asli_lama.doc") == digest(made)


def test_completion_still_incomplete_after_a_duplicate_drop_waits_again(config, cli):
    letter = tab_memo(config.inbox / "m.docx", without("Nomor"))
    data = letter.read_bytes()
    cli("run")
    (config.inbox / "lagi.docx").write_bytes(data)
    cli("run")
    shutil.copyfile(config.inbox / "lengkapi" / "m.yaml", config.inbox / "m.yaml")
    assert "2 menunggu." in cli("run").output
    assert sorted(p.name for p in (config.inbox / "lengkapi").iterdir()) == ["m.docx", "m.yaml"]
    assert not (config.rejected_dir / "m.docx").exists()


@pytest.mark.parametrize("letter_first", [True, False])
def test_staff_moving_both_files_back_still_registers_once(config, cli, letter_first):
    """Only the YAML needs to go back; a letter moved back with it is taken with it all the same."""
    import os

    letter = tab_memo(config.inbox / "m.docx", without("Nomor"))
    original = digest(letter)
    cli("run")
    complete(config, "m.yaml", nomor=NOMOR)
    (config.inbox / "lengkapi" / "m.yaml").unlink()
    os.rename(config.inbox / "lengkapi" / "m.docx", config.inbox / "m.docx")
    older, newer = ("m.docx", "m.yaml") if letter_first else ("m.yaml", "m.docx")
    os.utime(config.inbox / older, (1_700_000_000, 1_700_000_000))
    os.utime(config.inbox / newer, (1_700_000_100, 1_700_000_100))
    cli("run")
    cli("run")
    [entry] = jsonl(cli("register", "--json"))
    assert entry["nomor_surat"] == NOMOR
    [folder] = config.archive.glob("*/surat-masuk/0001_*")
    assert digest(folder / "asli_m.docx") == original
    assert list((config.inbox / "lengkapi").iterdir()) == []
    assert [p for p in config.inbox.iterdir() if p.is_file()] == []


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


def test_letter_kept_when_lengkapi_cannot_be_written(config, cli):
    """A folder that cannot be made keeps the letter claimed (never lost), and it waits once it can."""
    letter = tab_memo(config.inbox / "m.docx", without("Nomor"))
    original = digest(letter)
    (config.inbox / "lengkapi").symlink_to(config.inbox / "tidak-ada")  # a dangling link: no folder can be made there
    result = cli("run")
    assert "Surat tidak dapat dipindahkan ke inbox/lengkapi: sudah ada. Berkas akan dicoba lagi." in " ".join(
        result.output.split()
    ), result.output
    [claimed] = config.work_dir.iterdir()
    assert digest(claimed) == original
    (config.inbox / "lengkapi").unlink()
    cli("run")
    assert digest(config.inbox / "lengkapi" / "m.docx") == original
    assert (config.inbox / "lengkapi" / "m.yaml").is_file()
    assert list(config.work_dir.iterdir()) == []
