"""A crash can stop the pipeline anywhere; the next start must finish the job once."""

import json

import pytest
from support.builders import tab_memo
from support.cli import invoke

from pipeline.engine import open_workspace
from pipeline.filing import filer as filing
from pipeline.inbox import passes, placing


class Crash(BaseException):
    """Stands for the process dying: nothing after it runs."""


def crash(*args, **kwargs):
    raise Crash()


def run_until_crash(ws):
    with open_workspace(ws) as workspace, pytest.raises(Crash):
        workspace.process_inbox()


def entries(ws):
    return [json.loads(line) for line in invoke(ws, "register", "--json").output.splitlines()]


def journal(ws):
    return [json.loads(line) for line in invoke(ws, "journal", "--json").output.splitlines()]


def test_claimed_but_unprocessed_file_is_filed_on_restart(config):
    config.work_dir.mkdir(parents=True)
    tab_memo(config.work_dir / "a1b2c3d4e5f60718__nota.docx")
    result = invoke(config, "run")
    assert "1 diterima." in result.output
    assert [e["nomor_urut"] for e in entries(config)] == [1]
    assert list(config.work_dir.iterdir()) == []
    assert journal(config)[0]["berkas"] == "nota.docx"


def test_crash_after_commit_before_inbox_removal_numbers_once(config, monkeypatch):
    tab_memo(config.inbox / "nota.docx")
    monkeypatch.setattr(placing, "finish", crash)
    run_until_crash(config)
    monkeypatch.undo()
    assert len(list(config.work_dir.iterdir())) == 1
    invoke(config, "run")
    assert [e["nomor_urut"] for e in entries(config)] == [1]
    assert [r["hasil"] for r in journal(config)] == ["diterima"]
    assert list(config.work_dir.iterdir()) == []
    assert "Arsip utuh" in invoke(config, "verify").output


def test_crash_after_refusal_committed_moves_file_once(config, monkeypatch):
    (config.inbox / "kosong.docx").write_bytes(b"")
    monkeypatch.setattr(placing, "finish", crash)
    run_until_crash(config)
    monkeypatch.undo()
    invoke(config, "run")
    assert [r["hasil"] for r in journal(config)] == ["ditolak"]
    assert sorted(p.name for p in config.rejected_dir.iterdir()) == ["kosong.docx", "kosong.docx.alasan.txt"]


def test_crash_after_commit_before_publish_files_once(config, monkeypatch):
    tab_memo(config.inbox / "nota.docx")
    monkeypatch.setattr(filing.Filer, "publish", crash)
    run_until_crash(config)
    monkeypatch.undo()
    [staged] = list(config.staging_dir.iterdir())
    assert list(config.archive.glob("*/surat-masuk/*")) == [] and list(config.outbox.glob("*/*.docx")) == []
    invoke(config, "run")
    assert [e["nomor_urut"] for e in entries(config)] == [1]
    assert not staged.exists() and len(list(config.archive.glob("*/surat-masuk/*"))) == 1
    assert [p.name for p in config.outbox.glob("*/*.docx")] == [f"{entries(config)[0]['kasus']}_lembar-disposisi.docx"]
    assert list(config.work_dir.iterdir()) == []
    assert "Arsip utuh" in invoke(config, "verify").output


def test_staged_folder_never_committed_is_discarded_and_the_memo_filed_again(config):
    claim = "0123456789abcdef"
    config.work_dir.mkdir(parents=True)
    tab_memo(config.work_dir / f"{claim}__nota.docx")
    staged = config.staging_dir / "deadbeef"
    staged.mkdir(parents=True)
    (staged / "metadata.json").write_text(json.dumps({"klaim": claim, "folder": "archive/2026/surat-masuk/x"}))
    invoke(config, "run")
    [entry] = entries(config)
    assert entry["nomor_urut"] == 1 and not staged.exists()
    assert "Arsip utuh" in invoke(config, "verify").output


def test_leftover_temporary_folders_and_copies_are_removed(config):
    half_folder = config.staging_dir / "cafebabe"
    half_folder.mkdir(parents=True)
    (half_folder / "lembar-disposisi.docx").write_bytes(b"setengah")
    half = config.outbox_staging_dir / ".tmp-cafe"
    half.parent.mkdir(parents=True)
    half.write_bytes(b"setengah")
    invoke(config, "run")
    assert not half_folder.exists() and not half.exists()


