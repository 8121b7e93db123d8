"""A derived copy never stops the book: with LibreOffice hung or crashing, memos are numbered and
filed with their .docx at once, and their PDFs are owed, shown, retried with back-off and made later."""

import json
import os
import shutil
import threading

import pytest
from support.builders import HEADER, tab_memo
from support.cli import invoke
from support.processes import FAULTS, running_in_group
from support.workspace import make_workspace, merge_config

from pipeline.documents import pdf
from pipeline.errors import ConversionStopped

pytestmark = pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice belum terpasang; .ci/run memasangnya")

HANGS = "#!/bin/sh\necho run >> {calls}\necho $$ > {pid}\nsleep 300 &\nwait\n"
CRASHES = "#!/bin/sh\necho run >> {calls}\nexit 3\n"


def fake_soffice(tmp_path, monkeypatch, script):
    """A broken ``soffice`` first on PATH; returns the file counting its runs."""
    folder, calls = tmp_path / "bin", tmp_path / "runs"
    folder.mkdir()
    (folder / "soffice").write_text(script.format(calls=calls, pid=tmp_path / "pid"))
    (folder / "soffice").chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return calls


def runs(calls):
    return len(calls.read_text().splitlines()) if calls.exists() else 0


def workspace(tmp_path):
    return make_workspace(tmp_path / "ws", {"pdf": {"timeout_seconds": 1}}, pdf=True)


def drop_memos(ws, count):
    for n in range(count):
        tab_memo(ws.inbox / f"nota-{n}.docx", dict(HEADER, Nomor=f"00{n}/ND/PPBJ/2026"))


def owed_of(ws):
    return [
        owed for line in invoke(ws, "status", "--json").output.splitlines() for owed in json.loads(line)["pdf_terutang"]
    ]


@pytest.mark.parametrize("script", [HANGS, CRASHES], ids=["hangs", "crashes"])
def test_memos_are_numbered_at_once_and_their_pdfs_made_when_libreoffice_is_back(tmp_path, monkeypatch, script):
    ws = workspace(tmp_path)
    calls = fake_soffice(tmp_path, monkeypatch, script)
    drop_memos(ws, 3)
    result = invoke(ws, "run")
    assert result.exit_code == 0 and "3 diterima" in result.output, result.output
    # one conversion tried (and its one retry), then LibreOffice rests: the others are owed at once
    assert runs(calls) == 2
    entries = [json.loads(line) for line in invoke(ws, "register", "--json").output.splitlines()]
    assert [e["nomor_urut"] for e in entries] == [1, 2, 3]
    assert all(not any(name.endswith(".pdf") for name in e["berkas"]) for e in entries)
    assert len(list(ws.outbox.glob("*/*.docx"))) == 3 and list(ws.outbox.glob("*/*.pdf")) == []
    assert "3 PDF belum dapat dibuat (LibreOffice gagal atau macet)" in " ".join(result.output.split())
    owed = owed_of(ws)
    assert len(owed) == 3 and sum(1 for o in owed if o["percobaan"] == 1) == 1
    status = " ".join(invoke(ws, "status").output.split())
    assert "lembar-disposisi.pdf belum dibuat" in status and "pipeline pdf" in status
    doctor = json.loads(
        next(line for line in invoke(ws, "doctor", "--json").output.splitlines() if "PDF tertunda" in line)
    )
    assert doctor["status"] == "peringatan" and doctor["pesan"].startswith("3 PDF belum dibuat")
    assert "Arsip utuh" in invoke(ws, "verify").output

    monkeypatch.setenv("PATH", os.environ["PATH"].split(os.pathsep, 1)[1])  # LibreOffice works again
    merge_config(ws.path, {"pdf": {"timeout_seconds": 120}})
    made = invoke(ws, "pdf")
    assert made.exit_code == 0 and "3 PDF yang tertunda dibuat." in made.output, made.output
    assert owed_of(ws) == []
    for entry in entries:
        folder = (ws.root / entry["berkas"]["lembar-disposisi.docx"]).parent
        assert (folder / "lembar-disposisi.pdf").read_bytes().startswith(b"%PDF-")
        assert (folder / "lembar-disposisi.pdf").stat().st_mode & 0o222 == 0  # read-only, as filed
    assert len(list(ws.outbox.glob("*/*.pdf"))) == 3
    result = invoke(ws, "verify")
    assert result.exit_code == 0 and "Arsip utuh" in result.output, result.output
    assert "PDF tertunda" in invoke(ws, "doctor").output


