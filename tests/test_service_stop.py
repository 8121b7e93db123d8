"""The service stops when asked, never half-way, and takes a file as soon as it settles.

Run as staff run it: ``python -m pipeline watch`` in its own process. The rescan
interval is made long (300 s), so a file taken within the bounds below was taken
because it settled, not because a rescan found it.
"""

import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from support.builders import HEADER, MEMO_NOMOR, action, tab_memo
from support.processes import start_watch, wait_for
from support.workspace import make_workspace, merged

from pipeline.engine import open_workspace
from pipeline.inbox import intake
from pipeline.inbox.passes import InboxPass
from pipeline.register import open_register

SLOW_RESCAN = {"watch": {"rescan_seconds": 300, "poll_interval_seconds": 0.2}}


def agenda(ws):
    if not ws.register_path.exists():
        return []
    with open_register(ws, writer=False) as register:
        return list(register.agenda("masuk"))


def terminate(process, timeout=15):
    """SIGTERM, then the seconds until the process exited, and its output."""
    asked = time.monotonic()
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=timeout)
    return time.monotonic() - asked, out, err


def memos(folder, count):
    """``count`` distinct memos built outside the inbox: {name: bytes}."""
    folder.mkdir(parents=True, exist_ok=True)
    built = {}
    for n in range(1, count + 1):
        path = tab_memo(folder / f"nota-{n:03d}.docx", {**HEADER, "Nomor": f"{n:03d}/ULP-BERHENTI/XII/2026"})
        built[path.name] = path.read_bytes()
    return built


def test_sigterm_stops_watch_at_a_file_boundary_and_a_restart_files_the_rest(tmp_path):
    ws = make_workspace(tmp_path / "ws", SLOW_RESCAN)
    dropped = memos(tmp_path / "siap", 150)
    process = start_watch(ws)
    try:
        assert wait_for(lambda: ws.register_path.exists())
        for name in dropped:  # moved in whole, as a copy tool renames a finished file
            os.rename(tmp_path / "siap" / name, ws.inbox / name)
        assert wait_for(lambda: len(agenda(ws)) >= 3, timeout=60)
    finally:
        seconds, out, err = terminate(process)
    assert process.returncode == 0, err
    assert seconds < 10, f"watch took {seconds:.1f} s to stop"
    assert "Pemantauan dihentikan." in out
    filed = agenda(ws)
    assert 3 <= len(filed) < 150, "the test must stop the service mid-batch"
    assert [e.nomor_urut for e in filed] == list(range(1, len(filed) + 1))
    _nothing_half_way(ws, dropped, filed)

    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "--config", str(ws.path), "run"], capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr
    filed = agenda(ws)
    assert [e.nomor_urut for e in filed] == list(range(1, 151))
    assert sorted(e.nomor_surat for e in filed) == sorted(f"{n:03d}/ULP-BERHENTI/XII/2026" for n in range(1, 151))
    assert sorted(p.name for p in ws.inbox.iterdir() if p.is_file()) == []


def _nothing_half_way(ws, dropped, filed):
    """Every memo is filed (accepted, numbered once) or lies in the inbox exactly as dropped."""
    assert not ws.work_dir.exists() or list(ws.work_dir.iterdir()) == []
    waiting = {p.name for p in ws.inbox.iterdir() if p.is_file()}
    with open_register(ws, writer=False) as register:
        journal = {e.berkas: e for e in register.journal()}
    accepted = {name for name, e in journal.items() if e.hasil == "diterima"}
    assert len(accepted) == len(filed)
    assert waiting | accepted == set(dropped) and not waiting & accepted
    assert not waiting & set(journal), "a memo still in the inbox was already taken"
    for name in waiting:
        assert (ws.inbox / name).read_bytes() == dropped[name]


