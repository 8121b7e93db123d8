"""Paper stays possible: a decision an official made on the printed sheet, recorded by staff on the
official's behalf, only with the scan of the signed sheet (issue 20, item 3)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest
from support.builders import MEMO_NOMOR, action, docx_text, scan, tab_memo
from support.cases import to_authentication
from support.cli import invoke, invoker
from support.processes import FAULTS, start_watch, wait_for
from support.scan_builders import jpeg_claiming
from support.workspace import configure, make_workspace, rejected_reason

from pipeline import config as config_module
from pipeline.errors import ConfigError
from pipeline.register import open_register
from pipeline.sop.access import current_account, full_name

KAPUS = "Dr. Ir. Suryo Wibowo, M.T."
ME = current_account()


def office(tmp_path, **access):
    """A workspace where this test's account is staff only: the officials are other accounts."""
    ws = make_workspace(tmp_path / "ws")
    roles = {"kapus": ["suryo"], "kabid": ["ahmad"], "kasubbid": ["dewi"], "staf": [ME]}
    return configure(ws.path, {"access": {"roles": roles, **access}})


def opened(tmp_path, **access):
    ws = office(tmp_path, **access)
    tab_memo(ws.inbox / "nota.docx")
    assert invoke(ws, "run").exit_code == 0
    return ws


def status(ws):
    return json.loads(invoke(ws, "status", "--json", MEMO_NOMOR).output.splitlines()[0])


def step(ws, no):
    return next(s for s in status(ws)["langkah"] if s["no"] == no)


def kept_scans(ws):
    """Every copy of a signed sheet in the archive's kept inputs."""
    return sorted(p.name for p in ws.archive.glob("*/masukan/*/asli_*") if p.suffix == ".pdf")


def recorded_line(oleh="Budi Santoso"):
    return f"dicatat oleh {oleh} (akun {ME}) atas nama {KAPUS}"


def test_staff_record_the_kapus_disposition_with_the_signed_sheet(tmp_path):
    ws = opened(tmp_path)
    action(
        ws.inbox / "disposisi.yaml",
        "disposisi_kapus",
        atas_nama="kapus",
        oleh="Budi Santoso",
        kepada="Kepala Bidang Telematika",
        catatan="Proses lebih lanjut",
    )
    scan(ws.inbox / "disposisi.pdf")
    assert invoke(ws, "run").exit_code == 0
    assert not ws.rejected_dir.exists() or not list(ws.rejected_dir.iterdir())
    done = step(ws, 3)
    assert done["status"] == "selesai"
    assert done["oleh"] == recorded_line()
    assert status(ws)["langkah_sekarang"] == 4
    assert kept_scans(ws) == ["asli_disposisi.pdf"]  # the signed sheet, archived with its action
    # the printed sheet names who recorded the disposition, on whose behalf
    [sheet] = ws.outbox.glob("*/*_03_lembar-disposisi*.docx")
    assert recorded_line() in docx_text(sheet)
    # the status site's case page and the events
    page = next((ws.outbox / "status" / "kasus").glob("*.html")).read_text(encoding="utf-8")
    assert recorded_line() in page
    with open_register(ws) as register:
        done_events = [e for e in register.events(status(ws)["kasus"]) if e.aksi == "langkah_selesai"]
    assert [e.oleh for e in done_events if e.rincian["langkah"] == "disposisi_kapus"] == [recorded_line()]


def test_the_official_may_be_named_as_config_names_them(tmp_path):
    ws = opened(tmp_path)
    action(ws.inbox / "d.yaml", "disposisi_kapus", atas_nama=KAPUS, oleh="Budi Santoso")
    scan(ws.inbox / "d.pdf")
    invoke(ws, "run")
    assert step(ws, 3)["oleh"] == recorded_line()


def test_without_the_signed_sheet_it_is_refused_saying_what_to_attach(tmp_path):
    ws = opened(tmp_path)
    action(ws.inbox / "disposisi.yaml", "disposisi_kapus", atas_nama="kapus")
    invoke(ws, "run")
    reason = rejected_reason(ws, "disposisi.yaml")
    assert "hanya dapat dicatat dengan pindaian lembar yang ditandatangani" in reason
    assert f"Lampirkan pindaian Lembar Disposisi yang sudah ditandatangani {KAPUS}" in reason
    assert step(ws, 3)["status"] != "selesai"


def test_a_sheet_that_is_no_scan_is_refused(tmp_path):
    ws = opened(tmp_path)
    action(ws.inbox / "disposisi.yaml", "disposisi_kapus", atas_nama="kapus")
    (ws.inbox / "disposisi.pdf").write_bytes(b"bukan pindaian")
    invoke(ws, "run")
    assert "bukan pindaian PDF, JPG atau PNG" in rejected_reason(ws, "disposisi.yaml")
    assert kept_scans(ws) == []