def test_a_failed_conversion_is_not_tried_again_on_the_next_pass(tmp_path, monkeypatch):
    ws = workspace(tmp_path)
    calls = fake_soffice(tmp_path, monkeypatch, CRASHES)
    drop_memos(ws, 1)
    assert "1 diterima" in invoke(ws, "run").output
    assert runs(calls) == 2
    assert invoke(ws, "run").exit_code == 0
    assert runs(calls) == 2  # backed off: pdf.retry_seconds after the failure
    [owed] = owed_of(ws)
    assert owed["percobaan"] == 1 and owed["coba_lagi"] and "LibreOffice gagal" in owed["galat"]


def test_the_stop_event_kills_a_hung_conversion_at_once(tmp_path, monkeypatch):
    calls = fake_soffice(tmp_path, monkeypatch, HANGS)
    stop = threading.Event()
    converter = pdf.Converter(True, timeout=600, stop=stop)
    source = tab_memo(tmp_path / "a.docx")
    threading.Thread(target=lambda: (_started(calls), stop.set()), daemon=True).start()
    with pytest.raises(ConversionStopped):
        converter.convert([source], tmp_path)
    assert running_in_group(int((tmp_path / "pid").read_text())) == []  # soffice and its child killed
    converter.close()


def _started(calls):
    while runs(calls) == 0:
        threading.Event().wait(0.05)


def test_a_filing_stopped_mid_conversion_owes_its_pdf(tmp_path, monkeypatch):
    """The service asked to stop while a memo's sheet converts: the memo is still filed, its PDF owed."""
    from pipeline import engine

    ws = workspace(tmp_path)
    calls = fake_soffice(tmp_path, monkeypatch, HANGS)
    drop_memos(ws, 1)
    stop = threading.Event()
    with engine.open_workspace(ws) as opened:
        opened.converter.timeout = 600
        opened.converter.stop = stop
        threading.Thread(target=lambda: (_started(calls), stop.set()), daemon=True).start()
        outcomes = opened.process_inbox()
    assert [o.hasil for o in outcomes] == ["diterima"]
    [owed] = owed_of(ws)
    assert owed["percobaan"] == 0 and owed["galat"] is None
    assert running_in_group(int((tmp_path / "pid").read_text())) == []


