"""Officials decide by filling the decision form the pipeline writes into their own folder
(keputusan/<account>/): the forms, reading them (as Word and LibreOffice save them), and the rule
that a decision counts only from the deciding account's own folder."""

import os
import shutil

import pytest
from support.builders import MEMO_NOMOR, action, registration_yaml, tab_memo
from support.cli import invoker, jsonl
from support.forms import fill, libreoffice_round_trip
from support.workspace import make_workspace

from pipeline import workspace
from pipeline.documents.contexts import HARAP
from pipeline.register import open_register
from pipeline.sop.access import current_account

ME = current_account()


@pytest.fixture
def config(tmp_path):
    """A workspace with the default rule: decisions only from the officials' own folders."""
    return make_workspace(tmp_path / "ws", {"access": {"keputusan_dari_inbox": False}})


@pytest.fixture
def cli(config):
    return invoker(config)


def status(cli):
    [item] = jsonl(cli("status", "--json", "--all"))
    return item


def folder(config):
    return config.decision_folder(ME)


def forms(config):
    return sorted(p.name for p in folder(config).glob("*.docx"))


def only_form(config):
    [path] = sorted(folder(config).glob("*.docx"))
    return path


def start_case(config, cli):
    tab_memo(config.inbox / "nota.docx")
    registration_yaml(config.inbox / "registrasi.yaml")
    result = cli("run")
    assert result.exit_code == 0, result.output
    return status(cli)


def decide(config, cli, **answers):
    """Fill the one form in the official's folder as Word saves it, then run."""
    path = only_form(config)
    fill(path, **answers)
    result = cli("run")
    assert result.exit_code == 0, result.output
    return path


def refused_reason(config, name):
    return (folder(config) / "ditolak" / f"{name}.alasan.txt").read_text(encoding="utf-8")


def test_init_makes_the_officials_folders(config):
    assert folder(config).is_dir() and (folder(config) / "ditolak").is_dir()


def test_a_case_is_decided_by_filling_forms_in_the_officials_folder(config, cli):
    item = start_case(config, cli)
    kasus = item["kasus"]
    assert item["langkah_sekarang"] == 3
    [name] = forms(config)
    assert name == f"{kasus} Disposisi Kapusdatinkomtel - {item['unit']}.docx"
    text = "\n".join(p.text for p in __import__("docx").Document(str(folder(config) / name)).paragraphs)
    assert "FORMULIR KEPUTUSAN" in text and "KEMENTERIAN DALAM NEGERI" in text

    kapus_form = decide(
        config, cli, kepada="Kepala Bidang Telematika", harap=["Proses lebih lanjut"], catatan="Segera ditelaah"
    )
    assert status(cli)["langkah_sekarang"] == 4
    assert not kapus_form.exists()  # taken away; the next decision's form appears
    assert forms(config) == [f"{kasus} Disposisi Kabid - {item['unit']}.docx"]
    with open_register(config) as register:
        record = register.steps(kasus)["disposisi_kapus"]
        assert record.oleh.startswith(config.officials["kapus"].nama)
        kept = [i for i in register.inputs() if i.langkah == "disposisi_kapus"]
        assert kept and kept[0].data["kepada"] == "Kepala Bidang Telematika"
        assert kept[0].data["catatan"] == "Proses lebih lanjut; Segera ditelaah"
        archived = list((config.archive).rglob(f"asli_{kapus_form.name}"))
        assert archived, "the filled form is archived as the decision's evidence"

    decide(config, cli, kepada="Kepala Subbidang Aplikasi", harap=["Koordinasikan/konfirmasikan"])
    assert status(cli)["langkah_sekarang"] == 7
    assert forms(config) == [f"{kasus} Otentikasi Kasubbid - {item['unit']}.docx"]
    decide(config, cli, catatan="Dicocokkan dengan SIMPEG")
    assert status(cli)["langkah_sekarang"] == 9
    [periksa] = forms(config)
    assert "Pemeriksaan" in periksa
    path = only_form(config)
    fill(path, keputusan="Tolak")  # a rejection needs its reason
    result = cli("run")
    assert "/<akun>/ditolak" in result.output and "inbox/ditolak" not in result.output, result.output
    assert "memerlukan alasan" in refused_reason(config, periksa)
    assert status(cli)["langkah_sekarang"] == 9


def test_an_action_file_in_the_shared_inbox_is_refused_and_told_where_to_decide(config, cli):
    start_case(config, cli)
    action(config.inbox / "kapus.yaml", "disposisi_kapus", kepada="Kepala Bidang Telematika")
    cli("run")
    reason = (config.rejected_dir / "kapus.yaml.alasan.txt").read_text(encoding="utf-8")
    assert "tidak diterima dari inbox bersama" in reason and "keputusan/" in reason
    assert status(cli)["langkah_sekarang"] == 3


