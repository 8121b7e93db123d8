"""Trust the book: a register missing, behind, edited or on the wrong disk is noticed,
and the register can be rebuilt from its log in the archive."""

import json
import sqlite3
import subprocess
import sys
import time

import pytest
from support.builders import HEADER, MEMO_NOMOR, action, registration, registration_yaml, tab_memo
from support.cases import snapshot
from support.cli import invoke
from support.workspace import make_workspace

from pipeline import register as register_module
from pipeline.register.log import record_hash


def a_busy_book(ws):
    """Two memos, one case through tolak, new data and approval to sending; one held."""
    tab_memo(ws.inbox / "nota.docx")
    tab_memo(ws.inbox / "lain.docx", {**HEADER, "Nomor": "010/ULP-LAIN/2026", "Dari": "Ketua ULP Itjen"})
    action(ws.inbox / "kapus.yaml", "disposisi_kapus")
    action(ws.inbox / "kabid.yaml", "disposisi_kabid")
    registration_yaml(ws.inbox / "registrasi.yaml")
    invoke(ws, "run")
    invoke(ws, "act", MEMO_NOMOR, "otentikasi")
    invoke(ws, "act", MEMO_NOMOR, "tolak", "--catatan", "Perbaiki pagu")
    registration_yaml(ws.inbox / "perbaikan.yaml", registration(unit="Balitbang"))
    invoke(ws, "run")
    for langkah in ("otentikasi", "periksa", "setujui", "kirim"):
        assert invoke(ws, "act", MEMO_NOMOR, langkah).exit_code == 0


def test_the_register_rebuilt_from_the_archive_equals_the_original(config):
    a_busy_book(config)
    before = snapshot(config)
    assert before["agenda"][-1]["dikirim"] and len(before["agenda"]) == 3
    for path in config.archive.glob("register.sqlite3*"):
        path.unlink()
    refused = invoke(config, "status")
    assert refused.exit_code == 1 and "pipeline rebuild-register" in refused.output
    result = invoke(config, "rebuild-register")
    assert result.exit_code == 0, result.output
    assert "2 surat masuk, 1 surat keluar, 2 kasus" in result.output
    assert snapshot(config) == before
    assert "Arsip utuh" in invoke(config, "verify").output
    tab_memo(config.inbox / "baru.docx", {**HEADER, "Nomor": "011/ULP-BARU/2026"})
    invoke(config, "run")
    assert [
        e["nomor_urut"]
        for e in map(json.loads, invoke(config, "register", "--json", "--buku", "masuk").output.splitlines())
    ] == [1, 2, 3]


@pytest.mark.parametrize("damage", ["deleted", "emptied", "zero-bytes", "old-backup"])
def test_a_missing_empty_or_old_register_over_a_filled_archive_is_refused(config, tmp_path, damage):
    tab_memo(config.inbox / "satu.docx", {**HEADER, "Nomor": "1/2026"})
    invoke(config, "run")
    backup = tmp_path / "cadangan.sqlite3"
    with sqlite3.connect(config.register_path) as source, sqlite3.connect(backup) as target:
        source.backup(target)
    tab_memo(config.inbox / "dua.docx", {**HEADER, "Nomor": "2/2026"})
    invoke(config, "run")
    for path in config.archive.glob("register.sqlite3*"):
        path.unlink()
    if damage == "emptied":
        sqlite3.connect(config.register_path).close()
    elif damage == "zero-bytes":
        config.register_path.write_bytes(b"")
    elif damage == "old-backup":
        backup.rename(config.register_path)
    tab_memo(config.inbox / "tiga.docx", {**HEADER, "Nomor": "3/2026"})
    result = invoke(config, "run")
    assert result.exit_code == 1
    assert "agar nomor agenda tidak terulang" in result.output or "agar tidak ada nomor yang terulang" in result.output
    assert "pipeline rebuild-register" in result.output
    assert (config.inbox / "tiga.docx").exists()
    assert invoke(config, "rebuild-register").exit_code == 0
    invoke(config, "run")
    entries = [json.loads(line) for line in invoke(config, "register", "--json").output.splitlines()]
    assert [e["nomor_urut"] for e in entries] == [1, 2, 3]


def test_rows_edited_added_or_deleted_in_sqlite_are_found(config):
    a_busy_book(config)
    with sqlite3.connect(config.register_path) as db:
        db.execute("UPDATE agenda SET hal = 'Diubah diam-diam' WHERE buku = 'keluar'")
        db.execute("DELETE FROM journal WHERE berkas = 'lain.docx'")
        # whoever did it also recomputes the chain of the register's own table
        db.execute("UPDATE rantai SET hash = 'f' || substr(hash, 2)")
    result = invoke(config, "verify", "--json")
    assert result.exit_code == 1
    found = [json.loads(line) for line in result.output.splitlines()]
    messages = " ".join(p["pesan"] for p in found)
    assert {p["jenis"] for p in found} == {"register_diubah"}
    for table in ("agenda", "journal", "rantai"):
        assert f"Register tabel {table} berbeda dari catatannya di arsip" in messages


