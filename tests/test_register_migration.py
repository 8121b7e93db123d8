"""A register written by release 0.1.0 opens, migrates and carries on."""

import datetime as dt
import gzip
import json
import re
import shutil
from pathlib import Path

import pytest
from support.builders import HEADER, tab_memo
from support.cases import snapshot
from support.cli import jsonl
from support.steps import edit_steps, with_paraf

from pipeline.register import MIGRATIONS, open_register

FIXTURE = Path(__file__).parent / "fixtures" / "register-v0.1.0.sqlite3.gz"


def old_register(ws):
    with gzip.open(FIXTURE) as source, open(ws.register_path, "wb") as target:
        shutil.copyfileobj(source, target)


def test_old_register_migrates_to_steps_by_key_and_counters(config):
    old_register(config)
    with open_register(config) as register:
        assert register.version == len(MIGRATIONS)
        assert register.peek_number("masuk", 2026) == 5 and register.peek_number("keluar", 2026) == 2
        steps = register.steps("2026-0001")
        assert sorted(steps) == sorted(s.key for s in config.steps)
        assert steps["periksa"].status == "berjalan" and steps["laporan_kesiapan"].status == "selesai"


def test_old_cases_show_and_carry_on(config, cli):
    old_register(config)
    cases = {item["kasus"]: item for item in jsonl(cli("status", "--json", "--all"))}
    assert {k: (v["status"], v["langkah_sekarang"]) for k, v in cases.items()} == {
        "2026-0001": ("berjalan", 9),
        "2026-0002": ("tertahan", 6),
        "2026-0003": ("berjalan", 3),
        "2026-0004": ("selesai", None),
    }
    assert len(cases["2026-0002"]["masalah"]) == 4
    finished = cases["2026-0004"]["langkah"]
    assert [(s["key"], s["oleh"]) for s in finished][8:10] == [
        ("periksa", "Ahmad Fauzi, S.Kom., M.M."),
        ("setujui", "Dr. Ir. Suryo Wibowo, M.T."),
    ]

    assert cli("act", "2026-0001", "periksa").exit_code == 0
    assert cli("act", "2026-0001", "setujui").exit_code == 0
    year = dt.datetime.now(config.timezone).year
    letters = jsonl(cli("register", "--json", "--buku", "keluar"))
    assert [(e["tahun"], e["nomor_urut"]) for e in letters][-1] == (year, 2 if year == 2026 else 1)

    tab_memo(config.inbox / "baru.docx", {**HEADER, "Nomor": "001/BARU/2026"})
    cli("run")
    memos = jsonl(cli("register", "--json", "--buku", "masuk"))
    assert [(e["tahun"], e["nomor_urut"]) for e in memos][-1] == (year, 5 if year == 2026 else 1)
    assert len({e["nomor_agenda"] for e in memos}) == 5


def release_0_1_config(ws):
    """The config.yaml release 0.1 wrote: its step table names no handler, early or reject_to.

    Roles did not exist then; an administrator adds them when upgrading.
    """
    kept = [
        line
        for line in ws.path.read_text(encoding="utf-8").splitlines()
        if not line.strip().startswith(("handler:", "early:", "reject_to:"))
    ]
    ws.path.write_text("\n".join(kept) + "\n", encoding="utf-8")


def test_an_upgraded_workspace_keeps_tolak_and_early_actions(config, cli):
    release_0_1_config(config)
    old_register(config)
    early = cli("act", "2026-0003", "disposisi_kabid")
    assert early.exit_code == 0, early.output
    result = cli("act", "2026-0001", "tolak", "--catatan", "Pagu belum sesuai DIPA")
    assert result.exit_code == 0, result.output
    cases = {item["kasus"]: item for item in jsonl(cli("status", "--json"))}
    assert (cases["2026-0001"]["status"], cases["2026-0001"]["langkah_sekarang"]) == ("tertahan", 5)
    assert cases["2026-0003"]["langkah_sekarang"] == 3


def test_a_table_edited_before_the_upgrade_does_not_misread_old_steps(tmp_path, cli):
    """Staff inserted a step before the first start of the new release: positions are read
    with the table 0.1 shipped, which the register's own documents agree with."""
    from support.workspace import make_workspace

    ws = edit_steps(make_workspace(tmp_path / "ws"), with_paraf())
    old_register(ws)
    with open_register(ws) as register:
        steps = register.steps("2026-0004")
        assert steps["setujui"].oleh == "Dr. Ir. Suryo Wibowo, M.T." and steps["kirim"].status == "selesai"
        assert "paraf_kasubbid" not in steps and register.steps("2026-0001")["periksa"].status == "berjalan"


