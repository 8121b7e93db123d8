"""The README's deployment with real accounts: a service account and two officials made with
``useradd`` (removed after), the folder rights set by ``deploy/hak-folder.sh`` exactly as the README
shows it, ``pipeline watch`` run as the service account, and ``pipeline act`` / ``pipeline batal``
run by the officials' own accounts through it, with no write access to the register or archive.
Skipped, with the reason, when not run as root; the hand-over of ``pipeline batal`` itself is also
tested as the account running the tests."""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import pytest
from support.builders import MEMO_NOMOR, action, registration_yaml, tab_memo
from support.cli import invoker, jsonl
from support.workspace import make_workspace, merge_config

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
SCRIPT = ROOT / "deploy" / "hak-folder.sh"

as_root = pytest.mark.skipif(
    os.geteuid() != 0 or not shutil.which("useradd") or not shutil.which("runuser") or not shutil.which("setfacl"),
    reason="membutuhkan root, useradd, runuser dan setfacl (paket acl) untuk membuat akun uji",
)


def readme_script_line() -> str:
    """The README's own command that sets the folder rights (step 3 of the deployment)."""
    [line] = [
        line.strip()
        for line in README.read_text(encoding="utf-8").splitlines()
        if "deploy/hak-folder.sh" in line and line.strip().startswith("sudo sh")
    ]
    return line


@pytest.fixture
def accounts():
    """A service account with its group, a Kapus and a Kabid in that group; removed after."""
    tag = uuid.uuid4().hex[:6]
    service, kapus, kabid = f"spse{tag}", f"kapus{tag}", f"kabid{tag}"
    subprocess.run(["groupadd", service], check=True)
    made = [service]
    try:
        subprocess.run(
            ["useradd", "--system", "--gid", service, "--no-create-home", "--shell", "/usr/sbin/nologin", service],
            check=True,
        )
        for official in (kapus, kabid):
            subprocess.run(
                ["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", "-G", service, official], check=True
            )
            made.append(official)
        yield service, kapus, kabid
    finally:
        for account in made:
            subprocess.run(["userdel", account], check=False)
        subprocess.run(["groupdel", service], check=False)