@pytest.mark.parametrize("point", ["after_owed_pdf_placed", "after_owed_pdf_outbox_copy", "after_owed_pdf_recorded"])
def test_a_crash_while_an_owed_pdf_is_made_leaves_it_made_once(tmp_path, monkeypatch, point):
    """SIGKILL after the PDF joined its folder, after its outbox copy, after it was recorded:
    the next start finishes it; verify is clean, one PDF per document, in the outbox too."""
    import subprocess
    import sys

    ws = workspace(tmp_path)
    fake_soffice(tmp_path, monkeypatch, CRASHES)
    drop_memos(ws, 2)
    assert "2 diterima" in invoke(ws, "run").output
    monkeypatch.setenv("PATH", os.environ["PATH"].split(os.pathsep, 1)[1])
    merge_config(ws.path, {"pdf": {"timeout_seconds": 120}})
    killed = subprocess.run(
        [sys.executable, str(FAULTS), point, "1", "--", "--config", str(ws.path), "pdf"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert killed.returncode == -9, killed.stderr
    assert invoke(ws, "pdf").exit_code == 0
    assert owed_of(ws) == []
    assert len(list(ws.archive.glob("*/surat-masuk/*/lembar-disposisi.pdf"))) == 2
    assert len(list(ws.outbox.glob("*/*.pdf"))) == 2
    result = invoke(ws, "verify")
    assert result.exit_code == 0 and "Arsip utuh" in result.output, result.output


def test_sigterm_during_a_hung_conversion_stops_the_service_and_the_pdf_is_made_on_a_later_start(tmp_path):
    """systemd's SIGTERM while LibreOffice hangs (its limit ten minutes): the conversion is abandoned
    at once (its process group killed), the memo is still numbered, and its PDF made by a later run."""
    import subprocess
    import sys

    ws = make_workspace(
        tmp_path / "ws",
        {"pdf": {"timeout_seconds": 600}, "watch": {"stable_seconds": 0.2}},
        pdf=True,
    )
    folder, calls = tmp_path / "bin", tmp_path / "runs"
    folder.mkdir()
    (folder / "soffice").write_text(HANGS.format(calls=calls, pid=tmp_path / "pid"))
    (folder / "soffice").chmod(0o755)
    env = dict(os.environ, PATH=f"{folder}{os.pathsep}{os.environ['PATH']}")
    service = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "--config", str(ws.path), "watch"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        drop_memos(ws, 1)
        while runs(calls) == 0 and service.poll() is None:
            threading.Event().wait(0.05)
    finally:
        service.terminate()
        try:
            out, err = service.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            service.kill()  # SIGTERM not honoured: the failure this test guards against
            os.killpg(int((tmp_path / "pid").read_text()), 9)
            raise
    assert service.returncode == 0, err
    assert "Pemantauan dihentikan." in out
    assert running_in_group(int((tmp_path / "pid").read_text())) == []
    [entry] = [json.loads(line) for line in invoke(ws, "register", "--json").output.splitlines()]
    assert entry["nomor_urut"] == 1 and "lembar-disposisi.pdf" not in entry["berkas"]
    [owed] = owed_of(ws)
    assert owed["percobaan"] == 0  # abandoned, not failed: made at the next start
    assert invoke(ws, "run").exit_code == 0  # the real LibreOffice
    assert owed_of(ws) == [] and len(list(ws.outbox.glob("*/*.pdf"))) == 1
    assert "Arsip utuh" in invoke(ws, "verify").output


def test_a_long_registration_never_holds_the_other_documents(tmp_path, monkeypatch):
    """1,990 packages (within limits.max_registration_rows) render long documents: its documents are filed at once as .docx, owed, and
    tried after the pass with their own limit; LibreOffice failing on them stops neither the case nor
    the other documents, and they are not tried again on the next pass."""
    from support.builders import action, registration, registration_yaml

    ws = make_workspace(tmp_path / "ws", pdf=True)
    real = shutil.which("soffice")
    calls = fake_soffice(
        tmp_path,
        monkeypatch,
        '#!/bin/sh\nfor a in "$@"; do case "$a" in *daftar-*) '
        'echo "$a" >> {calls}; exit 3;; esac; done\nexec ' + real + ' "$@"\n',
    )
    tab_memo(ws.inbox / "nota.docx")
    action(ws.inbox / "kapus.yaml", "disposisi_kapus")
    action(ws.inbox / "kabid.yaml", "disposisi_kabid")
    data = registration()
    data["paket"] = [dict(data["paket"][1], nama=f"Pemeliharaan Jaringan Intranet Gedung {n}") for n in range(1990)]
    registration_yaml(ws.inbox / "registrasi.yaml", data)
    assert invoke(ws, "run").exit_code == 0
    assert runs(calls) == 4  # each of the two long documents tried once (and its one retry), after the pass
    owed = sorted(o["berkas"].rsplit("/", 1)[1] for o in owed_of(ws))
    assert owed == ["daftar-ppk-panitia-paket-pagu.pdf", "daftar-verifikasi.pdf"]
    assert all(o["percobaan"] == 1 for o in owed_of(ws))
    sheets = list(ws.archive.glob("*/surat-masuk/**/lembar-disposisi.docx"))
    assert len(sheets) == 3 and all(s.with_suffix(".pdf").is_file() for s in sheets)  # the others have theirs
    assert len(list(ws.outbox.glob("*/*daftar-*.docx"))) == 2
    [case] = [json.loads(line) for line in invoke(ws, "status", "--json").output.splitlines()]
    assert case["data"]["paket"] == 1990
    assert invoke(ws, "run").exit_code == 0 and runs(calls) == 4  # backed off
    assert "Arsip utuh" in invoke(ws, "verify").output


def test_owed_pdfs_on_a_postgresql_register(tmp_path, monkeypatch, postgres):
    """The same debt, kept and paid on the shared register: made later, verify clean, the log replays."""
    ws = make_workspace(
        tmp_path / "ws",
        {"pdf": {"timeout_seconds": 1}, "register": {"url": postgres.database()}},
        pdf=True,
    )
    fake_soffice(tmp_path, monkeypatch, CRASHES)
    drop_memos(ws, 2)
    assert "2 diterima" in invoke(ws, "run").output
    assert len(owed_of(ws)) == 2
    monkeypatch.setenv("PATH", os.environ["PATH"].split(os.pathsep, 1)[1])
    merge_config(ws.path, {"pdf": {"timeout_seconds": 120}})
    assert "2 PDF yang tertunda dibuat." in invoke(ws, "pdf").output
    assert owed_of(ws) == [] and len(list(ws.outbox.glob("*/*.pdf"))) == 2
    result = invoke(ws, "verify")
    assert result.exit_code == 0 and "Arsip utuh" in result.output, result.output