def test_a_log_rewritten_to_match_is_caught_by_the_anchors(config):
    """Edit the database and rewrite the log consistently: the chain heads in metadata.json disagree."""
    a_busy_book(config)
    log = sorted((config.archive / "catatan-register").rglob("*.json"))
    previous = "0" * 64
    for path in log:
        record = json.loads(path.read_text())
        record["perubahan"] = [
            [sql, [("Diubah" if value == "Permohonan Pemanfaatan SPSE" else value) for value in params]]
            for sql, params in record["perubahan"]
        ]
        record["sebelumnya"] = previous
        record["hash"] = previous = record_hash(record)
        path.chmod(0o644)
        path.write_text(json.dumps(record))
    with sqlite3.connect(config.register_path) as db:
        db.execute("UPDATE agenda SET hal = 'Diubah' WHERE hal = 'Permohonan Pemanfaatan SPSE'")
        for urut, digest in ((json.loads(p.read_text())["urut"], json.loads(p.read_text())["hash"]) for p in log):
            db.execute("UPDATE rantai SET hash = ? WHERE urut = ?", (digest, urut))
        db.execute(
            "UPDATE rantai SET sebelumnya = COALESCE((SELECT hash FROM rantai r WHERE r.urut = rantai.urut - 1), "
            "sebelumnya)"
        )
    found = [json.loads(line) for line in invoke(config, "verify", "--json").output.splitlines()]
    assert "jangkar_rantai" in {p["jenis"] for p in found}


def test_unknown_files_and_folders_in_the_archive_are_named(config):
    tab_memo(config.inbox / "nota.docx")
    invoke(config, "run")
    [folder] = config.archive.glob("*/surat-masuk/*")
    (folder / "sisipan.docx").write_bytes(b"bukan dari pipeline")
    (folder.parent / "0099_asing").mkdir()
    found = {p["jenis"]: p for p in map(json.loads, invoke(config, "verify", "--json").output.splitlines())}
    assert found["berkas_tak_dikenal"]["lokasi"].endswith("/sisipan.docx")
    assert found["folder_tak_dikenal"]["lokasi"].endswith("/0099_asing")


def test_verify_json_is_silent_and_exit_0_when_all_is_well(config):
    tab_memo(config.inbox / "nota.docx")
    invoke(config, "run")
    result = invoke(config, "verify", "--json")
    assert (result.exit_code, result.output) == (0, "")


def test_a_register_on_a_network_file_system_is_refused(config, tmp_path, monkeypatch):
    mounts = tmp_path / "mounts"
    mounts.write_text(f"/dev/sda1 / ext4 rw 0 0\n//server/spse {config.archive} cifs rw 0 0\n")
    monkeypatch.setattr(register_module, "MOUNTS", mounts)
    result = invoke(config, "status")
    assert result.exit_code == 1
    assert "berada di folder jaringan (cifs)" in result.output
    assert "Pemasangan di server berkas kantor" in result.output


def test_a_register_deleted_under_watch_stops_the_service(tmp_path):
    ws = make_workspace(tmp_path / "ws", {"watch": {"rescan_seconds": 1}})
    tab_memo(ws.inbox / "nota.docx")
    invoke(ws, "run")
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "--config", str(ws.path), "watch"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(1.5)
        for path in ws.archive.glob("register.sqlite3*"):
            path.unlink()
        tab_memo(ws.inbox / "lagi.docx", {**HEADER, "Nomor": "2/2026"})
        _out, err = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 1
    assert "dihapus atau diganti saat pipeline berjalan" in err
    assert (ws.inbox / "lagi.docx").exists()


def test_a_register_ahead_of_its_log_is_not_rebuilt_over(config):
    tab_memo(config.inbox / "satu.docx", {**HEADER, "Nomor": "1/2026"})
    tab_memo(config.inbox / "dua.docx", {**HEADER, "Nomor": "2/2026"})
    invoke(config, "run")
    newest = sorted((config.archive / "catatan-register").rglob("*.json"))[-1]
    newest.unlink()  # the archive's log restored from an older copy
    result = invoke(config, "rebuild-register")
    assert result.exit_code == 1 and "lebih banyak daripada catatannya di arsip" in result.output
    assert len([json.loads(line) for line in invoke(config, "register", "--json").output.splitlines()]) == 2


def test_a_forged_log_record_cannot_reach_beyond_the_register(config, tmp_path):
    tab_memo(config.inbox / "satu.docx")
    invoke(config, "run")
    victim = tmp_path / "lain.sqlite3"
    with sqlite3.connect(victim) as db:
        db.execute("CREATE TABLE t (x)")
        db.execute("INSERT INTO t VALUES (1)")
    [path] = sorted((config.archive / "catatan-register").rglob("*.json"))[-1:]
    record = json.loads(path.read_text())
    record["perubahan"].append(["ATTACH ? AS korban", [str(victim)]])
    record["hash"] = record_hash(record)
    path.chmod(0o644)
    path.write_text(json.dumps(record))
    found = [json.loads(line) for line in invoke(config, "verify", "--json").output.splitlines()]
    assert any("tidak dapat diterapkan ulang" in p["pesan"] for p in found)
    with sqlite3.connect(victim) as db:
        assert db.execute("SELECT x FROM t").fetchall() == [(1,)]
