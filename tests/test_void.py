"""A voided number and what it leaves behind: the outbox staff print and send from, the status
page, and a register edited directly to hide the void."""

import re
import signal
import sqlite3
import subprocess
import sys

import pytest
from support.builders import MEMO_NOMOR, MINIMAL_PDF, action, registration_yaml, scan, tab_memo
from support.cli import jsonl
from support.processes import FAULTS


def letters(cli):
    return [e for e in jsonl(cli("register", "--json")) if e["buku"] == "keluar"]


@pytest.fixture
def approved(config, cli):
    """A case taken through the command line to its numbered letter; returns the letter's entry."""
    tab_memo(config.inbox / "nota.docx")
    action(config.inbox / "kapus.yaml", "disposisi_kapus")
    action(config.inbox / "kabid.yaml", "disposisi_kabid")
    registration_yaml(config.inbox / "registrasi.yaml")
    assert cli("run").exit_code == 0
    for langkah in ("otentikasi", "periksa", "setujui"):
        assert cli("act", MEMO_NOMOR, langkah).exit_code == 0
    [letter] = letters(cli)
    return letter


def test_verify_names_the_entry_and_field_edited_directly_in_sqlite(config, cli, approved):
    nomor = approved["nomor_surat"]
    assert cli("batal", nomor, "--alasan", "Salah alamat").exit_code == 0
    assert cli("verify").exit_code == 0
    with sqlite3.connect(config.register_path) as db:
        db.execute("UPDATE agenda SET batal = 0, alasan_batal = '' WHERE buku = 'keluar'")
    result = cli("verify", "--json")
    assert result.exit_code == 1
    [problem] = jsonl(result)
    assert problem["jenis"] == "register_diubah"
    assert problem["pesan"] == (
        f"Register tabel agenda berbeda dari catatannya di arsip: buku agenda surat keluar nomor surat {nomor}: "
        "kolom alasan_batal tercatat \u201cSalah alamat\u201d, sekarang \u201c\u201d, kolom batal tercatat 1, "
        "sekarang 0. Register diubah di luar pipeline. Periksa siapa yang mengubahnya, lalu pulihkan register "
        "dari catatannya dengan \u201cpipeline rebuild-register\u201d."
    )


def test_verify_names_an_incoming_entry_by_its_nomor_agenda_and_a_deleted_row(config, cli, approved):
    [memo] = [e for e in jsonl(cli("register", "--json")) if e["buku"] == "masuk"]
    with sqlite3.connect(config.register_path) as db:
        db.execute("UPDATE agenda SET hal = 'Diubah' WHERE buku = 'masuk'")
        db.execute("DELETE FROM journal WHERE berkas = 'kapus.yaml'")
    found = {p["pesan"].split(":")[0]: p["pesan"] for p in jsonl(cli("verify", "--json"))}
    assert (
        f"buku agenda surat masuk nomor agenda {memo['nomor_agenda']}: kolom hal tercatat \u201cPermohonan Pemanfaatan "
        "SPSE\u201d, sekarang \u201cDiubah\u201d."
    ) in found["Register tabel agenda berbeda dari catatannya di arsip"]
    journal = found["Register tabel journal berbeda dari catatannya di arsip"]
    assert "tercatat tetapi tidak ada lagi di register" in journal and journal.count("baris id ") == 1


def outbox_files(ws, kasus="2026-0001"):
    folder = ws.outbox / kasus
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def linked(ws, kasus="2026-0001"):
    page = (ws.outbox / "status" / "kasus" / f"{kasus}.html").read_text(encoding="utf-8")
    return sorted(re.findall(rf'href="\.\./\.\./{kasus}/([^"]+)"', page))


def signed_scan(ws, letter, extra=b""):
    scan(ws.inbox / (letter["nomor_surat"].replace("/", "-") + ".pdf")).write_bytes(MINIMAL_PDF + extra)


def test_a_voided_letter_and_its_signed_scan_leave_the_outbox_and_the_status_page(config, cli, approved):
    kasus, first = approved["kasus"], approved["nomor_surat"]
    letter, signed = f"{kasus}_10_nota-dinas.docx", f"{kasus}_surat-bertanda-tangan.pdf"
    signed_scan(config, approved)
    assert cli("run").exit_code == 0
    assert {letter, signed} <= set(outbox_files(config, kasus)) and {letter, signed} <= set(linked(config, kasus))

    assert cli("batal", first, "--alasan", "Salah alamat").exit_code == 0
    marked = first.replace("/", "-")
    voided = [f"batal/BATAL - {marked} - {letter}", f"batal/BATAL - {marked} - {signed}"]
    assert set(voided) <= set(outbox_files(config, kasus))
    assert not {letter, signed} & set(outbox_files(config, kasus))
    assert not {letter, signed} & set(linked(config, kasus)) and not any("BATAL" in n for n in linked(config, kasus))

    assert cli("act", MEMO_NOMOR, "setujui").exit_code == 0
    [_, second] = letters(cli)
    assert letter in outbox_files(config, kasus) and signed not in outbox_files(config, kasus)
    current = (config.outbox / kasus / letter).read_bytes()
    assert current == (config.root / second["berkas"]["nota-dinas.docx"]).read_bytes()
    assert letter in linked(config, kasus) and signed not in linked(config, kasus)
    assert cli("run").exit_code == 0  # a start never takes the current letter for the voided one
    assert (config.outbox / kasus / letter).read_bytes() == current
    assert sorted(p for p in outbox_files(config, kasus) if p.startswith("batal/")) == voided


def test_a_void_killed_before_the_outbox_moved_is_finished_at_the_next_start(config, cli, approved):
    """SIGKILL after the void committed and before the outbox was tidied (tests/support/faults.py): the
    next start sets the voided letter aside and the status page stops linking it."""
    kasus, nomor = approved["kasus"], approved["nomor_surat"]
    letter = f"{kasus}_10_nota-dinas.docx"
    killed = subprocess.run(
        [
            sys.executable,
            str(FAULTS),
            "before_withdraw",
            "1",
            "--",
            "--config",
            str(config.path),
            "batal",
            nomor,
            "--alasan",
            "Salah alamat",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert letters(cli)[0]["batal"] and letter in outbox_files(config, kasus) and letter in linked(config, kasus)
    assert cli("run").exit_code == 0
    assert letter not in outbox_files(config, kasus) and letter not in linked(config, kasus)
    assert f"batal/BATAL - {nomor.replace('/', '-')} - {letter}" in outbox_files(config, kasus)