def test_an_account_whose_role_may_not_record_on_behalf_is_refused(tmp_path):
    ws = opened(tmp_path)
    configure(ws.path, {"access": {"roles": {"staf": ["budi"], "kasubbid": [ME]}}})
    action(ws.inbox / "disposisi.yaml", "disposisi_kapus", atas_nama="kapus")
    scan(ws.inbox / "disposisi.pdf")
    invoke(ws, "run")
    reason = rejected_reason(ws, "disposisi.yaml")
    assert "hanya dapat dicatat atas namanya oleh akun dengan peran staf (budi), sedangkan" in reason
    assert f"akun \u201c{ME}\u201d" in reason
    assert step(ws, 3)["status"] != "selesai"


def test_on_behalf_of_a_role_config_does_not_allow_is_refused(tmp_path):
    ws = opened(tmp_path, atas_nama={"kapus": []})
    action(ws.inbox / "disposisi.yaml", "disposisi_kapus", atas_nama="kapus")
    scan(ws.inbox / "disposisi.pdf")
    invoke(ws, "run")
    reason = rejected_reason(ws, "disposisi.yaml")
    assert "access.atas_nama di config.yaml tidak menyebut peran kapus" in reason


def test_on_behalf_of_an_official_whose_step_it_is_not_is_refused(tmp_path):
    ws = opened(tmp_path)
    action(ws.inbox / "disposisi.yaml", "disposisi_kapus", atas_nama="kabid")
    scan(ws.inbox / "disposisi.pdf")
    invoke(ws, "run")
    assert "bukan peran kabid" in rejected_reason(ws, "disposisi.yaml")


def test_staff_without_atas_nama_are_told_how_to_record_a_paper_decision(tmp_path):
    ws = opened(tmp_path)
    action(ws.inbox / "disposisi.yaml", "disposisi_kapus")
    invoke(ws, "run")
    reason = rejected_reason(ws, "disposisi.yaml")
    assert "hanya dapat dicatat oleh akun dengan peran kapus (suryo)" in reason
    assert "--atas-nama kapus --lampiran PINDAIAN" in reason


def test_pipeline_act_with_atas_nama_and_lampiran(tmp_path):
    ws = opened(tmp_path)
    sheet = scan(tmp_path / "lembar disposisi bertanda tangan.pdf")
    refused = invoke(ws, "act", MEMO_NOMOR, "disposisi_kapus", "--atas-nama", "kapus")
    assert refused.exit_code == 1
    assert "hanya dapat dicatat dengan pindaian lembar yang ditandatangani" in refused.output
    result = invoke(
        ws,
        "act",
        MEMO_NOMOR,
        "disposisi_kapus",
        "--atas-nama",
        "kapus",
        "--lampiran",
        str(sheet),
        "--oleh",
        "Budi Santoso",
        "--catatan",
        "Proses lebih lanjut",
    )
    assert result.exit_code == 0, result.output
    assert step(ws, 3)["oleh"] == recorded_line()
    assert len(kept_scans(ws)) == 1
    assert sheet.exists()  # the staff's own copy is never taken away


def test_config_names_the_key_it_refuses(tmp_path):
    ws = make_workspace(tmp_path / "ws")
    with pytest.raises(ConfigError, match=r"access\.atas_nama\.kapus: peran \u201cpetugas\u201d tidak ada"):
        configure(ws.path, {"access": {"atas_nama": {"kapus": ["petugas"]}}})
    with pytest.raises(ConfigError, match=r"access\.atas_nama\.kapus memuat peran kapus sendiri"):
        configure(ws.path, {"access": {"atas_nama": {"kapus": ["kapus"]}}})


def test_the_default_lets_staff_record_for_kapus_and_kabid(config):
    assert config.on_behalf == {"kapus": ("staf",), "kabid": ("staf",)}
    assert config_module.load(config.path).on_behalf["kapus"] == ("staf",)


@pytest.mark.parametrize("point", ["after_input_kept", "before_case_advance"])
def test_a_crash_between_keeping_and_applying_archives_the_scan_once(tmp_path, point):
    ws = opened(tmp_path)
    action(ws.inbox / "disposisi.yaml", "disposisi_kapus", atas_nama="kapus", oleh="Budi Santoso")
    scan(ws.inbox / "disposisi.pdf")
    command = [sys.executable, str(FAULTS), point, "1", "--", "--config", str(ws.path), "run"]
    killed = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert invoke(ws, "run").exit_code == 0
    assert kept_scans(ws) == ["asli_disposisi.pdf"]
    assert step(ws, 3)["oleh"] == recorded_line()
    assert [p for p in ws.inbox.iterdir() if p.is_file()] == []
    assert invoke(ws, "verify").exit_code == 0


