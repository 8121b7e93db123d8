"""A crash can stop the pipeline anywhere; the next start must finish the job once."""

import json

import pytest
from builders import tab_memo
from click.testing import CliRunner

from pipeline.cli import main
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


def invoke(ws, *args):
    return CliRunner().invoke(main, ["--config", str(ws.path), *args], catch_exceptions=False)


def entries(ws):
    return [json.loads(line) for line in invoke(ws, "register", "--json").output.splitlines()]


def journal(ws):
    return [json.loads(line) for line in invoke(ws, "journal", "--json").output.splitlines()]


def test_claimed_but_unprocessed_file_is_filed_on_restart(ws):
    ws.work_dir.mkdir(parents=True)
    tab_memo(ws.work_dir / "a1b2c3d4e5f60718__nota.docx")
    result = invoke(ws, "run")
    assert "1 diterima." in result.output
    assert [e["nomor_urut"] for e in entries(ws)] == [1]
    assert list(ws.work_dir.iterdir()) == []
    assert journal(ws)[0]["berkas"] == "nota.docx"


def test_crash_after_commit_before_inbox_removal_numbers_once(ws, monkeypatch):
    tab_memo(ws.inbox / "nota.docx")
    monkeypatch.setattr(placing, "finish", crash)
    run_until_crash(ws)
    monkeypatch.undo()
    assert len(list(ws.work_dir.iterdir())) == 1
    invoke(ws, "run")
    assert [e["nomor_urut"] for e in entries(ws)] == [1]
    assert [r["hasil"] for r in journal(ws)] == ["diterima"]
    assert list(ws.work_dir.iterdir()) == []
    assert "Arsip utuh" in invoke(ws, "verify").output


def test_crash_after_refusal_committed_moves_file_once(ws, monkeypatch):
    (ws.inbox / "kosong.docx").write_bytes(b"")
    monkeypatch.setattr(placing, "finish", crash)
    run_until_crash(ws)
    monkeypatch.undo()
    invoke(ws, "run")
    assert [r["hasil"] for r in journal(ws)] == ["ditolak"]
    assert sorted(p.name for p in ws.rejected_dir.iterdir()) == ["kosong.docx", "kosong.docx.alasan.txt"]


def test_crash_after_commit_before_publish_files_once(ws, monkeypatch):
    tab_memo(ws.inbox / "nota.docx")
    monkeypatch.setattr(filing.Filer, "publish", crash)
    run_until_crash(ws)
    monkeypatch.undo()
    [staged] = list(ws.staging_dir.iterdir())
    assert list(ws.archive.glob("*/surat-masuk/*")) == [] and list(ws.outbox.glob("*/*.docx")) == []
    invoke(ws, "run")
    assert [e["nomor_urut"] for e in entries(ws)] == [1]
    assert not staged.exists() and len(list(ws.archive.glob("*/surat-masuk/*"))) == 1
    assert [p.name for p in ws.outbox.glob("*/*.docx")] == [f"{entries(ws)[0]['kasus']}_lembar-disposisi.docx"]
    assert list(ws.work_dir.iterdir()) == []
    assert "Arsip utuh" in invoke(ws, "verify").output


def test_staged_folder_never_committed_is_discarded_and_the_memo_filed_again(ws):
    claim = "0123456789abcdef"
    ws.work_dir.mkdir(parents=True)
    tab_memo(ws.work_dir / f"{claim}__nota.docx")
    staged = ws.staging_dir / "deadbeef"
    staged.mkdir(parents=True)
    (staged / "metadata.json").write_text(json.dumps({"klaim": claim, "folder": "archive/2026/surat-masuk/x"}))
    invoke(ws, "run")
    [entry] = entries(ws)
    assert entry["nomor_urut"] == 1 and not staged.exists()
    assert "Arsip utuh" in invoke(ws, "verify").output


def test_leftover_temporary_folders_and_copies_are_removed(ws):
    half_folder = ws.staging_dir / "cafebabe"
    half_folder.mkdir(parents=True)
    (half_folder / "lembar-disposisi.docx").write_bytes(b"setengah")
    half = ws.outbox_staging_dir / ".tmp-cafe"
    half.parent.mkdir(parents=True)
    half.write_bytes(b"setengah")
    invoke(ws, "run")
    assert not half_folder.exists() and not half.exists()