def test_an_action_file_in_the_officials_own_folder_counts(config, cli):
    start_case(config, cli)
    action(folder(config) / "kapus.yaml", "disposisi_kapus", kepada="Kepala Bidang Telematika")
    cli("run")
    assert status(cli)["langkah_sekarang"] == 4


def test_a_filled_form_in_the_shared_inbox_is_refused(config, cli):
    start_case(config, cli)
    fill(only_form(config), kepada="Kepala Bidang Telematika", out=config.inbox / "isi.docx")
    cli("run")
    assert "keputusan/" in (config.rejected_dir / "isi.docx.alasan.txt").read_text(encoding="utf-8")
    assert status(cli)["langkah_sekarang"] == 3


def test_a_hard_link_into_the_folder_is_refused(config, cli, tmp_path):
    start_case(config, cli)
    elsewhere = fill(only_form(config), kepada="Kepala Bidang Telematika", out=tmp_path / "isi.docx")
    os.link(elsewhere, folder(config) / "isi.docx")
    cli("run")
    assert "hard link" in refused_reason(config, "isi.docx")
    assert status(cli)["langkah_sekarang"] == 3


def test_a_symlink_into_the_folder_is_set_aside_unread(config, cli, tmp_path):
    start_case(config, cli)
    elsewhere = fill(only_form(config), kepada="Kepala Bidang Telematika", out=tmp_path / "isi.docx")
    (folder(config) / "isi.docx").symlink_to(elsewhere)
    cli("run")
    assert "symlink" in refused_reason(config, "isi.docx")
    assert (folder(config) / "ditolak" / "isi.docx").is_symlink()
    assert status(cli)["langkah_sekarang"] == 3


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another account needs root")
def test_a_form_owned_by_another_account_is_refused(config, cli):
    start_case(config, cli)
    path = fill(only_form(config), kepada="Kepala Bidang Telematika", out=folder(config) / "isi.docx")
    os.chown(path, 65534, 65534)  # nobody: another account wrote it into this official's folder
    cli("run")
    assert "bukan" in refused_reason(config, "isi.docx") and ME in refused_reason(config, "isi.docx")
    assert status(cli)["langkah_sekarang"] == 3


def test_a_form_saved_by_libreoffice_is_recorded(config, cli, tmp_path):
    start_case(config, cli)
    form = only_form(config)
    filled = fill(form, kepada="Kepala Bidang Telematika", harap=["Arsip"], out=tmp_path / form.name)
    os.unlink(form)
    libreoffice_round_trip(filled, form)
    cli("run")
    assert status(cli)["langkah_sekarang"] == 4
    with open_register(config) as register:
        [kept] = [i for i in register.inputs() if i.langkah == "disposisi_kapus"]
        assert kept.data["kepada"] == "Kepala Bidang Telematika" and kept.data["catatan"] == "Arsip"


def test_a_stale_form_is_set_aside_with_its_reason(config, cli, tmp_path):
    start_case(config, cli)
    form = only_form(config)
    filled = fill(form, kepada="Kepala Bidang Telematika", out=tmp_path / form.name)
    action(folder(config) / "kapus.yaml", "disposisi_kapus", kepada="Kepala Bidang Telematika")
    cli("run")  # decided another way meanwhile: the blank form is taken away, the next one written
    assert not form.exists()
    shutil.copy(filled, form)
    cli("run")
    assert "sudah berubah" in refused_reason(config, form.name)
    assert status(cli)["langkah_sekarang"] == 4


def test_a_blank_form_is_never_taken(config, cli):
    start_case(config, cli)
    form = only_form(config)
    cli("run")
    assert form.exists() and not (folder(config) / "ditolak" / f"{form.name}.alasan.txt").exists()


def test_reader_reads_controls_as_word_and_libreoffice_write_them(config, cli, tmp_path):
    from pipeline.documents import decision_form
    from pipeline.readers import decision_form as reader

    start_case(config, cli)
    form = only_form(config)
    assert reader.is_form(form)
    blank = reader.read(form, HARAP)
    assert (blank.kepada, blank.harap, blank.catatan) == ("", [], "")
    word = fill(
        form,
        kepada="Kepala Subbidang Aplikasi",
        harap=["Untuk diketahui", "Arsip"],
        catatan="Cek",
        out=tmp_path / "w.docx",
    )
    office = libreoffice_round_trip(word, tmp_path / "lo.docx")
    for path in (word, office):
        answer = reader.read(path, HARAP)
        assert answer.langkah == "disposisi_kapus" and answer.kepada == "Kepala Subbidang Aplikasi"
        assert answer.harap == ["Untuk diketahui", "Arsip"] and answer.catatan == "Cek"
        assert answer.digest == decision_form.load_manifest(config)[form.relative_to(config.root).as_posix()]["digest"]