def test_an_approval_on_the_printed_konsep_shows_in_the_agenda_keluar(tmp_path):
    ws = make_workspace(tmp_path / "ws")
    cli = invoker(ws)
    to_authentication(ws, cli)
    for langkah in ("otentikasi", "periksa"):
        assert cli("act", MEMO_NOMOR, langkah).exit_code == 0
    ws = configure(ws.path, {"access": {"roles": {"kapus": ["suryo"]}}})
    konsep = scan(tmp_path / "konsep bertanda tangan.pdf")
    result = invoke(ws, "act", MEMO_NOMOR, "setujui", "--atas-nama", "kapus", "--lampiran", str(konsep))
    assert result.exit_code == 0, result.output
    assert invoke(ws, "act", MEMO_NOMOR, "kirim", "--catatan", "Dikirim melalui kurir").exit_code == 0
    [book] = ws.archive.glob("*/buku/agenda-surat-keluar-*.csv")  # the agenda keluar as the office keeps it
    staf = full_name(ME)
    assert (
        f"Persetujuan dicatat oleh {staf} (akun {ME}) atas nama {KAPUS}, dengan pindaian Konsep yang "
        "ditandatangani. Dikirim melalui kurir"
    ) in book.read_text(encoding="utf-8-sig")
    assert step(ws, 10)["oleh"] == f"dicatat oleh {staf} (akun {ME}) atas nama {KAPUS}"


def test_one_signed_sheet_may_be_the_evidence_of_both_dispositions(tmp_path):
    ws = opened(tmp_path)
    sheet = scan(tmp_path / "lembar.pdf")  # scanned once, after the Kapus and the Kabid both wrote on it
    for langkah, pejabat in (("disposisi_kapus", "kapus"), ("disposisi_kabid", "kabid")):
        result = invoke(ws, "act", MEMO_NOMOR, langkah, "--atas-nama", pejabat, "--lampiran", str(sheet))
        assert result.exit_code == 0 and "(diterima)" in result.output, result.output
    assert step(ws, 4)["oleh"] == f"dicatat oleh {full_name(ME)} (akun {ME}) atas nama Ahmad Fauzi, S.Kom., M.M."
    assert len(kept_scans(ws)) == 2


def test_pipeline_act_beside_the_service_hands_the_sheet_over(tmp_path):
    ws = opened(tmp_path)
    configure(ws.path, {"watch": {"stable_seconds": 0.3, "rescan_seconds": 1, "poll_interval_seconds": 0.2}})
    sheet = scan(tmp_path / "lembar.pdf")
    process = start_watch(ws)
    try:
        assert wait_for(lambda: _held(ws))  # the service holds the workspace: act hands the action over
        command = [sys.executable, "-m", "pipeline", "--config", str(ws.path), "act", MEMO_NOMOR, "disposisi_kapus"]
        command += ["--atas-nama", "kapus", "--lampiran", str(sheet), "--oleh", "Budi Santoso"]
        result = subprocess.run(command, capture_output=True, text=True, timeout=90)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "(diterima)" in result.stdout
    finally:
        process.send_signal(signal.SIGTERM)
        out, _err = process.communicate(timeout=30)
    assert "tindakan-disposisi_kapus-" in out  # taken by the service from the inbox
    assert step(ws, 3)["oleh"] == recorded_line()
    assert len(kept_scans(ws)) == 1


def _held(ws):
    """True while a process holds the workspace lock (an flock the kernel lists in /proc/locks)."""
    if not ws.lock_path.exists():
        return False
    inode = os.stat(ws.lock_path).st_ino
    with open("/proc/locks", encoding="ascii") as locks:
        return any(line.split()[5].endswith(f":{inode}") for line in locks if "FLOCK" in line)


def test_a_sheet_past_the_scan_limits_is_refused_with_the_limit(tmp_path):
    ws = opened(tmp_path)
    action(ws.inbox / "disposisi.yaml", "disposisi_kapus", atas_nama="kapus")
    jpeg_claiming(ws.inbox / "disposisi.jpg", 20_000, 20_000)
    invoke(ws, "run")
    reason = rejected_reason(ws, "disposisi.yaml")
    assert "pindaian yang dilampirkan tidak dapat diterima" in reason and "limits.max_image_pixels" in reason
    assert step(ws, 3)["status"] != "selesai"


def test_a_disposition_made_early_on_paper_is_applied_in_its_turn_on_behalf(tmp_path):
    ws = opened(tmp_path)
    action(ws.inbox / "kabid.yaml", "disposisi_kabid", atas_nama="kabid", oleh="Budi Santoso")
    scan(ws.inbox / "kabid.pdf")
    invoke(ws, "run")
    assert step(ws, 4)["status"] != "selesai"  # kept until the Kapus has disposed
    sheet = scan(tmp_path / "kapus.pdf")
    sheet.write_bytes(sheet.read_bytes() + b"%kapus\n")
    result = invoke(ws, "act", MEMO_NOMOR, "disposisi_kapus", "--atas-nama", "kapus", "--lampiran", str(sheet))
    assert result.exit_code == 0, result.output
    assert step(ws, 4)["oleh"] == f"dicatat oleh Budi Santoso (akun {ME}) atas nama Ahmad Fauzi, S.Kom., M.M."
    [sheet4] = ws.outbox.glob("*/*_04_lembar-disposisi*.docx")
    text = docx_text(sheet4)  # both dispositions, each with who recorded it on whose behalf
    assert f"atas nama {KAPUS}" in text and "atas nama Ahmad Fauzi, S.Kom., M.M." in text