@pytest.fixture
def base():
    """A folder every test account can reach (pytest's tmp_path is root's own)."""
    folder = Path(tempfile.mkdtemp(prefix="spse-deploy-", dir="/tmp"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def python_for_all() -> tuple[str, str]:
    """A Python the test accounts may run with this package's dependencies: this one, or (where it
    lives in root's home, as pyenv's does) the system's of the same version with this one's packages."""
    import site

    path = ":".join([str(ROOT), *site.getsitepackages()])
    if subprocess.run(["runuser", "-u", "nobody", "--", "test", "-x", sys.executable]).returncode == 0:
        return sys.executable, str(ROOT)
    system = shutil.which(f"python{sys.version_info.major}.{sys.version_info.minor}", path="/usr/bin")
    if system is None:
        pytest.skip(f"{sys.executable} tidak dapat dijalankan akun lain dan /usr/bin tidak punya Python yang sama")
    return system, path


def as_account(account: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    python, path = python_for_all()
    return subprocess.run(
        ["runuser", "-u", account, "--", "env", f"PYTHONPATH={path}", "HOME=/tmp", python, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd="/tmp",
    )


def pipeline(account: str, config, *args: str) -> subprocess.CompletedProcess[str]:
    return as_account(account, "-m", "pipeline", "--config", str(config.path), *args)


def stop_service(watch: subprocess.Popen[str]) -> None:
    """SIGTERM to ``pipeline watch`` itself (as systemctl stop sends it), not to runuser."""
    children = subprocess.run(["ps", "--ppid", str(watch.pid), "-o", "pid="], capture_output=True, text=True)
    for pid in children.stdout.split():
        os.kill(int(pid), signal.SIGTERM)


def doctor(account: str, config) -> dict:
    result = pipeline(account, config, "doctor", "--json")
    return {item["pemeriksaan"]: item for item in map(json.loads, result.stdout.splitlines())}


@as_root
def test_officials_act_and_void_through_the_service_from_their_own_folders(accounts, base):
    service, kapus, kabid = accounts
    config = make_workspace(base / "spse")
    cli = invoker(config)
    # The case taken to its approval while the workspace is still the installer's (single-user).
    tab_memo(config.inbox / "nota.docx")
    action(config.inbox / "kapus.yaml", "disposisi_kapus")
    action(config.inbox / "kabid.yaml", "disposisi_kabid")
    registration_yaml(config.inbox / "registrasi.yaml")
    assert cli("run").exit_code == 0
    for langkah in ("otentikasi", "periksa"):
        assert cli("act", MEMO_NOMOR, langkah).exit_code == 0
    # The deployment: every role held by an official's account, decisions only from their folders.
    merge_config(
        config.path,
        {
            "access": {
                "keputusan_dari_inbox": False,
                "roles": {"kapus": [kapus], "kabid": [kabid], "kasubbid": [kabid], "staf": [kabid]},
            }
        },
    )
    line = readme_script_line()  # sudo sh deploy/hak-folder.sh /srv/spse spse suryo fauzi dewi rina teguh
    words = line.split()
    assert words[:3] == ["sudo", "sh", "deploy/hak-folder.sh"] and words[3:5] == ["/srv/spse", "spse"]
    subprocess.run(["sh", str(SCRIPT), str(config.root), service, kapus, kabid], check=True, cwd=ROOT)

    found = doctor(service, config)
    assert found[f"Folder keputusan/{kapus}"]["status"] == "baik", found[f"Folder keputusan/{kapus}"]
    assert found[f"Folder keputusan/{kabid}"]["status"] == "baik"
    assert found["Pemegang peran"]["status"] == "baik"
    assert not [k for k, v in found.items() if v["status"] == "galat"], found

    # Another official cannot write into the Kapus's folder.
    forged = as_account(kabid, "-c", f"open({str(config.decision_folder(kapus) / 'setujui.yaml')!r}, 'w')")
    assert forged.returncode != 0 and "PermissionError" in forged.stderr
    # Nor into the register or the archive.
    touched = as_account(kabid, "-c", f"open({str(config.archive / 'x')!r}, 'w')")
    assert touched.returncode != 0 and "PermissionError" in touched.stderr

    # A command that needs the workspace itself tells the official whose it is.
    busy = pipeline(kabid, config, "run")
    assert busy.returncode == 1 and f"milik akun layanan pipeline; akun {kabid} tidak" in busy.stdout + busy.stderr

    python, path = python_for_all()
    watch = subprocess.Popen(
        [
            "runuser",
            "-u",
            service,
            "--",
            "sh",
            "-c",
            f"umask 0027; exec env PYTHONPATH={path} HOME=/tmp {python} -m pipeline --config "
            f"{config.path} watch --polling",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd="/tmp",
        start_new_session=True,
    )
    try:
        approved = pipeline(kapus, config, "act", MEMO_NOMOR, "setujui")
        assert approved.returncode == 0, approved.stdout + approved.stderr
        assert "Tindakan setujui dicatat" in approved.stdout
        letters = [e for e in jsonl(cli("register", "--json")) if e["buku"] == "keluar"]
        [letter] = letters
        nomor = letter["nomor_surat"]

        refused = pipeline(kabid, config, "batal", nomor, "--alasan", "Salah alamat")
        assert refused.returncode == 1, refused.stdout + refused.stderr
        assert "tidak dibatalkan" in refused.stdout + refused.stderr  # judged by the service as the Kabid

        voided = pipeline(kapus, config, "batal", nomor, "--alasan", "Salah alamat")
        assert voided.returncode == 0, voided.stdout + voided.stderr
        assert f"Nomor {nomor} dibatalkan" in voided.stdout
        [letter] = [e for e in jsonl(cli("register", "--json")) if e["buku"] == "keluar"]
        assert letter["batal"] and letter["batal_oleh"] == kapus and letter["alasan_batal"] == "Salah alamat"
    finally:
        stop_service(watch)
        out, _ = watch.communicate(timeout=60)
        print(out)
    assert watch.returncode == 0, out
    assert "batal-" in out and f"dibatalkan oleh {kapus}" in out

    # A folder left group-writable is reported, with the commands that set it right.
    subprocess.run(["setfacl", "-m", "g::rwx", str(config.decision_folder(kabid))], check=True)
    found = doctor(service, config)
    finding = found[f"Folder keputusan/{kabid}"]
    assert finding["status"] == "galat" and f"grup {service}" in finding["pesan"]
    assert re.search(r"sudo chmod 0700 \S+ && sudo setfacl -b", finding["pesan"])


@pytest.fixture
def approved(config, cli):
    """A case taken to its numbered letter in a single-user workspace, which then takes decisions
    only from the officials' folders (as a deployment does); returns the letter's number."""
    tab_memo(config.inbox / "nota.docx")
    action(config.inbox / "kapus.yaml", "disposisi_kapus")
    action(config.inbox / "kabid.yaml", "disposisi_kabid")
    registration_yaml(config.inbox / "registrasi.yaml")
    assert cli("run").exit_code == 0
    for langkah in ("otentikasi", "periksa", "setujui"):
        assert cli("act", MEMO_NOMOR, langkah).exit_code == 0
    merge_config(config.path, {"access": {"keputusan_dari_inbox": False}})
    [letter] = [e for e in jsonl(cli("register", "--json")) if e["buku"] == "keluar"]
    return letter["nomor_surat"]


def test_batal_while_the_service_runs_is_handed_to_it_and_voided_as_the_account(config, cli, approved):
    from support.processes import start_watch, wait_for

    from pipeline.sop.access import current_account

    watch = start_watch(config, "--polling")
    try:
        assert wait_for(lambda: config.lock_path.is_file() and config.lock_path.read_text().strip() == str(watch.pid))
        result = cli("batal", approved, "--alasan", "Salah alamat")
    finally:
        watch.send_signal(signal.SIGTERM)
        out, err = watch.communicate(timeout=60)
    assert result.exit_code == 0, result.output + out + err
    assert f"Nomor {approved} dibatalkan dan tetap tercatat di agenda surat keluar" in result.output
    [letter] = [e for e in jsonl(cli("register", "--json")) if e["buku"] == "keluar"]
    assert letter["batal"] and letter["batal_oleh"] == current_account() and letter["alasan_batal"] == "Salah alamat"
    [entry] = [e for e in jsonl(cli("journal", "--json")) if e["jenis"] == "batal"]
    assert entry["hasil"] == "diterima" and entry["berkas"].startswith("batal-")
    assert not list(config.decision_folder(current_account()).glob("batal-*"))  # taken, archived
    assert cli("verify").exit_code == 0  # the archived request is known to the register


def test_a_void_request_in_the_shared_inbox_is_refused(config, cli, approved):
    (config.inbox / "batal.yaml").write_text(
        f"jenis: batal\nnomor: {approved}\nalasan: Salah alamat\n", encoding="utf-8"
    )
    assert cli("run").exit_code == 0
    reason = (config.rejected_dir / "batal.yaml.alasan.txt").read_text(encoding="utf-8")
    assert "tidak diterima dari inbox bersama" in reason
    [letter] = [e for e in jsonl(cli("register", "--json")) if e["buku"] == "keluar"]
    assert not letter["batal"]
