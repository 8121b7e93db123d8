"""The service, run as staff run it: ``pipeline watch`` in its own process."""

import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from support.builders import HEADER, tab_memo
from support.processes import start_watch, wait_for
from support.workspace import make_workspace, merged

from pipeline.engine import open_workspace
from pipeline.inbox import intake
from pipeline.inbox import watch as watch_module
from pipeline.inbox.passes import InboxPass
from pipeline.register import open_register

FAST = {"watch": {"stable_seconds": 0.3, "rescan_seconds": 1, "poll_interval_seconds": 0.2}}


def stop(process):
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=15)
    return out, err


def filed(ws):
    if not ws.register_path.exists():
        return 0
    with open_register(ws, writer=False) as register:
        return len(list(register.agenda("masuk")))


@pytest.fixture
def fast_config(tmp_path):
    return make_workspace(tmp_path / "ws", FAST)


def test_watch_picks_up_dropped_and_renamed_in_files(fast_config, tmp_path):
    ws = fast_config
    process = start_watch(ws)
    try:
        assert wait_for(lambda: ws.register_path.exists())
        tab_memo(ws.inbox / "satu.docx", {**HEADER, "Nomor": "1/2026"})
        assert wait_for(lambda: filed(ws) == 1)
        outside = tab_memo(tmp_path / "dua.docx", {**HEADER, "Nomor": "2/2026"})
        os.rename(outside, ws.inbox / "dua.docx")
        assert wait_for(lambda: filed(ws) == 2)
    finally:
        out, err = stop(process)
    assert process.returncode == 0, err
    assert "Memantau" in out and "Pemantauan dihentikan." in out
    assert "diterima" in out


def test_polling_mode(fast_config):
    ws = fast_config
    process = start_watch(ws, "--polling")
    try:
        assert wait_for(lambda: ws.register_path.exists())
        tab_memo(ws.inbox / "satu.docx")
        assert wait_for(lambda: filed(ws) == 1)
    finally:
        out, _ = stop(process)
    assert "(polling)" in out