def test_an_old_register_opened_without_a_step_table_reads_the_shipped_one(tmp_path):
    from pipeline.register import SQLiteRegister

    path = tmp_path / "register.sqlite3"
    with gzip.open(FIXTURE) as source, open(path, "wb") as target:
        shutil.copyfileobj(source, target)
    with SQLiteRegister(path) as register:
        assert register.steps("2026-0001")["periksa"].status == "berjalan"


def test_an_upgraded_register_starts_its_log_with_all_it_held_and_can_be_rebuilt(config, cli):

    old_register(config)
    before = snapshot(config)
    [first] = (config.archive / "catatan-register").rglob("000000001.json")
    assert len(json.loads(first.read_text())["perubahan"]) > 100
    for path in config.archive.glob("register.sqlite3*"):
        path.unlink()
    assert cli("rebuild-register").exit_code == 0
    assert snapshot(config) == before


def _sqlite_schema(register):
    """{table: {column: (type, not null, default)}}, {table: primary key}, {(table, column, values)}
    of the CHECKs, and the index names of a live SQLite register."""
    db = register.db
    tables = [r["name"] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()]
    columns, keys, checks = {}, {}, set()
    for table in tables:
        info = db.execute(f"PRAGMA table_info({table})").fetchall()
        columns[table] = {c["name"]: (c["type"].lower(), bool(c["notnull"] or c["pk"]), c["dflt_value"]) for c in info}
        keys[table] = tuple(c["name"] for c in sorted(info, key=lambda c: c["pk"]) if c["pk"])
        sql = db.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()["sql"]
        checks |= {(table, *_check(found)) for found in re.findall(r"CHECK \(([^)]*)\)", " ".join(sql.split()))}
    indexes = {r["name"] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")}
    return columns, keys, checks, indexes


def _postgres_schema(register):
    rows = lambda sql: register.db.execute(sql).fetchall()
    columns, keys, checks = {}, {}, set()
    for c in rows(
        "SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name <> 'skema'"
    ):
        default = c["column_default"].removesuffix("::text") if c["column_default"] is not None else None
        kind = {"bigint": "integer"}.get(c["data_type"], c["data_type"])
        columns.setdefault(c["table_name"], {})[c["column_name"]] = (kind, c["is_nullable"] == "NO", default)
    for c in rows(
        "SELECT conrelid::regclass::text AS t, contype, pg_get_constraintdef(oid) AS d FROM pg_constraint "
        "WHERE connamespace = current_schema()::regnamespace"
    ):
        if c["contype"] == "p":
            keys[c["t"]] = tuple(re.fullmatch(r"PRIMARY KEY \((.*)\)", c["d"])[1].split(", "))
        elif c["contype"] == "c":
            checks.add((c["t"], *_check(c["d"])))
    indexes = {r["indexname"] for r in rows("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")}
    return columns, keys, checks, {name for name in indexes if not name.endswith(("_pkey", "_key"))}


def _check(text):
    """A CHECK as (its column, the values or bound it names), whichever dialect spelled it."""
    return re.search(r"[a-z_]+", text)[0], frozenset(re.findall(r"'([^']*)'|\b(\d+)\b", text))


def test_both_dialects_build_one_schema(tmp_path, postgres):
    """SQLite and PostgreSQL come from the one list of migrations: every table, column (type,
    NULL, default), primary key, CHECK and index of one exists in the other, after each migrated
    from nothing and after a release 0.1 register migrated on SQLite."""
    from pipeline.register import SQLiteRegister
    from pipeline.register.postgres import PostgresRegister

    with PostgresRegister(postgres.database()) as shared:
        theirs = _postgres_schema(shared)
    with SQLiteRegister(tmp_path / "new.sqlite3") as fresh:
        assert _sqlite_schema(fresh) == theirs
    path = tmp_path / "old.sqlite3"
    with gzip.open(FIXTURE) as source, open(path, "wb") as target:
        shutil.copyfileobj(source, target)
    with SQLiteRegister(path) as upgraded:
        assert _sqlite_schema(upgraded) == theirs
    assert len(theirs[0]) >= 12 and len(theirs[2]) >= 8 and "agenda_nomor_agenda" in theirs[3]


def test_a_data_step_after_postgresql_began_has_no_sqlite_only_form():
    """A later migration is written for both dialects: a step only SQLite can run is refused."""
    from pipeline.register.ddl import Legacy, postgres_statements

    with pytest.raises(ValueError, match="migration 12"):
        postgres_statements((Legacy("UPDATE kode SET urut = rowid"),), 12)