def test_sigterm_stops_pipeline_run_at_a_file_boundary(tmp_path):
    ws = make_workspace(tmp_path / "ws")
    dropped = memos(tmp_path / "siap", 150)
    for name in dropped:
        os.rename(tmp_path / "siap" / name, ws.inbox / name)
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "--config", str(ws.path), "run"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert wait_for(lambda: len(agenda(ws)) >= 3, timeout=60)
    finally:
        seconds, _out, err = terminate(process)
    assert process.returncode == 0, err
    assert seconds < 10, f"run took {seconds:.1f} s to stop"
    assert (
        "Pemrosesan dihentikan atas permintaan. Berkas yang belum diproses tetap di inbox; jalankan "
        "\u201cpipeline run\u201d lagi untuk memprosesnya."
    ) in err
    filed = agenda(ws)
    assert 3 <= len(filed) < 150
    assert [e.nomor_urut for e in filed] == list(range(1, len(filed) + 1))
    _nothing_half_way(ws, dropped, filed)


def test_run_once_returns_at_a_group_boundary_once_stopped(tmp_path):
    ws = make_workspace(tmp_path / "ws")
    for n in range(1, 4):
        tab_memo(ws.inbox / f"nota-{n}.docx", {**HEADER, "Nomor": f"{n}/ULP-BERHENTI/XII/2026"})
    stop = threading.Event()
    with open_workspace(ws, stop=stop) as workspace:
        taken = []

        def progress(more=0, advance=0, current=None):
            if advance:
                taken.append(1)
                stop.set()  # asked to stop while the first memo was being filed

        outcomes = workspace.inbox_pass().run_once(intake.Stability(0), progress)
    assert [o.hasil for o in outcomes] == ["diterima"]
    assert len(taken) == 1
    assert sorted(p.name for p in ws.inbox.iterdir() if p.is_file()) == ["nota-2.docx", "nota-3.docx"]


def test_a_case_stops_at_a_step_boundary_and_carries_on_at_the_next_start(tmp_path):
    ws = make_workspace(tmp_path / "ws")
    tab_memo(ws.inbox / "nota.docx", {**HEADER, "Nomor": MEMO_NOMOR})
    with open_workspace(ws) as workspace:
        [memo] = workspace.inbox_pass().run_once(intake.Stability(0))
    action(ws.inbox / "kapus.yaml", "disposisi_kapus", catatan="Proses lebih lanjut")
    stop = threading.Event()
    with open_workspace(ws, stop=stop) as workspace:
        [kept] = workspace.inbox_pass().run_once(intake.Stability(0), lambda current=None, **_: current and stop.set())
        steps = {key: record.status for key, record in workspace.register.steps(memo.kasus).items()}
    assert kept.hasil == "menunggu" and kept.kasus == memo.kasus  # kept, not yet applied: the case stopped
    assert steps["disposisi_kapus"] == "berjalan" and "disposisi_kabid" not in steps
    with open_workspace(ws) as workspace:
        assert workspace.inbox_pass().advance_open_cases() == []
        steps = {key: record.status for key, record in workspace.register.steps(memo.kasus).items()}
    assert steps["disposisi_kapus"] == "selesai" and steps["disposisi_kabid"] == "berjalan"


def _slow_write(target, data, pieces, pause):
    """Write ``data`` to ``target`` in ``pieces`` chunks, ``pause`` seconds apart; closed on return."""
    size = len(data) // pieces + 1
    with open(target, "wb") as handle:
        for at in range(0, len(data), size):
            if at:
                time.sleep(pause)
            handle.write(data[at : at + size])
            handle.flush()


