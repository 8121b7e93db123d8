"""Crash at any instant: SIGKILL at every stage boundary, and at random times.

After each kill the pipeline is simply started again, as staff would, and
the workspace must hold every input exactly once, gapless numbers, no
leftovers, and an archive that matches the register. Set SPSE_SLOW=1 for the
long version (``make test-slow``).
"""

import json
import os
import random
import signal
import subprocess
import sys
import time

import pytest
from support.builders import HEADER, MEMO_NOMOR, action, registration_yaml, tab_memo
from support.processes import FAULTS
from support.workspace import make_workspace

SLOW = os.environ.get("SPSE_SLOW") == "1"


def pipeline(ws, *args, fault=None):
    if fault:
        command = [sys.executable, str(FAULTS), fault[0], str(fault[1]), "--"]
    else:
        command = [sys.executable, "-m", "pipeline"]
    return subprocess.run([*command, "--config", str(ws.path), *args], capture_output=True, text=True, timeout=120)


def batch(ws, memos):
    """Memos, one refused file, and a case taken to step 9 by data and actions."""
    for n in range(1, memos + 1):
        header = {**HEADER, "Nomor": MEMO_NOMOR if n == 1 else f"{n:03d}/ULP-UJI/XI/2026"}
        tab_memo(ws.inbox / f"nota-{n:02d}.docx", header)
    (ws.inbox / "rusak.docx").write_bytes(b"")
    action(ws.inbox / "kapus.yaml", "disposisi_kapus", catatan="Proses lebih lanjut")
    action(ws.inbox / "kabid.yaml", "disposisi_kabid")
    registration_yaml(ws.inbox / "registrasi.yaml")
    action(ws.inbox / "otentikasi.yaml", "otentikasi")  # written after the data it authenticates
    return memos


def finish(ws):
    """Start the pipeline again until a run completes; return how many restarts it took."""
    for attempt in range(1, 6):
        result = pipeline(ws, "run")
        if result.returncode == 0:
            return attempt
    raise AssertionError(result.stderr)


def jsonl(ws, *args):
    return [json.loads(line) for line in pipeline(ws, *args).stdout.splitlines() if line.strip()]


def check_invariants(ws, memos):
    entries = jsonl(ws, "register", "--json", "--buku", "masuk")
    assert [e["nomor_urut"] for e in entries] == list(range(1, memos + 1))
    assert len({e["nomor_surat"] for e in entries}) == memos
    journal = jsonl(ws, "journal", "--json")
    by_name = {}
    for row in journal:
        by_name.setdefault(row["berkas"], []).append(row["hasil"])
    expected = {f"nota-{n:02d}.docx" for n in range(1, memos + 1)} | {
        "rusak.docx",
        "kapus.yaml",
        "kabid.yaml",
        "otentikasi.yaml",
        "registrasi.yaml",
    }
    assert set(by_name) == expected
    for name, outcomes in by_name.items():
        assert outcomes == (["ditolak"] if name == "rusak.docx" else ["diterima"]), (name, outcomes)
    assert sorted(p.name for p in ws.rejected_dir.iterdir()) == ["rusak.docx", "rusak.docx.alasan.txt"]
    assert [p for p in ws.inbox.iterdir() if p.is_file()] == []
    assert not ws.work_dir.exists() or list(ws.work_dir.iterdir()) == []
    assert list(ws.archive.rglob(".tmp-*")) == [] and list(ws.outbox.rglob(".tmp-*")) == []
    assert not list(ws.outbox.rglob("*_v2.docx")) or _superseded_allowed(ws)
    status = jsonl(ws, "status", "--json", MEMO_NOMOR)[0]
    assert status["langkah_sekarang"] == 9, status["menunggu"]
    verify = pipeline(ws, "verify")
    assert verify.returncode == 0, verify.stderr
    assert list((ws.archive / ".staging").glob("*")) == [] if (ws.archive / ".staging").exists() else True
    folders = sorted(p.name for p in ws.archive.glob("*/surat-masuk/*"))
    assert len(folders) == memos and len({f[:4] for f in folders}) == memos