def test_unknown_archive_folder_is_left_alone_and_named_by_verify(ws):
    stray = ws.archive / "2026" / "surat-masuk" / "0099_tidak-dikenal"
    stray.mkdir(parents=True)
    invoke(ws, "run")
    assert stray.exists()
    result = invoke(ws, "verify")
    assert result.exit_code == 1
    assert "Folder arsip archive/2026/surat-masuk/0099_tidak-dikenal tidak tercatat di register." in result.output


def test_archive_write_failure_keeps_input_and_retries(ws, monkeypatch):
    from pipeline.errors import ArchiveError

    tab_memo(ws.inbox / "nota.docx")

    def full_disk(*args, **kwargs):
        raise ArchiveError("Arsip tidak dapat ditulis: No space left on device.")

    monkeypatch.setattr(filing.Filer, "prepare", full_disk)
    result = invoke(ws, "run")
    assert "menunggu" in result.output
    assert (ws.inbox / "nota.docx").exists()
    assert journal(ws)[0]["alasan"] == [
        "Arsip tidak dapat ditulis: No space left on device. Berkas tetap di inbox dan akan dicoba lagi."
    ]
    monkeypatch.undo()
    invoke(ws, "run")
    assert [e["nomor_urut"] for e in entries(ws)] == [1]
    assert [r["hasil"] for r in journal(ws)] == ["menunggu", "diterima"]


def test_outbox_write_failure_after_commit_keeps_input_and_publishes_later(ws, monkeypatch):
    from pipeline.errors import ArchiveError

    tab_memo(ws.inbox / "nota.docx")

    def no_space(*args, **kwargs):
        raise ArchiveError("Berkas tidak dapat disalin ke outbox: No space left on device.")

    monkeypatch.setattr(filing, "copy_atomic", no_space)
    result = invoke(ws, "run")
    assert "menunggu" in result.output and "No space left on device" in result.output
    assert len(list(ws.work_dir.iterdir())) == 1
    assert list(ws.archive.glob("*/surat-masuk/*")) == []
    monkeypatch.undo()
    invoke(ws, "run")
    assert [e["nomor_urut"] for e in entries(ws)] == [1]
    assert list(ws.work_dir.iterdir()) == [] and len(list(ws.outbox.glob("*/*.docx"))) == 1
    assert "Arsip utuh" in invoke(ws, "verify").output


def test_refused_folder_unwritable_does_not_stop_the_batch(ws, monkeypatch):
    from pipeline.errors import ArchiveError
    from pipeline.inbox import intake

    (ws.inbox / "a-kosong.docx").write_bytes(b"")
    tab_memo(ws.inbox / "b-nota.docx")
    real = intake.set_aside

    def unwritable(*args, **kwargs):
        raise ArchiveError("Berkas tidak dapat dipindahkan ke inbox/ditolak: Permission denied.")

    monkeypatch.setattr(intake, "set_aside", unwritable)
    result = invoke(ws, "run")
    assert "1 diterima, 1 menunggu." in result.output
    assert [e["nomor_urut"] for e in entries(ws)] == [1]
    assert len(list(ws.work_dir.iterdir())) == 1
    monkeypatch.setattr(intake, "set_aside", real)
    invoke(ws, "run")
    assert list(ws.work_dir.iterdir()) == []
    assert (ws.rejected_dir / "a-kosong.docx").exists()
    assert {r["berkas"]: r["hasil"] for r in journal(ws)} == {"a-kosong.docx": "ditolak", "b-nota.docx": "diterima"}


def test_reason_file_left_by_a_crash_is_reused_not_doubled(ws):
    ws.rejected_dir.mkdir(parents=True, exist_ok=True)
    (ws.rejected_dir / "kosong.docx.alasan.txt").write_text("setengah")
    (ws.inbox / "kosong.docx").write_bytes(b"")
    invoke(ws, "run")
    assert sorted(p.name for p in ws.rejected_dir.iterdir()) == ["kosong.docx", "kosong.docx.alasan.txt"]
    assert "Berkas kosong" in (ws.rejected_dir / "kosong.docx.alasan.txt").read_text(encoding="utf-8")


