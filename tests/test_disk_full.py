"""A real full disk: the archive on a tiny tmpfs (needs root to mount; skipped elsewhere)."""

import json
import subprocess
import sys

import pytest
from support.builders import HEADER, tab_memo
from support.workspace import make_workspace


@pytest.fixture
def tiny(tmp_path):
    mount = tmp_path / "kecil"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=700k", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    yield mount
    subprocess.run(["umount", str(mount)], capture_output=True)


def pipeline(ws, *args):
    return subprocess.run(
        [sys.executable, "-m", "pipeline", "--config", str(ws.path), *args], capture_output=True, text=True, timeout=120
    )


def test_full_disk_keeps_inputs_and_files_them_once_later(tmp_path, tiny):
    ws = make_workspace(tmp_path / "ws", {"folders": {"archive": str(tiny)}})
    for n in range(8):
        tab_memo(ws.inbox / f"nota-{n}.docx", {**HEADER, "Nomor": f"{n}/ULP/2026"})
    first = pipeline(ws, "run")
    assert first.returncode == 0, first.stderr
    assert "menunggu" in first.stdout
    waiting = [p.name for p in ws.inbox.iterdir() if p.is_file()]
    left = waiting + ([p.name for p in ws.work_dir.iterdir()] if ws.work_dir.exists() else [])
    assert left, "the disk should have filled before all memos were filed"
    filed = [json.loads(line) for line in pipeline(ws, "register", "--json").stdout.splitlines()]
    assert 0 < len(filed) < 8 and [e["nomor_urut"] for e in filed] == list(range(1, len(filed) + 1))
    assert not (tiny / ".staging").exists() or list((tiny / ".staging").iterdir()) == []
    assert "disk penuh" in first.stdout

    subprocess.run(["mount", "-o", "remount,size=8m", str(tiny)], check=True)
    second = pipeline(ws, "run")
    assert second.returncode == 0, second.stderr
    entries = [json.loads(line) for line in pipeline(ws, "register", "--json").stdout.splitlines()]
    assert [e["nomor_urut"] for e in entries] == list(range(1, 9))
    assert sorted(e["nomor_surat"] for e in entries) == sorted(f"{n}/ULP/2026" for n in range(8))
    assert pipeline(ws, "verify").returncode == 0
    assert [p for p in ws.inbox.iterdir() if p.is_file()] == []