@pytest.mark.parametrize(
    "polling, stable, pieces, pause",
    [
        (False, 1, 2, 3.0),  # open, part written, a 3 s pause (longer than the delay), the rest, close
        (False, 1, 13, 0.4),  # copied in 13 chunks 0.4 s apart
        (True, 1, 13, 0.4),
        (True, 4, 2, 3.0),  # a network share: no close is seen, the delay must outlast the pause
    ],
    ids=["pause-inotify", "chunks-inotify", "chunks-polling", "pause-polling"],
)
def test_a_slowly_written_memo_is_filed_soon_after_it_settles(tmp_path, polling, stable, pieces, pause):
    ws = make_workspace(tmp_path / "ws", merged(SLOW_RESCAN, {"watch": {"stable_seconds": stable}}))
    data = tab_memo(tmp_path / "nota.docx").read_bytes()
    process = start_watch(ws, *(["--polling"] if polling else []))
    try:
        assert wait_for(lambda: ws.register_path.exists())
        time.sleep(0.5)
        _slow_write(ws.inbox / "lambat.docx", data, pieces, pause)
        assert wait_for(lambda: len(agenda(ws)) == 1, timeout=15), "not filed within 15 s of its close"
    finally:
        terminate(process)
    with open_register(ws, writer=False) as register:
        assert [(e.berkas, e.hasil) for e in register.journal()] == [("lambat.docx", "diterima")]


def test_a_settled_or_backed_off_file_is_due_at_once_not_at_the_next_rescan(tmp_path):
    stability = intake.Stability(1.0)
    path = tmp_path / "nota.docx"
    path.write_bytes(b"isi")
    assert not stability.ready(path, now=100.0)
    assert stability.next_due(now=100.5) == pytest.approx(0.5)
    assert stability.next_due(now=101.2) == 0.0  # settled: look now
    assert stability.ready(path, now=101.2)
    assert stability.next_due(now=101.3) is None  # taken or not, nothing more to wait for
    stability.defer(path, 300, now=102.0)
    assert not stability.ready(path, now=102.5)
    assert stability.next_due(now=103.5) == 0.0  # the back-off is over: try again now


def test_a_file_its_writer_still_holds_open_waits_for_the_close(tmp_path):
    stability = intake.Stability(1.0)
    path = tmp_path / "nota.docx"
    path.write_bytes(b"sebagian")
    stability.opened_for_writing(path)
    assert not stability.ready(path, now=0.0)
    assert not stability.ready(path, now=5.0)  # a pause longer than the delay
    assert stability.next_due(now=5.0) == pytest.approx(1.0 + intake.WRITER_PATIENCE - 5.0)
    stability.closed(path)
    assert stability.ready(path, now=5.0)
    stability.opened_for_writing(path)  # held open, never written again: taken after the patience
    stability.forget(path)
    assert not stability.ready(path, now=10.0)
    assert stability.ready(path, now=11.0 + intake.WRITER_PATIENCE)


def test_a_file_seen_unsettled_during_a_long_pass_is_taken_by_the_same_run(tmp_path, monkeypatch):
    """``pipeline run`` goes on until every file it saw still settling has been taken: a memo that
    arrived just before a pass longer than ``stable_seconds`` is not left for the next run."""
    ws = make_workspace(tmp_path / "ws", {"watch": {"stable_seconds": 1}})
    tab_memo(ws.inbox / "nota-lama.docx", {**HEADER, "Nomor": "1/ULP-LAMA/XII/2026"})
    old = time.time() - 60
    os.utime(ws.inbox / "nota-lama.docx", (old, old))  # settled long ago: taken at first sight
    tab_memo(ws.inbox / "nota-baru.docx", {**HEADER, "Nomor": "2/ULP-BARU/XII/2026"})  # still settling
    settle, slow = InboxPass.settle, []

    def long_first_pass(*args, **kwargs):
        if not slow:
            slow.append(1)
            time.sleep(1.5)  # the first memo's pass outlasts the second one's settling time
        return settle(*args, **kwargs)

    monkeypatch.setattr(InboxPass, "settle", long_first_pass)
    with open_workspace(ws) as workspace:
        outcomes = workspace.inbox_pass().run_all()
    assert sorted((o.name, o.hasil) for o in outcomes) == [
        ("nota-baru.docx", "diterima"),
        ("nota-lama.docx", "diterima"),
    ]
    assert not [p for p in ws.inbox.iterdir() if p.is_file()]
