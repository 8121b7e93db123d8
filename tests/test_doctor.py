"""``pipeline doctor`` on a healthy workspace and on broken ones: each fault named, with what
to do, and exit 1 only for faults that stop the pipeline."""

import datetime as dt
import json

import docx
import pytest
from click.testing import CliRunner
from support.ca import make_ca
from support.workspace import make_workspace, merge_config

from pipeline import doctor
from pipeline.cli import main
from pipeline.clock import Clock
from pipeline.sop.access import current_account


def run_doctor(config):
    result = CliRunner().invoke(main, ["--config", str(config.path), "doctor", "--json"], catch_exceptions=False)
    return result.exit_code, {item["pemeriksaan"]: item for item in map(json.loads, result.output.splitlines())}


def test_a_healthy_workspace_is_ready(config):
    code, found = run_doctor(config)
    assert code == 0
    assert {k for k, v in found.items() if v["status"] == "galat"} == set()
    assert found["Register"]["pesan"].endswith("belum ada; dibuat pada pemrosesan pertama.")
    assert found["Templat nota_dinas.docx"]["status"] == "baik"
    assert found["Peran kapus"]["status"] == "baik"  # init fills every role with the account that ran it
    result = CliRunner().invoke(main, ["--config", str(config.path), "doctor"], catch_exceptions=False)
    assert "Pemeriksaan ruang kerja" in result.output and "Ruang kerja" in result.output


def test_a_broken_workspace_is_told_what_to_fix(config):
    config.outbox.rmdir()
    config.outbox.write_text("bukan folder", encoding="utf-8")
    broken = docx.Document()
    broken.add_paragraph("Yth. {{ memo.dari ")
    broken.save(config.templates_dir / "nota_dinas.docx")
    (config.templates_dir / "laporan_kesiapan.docx").unlink()
    merge_config(config.path, {"access": {"roles": {"kabid": ["pejabat-tidak-ada", current_account()]}}})
    code, found = run_doctor(config)
    assert code == 1
    assert found["Folder outbox"]["status"] == "galat" and "bukan folder" in found["Folder outbox"]["pesan"]
    assert found["Templat nota_dinas.docx"]["status"] == "galat"
    assert "susunan isian templat salah" in found["Templat nota_dinas.docx"]["pesan"]
    assert "tidak ada" in found["Templat laporan_kesiapan.docx"]["pesan"]
    assert found["Peran kabid"]["status"] == "peringatan"
    assert "pejabat-tidak-ada tidak dikenal" in found["Peran kabid"]["pesan"]


def test_a_clock_behind_the_register_is_an_error(config, cli):
    from support.builders import tab_memo

    tab_memo(config.inbox / "nota.docx")
    assert cli("run").exit_code == 0
    [finding] = [
        f
        for f in doctor.examine(config, Clock(config.timezone, lambda: dt.datetime(2020, 1, 2, tzinfo=config.timezone)))
        if f.check == "Register"
    ]
    assert finding.status == "galat" and "Betulkan jam server" in finding.message


def test_libreoffice_missing_is_a_warning_when_pdfs_are_wanted(tmp_path, monkeypatch):
    config = make_workspace(tmp_path / "ws", pdf=True)
    monkeypatch.setattr("shutil.which", lambda name: None)
    [finding] = [f for f in doctor.examine(config, Clock(config.timezone)) if f.check == "LibreOffice"]
    assert finding.status == "peringatan" and "apt-get install libreoffice-writer-nogui" in finding.message


@pytest.mark.parametrize(
    "days, passphrase, status, says",
    [
        (365, "rahasia-uji", "baik", "berlaku sampai"),
        (10, "rahasia-uji", "peringatan", "hari lagi"),
        (365, "salah", "galat", "frasa sandi salah"),
        (365, None, "galat", "SPSE_PASSPHRASE"),
    ],
)
def test_the_signing_certificate(tmp_path, monkeypatch, days, passphrase, status, says):
    root, p12 = make_ca(tmp_path, days=days)
    config = make_workspace(
        tmp_path / "ws",
        {"signing": {"method": "pkcs12", "certificate": str(p12), "trust_roots": [str(root)]}},
        pdf=True,
    )
    if passphrase:
        monkeypatch.setenv("SPSE_PASSPHRASE", passphrase)
    else:
        monkeypatch.delenv("SPSE_PASSPHRASE", raising=False)
    [finding] = [f for f in doctor.examine(config, Clock(config.timezone)) if f.check == "Sertifikat tanda tangan"]
    assert finding.status == status and says in finding.message


def test_the_service_account_holding_a_role_and_the_init_placeholder_are_flagged(tmp_path):
    from pipeline import workspace

    workspace.init(tmp_path / "ws")  # as ``pipeline init`` leaves it: this account in every role, "(GANTI)"
    config = make_workspace(tmp_path / "ws2", {"access": {"keputusan_dari_inbox": False}})
    (tmp_path / "ws2" / "config.yaml").write_text(
        (tmp_path / "ws" / "config.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    code, found = run_doctor(config)
    assert code == 1
    finding = found["Peran dari pipeline init"]
    assert finding["status"] == "galat" and found["Pemegang peran"]["status"] == "galat"
    assert "tanda GANTI" in finding["pesan"] and "kapus, kabid, kasubbid, staf" in finding["pesan"]


def test_the_service_account_in_a_role_is_an_error_outside_a_single_user_workspace(config):
    merge_config(config.path, {"access": {"keputusan_dari_inbox": False}})
    code, found = run_doctor(config)
    assert code == 1
    assert found["Pemegang peran"]["status"] == "galat"
    assert (
        f"Akun layanan {current_account()} yang menjalankan pipeline memegang peran kabid, kapus"
        in (found["Pemegang peran"]["pesan"])
    )


def test_an_officials_folder_others_can_write_is_named_with_the_commands_that_fix_it(config):
    folder = config.decision_folder(current_account())
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    _code, found = run_doctor(config)
    assert found[f"Folder keputusan/{current_account()}"]["status"] == "baik"
    folder.chmod(0o770)
    code, found = run_doctor(config)
    finding = found[f"Folder keputusan/{current_account()}"]
    assert code == 1 and finding["status"] == "galat"
    assert "dapat ditulis oleh grup" in finding["pesan"] and f"sudo chmod 0700 {folder}" in finding["pesan"]
    folder.chmod(0o702)
    finding = run_doctor(config)[1][f"Folder keputusan/{current_account()}"]
    assert "semua akun (other)" in finding["pesan"]
