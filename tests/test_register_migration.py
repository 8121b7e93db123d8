"""A register written by release 0.1.0 opens, migrates and carries on."""

import datetime as dt
import gzip
import json
import shutil
from pathlib import Path

from builders import HEADER, tab_memo

from pipeline.register import MIGRATIONS, open_register

FIXTURE = Path(__file__).parent / "fixtures" / "register-v0.1.0.sqlite3.gz"


def old_register(ws):
    with gzip.open(FIXTURE) as source, open(ws.register_path, "wb") as target:
        shutil.copyfileobj(source, target)


def jsonl(result):
    return [json.loads(line) for line in result.output.splitlines() if line.strip()]


def test_old_register_migrates_to_steps_by_key_and_counters(ws):
    old_register(ws)
    with open_register(ws) as register:
        assert register.version == len(MIGRATIONS)
        assert register.peek_number("masuk", 2026) == 5 and register.peek_number("keluar", 2026) == 2
        steps = register.steps("2026-0001")
        assert sorted(steps) == sorted(s.key for s in ws.steps)
        assert steps["periksa"].status == "berjalan" and steps["laporan_kesiapan"].status == "selesai"


def test_old_cases_show_and_carry_on(ws, cli):
    old_register(ws)
    cases = {item["kasus"]: item for item in jsonl(cli("status", "--json"))}
    assert {k: (v["status"], v["langkah_sekarang"]) for k, v in cases.items()} == {
        "2026-0001": ("berjalan", 9), "2026-0002": ("tertahan", 6), "2026-0003": ("berjalan", 3),
        "2026-0004": ("selesai", None)}
    assert len(cases["2026-0002"]["masalah"]) == 4
    finished = cases["2026-0004"]["langkah"]
    assert [(s["key"], s["oleh"]) for s in finished][8:10] == [
        ("periksa", "Ahmad Fauzi, S.Kom., M.M."), ("setujui", "Dr. Ir. Suryo Wibowo, M.T.")]

    assert cli("act", "2026-0001", "periksa").exit_code == 0
    assert cli("act", "2026-0001", "setujui").exit_code == 0
    year = dt.datetime.now(ws.timezone).year
    letters = jsonl(cli("register", "--json", "--buku", "keluar"))
    assert [(e["tahun"], e["nomor_urut"]) for e in letters][-1] == (year, 2 if year == 2026 else 1)

    tab_memo(ws.inbox / "baru.docx", {**HEADER, "Nomor": "001/BARU/2026"})
    cli("run")
    memos = jsonl(cli("register", "--json", "--buku", "masuk"))
    assert [(e["tahun"], e["nomor_urut"]) for e in memos][-1] == (year, 5 if year == 2026 else 1)
    assert len({e["nomor_agenda"] for e in memos}) == 5
