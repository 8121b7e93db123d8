"""The archive moved to shared storage, as README's "Beberapa host, satu buku" says: records
made before the move are still found, verified and carried on, wherever the archive now lies."""

import json
import os
from pathlib import Path

import pytest
from support.builders import MEMO_NOMOR, action, registration_yaml, scan, tab_memo
from support.cli import invoker, jsonl
from support.workspace import configure, make_workspace

from pipeline.register import open_register

# How records stored archived paths: as this release does, and as earlier releases did (relative
# to the workspace, or in full for an archive outside it); earlier records are written here by
# putting the earlier rule back into filing for the time before the move.
WRITERS = {
    "arsip": None,
    "ruang-kerja": lambda path, archive: "archive/" + Path(path).relative_to(archive).as_posix(),
    "lengkap": lambda path, archive: Path(path).as_posix(),
}


def written_as(monkeypatch, form):
    if WRITERS[form] is not None:
        monkeypatch.setattr("pipeline.filing.filer.in_archive", WRITERS[form], raising=False)


def case_to_authentication(ws, cli):
    """A memo numbered, both dispositions and the registration data filed: the case waits for otentikasi."""
    tab_memo(ws.inbox / "nota.docx")
    action(ws.inbox / "kapus.yaml", "disposisi_kapus", kepada="Kepala Bidang Telematika", catatan="Proses lebih lanjut")
    action(ws.inbox / "kabid.yaml", "disposisi_kabid", kepada="Kepala Subbidang Aplikasi", catatan="Koordinasikan")
    registration_yaml(ws.inbox / "registrasi.yaml")
    assert cli("run").exit_code == 0


def move_archive(ws, target):
    """Move archive/ out of the workspace and point folders.archive at it, as the README documents."""
    target.parent.mkdir(parents=True, exist_ok=True)
    os.rename(ws.archive, target)
    return configure(ws.path, {"folders": {"archive": str(target)}})


def assert_verified(cli):
    result = cli("verify")
    assert result.exit_code == 0 and "Arsip utuh" in result.output, result.output


@pytest.mark.parametrize("form", WRITERS)
def test_a_numbered_letter_moved_with_the_archive_is_verified_signed_and_sent(tmp_path, monkeypatch, form):
    ws = make_workspace(tmp_path / "ws")
    cli = invoker(ws)
    written_as(monkeypatch, form)
    case_to_authentication(ws, cli)
    for langkah in ("otentikasi", "periksa", "setujui"):
        assert cli("act", MEMO_NOMOR, langkah).exit_code == 0
    [memo] = jsonl(cli("register", "--json", "--buku", "masuk"))
    [letter] = jsonl(cli("register", "--json", "--buku", "keluar"))

    monkeypatch.undo()
    ws = move_archive(ws, tmp_path / "bersama" / "arsip")
    assert_verified(cli)
    for code, status in ((memo["kode"], "diganti"), (letter["kode"], "sah")):  # the first Lembar Disposisi has a v2
        found = json.loads(cli("verify", "--kode", code, "--json").output)
        assert (found["status"], found["utuh"]) == (status, True), found
        assert (ws.root / found["dokumen"]).is_file()
    [moved] = jsonl(cli("register", "--json", "--buku", "keluar"))
    assert moved["berkas"]["nota-dinas.docx"] == str(ws.archive / letter["berkas"]["nota-dinas.docx"].split("/", 1)[1])

    scan(ws.inbox / (letter["nomor_surat"].replace("/", "-") + ".pdf"))  # the signed letter: a new step
    result = cli("run")
    assert "diterima" in result.output, result.output
    [letter] = jsonl(cli("register", "--json", "--buku", "keluar"))
    assert letter["ditandatangani"]
    assert cli("act", letter["kasus"], "kirim", "--catatan", "Dikirim melalui kurir").exit_code == 0
    [copy] = (ws.root / letter["berkas"]["nota-dinas.docx"]).parent.glob("ttd_v1/asli_*.pdf")
    assert copy.read_bytes().startswith(b"%PDF")
    assert not [p for p in (ws.archive / ".staging").iterdir()]
    [item] = jsonl(cli("status", "--json", "--all"))
    assert item["status"] == "selesai"
    accepted = [e for e in jsonl(cli("journal", "--json")) if e["hasil"] == "diterima"]
    assert accepted and all((ws.root / e["lokasi"]).is_file() for e in accepted)
    assert_verified(cli)


@pytest.mark.parametrize("form", WRITERS)
def test_a_case_document_of_an_old_case_is_published_into_its_moved_memo_folder(tmp_path, monkeypatch, form):
    ws = make_workspace(tmp_path / "ws")
    cli = invoker(ws)
    written_as(monkeypatch, form)
    case_to_authentication(ws, cli)
    monkeypatch.undo()
    ws = move_archive(ws, tmp_path / "bersama" / "arsip")
    assert cli("act", MEMO_NOMOR, "otentikasi").exit_code == 0
    [item] = jsonl(cli("status", "--json", "--all"))
    assert item["langkah_sekarang"] == 9 and item["masalah"] == [], item
    shown = [d for step in item["langkah"] for d in step["dokumen"]]
    assert len(shown) >= 5 and all((ws.root / d).is_file() for d in shown), shown
    assert not [p for p in (ws.archive / ".staging").iterdir()]
    [folder] = ws.archive.glob("*/surat-masuk/*/dokumen/07_*")
    assert (folder / "metadata.json").is_file()
    assert_verified(cli)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_stored_paths_of_every_form_are_found_in_the_archive_where_it_is_now(tmp_path, request, backend):
    from pipeline.filing.archive import archive_key, locate

    url = request.getfixturevalue("postgres").database() if backend == "postgresql" else ""
    ws = make_workspace(tmp_path / "ws", {"register": {"url": url}} if url else None)
    for stored in (
        "archive/2026/surat-masuk/0001_x/a.docx",
        "/srv/spse-arsip/2026/surat-masuk/0001_x/a.docx",
        "2026/surat-masuk/0001_x/a.docx",
    ):
        assert archive_key(stored) == "2026/surat-masuk/0001_x/a.docx"
        assert locate(ws, stored) == ws.archive / "2026/surat-masuk/0001_x/a.docx"
    assert archive_key("inbox/ditolak/a.docx") is None
    assert locate(ws, "inbox/ditolak/a.docx") == ws.inbox / "ditolak/a.docx"
    with open_register(ws) as register:
        with register.transaction():
            register.keep_input(_kept("/srv/spse-arsip/2026/masukan/0001_a_b"))
        assert register.folder_known("2026/masukan/0001_a_b") and register.folder_known("archive/2026/masukan/0001_a_b")
        assert not register.folder_known("2026/masukan/0001_a") and not register.folder_known("2026/masukan/0001%")


def _kept(folder):
    from pipeline.register import KeptInput

    return KeptInput(0, "tindakan", "periksa", "x", "", "2026-01-01T00:00:00+07:00", {}, folder)