def test_second_process_is_told_the_workspace_is_busy(fast_config):
    ws = fast_config
    process = start_watch(ws)
    lock = ws.archive / ".pipeline.lock"
    try:
        assert wait_for(lambda: lock.exists() and lock.read_text().strip() == str(process.pid))
        second = subprocess.run(
            [sys.executable, "-m", "pipeline", "--config", str(ws.path), "run"],
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert second.returncode == 1
        assert f"sedang diproses oleh proses pipeline lain (PID {process.pid})" in second.stderr
    finally:
        stop(process)


def test_growing_file_not_taken_until_stable(tmp_path):
    # A pause between writes shorter than stable_seconds must never let the file be taken.
    ws = make_workspace(tmp_path / "ws", merged(FAST, {"watch": {"stable_seconds": 1.0}}))
    process = start_watch(ws)
    try:
        assert wait_for(lambda: ws.register_path.exists())
        data = tab_memo(tmp_path / "m.docx").read_bytes()
        target = ws.inbox / "lambat.docx"
        with open(target, "wb") as handle:
            for start_at in range(0, len(data), 2000):
                handle.write(data[start_at : start_at + 2000])
                handle.flush()
                time.sleep(0.05)
        assert wait_for(lambda: filed(ws) == 1)
    finally:
        stop(process)
    with open_register(ws, writer=False) as register:
        assert [e.hasil for e in register.journal()] == ["diterima"]


class _Recorder:
    def __init__(self):
        self.lines = []

    def __call__(self, message):
        self.lines.append(message if isinstance(message, str) else repr(message))


def _serve_in_thread(ws, stop_event, report, notify):
    """serve() in a thread, with a register opened in that thread (SQLite's rule)."""

    def target():
        with open_workspace(ws, lock=False) as workspace:
            workspace.serve(report, notify, stop_event)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread


def test_dead_observer_is_restarted_and_vanished_inbox_survived(fast_config):
    ws = fast_config
    notes, reports = _Recorder(), _Recorder()
    stop_event = threading.Event()
    thread = _serve_in_thread(ws, stop_event, reports, notes)
    try:
        time.sleep(0.5)
        os.rename(ws.inbox, ws.inbox.with_name("inbox-terputus"))
        assert wait_for(lambda: any("tidak dapat diakses" in n for n in notes.lines))
        ws.inbox.mkdir()  # the share comes back: a new folder, a new inode
        assert wait_for(lambda: any("tersedia kembali" in n for n in notes.lines))
        assert wait_for(lambda: any("dijalankan ulang" in n for n in notes.lines))
        tab_memo(ws.inbox / "setelah.docx")
        assert wait_for(lambda: filed(ws) == 1)
    finally:
        stop_event.set()
        thread.join(timeout=10)
    assert not thread.is_alive()


def test_handler_never_raises():
    from watchdog.events import FileCreatedEvent

    class Broken:
        calls = 0

        def set(self):
            Broken.calls += 1
            raise RuntimeError("boom")

    handler = watch_module.WakeHandler(Broken())
    handler.on_any_event(object())  # not an event at all: must not raise
    handler.on_any_event(FileCreatedEvent("/inbox/nota.docx"))  # a wake-up whose wake fails: must not raise
    assert Broken.calls == 1


def test_failing_pass_does_not_end_the_service(fast_config, monkeypatch):
    ws = fast_config
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("disk bermasalah")
        return []

    monkeypatch.setattr(InboxPass, "run_once", flaky)
    notes = _Recorder()
    stop_event = threading.Event()
    thread = _serve_in_thread(ws, stop_event, _Recorder(), notes)
    assert wait_for(lambda: len(calls) >= 2)
    stop_event.set()
    thread.join(timeout=10)
    assert any("Pemrosesan inbox gagal dan akan dicoba lagi: disk bermasalah" in n for n in notes.lines)


def test_stability_tracker():
    stability = intake.Stability(1.0)
    import pathlib
    import tempfile

    with tempfile.TemporaryDirectory() as temp:
        path = pathlib.Path(temp) / "f"
        path.write_bytes(b"a")
        assert not stability.ready(path, now=0.0)
        assert not stability.ready(path, now=0.5)
        assert stability.ready(path, now=1.0)
        path.write_bytes(b"ab")
        assert not stability.ready(path, now=1.1)
        assert stability.ready(path, now=2.2)


def test_stopped_observer_thread_is_restarted(fast_config):
    ws = fast_config
    notes = _Recorder()
    config = ws
    wake = threading.Event()
    supervisor = watch_module.Supervisor(config, wake, notes)
    supervisor.ensure()
    first = supervisor.observer
    first.stop()
    first.join(timeout=5)
    supervisor.ensure()
    try:
        assert supervisor.observer is not first and supervisor.observer.is_alive()
        assert notes.lines == ["Pemantau folder inbox berhenti; dijalankan ulang."]
    finally:
        supervisor.close()


def test_files_missed_by_events_are_found_by_the_rescan(fast_config, monkeypatch):
    ws = fast_config
    monkeypatch.setattr(watch_module.WakeHandler, "on_any_event", lambda self, event: None)
    stop_event = threading.Event()
    thread = _serve_in_thread(ws, stop_event, _Recorder(), _Recorder())
    try:
        time.sleep(0.3)
        tab_memo(ws.inbox / "senyap.docx")
        assert wait_for(lambda: filed(ws) == 1, timeout=10)
    finally:
        stop_event.set()
        thread.join(timeout=10)


def test_two_runs_at_once_process_each_file_once(fast_config):
    ws = fast_config
    for n in range(6):
        tab_memo(ws.inbox / f"nota-{n}.docx", {**HEADER, "Nomor": f"{n}/2026"})
    command = [sys.executable, "-m", "pipeline", "--config", str(ws.path), "run"]
    first = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    second = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    results = [(p.wait(timeout=60), p.stderr.read()) for p in (first, second)]
    codes = sorted(code for code, _ in results)
    assert codes in ([0, 0], [0, 1])
    if codes == [0, 1]:
        assert any("sedang diproses oleh proses pipeline lain" in err for _, err in results)
    with open_register(ws, writer=False) as register:
        assert [e.nomor_urut for e in register.agenda("masuk")] == list(range(1, 7))
        assert len(list(register.journal())) == 6


def test_a_case_stopped_by_a_broken_template_carries_on_once_it_is_fixed(fast_config):
    import docx
    from support.builders import action

    ws = fast_config
    template = ws.templates_dir / "lembar_disposisi.docx"
    good = template.read_bytes()
    tab_memo(ws.inbox / "nota.docx")
    subprocess.run([sys.executable, "-m", "pipeline", "--config", str(ws.path), "run"], check=True, capture_output=True)
    broken = docx.Document(str(template))
    broken.add_paragraph("{{ salah_ketik }}")
    broken.save(str(template))
    notes = _Recorder()
    stop_event = threading.Event()
    thread = _serve_in_thread(ws, stop_event, _Recorder(), notes)
    try:
        action(ws.inbox / "kapus.yaml", "disposisi_kapus")
        assert wait_for(lambda: any("salah_ketik" in n for n in notes.lines))
        template.write_bytes(good)

        def step():
            with open_workspace(ws, lock=False) as workspace:
                return next(iter(workspace.status())).langkah_sekarang

        assert wait_for(lambda: step() == 4, timeout=15)
        assert sum("salah_ketik" in n for n in notes.lines) == 1
    finally:
        stop_event.set()
        thread.join(timeout=10)


def _counting_passes(monkeypatch):
    calls = []
    real = InboxPass.run_once

    def counted(*args, **kwargs):
        calls.append(time.monotonic())
        return real(*args, **kwargs)

    monkeypatch.setattr(InboxPass, "run_once", counted)
    return calls


def test_no_busy_loop_while_a_file_settles(tmp_path, monkeypatch):
    """The service's own reads of a settling file must not wake it again and again."""
    ws = make_workspace(tmp_path / "ws", merged(FAST, {"watch": {"stable_seconds": 2.0}}))
    calls = _counting_passes(monkeypatch)
    stop_event = threading.Event()
    thread = _serve_in_thread(ws, stop_event, _Recorder(), _Recorder())
    try:
        time.sleep(0.3)
        tab_memo(ws.inbox / "nota.docx")
        assert wait_for(lambda: filed(ws) == 1, timeout=10)
        time.sleep(0.5)
    finally:
        stop_event.set()
        thread.join(timeout=10)
    # a start, the file's events, the moment it has settled, the claim's own event, a rescan or two
    assert len(calls) <= 12, len(calls)


def test_a_stuck_input_is_told_once_and_retried_with_back_off(fast_config, monkeypatch):
    from pipeline.errors import ArchiveError
    from pipeline.filing import filer as filing

    ws = fast_config

    def full(*args, **kwargs):
        raise ArchiveError("Arsip tidak dapat ditulis: disk penuh.")

    monkeypatch.setattr(filing.Filer, "prepare", full)
    calls = _counting_passes(monkeypatch)
    tab_memo(ws.inbox / "nota.docx")
    stop_event = threading.Event()
    thread = _serve_in_thread(ws, stop_event, _Recorder(), _Recorder())
    try:
        time.sleep(4)
    finally:
        stop_event.set()
        thread.join(timeout=10)
    with open_register(ws, writer=False) as register:
        assert [(e.berkas, e.hasil) for e in register.journal()] == [("nota.docx", "menunggu")]
    assert (ws.inbox / "nota.docx").exists()
    assert len(calls) <= 12, len(calls)


def test_a_file_older_than_the_delay_is_taken_at_once(tmp_path):
    ws = make_workspace(tmp_path / "ws", {"watch": {"stable_seconds": 600}})
    path = tab_memo(ws.inbox / "lama.docx")
    an_hour_ago = time.time() - 3600
    os.utime(path, (an_hour_ago, an_hour_ago))
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "--config", str(ws.path), "run"], capture_output=True, text=True, timeout=60
    )
    assert "1 diterima" in result.stdout, result.stdout + result.stderr


def test_act_beside_watch_is_handed_to_the_service(fast_config):
    ws = fast_config
    tab_memo(ws.inbox / "nota.docx")
    process = start_watch(ws)
    try:
        assert wait_for(lambda: filed(ws) == 1)
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "pipeline",
                "--config",
                str(ws.path),
                "act",
                HEADER["Nomor"],
                "disposisi_kapus",
                "--oleh",
                "Dr. Ir. Suryo Wibowo, M.T.",
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert "Tindakan disposisi_kapus dicatat" in result.stdout and "(diterima)" in result.stdout
        assert "Menunggu Kabid" in result.stdout
        refused = subprocess.run(
            [sys.executable, "-m", "pipeline", "--config", str(ws.path), "act", HEADER["Nomor"], "periksa"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert refused.returncode == 1 and "kasus belum sampai langkah 9" in refused.stderr
    finally:
        stop(process)