def _superseded_allowed(ws):
    # The disposition sheet of step 4 is the second Lembar Disposisi of its case by design.
    return all(p.name.endswith("_04_lembar-disposisi_v2.docx") for p in ws.outbox.rglob("*_v2.docx"))


# (boundary, how many times it is reached in one batch): the fast suite kills at
# the second passage of each boundary (the first where that is all there is);
# SPSE_SLOW=1 kills at every passage.
# Counted with ``python tests/support/faults.py POINT 0 -- --config ... run`` on batch(ws, 3).
POINTS = {
    "after_claim": 8,
    "before_prepare": 14,
    "after_prepare": 14,
    "after_archive_copy": 17,
    "before_commit": 20,
    "after_commit": 20,
    "after_outbox_copy": 10,
    "after_publish": 14,
    "before_finish": 8,
    "before_case_advance": 7,
    "after_input_kept": 4,
    "before_document": 7,
    "after_set_aside": 1,
}
CASES = [
    (point, hit)
    for point, passages in POINTS.items()
    for hit in (range(1, passages + 1) if SLOW else [min(2, passages)])
]


@pytest.mark.parametrize("point, hit", CASES)
def test_sigkill_at_each_stage_boundary(tmp_path, point, hit):
    ws = make_workspace(tmp_path / "ws")
    memos = batch(ws, 3)
    killed = pipeline(ws, "run", fault=(point, hit))
    assert killed.returncode == -signal.SIGKILL, (point, killed.stdout, killed.stderr)
    finish(ws)
    check_invariants(ws, memos)


def test_sigkill_at_random_moments(tmp_path):
    rounds, memos = (30, 25) if SLOW else (4, 15)
    ws = make_workspace(tmp_path / "ws")
    batch(ws, memos)
    rng = random.Random(20261125)
    kills = 0
    for _ in range(rounds):
        process = subprocess.Popen(
            [sys.executable, "-m", "pipeline", "--config", str(ws.path), "run"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.1, 0.7))
        if process.poll() is not None:
            break
        process.kill()
        process.wait()
        kills += 1
    finish(ws)
    check_invariants(ws, memos)
    assert kills >= 1


# Complete, never alter: a letter lacking a field waits in inbox/lengkapi/ beside its draft, then
# is registered once its completed draft is saved into the inbox. (phase, boundary, passage).
WAITING_CASES = [
    ("wait", point, hit)
    for point, hit in (
        ("after_claim", 2),
        ("before_commit", 1),
        ("after_commit", 2),
        ("before_finish", 1),
        ("after_draft", 1),
        ("after_draft", 2),
    )
] + [
    ("complete", point, hit)
    for point, hit in (
        ("after_claim", 1),
        ("after_claim", 2),
        ("after_claim", 3),
        ("after_commit", 1),
        ("after_publish", 2),
        ("before_finish", 2),
    )
]


def waiting_batch(ws):
    """Two letters each lacking a required field; their SHA-256."""
    made = {}
    for name, missing in (("m1.docx", "Nomor"), ("m2.docx", "Hal")):
        header = {k: v for k, v in HEADER.items() if k != missing}
        if missing == "Hal":
            header["Nomor"] = "006/88/ULP-LITBANG/X/2026"
        made[name] = _sha(tab_memo(ws.inbox / name, header))
    return made


def _sha(path):
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def check_waiting(ws, made):
    """Each letter once in inbox/lengkapi/, unchanged, beside its draft; journaled once; nothing left over."""
    held = ws.inbox / "lengkapi"
    assert sorted(p.name for p in held.iterdir()) == ["m1.docx", "m1.yaml", "m2.docx", "m2.yaml"]
    assert {name: _sha(held / name) for name in made} == made
    journal = jsonl(ws, "journal", "--json")
    assert sorted((r["berkas"], r["hasil"]) for r in journal) == [("m1.docx", "menunggu"), ("m2.docx", "menunggu")]
    assert [p for p in ws.inbox.iterdir() if p.is_file()] == []
    assert not ws.work_dir.exists() or list(ws.work_dir.iterdir()) == []