def test_a_publish_failing_again_keeps_the_input_and_its_case_documents_wait(ws, monkeypatch):
    """The outbox stays unwritable for two passes while an action arrives: nothing is lost,
    no folder is made out of order, and all is published once the outbox works again."""
    from builders import action

    from pipeline.errors import ArchiveError

    tab_memo(ws.inbox / "nota.docx")

    def no_space(*args, **kwargs):
        raise ArchiveError("Berkas tidak dapat disalin ke outbox: No space left on device.")

    monkeypatch.setattr(filing, "copy_atomic", no_space)
    invoke(ws, "run")
    action(ws.inbox / "kapus.yaml", "disposisi_kapus")
    result = invoke(ws, "run")
    assert result.exit_code == 0
    assert [p.name.split("__")[1] for p in ws.work_dir.iterdir()] == ["nota.docx"]
    assert list(ws.archive.glob("*/surat-masuk/*")) == []
    monkeypatch.undo()
    result = invoke(ws, "run")
    assert result.exit_code == 0, result.output
    assert list(ws.work_dir.iterdir()) == [] and list(ws.staging_dir.iterdir()) == []
    assert json.loads(invoke(ws, "status", "--json").output)["langkah_sekarang"] == 4
    assert "Arsip utuh" in invoke(ws, "verify").output


def test_crash_between_claiming_a_sidecar_and_its_scan_files_the_memo_whole(ws, monkeypatch):
    from builders import scan, yaml_memo

    from pipeline.inbox import intake

    scan(ws.inbox / "surat.pdf")
    yaml_memo(ws.inbox / "surat.yaml")
    real, calls = intake.claim, []

    def claim_then_die(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise Crash()
        return real(*args, **kwargs)

    monkeypatch.setattr(intake, "claim", claim_then_die)
    run_until_crash(ws)
    monkeypatch.undo()
    assert (ws.inbox / "surat.pdf").exists() and len(list(ws.work_dir.iterdir())) == 1
    invoke(ws, "run")
    [entry] = entries(ws)
    assert {"asli_surat.pdf", "asli_surat.yaml"} <= set(entry["berkas"])
    assert [p for p in ws.inbox.iterdir() if p.is_file()] == []


def test_a_folder_an_older_release_left_in_the_way_is_set_aside_not_overwritten(ws):
    """Release 0.1 renamed folders into place before committing; a crash left one behind."""
    invoke(ws, "status")  # the register that release had
    claim = "0123456789abcdef"
    ws.work_dir.mkdir(parents=True)
    tab_memo(ws.work_dir / f"{claim}__nota.docx")
    import datetime as dt

    year = dt.datetime.now(ws.timezone).year
    orphan = ws.archive / str(year) / "surat-masuk" / "0001_permohonan-pemanfaatan-spse"
    orphan.mkdir(parents=True)
    (orphan / "metadata.json").write_text(json.dumps({"klaim": claim}))
    invoke(ws, "run")
    [entry] = entries(ws)
    assert entry["nomor_urut"] == 1
    assert json.loads((orphan / "metadata.json").read_text())["kasus"] == entry["kasus"]
    [aside] = (ws.archive / ".tersisih").iterdir()
    assert json.loads((aside / "metadata.json").read_text()) == {"klaim": claim}
    assert "Arsip utuh" in invoke(ws, "verify").output


def test_a_file_still_written_after_its_claim_goes_back_whole(ws, monkeypatch):
    """A writer that paused longer than the stability delay, the file still open, writes on."""
    path = tab_memo(ws.inbox / "nota.docx")
    whole = path.read_bytes()
    path.write_bytes(whole[:1000])
    real = passes.read_input

    def writer_resumes(config, inbound):
        with open(inbound.path, "ab") as handle:  # the open handle follows the renamed file
            handle.write(whole[1000:])
        return real(config, inbound)

    monkeypatch.setattr(passes, "read_input", writer_resumes)
    result = invoke(ws, "run")
    monkeypatch.undo()
    assert "masih berubah setelah diambil" in result.output
    assert entries(ws) == [] and journal(ws)[0]["hasil"] == "menunggu"
    assert (ws.inbox / "nota.docx").read_bytes() == whole
    assert list(ws.work_dir.iterdir()) == []
    invoke(ws, "run")
    [entry] = entries(ws)
    import hashlib

    assert entry["sha256"]["asli_nota.docx"] == hashlib.sha256(whole).hexdigest()