def test_unknown_archive_folder_is_left_alone_and_named_by_verify(config):
    stray = config.archive / "2026" / "surat-masuk" / "0099_tidak-dikenal"
    stray.mkdir(parents=True)
    invoke(config, "run")
    assert stray.exists()
    result = invoke(config, "verify")
    assert result.exit_code == 1
    assert "Folder arsip archive/2026/surat-masuk/0099_tidak-dikenal tidak tercatat di register." in result.output


def test_archive_write_failure_keeps_input_and_retries(config, monkeypatch):
    from pipeline.errors import ArchiveError

    tab_memo(config.inbox / "nota.docx")

    def full_disk(*args, **kwargs):
        raise ArchiveError("Arsip tidak dapat ditulis: No space left on device.")

    monkeypatch.setattr(filing.Filer, "prepare", full_disk)
    result = invoke(config, "run")
    assert "menunggu" in result.output
    assert (config.inbox / "nota.docx").exists()
    assert journal(config)[0]["alasan"] == [
        "Arsip tidak dapat ditulis: No space left on device. Berkas tetap di inbox dan akan dicoba lagi."
    ]
    monkeypatch.undo()
    invoke(config, "run")
    assert [e["nomor_urut"] for e in entries(config)] == [1]
    assert [r["hasil"] for r in journal(config)] == ["menunggu", "diterima"]


def test_outbox_write_failure_after_commit_keeps_input_and_publishes_later(config, monkeypatch):
    from pipeline.errors import ArchiveError

    tab_memo(config.inbox / "nota.docx")

    def no_space(*args, **kwargs):
        raise ArchiveError("Berkas tidak dapat disalin ke outbox: No space left on device.")

    monkeypatch.setattr(filing, "copy_atomic", no_space)
    result = invoke(config, "run")
    assert "menunggu" in result.output and "No space left on device" in result.output
    assert len(list(config.work_dir.iterdir())) == 1
    assert list(config.archive.glob("*/surat-masuk/*")) == []
    monkeypatch.undo()
    invoke(config, "run")
    assert [e["nomor_urut"] for e in entries(config)] == [1]
    assert list(config.work_dir.iterdir()) == [] and len(list(config.outbox.glob("*/*.docx"))) == 1
    assert "Arsip utuh" in invoke(config, "verify").output


def test_refused_folder_unwritable_does_not_stop_the_batch(config, monkeypatch):
    from pipeline.errors import ArchiveError
    from pipeline.inbox import intake

    (config.inbox / "a-kosong.docx").write_bytes(b"")
    tab_memo(config.inbox / "b-nota.docx")
    real = intake.set_aside

    def unwritable(*args, **kwargs):
        raise ArchiveError("Berkas tidak dapat dipindahkan ke inbox/ditolak: Permission denied.")

    monkeypatch.setattr(intake, "set_aside", unwritable)
    result = invoke(config, "run")
    assert "1 diterima, 1 menunggu." in result.output
    assert [e["nomor_urut"] for e in entries(config)] == [1]
    assert len(list(config.work_dir.iterdir())) == 1
    monkeypatch.setattr(intake, "set_aside", real)
    invoke(config, "run")
    assert list(config.work_dir.iterdir()) == []
    assert (config.rejected_dir / "a-kosong.docx").exists()
    assert {r["berkas"]: r["hasil"] for r in journal(config)} == {"a-kosong.docx": "ditolak", "b-nota.docx": "diterima"}


def test_reason_file_left_by_a_crash_is_reused_not_doubled(config):
    config.rejected_dir.mkdir(parents=True, exist_ok=True)
    (config.rejected_dir / "kosong.docx.alasan.txt").write_text("setengah")
    (config.inbox / "kosong.docx").write_bytes(b"")
    invoke(config, "run")
    assert sorted(p.name for p in config.rejected_dir.iterdir()) == ["kosong.docx", "kosong.docx.alasan.txt"]
    assert "Berkas kosong" in (config.rejected_dir / "kosong.docx.alasan.txt").read_text(encoding="utf-8")


