"""The archived books of every year a change touched are written again, not only the current
year's: a 2026 letter sent or voided in January 2027 shows so in archive/2026/buku/."""

import csv
import datetime as dt
import json

import openpyxl
import pytest
from click.testing import CliRunner
from support.builders import MEMO_NOMOR, action, registration_yaml, tab_memo

from pipeline import engine
from pipeline.cli import main
from pipeline.outputs import yearly_books


def keluar_2026(ws):
    """The 2026 agenda keluar as the archive's CSV and workbook hold it: (csv rows, sheet rows)."""
    folder = ws.archive / "2026" / "buku"
    with open(folder / "agenda-surat-keluar-2026.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    sheet = openpyxl.load_workbook(folder / "buku-agenda-2026.xlsx")["Agenda Keluar"]
    return rows, [[cell.value for cell in row] for row in sheet.iter_rows(min_row=5)]


@pytest.fixture
def session(config):
    """Run ``work`` on the workspace with the clock at ``at`` (WIB), as a command would."""

    def run(work, at):
        with engine.open_workspace(config, clock=lambda: dt.datetime(*at, tzinfo=config.timezone)) as opened:
            opened.start()
            return work(opened)

    return run


@pytest.fixture
def letter_of_2026(config, session):
    """A letter numbered on 21 December 2026; the 2026 books written then."""
    tab_memo(config.inbox / "nota.docx")
    for name, langkah in (("kapus.yaml", "disposisi_kapus"), ("kabid.yaml", "disposisi_kabid")):
        action(config.inbox / name, langkah)
    registration_yaml(config.inbox / "registrasi.yaml")
    session(lambda w: w.process_inbox(), (2026, 12, 21, 9, 0))
    session(
        lambda w: [w.act(MEMO_NOMOR, langkah) for langkah in ("otentikasi", "periksa", "setujui")],
        (2026, 12, 21, 10, 0),
    )
    rows, sheet = keluar_2026(config)
    assert [(r["Nomor Surat"], r["Tanggal Kirim"]) for r in rows] == [("000.4.5/1/Pusdatinkomtel/2026", "")]
    assert sheet[0][4] is None
    return "000.4.5/1/Pusdatinkomtel/2026"


def test_a_2026_letter_sent_in_january_2027_shows_in_the_archived_2026_book(config, session, letter_of_2026):
    session(lambda w: w.act(MEMO_NOMOR, "kirim"), (2027, 1, 5, 9, 30))
    rows, sheet = keluar_2026(config)
    assert [(r["Nomor Surat"], r["Tanggal Kirim"]) for r in rows] == [(letter_of_2026, "5 Januari 2027")]
    assert sheet[0][1] == letter_of_2026 and sheet[0][4].date() == dt.date(2027, 1, 5)
    entries = [
        json.loads(line)
        for line in CliRunner()
        .invoke(main, ["--config", str(config.path), "register", "--json", "--buku", "keluar"])
        .output.splitlines()
    ]
    assert [(e["tahun"], e["dikirim"][:10]) for e in entries] == [(2026, "2027-01-05")]


def test_a_2026_letter_voided_in_january_2027_shows_in_the_archived_2026_book(config, session, letter_of_2026):
    session(lambda w: w.void(letter_of_2026, "Salah alamat"), (2027, 1, 6, 8, 0))
    rows, sheet = keluar_2026(config)
    assert [r["Keterangan"].split(" (oleh")[0] for r in rows] == ["BATAL: Salah alamat"]
    assert sheet[0][7].startswith("BATAL: Salah alamat (oleh ") and "6 Januari 2027" in sheet[0][7]


def test_an_earlier_year_nothing_touched_is_not_written_again(config, session, letter_of_2026):
    """A 2027 memo changes nothing of 2026: its books stay as they were, their marker moves on."""
    session(lambda w: w.act(MEMO_NOMOR, "kirim"), (2027, 1, 5, 9, 30))
    before = (config.archive / "2026" / "buku" / "buku-agenda-2026.xlsx").stat().st_mtime_ns
    tab_memo(
        config.inbox / "baru.docx",
        {
            "Nomor": "027/1/ULP-X/I/2027",
            "Tanggal": "4 Januari 2027",
            "Dari": "Ketua ULP Ditjen Bina Keuangan Daerah",
            "Yth.": "Kepala Pusdatinkomtel",
            "Sifat": "Biasa",
            "Hal": "Permohonan Pemanfaatan SPSE",
        },
    )
    session(lambda w: w.process_inbox(), (2027, 1, 7, 9, 0))
    assert (config.archive / "2026" / "buku" / "buku-agenda-2026.xlsx").stat().st_mtime_ns == before
    assert yearly_books.written(config, 2026).head == yearly_books.written(config, 2027).head
    assert (config.archive / "2027" / "buku" / "buku-agenda-2027.xlsx").is_file()
