"""Time is evidence, in one zone: every time entering the pipeline (an action's ``waktu``, the
clock) is converted to the office's zone (``timezone``), and the books, ``status`` and the
messages staff read show that zone only."""

import csv
import datetime as dt

import openpyxl
import pytest
from click.testing import CliRunner
from support.builders import MEMO_NOMOR, action, registration_yaml, tab_memo
from support.cli import jsonl

from pipeline import engine
from pipeline.cli import main
from pipeline.errors import InputRefused

UTC = dt.UTC


@pytest.fixture
def approved(config):
    """A case approved at 06.00 WIB on 6 December 2026, by a clock that keeps UTC (23.00 on the 5th);
    returns a ``session(work, at)`` running ``work`` on the workspace with the clock at ``at``."""

    def session(work, at):
        with engine.open_workspace(config, clock=lambda: at) as opened:
            opened.start()
            return work(opened)

    morning = dt.datetime(2026, 12, 5, 23, 0, tzinfo=UTC)
    tab_memo(config.inbox / "nota.docx")
    for name, langkah in (("kapus.yaml", "disposisi_kapus"), ("kabid.yaml", "disposisi_kabid")):
        action(config.inbox / name, langkah)
    registration_yaml(config.inbox / "registrasi.yaml")
    session(lambda w: w.process_inbox(), morning)
    session(lambda w: [w.act(MEMO_NOMOR, langkah) for langkah in ("otentikasi", "periksa", "setujui")], morning)
    return session


def test_an_action_written_in_utc_is_stored_and_shown_in_the_office_zone(config, approved, tmp_path):
    later = dt.datetime(2026, 12, 5, 23, 30, tzinfo=UTC)  # 06.30 WIB
    approved(lambda w: w.act(MEMO_NOMOR, "kirim", waktu="2026-12-05T23:20:00+00:00"), later)

    runner = CliRunner()
    [case] = jsonl(runner.invoke(main, ["--config", str(config.path), "status", "--all", "--json"]))
    steps = {step["key"]: step for step in case["langkah"]}
    assert steps["kirim"]["selesai"] == "2026-12-06T06:20:00+07:00"
    assert steps["setujui"]["selesai"] == "2026-12-06T06:00:00+07:00"
    [letter] = [
        e
        for e in jsonl(runner.invoke(main, ["--config", str(config.path), "register", "--json"]))
        if e["buku"] == "keluar"
    ]
    assert letter["tanggal_surat"] == "2026-12-06" and letter["dikirim"] == "2026-12-06T06:20:00+07:00"

    with open(config.archive / "2026" / "buku" / "agenda-surat-keluar-2026.csv", encoding="utf-8-sig") as handle:
        [row] = list(csv.DictReader(handle, delimiter=";"))
    assert (row["Tanggal Surat"], row["Tanggal Kirim"]) == ("6 Desember 2026", "6 Desember 2026")
    sheet = openpyxl.load_workbook(config.archive / "2026" / "buku" / "buku-agenda-2026.xlsx")["Agenda Keluar"]
    assert sheet["D5"].value.date() == sheet["E5"].value.date() == dt.date(2026, 12, 6)


def test_a_refusal_names_times_in_the_office_zone(config, approved):
    later = dt.datetime(2026, 12, 5, 23, 30, tzinfo=UTC)  # 06.30 WIB
    with pytest.raises(InputRefused) as early:
        approved(lambda w: w.act(MEMO_NOMOR, "kirim", waktu="2026-12-05T22:00:00+00:00"), later)
    assert str(early.value).startswith(
        "Kasus 2026-0001: waktu 06-12-2026 05.00 lebih awal dari langkah kasus yang sudah tercatat "
        "(06-12-2026 06.00). Periksa tanggal dan jam pada kolom waktu."
    )
    with pytest.raises(InputRefused) as future:
        approved(lambda w: w.act(MEMO_NOMOR, "kirim", waktu="2026-12-06T01:00:00+00:00"), later)
    assert str(future.value).startswith(
        "Kasus 2026-0001: waktu 06-12-2026 08.00 belum terjadi (sekarang 06-12-2026 06.30). Periksa tanggal "
        "dan jam pada kolom waktu."
    )


def test_act_through_the_command_line_stores_waktu_in_the_office_zone(config, cli):
    """``pipeline act --waktu`` with another offset, on the real clock: stored converted."""
    tab_memo(config.inbox / "nota.docx")
    assert cli("run").exit_code == 0
    moment = (dt.datetime.now(UTC) + dt.timedelta(minutes=1)).replace(microsecond=0)
    result = cli("act", MEMO_NOMOR, "disposisi_kapus", "--waktu", moment.isoformat())
    assert result.exit_code == 0, result.output
    [case] = jsonl(cli("status", "--json"))
    [step] = [s for s in case["langkah"] if s["key"] == "disposisi_kapus"]
    assert step["selesai"] == moment.astimezone(config.timezone).isoformat()


def test_act_refusal_through_the_command_line_prints_the_office_zone(config, cli):
    """A ``waktu`` before the case opened, written in UTC: the refusal shows the WIB clock."""
    tab_memo(config.inbox / "nota.docx")
    assert cli("run").exit_code == 0
    result = CliRunner().invoke(
        main,
        ["--config", str(config.path), "act", MEMO_NOMOR, "disposisi_kapus", "--waktu", "2026-01-01T00:30:00+00:00"],
    )
    assert result.exit_code == 1
    assert "waktu 01-01-2026 07.30 lebih awal dari langkah kasus yang sudah tercatat" in " ".join(result.output.split())