def approved_letter(tmp_path, roles=None):
    """A case approved to a numbered letter whose ink-signed scan records the sending; then the
    workspace goes to the default rule (decisions only from the officials' own folders)."""
    from support.cases import to_authentication
    from support.workspace import configure

    ws = make_workspace(tmp_path / "ws", {"signing": {"scan_sends": True}})
    cli = invoker(ws)
    to_authentication(ws, cli)
    for langkah in ("otentikasi", "periksa", "setujui"):
        assert cli("act", MEMO_NOMOR, langkah).exit_code == 0
    [letter] = jsonl(cli("register", "--json", "--buku", "keluar"))
    ws = configure(ws.path, {"access": {"keputusan_dari_inbox": False, **({"roles": roles} if roles else {})}})
    return ws, invoker(ws), letter


def test_a_signed_scan_counts_only_from_the_folder_of_an_account_that_may_record_sending(tmp_path):
    from support.builders import scan

    ws, cli, letter = approved_letter(tmp_path)
    name = letter["nomor_surat"].replace("/", "-") + ".pdf"
    scan(ws.inbox / name)
    cli("run")
    reason = (ws.rejected_dir / f"{name}.alasan.txt").read_text(encoding="utf-8")
    assert "Salinan surat bertanda tangan tidak diterima dari inbox bersama" in reason
    assert status(cli)["status"] != "selesai"
    scan(ws.decision_folder(ME) / name)
    cli("run")
    assert status(cli)["status"] == "selesai"


def test_a_signed_scan_from_an_account_without_the_sending_role_is_refused(tmp_path):
    from support.builders import scan

    ws, cli, letter = approved_letter(tmp_path, roles={"staf": ["pegawai-lain"]})
    name = letter["nomor_surat"].replace("/", "-") + ".pdf"
    scan(ws.decision_folder(ME) / name)
    cli("run")
    reason = (ws.decision_folder(ME) / "ditolak" / f"{name}.alasan.txt").read_text(encoding="utf-8")
    assert "peran staf" in reason and ME in reason
    assert status(cli)["status"] != "selesai"


def test_a_filled_form_for_a_step_decided_meanwhile_is_set_aside_with_its_reason(config, cli):
    start_case(config, cli)
    form = only_form(config)
    fill(form, kepada="Kepala Bidang Telematika")  # saved, not yet taken: then decided with pipeline act
    assert cli("act", MEMO_NOMOR, "disposisi_kapus", "--kepada", "Kepala Bidang Telematika").exit_code == 0
    assert not form.exists()
    assert "sudah ditinggalkan" in refused_reason(config, form.name)
    assert len(forms(config)) == 1 and "Kabid" in forms(config)[0]


def test_a_command_hands_a_decision_to_the_service_in_the_accounts_own_folder(config, tmp_path):
    from pipeline.inbox import intake

    assert intake.hand_in_folder(config, ME) == folder(config)
    assert intake.hand_in_folder(config, "tanpa-folder") == config.inbox
    single = make_workspace(tmp_path / "satu")
    assert intake.hand_in_folder(single, ME) == single.inbox