def test_a_publish_failing_again_keeps_the_input_and_its_case_documents_wait(config, monkeypatch):
    """The outbox stays unwritable for two passes while an action arrives: nothing is lost,
    no folder is made out of order, and all is published once the outbox works again."""
    from support.builders import action

    from pipeline.errors import ArchiveError

    tab_memo(config.inbox / "nota.docx")

    def no_space(*args, **kwargs):
        raise ArchiveError("Berkas tidak dapat disalin ke outbox: No space left on device.")

    monkeypatch.setattr(filing, "copy_atomic", no_space)
    invoke(config, "run")
    action(config.inbox / "kapus.yaml", "disposisi_kapus")
    result = invoke(config, "run")
    assert result.exit_code == 0
    assert [p.name.split("__")[1] for p in config.work_dir.iterdir()] == ["nota.docx"]
    assert list(config.archive.glob("*/surat-masuk/*")) == []
    monkeypatch.undo()
    result = invoke(config, "run")
    assert result.exit_code == 0, result.output
    assert list(config.work_dir.iterdir()) == [] and list(config.staging_dir.iterdir()) == []
    assert json.loads(invoke(config, "status", "--json").output)["langkah_sekarang"] == 4
    assert "Arsip utuh" in invoke(config, "verify").output


def test_crash_between_claiming_a_sidecar_and_its_scan_files_the_memo_whole(config, monkeypatch):
    from support.builders import scan, yaml_memo

    from pipeline.inbox import intake

    scan(config.inbox / "surat.pdf")
    yaml_memo(config.inbox / "surat.yaml")
    real, calls = intake.claim, []

    def claim_then_die(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise Crash()
        return real(*args, **kwargs)

    monkeypatch.setattr(intake, "claim", claim_then_die)
    run_until_crash(config)
    monkeypatch.undo()
    assert (config.inbox / "surat.pdf").exists() and len(list(config.work_dir.iterdir())) == 1
    invoke(config, "run")
    [entry] = entries(config)
    assert {"asli_surat.pdf", "asli_surat.yaml"} <= set(entry["berkas"])
    assert [p for p in config.inbox.iterdir() if p.is_file()] == []


def test_a_folder_an_older_release_left_in_the_way_is_set_aside_not_overwritten(config):
    """Release 0.1 renamed folders into place before committing; a crash left one behind."""
    invoke(config, "status")  # the register that release had
    claim = "0123456789abcdef"
    config.work_dir.mkdir(parents=True)
    tab_memo(config.work_dir / f"{claim}__nota.docx")
    import datetime as dt

    year = dt.datetime.now(config.timezone).year
    orphan = config.archive / str(year) / "surat-masuk" / "0001_permohonan-pemanfaatan-spse"
    orphan.mkdir(parents=True)
    (orphan / "metadata.json").write_text(json.dumps({"klaim": claim}))
    invoke(config, "run")
    [entry] = entries(config)
    assert entry["nomor_urut"] == 1
    assert json.loads((orphan / "metadata.json").read_text())["kasus"] == entry["kasus"]
    [aside] = (config.archive / ".tersisih").iterdir()
    assert json.loads((aside / "metadata.json").read_text()) == {"klaim": claim}
    assert "Arsip utuh" in invoke(config, "verify").output


def test_a_file_still_written_after_its_claim_goes_back_whole(config, monkeypatch):
    """A writer that paused longer than the stability delay, the file still open, writes on."""
    path = tab_memo(config.inbox / "nota.docx")
    whole = path.read_bytes()
    path.write_bytes(whole[:1000])
    real = passes.read_input

    def writer_resumes(config, inbound):
        with open(inbound.path, "ab") as handle:  # the open handle follows the renamed file
            handle.write(whole[1000:])
        return real(config, inbound)

    monkeypatch.setattr(passes, "read_input", writer_resumes)
    result = invoke(config, "run")
    monkeypatch.undo()
    assert "masih berubah setelah diambil" in result.output
    assert entries(config) == [] and journal(config)[0]["hasil"] == "menunggu"
    assert (config.inbox / "nota.docx").read_bytes() == whole
    assert list(config.work_dir.iterdir()) == []
    invoke(config, "run")
    [entry] = entries(config)
    import hashlib

    assert entry["sha256"]["asli_nota.docx"] == hashlib.sha256(whole).hexdigest()