@pytest.mark.parametrize("phase, point, hit", WAITING_CASES)
def test_sigkill_while_a_letter_waits_or_is_completed(tmp_path, phase, point, hit):
    ws = make_workspace(tmp_path / "ws")
    made = waiting_batch(ws)
    if phase == "complete":
        finish(ws)
        for stem, key, value in (("m1", "nomor", "005/88/ULP-LITBANG/X/2026"), ("m2", "hal", "Permohonan SPSE")):
            draft = (ws.inbox / "lengkapi" / f"{stem}.yaml").read_text(encoding="utf-8")
            (ws.inbox / f"{stem}.yaml").write_text(
                draft.replace(f"\n{key}: ''\n", f"\n{key}: {value}\n"), encoding="utf-8"
            )
    killed = pipeline(ws, "run", fault=(point, hit))
    assert killed.returncode == -signal.SIGKILL, (point, killed.stdout, killed.stderr)
    finish(ws)
    if phase == "wait":
        check_waiting(ws, made)
        return
    entries = jsonl(ws, "register", "--json", "--buku", "masuk")
    assert [e["nomor_urut"] for e in entries] == [1, 2]
    assert list((ws.inbox / "lengkapi").iterdir()) == []
    assert [p for p in ws.inbox.iterdir() if p.is_file()] == []
    for folder, name in zip(sorted(ws.archive.glob("*/surat-masuk/*")), sorted(made)):
        assert _sha(folder / f"asli_{name}") == made[name]
    assert pipeline(ws, "verify").returncode == 0


@pytest.mark.parametrize(
    "point, hit",
    [
        ("before_form_placed", 1),
        ("after_claim", 1),
        ("before_commit", 1),
        ("after_input_kept", 1),
        ("before_finish", 1),
    ],
)
def test_sigkill_while_a_decision_form_is_written_or_taken(tmp_path, point, hit):
    """A form is listed before it appears (never taken as a decision when a crash comes between);
    a filled form claimed from the official's folder is settled by the next start as that account's."""
    from support.forms import fill

    from pipeline.sop.access import current_account

    ws = make_workspace(tmp_path / "ws", {"access": {"keputusan_dari_inbox": False}})
    folder = ws.decision_folder(current_account())
    tab_memo(ws.inbox / "nota.docx")
    if point == "before_form_placed":
        killed = pipeline(ws, "run", fault=(point, hit))
        assert killed.returncode == -signal.SIGKILL, killed.stderr
        finish(ws)
    else:
        finish(ws)
        [form] = folder.glob("*.docx")
        fill(form, kepada="Kepala Bidang Telematika", harap=["Proses lebih lanjut"])
        killed = pipeline(ws, "run", fault=(point, hit))
        assert killed.returncode == -signal.SIGKILL, (point, killed.stderr)
        finish(ws)
        finish(ws)  # the next decision's form, written after the pass that recorded this one
    status = jsonl(ws, "status", "--json", MEMO_NOMOR)[0]
    assert status["langkah_sekarang"] == (3 if point == "before_form_placed" else 4), status["menunggu"]
    assert list((folder / "ditolak").iterdir()) == []
    assert len(list(folder.glob("*.docx"))) == 1 and not list(folder.glob(".*.part"))
    assert not ws.work_dir.exists() or list(ws.work_dir.iterdir()) == []
    assert [p for p in (ws.decisions_dir / ".kerja").rglob("*") if p.is_file()] == []
    journal = [
        row
        for row in jsonl(ws, "journal", "--json")
        if row["berkas"].endswith(".docx") and "Disposisi" in row["berkas"]
    ]
    assert [row["hasil"] for row in journal] == ([] if point == "before_form_placed" else ["diterima"])