def test_the_service_writes_the_form_takes_it_filled_and_takes_act_through_the_folder(tmp_path):
    """``pipeline watch``: the form appears in the official's folder, a filled form saved there (as
    Word saves: a new file renamed over the old) is recorded and the next form appears; ``pipeline
    act`` beside the service hands its decision in through the account's folder."""
    import signal
    import subprocess
    import sys

    from support.processes import start_watch, wait_for

    ws = make_workspace(
        tmp_path / "ws",
        {
            "watch": {"stable_seconds": 0.3, "rescan_seconds": 1, "poll_interval_seconds": 0.2},
            "access": {"keputusan_dari_inbox": False},
        },
    )
    process = start_watch(ws)
    try:
        tab_memo(ws.inbox / "nota.docx")
        assert wait_for(lambda: [p for p in folder(ws).glob("*Disposisi Kapusdatinkomtel*.docx")], 30)
        form = only_form(ws)
        saved = fill(form, kepada="Kepala Bidang Telematika", harap=["Arsip"], out=tmp_path / "simpan.docx")
        os.replace(saved, form)  # Word writes a new file and renames it over the form
        assert wait_for(lambda: [p for p in folder(ws).glob("*Disposisi Kabid*.docx")], 30)
        result = subprocess.run(
            [sys.executable, "-m", "pipeline", "--config", str(ws.path), "act", MEMO_NOMOR, "disposisi_kabid"],
            capture_output=True,
            text=True,
            timeout=90,
        )
        assert result.returncode == 0 and "(diterima)" in result.stdout, result.stdout + result.stderr
    finally:
        process.send_signal(signal.SIGTERM)
        _out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert list((folder(ws) / "ditolak").iterdir()) == []
    with open_register(ws) as register:
        steps = register.steps(register.find_cases(MEMO_NOMOR)[0].id)
        assert steps["disposisi_kapus"].status == "selesai" and steps["disposisi_kabid"].status == "selesai"


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("useradd"), reason="real accounts need root and useradd")
def test_with_real_accounts_a_form_counts_only_from_the_deciding_officials_own_folder():
    """Two accounts made for the test (useradd, removed after): the Kapus's account fills his form
    in his own folder (runuser) and it is recorded as his; the same filled form saved by the Kabid's
    account in the Kabid's folder is refused."""
    import subprocess
    import tempfile
    import uuid
    from pathlib import Path

    suffix = uuid.uuid4().hex[:6]
    kapus, kabid = f"spsekapus{suffix}", f"spsekabid{suffix}"
    root = Path(tempfile.mkdtemp(prefix="spse-forms-", dir="/tmp"))
    os.chmod(root, 0o755)
    made = []
    try:
        for account in (kapus, kabid):
            subprocess.run(["useradd", "-M", "-N", "-s", "/usr/sbin/nologin", account], check=True)
            made.append(account)
        ws = make_workspace(
            root / "ws",
            {"access": {"keputusan_dari_inbox": False, "roles": {"kapus": [kapus], "kabid": [kabid]}}},
        )
        os.chmod(ws.root, 0o755)
        workspace.ensure_folders(ws)  # keputusan/<account>/ for every account in access.roles
        for account in (kapus, kabid):
            shutil.chown(ws.decision_folder(account), account)
            os.chmod(ws.decision_folder(account), 0o700)
        cli = invoker(ws)
        start_case(ws, cli)
        [form] = ws.decision_folder(kapus).glob("*.docx")
        answer = fill(form, kepada="Kepala Bidang Telematika", harap=["Proses lebih lanjut"], out=root / "isi.docx")
        os.chmod(answer, 0o644)
        save_as_kapus = f'cp "{answer}" "{form.parent}/.~simpan" && mv -f "{form.parent}/.~simpan" "{form}"'
        saved = subprocess.run(
            ["runuser", "-u", kapus, "--", "sh", "-c", save_as_kapus], capture_output=True, text=True
        )
        assert saved.returncode == 0, saved.stderr  # the Kapus's account saves the filled form over the blank one
        assert os.lstat(form).st_uid != 0  # saved by the Kapus's account
        forged = ws.decision_folder(kabid) / form.name
        subprocess.run(["runuser", "-u", kabid, "--", "cp", str(answer), str(forged)], check=True)
        ran = cli("run")  # the Kabid's copy is taken first (folders in name order), then the Kapus's
        with open_register(ws) as register:
            [case] = register.find_cases(MEMO_NOMOR)
            record = register.steps(case.id)["disposisi_kapus"]
            assert record.status == "selesai" and record.oleh.startswith(ws.officials["kapus"].nama)
            assert kapus in record.oleh, ran.output
        reason = (ws.decision_folder(kabid) / "ditolak" / f"{form.name}.alasan.txt").read_text(encoding="utf-8")
        assert "tidak dicatat" in reason
    finally:
        for account in made:
            subprocess.run(["userdel", account], check=False)
        shutil.rmtree(root, ignore_errors=True)


def test_a_folder_that_cannot_be_written_keeps_no_other_officials_form(tmp_path, monkeypatch):
    """One official's folder that refuses the form (a leftover owned by another account) is told
    and tried again later; the forms of the other officials the case waits for are still written."""
    from pipeline.documents import decision_form
    from pipeline.engine import open_workspace

    config = make_workspace(tmp_path / "ws", {"access": {"roles": {"kapus": ["root", "kapus2"]}}})
    tab_memo(config.inbox / "nota.docx")
    real = decision_form.write

    def refusing(config, form, *rest):
        if form.account == "kapus2":
            raise PermissionError(13, "Permission denied", str(form.path))
        return real(config, form, *rest)

    monkeypatch.setattr(decision_form, "write", refusing)
    with open_workspace(config) as ws:
        ws.process_inbox()
    assert list(config.decision_folder("kapus2").glob("*.docx")) == []  # listed first, refused
    assert len(list(config.decision_folder("root").glob("*.docx"))) == 1
    monkeypatch.undo()
    with open_workspace(config) as ws:  # the folder writable again: the next refresh writes its form
        ws.inbox_pass().touched.add("2026-0001")
        ws.refresh_code_pages()
    assert len(list(config.decision_folder("kapus2").glob("*.docx"))) == 1
