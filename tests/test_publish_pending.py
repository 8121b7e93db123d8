"""A filing committed to the register whose files cannot be put in place: said once, with what
to do, shown by ``pipeline doctor`` and ``pipeline status``, and tried again with back-off."""

import logging

from support.builders import tab_memo
from support.cli import invoke, jsonl
from support.workspace import make_workspace

from pipeline.engine import open_workspace

IN_THE_WAY = "outbox/2026-0001/2026-0001_lembar-disposisi.docx"
REASON = f"Di outbox ada folder {IN_THE_WAY} di tempat salinan dokumen. Pindahkan folder itu ke luar outbox."


def blocked_memo(tmp_path):
    """A workspace whose first memo's outbox copy has a folder in its place."""
    ws = make_workspace(tmp_path / "ws")
    (ws.root / IN_THE_WAY).mkdir(parents=True)
    tab_memo(ws.inbox / "nota.docx")
    return ws


def test_a_publish_that_cannot_complete_is_shown_by_doctor_and_status_until_it_can(tmp_path):
    ws = blocked_memo(tmp_path)
    result = invoke(ws, "run", "--json")
    [outcome] = jsonl(result)
    assert outcome["hasil"] == "menunggu"
    assert outcome["alasan"] == [
        f"Sudah dicatat di register, tetapi berkasnya belum dapat ditempatkan: {REASON} "
        "Pipeline menempatkannya sendiri pada pemrosesan berikutnya; berkas ini tidak "
        "perlu diletakkan lagi."
    ]
    said = "Berkas archive/2026/surat-masuk/0001_permohonan-pemanfaatan-spse belum ditempatkan di arsip: " + REASON
    [finding] = [f for f in jsonl(invoke(ws, "doctor", "--json")) if f["pemeriksaan"] == "Pemberkasan tertunda"]
    assert finding == {
        "pemeriksaan": "Pemberkasan tertunda",
        "status": "peringatan",
        "pesan": said.replace(" belum", " (kasus 2026-0001) belum", 1),
    }
    [case] = jsonl(invoke(ws, "status", "--json"))
    assert said in case["masalah"]

    (ws.root / IN_THE_WAY).rmdir()
    assert invoke(ws, "run").exit_code == 0
    assert list(ws.work_dir.iterdir()) == [] and list(ws.staging_dir.iterdir()) == []
    [finding] = [f for f in jsonl(invoke(ws, "doctor", "--json")) if f["pemeriksaan"] == "Pemberkasan tertunda"]
    assert (finding["status"], finding["pesan"]) == ("baik", "Tidak ada.")
    assert jsonl(invoke(ws, "status", "--json"))[0]["masalah"] == []
    assert "Arsip utuh" in invoke(ws, "verify").output


def test_a_publish_failing_again_is_told_once_and_retried_after_its_back_off(tmp_path, caplog):
    ws = blocked_memo(tmp_path)
    seconds = [0.0]
    with open_workspace(ws) as opened:
        opened.filer.clock = lambda: seconds[0]
        with caplog.at_level(logging.WARNING, logger="pipeline"):
            first = opened.inbox_pass().run_once()
            again = [opened.inbox_pass().run_once() for _ in range(3)]
            seconds[0] += 31  # the first back-off has passed: tried again, still in the way, not told again
            later = opened.inbox_pass().run_once()
        assert [o.hasil for o in first] == ["menunggu"] and again == [[], [], []] and later == []
        told = [r.getMessage() for r in caplog.records if REASON in r.getMessage()]
        assert len(told) == 1, told
        assert len(list(opened.config.staging_dir.iterdir())) == 1
        (ws.root / IN_THE_WAY).rmdir()
        seconds[0] += 30  # the second back-off (60 s) has not passed yet
        assert opened.inbox_pass().run_once() == [] and len(list(opened.config.staging_dir.iterdir())) == 1
        seconds[0] += 31
        [outcome] = opened.inbox_pass().run_once()
        assert outcome.hasil == "diterima"
        assert list(opened.config.staging_dir.iterdir()) == [] and list(opened.config.work_dir.iterdir()) == []
