"""A voided number and what it leaves behind: the outbox staff print and send from, the status
page, and a register edited directly to hide the void."""

import json
import sqlite3

import pytest
from builders import MEMO_NOMOR, action, registration_yaml, tab_memo


def jsonl(result):
    return [json.loads(line) for line in result.output.splitlines() if line.strip()]


def letters(cli):
    return [e for e in jsonl(cli("register", "--json")) if e["buku"] == "keluar"]


@pytest.fixture
def approved(ws, cli):
    """A case taken through the command line to its numbered letter; returns the letter's entry."""
    tab_memo(ws.inbox / "nota.docx")
    action(ws.inbox / "kapus.yaml", "disposisi_kapus")
    action(ws.inbox / "kabid.yaml", "disposisi_kabid")
    registration_yaml(ws.inbox / "registrasi.yaml")
    assert cli("run").exit_code == 0
    for langkah in ("otentikasi", "periksa", "setujui"):
        assert cli("act", MEMO_NOMOR, langkah).exit_code == 0
    [letter] = letters(cli)
    return letter


def test_verify_names_the_entry_and_field_edited_directly_in_sqlite(ws, cli, approved):
    nomor = approved["nomor_surat"]
    assert cli("batal", nomor, "--alasan", "Salah alamat").exit_code == 0
    assert cli("verify").exit_code == 0
    with sqlite3.connect(ws.register_path) as db:
        db.execute("UPDATE agenda SET batal = 0, alasan_batal = '' WHERE buku = 'keluar'")
    result = cli("verify", "--json")
    assert result.exit_code == 1
    [problem] = jsonl(result)
    assert problem["jenis"] == "register_diubah"
    assert problem["pesan"] == (
        f"Register tabel agenda berbeda dari catatannya di arsip: buku agenda surat keluar nomor surat {nomor}: "
        "kolom alasan_batal tercatat \u201cSalah alamat\u201d, sekarang \u201c\u201d, kolom batal tercatat 1, "
        "sekarang 0. Register diubah di luar pipeline. Periksa siapa yang mengubahnya, lalu pulihkan register "
        "dari catatannya dengan \u201cpipeline rebuild-register\u201d.")


def test_verify_names_an_incoming_entry_by_its_nomor_agenda_and_a_deleted_row(ws, cli, approved):
    [memo] = [e for e in jsonl(cli("register", "--json")) if e["buku"] == "masuk"]
    with sqlite3.connect(ws.register_path) as db:
        db.execute("UPDATE agenda SET hal = 'Diubah' WHERE buku = 'masuk'")
        db.execute("DELETE FROM journal WHERE berkas = 'kapus.yaml'")
    found = {p["pesan"].split(":")[0]: p["pesan"] for p in jsonl(cli("verify", "--json"))}
    assert (f"buku agenda surat masuk nomor agenda {memo['nomor_agenda']}: kolom hal tercatat \u201cPermohonan Pemanfaatan "
            "SPSE\u201d, sekarang \u201cDiubah\u201d.") in found["Register tabel agenda berbeda dari catatannya di arsip"]
    journal = found["Register tabel journal berbeda dari catatannya di arsip"]
    assert "tercatat tetapi tidak ada lagi di register" in journal and journal.count("baris id ") == 1
