"""Finished cases listed by ``status --json --all`` from their stored lines (register/shown.py):
exactly as describing them would show them, forgotten when the case changes, never stored while
their view still changes, and checked by ``verify``."""

import sqlite3

from support.builders import HEADER, tab_memo
from support.cli import invoker, jsonl
from support.workspace import make_workspace

from pipeline.register import open_register
from pipeline.states import CaseStatus, StepStatus

DONE_AT = "2026-12-01T10:00:00+07:00"


def three_cases(tmp_path):
    config = make_workspace(tmp_path / "ws")
    for n in (1, 2, 3):
        tab_memo(config.inbox / f"nota-{n}.docx", {**HEADER, "Nomor": f"00{n}/ULP/XI/2026", "Hal": f"Permohonan {n}"})
    cli = invoker(config)
    assert cli("run").exit_code == 0
    return config, cli


def finish(config, kasus):
    """The case's running step done and the case closed, as its last step leaves it."""
    with open_register(config) as register, register.transaction():
        for key, step in register.steps(kasus).items():
            if step.status == StepStatus.RUNNING:
                register.complete_step(kasus, key, DONE_AT, "uji")
        register.set_case_status(kasus, CaseStatus.DONE)


def stored(config):
    with sqlite3.connect(config.archive / "register.sqlite3") as db:
        return dict(db.execute("SELECT kasus, baris FROM tampilan").fetchall())


def forget_all(config):
    with sqlite3.connect(config.archive / "register.sqlite3") as db:
        db.execute("DELETE FROM tampilan")


def test_finished_cases_are_listed_from_their_stored_lines_exactly_as_described(tmp_path):
    config, cli = three_cases(tmp_path)
    finish(config, "2026-0001"), finish(config, "2026-0002")
    described = cli("status", "--json", "--all").output
    assert stored(config) == {}
    assert cli("run").exit_code == 0  # a command that changes the workspace stores them on leaving
    lines = stored(config)
    assert sorted(lines) == ["2026-0001", "2026-0002"]  # the unfinished case is described each time
    assert cli("status", "--json", "--all").output == described
    assert [line for line in described.splitlines() if line in lines.values()] == described.splitlines()[:2]
    forget_all(config)
    assert cli("status", "--json", "--all").output == described


def test_a_stored_line_is_what_the_listing_shows_and_verify_finds_it_changed(tmp_path):
    config, cli = three_cases(tmp_path)
    finish(config, "2026-0001")
    assert cli("run").exit_code == 0
    with sqlite3.connect(config.archive / "register.sqlite3") as db:
        db.execute("UPDATE tampilan SET baris = replace(baris, '001/ULP/XI/2026', '001/PALSU/XI/2026')")
    listed = jsonl(cli("status", "--json", "--all"))
    assert listed[0]["rujukan"] == "001/PALSU/XI/2026"  # read from the store
    result = cli("verify")
    assert result.exit_code != 0 and "Ringkasan kasus 2026-0001" in result.output, result.output


def test_a_change_to_a_finished_case_forgets_its_line_in_the_same_transaction(tmp_path):
    config, cli = three_cases(tmp_path)
    finish(config, "2026-0001")
    assert cli("run").exit_code == 0 and "2026-0001" in stored(config)
    with open_register(config) as register, register.transaction():
        register.complete_step("2026-0001", "agenda_masuk", DONE_AT, "uji", ["archive/tambahan.docx"])
    assert "2026-0001" not in stored(config)
    [first, *_] = jsonl(cli("status", "--json", "--all"))
    assert "archive/tambahan.docx" in [d for step in first["langkah"] for d in step["dokumen"]]
    with open_register(config) as register, register.transaction():
        register.set_case_status("2026-0001", CaseStatus.RUNNING)
    assert cli("run").exit_code == 0 and "2026-0001" not in stored(config)  # unfinished again: never stored


def test_a_finished_case_whose_view_changes_with_time_is_never_stored(tmp_path):
    config, cli = three_cases(tmp_path)
    with open_register(config) as register, register.transaction():  # closed while a step still runs
        register.set_case_status("2026-0001", CaseStatus.DONE)
    assert cli("run").exit_code == 0
    assert stored(config) == {}


def test_a_changed_config_is_never_shown_from_lines_stored_under_the_old_one(tmp_path):
    config, cli = three_cases(tmp_path)
    finish(config, "2026-0001")
    assert cli("run").exit_code == 0 and stored(config)
    text = config.path.read_text(encoding="utf-8")
    old = "activity: Pencatatan pada agenda surat masuk dan pendistribusian"
    assert old in text
    config.path.write_text(text.replace(old, "activity: Pencatatan agenda (diubah)"), encoding="utf-8")
    [first, *_] = jsonl(cli("status", "--json", "--all"))
    assert "Pencatatan agenda (diubah)" in [step["nama"] for step in first["langkah"]]
