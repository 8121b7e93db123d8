"""The SOP performance report (``pipeline laporan``): a workspace whose cases span November and
December 2026 with known step times (the clock injected), every figure of the report asserted;
its page in Chromium, its sheet in the books workbook, its PDF's text."""

import datetime as dt
import json
import shutil
import subprocess
import time

import openpyxl
import pytest
from click.testing import CliRunner
from support.browser import dom, needs_browser
from support.builders import registration, registration_yaml, yaml_memo
from support.workspace import make_workspace

from pipeline import engine
from pipeline.cli import main
from pipeline.outputs import report as reporting
from pipeline.outputs import yearly_books
from pipeline.workhours import office_hours

OTDA, DUKCAPIL, LITBANG, KEUDA = (
    ("050/17/ULP-OTDA/XI/2026", "Direktorat Jenderal Otonomi Daerah"),
    ("470/1123/ULP-DUKCAPIL/XI/2026", "Direktorat Jenderal Kependudukan dan Pencatatan Sipil"),
    ("027/301/ULP-LITBANG/XII/2026", "Badan Penelitian dan Pengembangan"),
    ("900/455/ULP-KEUDA/XII/2026", "Direktorat Jenderal Bina Keuangan Daerah"),
)
REASON = "Sertifikat keahlian pengadaan anggota panitia sudah kedaluwarsa."


def _memo(ws, memo, name):
    nomor, unit = memo
    yaml_memo(ws.inbox / f"{name}.yaml", nomor=nomor, unit=unit, dari=f"Ketua ULP {unit}")


def _data(ws, memo, name):
    nomor, unit = memo
    registration_yaml(ws.inbox / f"{name}.yaml", registration(rujukan=nomor, unit=unit))


def _through(ws, memo, name, times):
    """A case from its memo to its letter sent, each of its decisions at the (day, hour, minute) given."""
    at = dict(times)
    return [
        (at["memo"], lambda w: (_memo(ws, memo, name), w.process_inbox())),
        (at["kapus"], lambda w: w.act(memo[0], "disposisi_kapus")),
        (at["kabid"], lambda w: w.act(memo[0], "disposisi_kabid")),
        (at["data"], lambda w: (_data(ws, memo, f"{name}-data"), w.process_inbox())),
        (at["otentikasi"], lambda w: w.act(memo[0], "otentikasi")),
        *[(at[k], lambda w, k=k: w.act(memo[0], k)) for k in ("periksa", "setujui", "kirim") if k in at],
    ]


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """Four cases: OTDA done in November; DUKCAPIL received on 30 November, returned (tolak) on
    1 December; LITBANG received and done on 1 December; KEUDA received on 23 December before
    the cuti bersama and Christmas, its disposition on Monday 28 December."""
    ws = make_workspace(tmp_path_factory.mktemp("laporan") / "ws")
    sessions = [
        *_through(
            ws,
            OTDA,
            "otda",
            [
                ("memo", (11, 2, 8, 0)),
                ("kapus", (11, 2, 8, 10)),
                ("kabid", (11, 2, 8, 30)),
                ("data", (11, 2, 9, 0)),
                ("otentikasi", (11, 2, 9, 10)),
                ("periksa", (11, 2, 10, 10)),
                ("setujui", (11, 2, 10, 20)),
                ("kirim", (11, 2, 11, 0)),
            ],
        ),
        *_through(
            ws,
            DUKCAPIL,
            "dukcapil",
            [
                ("memo", (11, 30, 9, 0)),
                ("kapus", (11, 30, 9, 5)),
                ("kabid", (11, 30, 9, 10)),
                ("data", (12, 1, 8, 0)),
                ("otentikasi", (12, 1, 8, 30)),
            ],
        ),
        ((12, 1, 9, 0), lambda w: w.act(DUKCAPIL[0], "tolak", catatan=REASON)),
        *_through(
            ws,
            LITBANG,
            "litbang",
            [
                ("memo", (12, 1, 10, 0)),
                ("kapus", (12, 1, 10, 15)),
                ("kabid", (12, 1, 10, 20)),
                ("data", (12, 1, 11, 0)),
                ("otentikasi", (12, 1, 11, 5)),
                ("periksa", (12, 1, 13, 5)),
                ("setujui", (12, 1, 13, 15)),
                ("kirim", (12, 1, 14, 0)),
            ],
        ),
        ((12, 23, 15, 0), lambda w: (_memo(ws, KEUDA, "keuda"), w.process_inbox())),
        ((12, 28, 8, 0), lambda w: w.act(KEUDA[0], "disposisi_kapus")),
        ((12, 28, 8, 5), lambda w: w.act(KEUDA[0], "disposisi_kabid")),
    ]
    for (month, day, hour, minute), work in sessions:
        at = dt.datetime(2026, month, day, hour, minute, tzinfo=ws.timezone)
        with engine.open_workspace(ws, clock=lambda at=at: at) as opened:
            opened.start()
            work(opened)
    return ws


def _spread(jumlah, median, p90=None):
    return {"jumlah": jumlah, "median": median, "p90": median if p90 is None else p90}


def _steps(found):
    return {s["key"]: (s["kalender"], s["jam_kerja"], s["sesuai_target"], s["persen_sesuai"]) for s in found["langkah"]}


def report_json(ws, *period):
    with engine.open_workspace(ws, lock=False) as opened:
        found = reporting.report_of(
            opened.register, opened.procedure, ws.office_hours, reporting.month(*period), opened.now()
        )
    return found.as_json()


def test_november_every_figure(office):
    found = report_json(office, 2026, 11)
    assert (found["periode"], found["label"], found["dari"], found["sampai"]) == (
        "2026-11",
        "November 2026",
        "2026-11-01",
        "2026-11-30",
    )
    assert (found["diterima"], found["selesai"], found["terbuka"], found["dikembalikan"]) == (2, 1, 1, 0)
    assert found["alasan"] == [] and found["pengembalian"] == []
    assert found["lama_kalender"] == found["lama_jam_kerja"] == _spread(1, 180.0)  # 08:00-11:00 on a Monday
    zero = _spread(1, 0.0)
    assert _steps(found) == {
        "agenda_masuk": (_spread(2, 0.0), _spread(2, 0.0), 2, 100.0),
        "disposisi_kapus": (_spread(2, 7.5, 9.5), _spread(2, 7.5, 9.5), 1, 50.0),  # 10 and 5 minutes
        "disposisi_kabid": (_spread(2, 12.5, 18.5), _spread(2, 12.5, 18.5), 1, 50.0),  # 20 and 5
        "input_data": (_spread(1, 30.0), _spread(1, 30.0), 1, 100.0),  # exactly its target
        "verifikasi": (zero, zero, 1, 100.0),
        "otentikasi": (_spread(1, 10.0), _spread(1, 10.0), 1, 100.0),
        "laporan_kesiapan": (zero, zero, 1, 100.0),
        "periksa": (_spread(1, 60.0), _spread(1, 60.0), 0, 0.0),
        "setujui": (_spread(1, 10.0), _spread(1, 10.0), 0, 0.0),
        "kirim": (_spread(1, 40.0), _spread(1, 40.0), 0, 0.0),
    }
    assert [(r["peran"], r["langkah"], r["kalender"], r["jam_kerja"]) for r in found["peran"]] == [
        ("Kapusdatinkomtel", [3, 10], _spread(3, 10.0), _spread(3, 10.0)),  # 10, 5 and 10 minutes
        ("Kabid", [4], _spread(2, 12.5, 18.5), _spread(2, 12.5, 18.5)),
        ("Kasubbid", [7], _spread(1, 10.0), _spread(1, 10.0)),
        ("Kasubbid/Kabid", [9], _spread(1, 60.0), _spread(1, 60.0)),
        ("Staf", [11], _spread(1, 40.0), _spread(1, 40.0)),
    ]
    assert found["unit"] == [
        _unit(DUKCAPIL, 1, 0, 1, 0, None, None),
        _unit(OTDA, 1, 1, 0, 0, 180.0, 180.0),
    ]


def _unit(memo, diterima, selesai, terbuka, dikembalikan, kalender, kerja):
    return {
        "unit": memo[1],
        "diterima": diterima,
        "selesai": selesai,
        "terbuka": terbuka,
        "dikembalikan": dikembalikan,
        "lama_kalender": kalender,
        "lama_jam_kerja": kerja,
    }


def test_december_every_figure_across_a_weekend_and_the_christmas_holidays(office):
    found = report_json(office, 2026, 12)
    assert (found["diterima"], found["selesai"], found["terbuka"], found["dikembalikan"]) == (2, 1, 2, 1)
    assert found["alasan"] == [{"alasan": REASON, "jumlah": 1}]
    [returned] = found["pengembalian"]
    assert (returned["unit"], returned["waktu"], returned["alasan"]) == (
        DUKCAPIL[1],
        "2026-12-01T09:00:00+07:00",
        REASON,
    )
    # LITBANG: 10:00-14:00 on a Tuesday, of which the hour 12:00-13:00 is the break
    assert (found["lama_kalender"], found["lama_jam_kerja"]) == (_spread(1, 240.0), _spread(1, 180.0))
    zero = _spread(1, 0.0)
    assert _steps(found) == {
        "agenda_masuk": (_spread(2, 0.0), _spread(2, 0.0), 2, 100.0),
        # 15 minutes (LITBANG), and KEUDA from Wednesday 23 December 15:00 to Monday 28 December
        # 08:00: 6,780 calendar minutes, 90 office minutes (an hour on the 23rd; the 24th cuti
        # bersama, the 25th Christmas, then the weekend; half an hour on the 28th)
        "disposisi_kapus": (_spread(2, 3397.5, 6103.5), _spread(2, 52.5, 82.5), 0, 0.0),
        "disposisi_kabid": (_spread(2, 5.0), _spread(2, 5.0), 2, 100.0),
        "input_data": (_spread(1, 40.0), _spread(1, 40.0), 0, 0.0),  # DUKCAPIL's was reset by the tolak
        "verifikasi": (zero, zero, 1, 100.0),
        "otentikasi": (_spread(1, 5.0), _spread(1, 5.0), 1, 100.0),
        "laporan_kesiapan": (zero, zero, 1, 100.0),
        "periksa": (_spread(1, 120.0), _spread(1, 60.0), 0, 0.0),  # 11:05-13:05 over the break
        "setujui": (_spread(1, 10.0), _spread(1, 10.0), 0, 0.0),
        "kirim": (_spread(1, 45.0), _spread(1, 45.0), 0, 0.0),
    }
    assert [(r["peran"], r["kalender"], r["jam_kerja"]) for r in found["peran"]] == [
        ("Kapusdatinkomtel", _spread(3, 15.0, 5427.0), _spread(3, 15.0, 75.0)),  # 10, 15 and the 6,780
        ("Kabid", _spread(2, 5.0), _spread(2, 5.0)),
        ("Kasubbid", _spread(1, 5.0), _spread(1, 5.0)),
        ("Kasubbid/Kabid", _spread(1, 120.0), _spread(1, 60.0)),
        ("Staf", _spread(1, 45.0), _spread(1, 45.0)),
    ]
    assert found["unit"] == [
        _unit(LITBANG, 1, 1, 0, 0, 240.0, 180.0),
        _unit(KEUDA, 1, 0, 1, 0, None, None),
        _unit(DUKCAPIL, 0, 0, 1, 1, None, None),
    ]
    assert found["jam_kerja_mingguan"] == 37.5


def test_office_minutes_leave_out_breaks_weekends_holidays_and_the_office_s_own_days_off(office):
    zone = office.timezone

    def at(*parts):
        return dt.datetime(*parts, tzinfo=zone)

    hours = office.office_hours
    # Friday 14 August 2026 15:00 to Tuesday 18 August 09:00: 90 minutes on Friday (to 16:30),
    # the weekend, Independence Day on Monday, 90 minutes on Tuesday
    assert hours.minutes(at(2026, 8, 14, 15, 0), at(2026, 8, 18, 9, 0)) == 180.0
    assert hours.minutes(at(2026, 8, 14, 11, 0), at(2026, 8, 14, 13, 30)) == 60.0  # Friday's break 11:30-13:00
    assert hours.minutes(at(2026, 8, 18, 9, 0), at(2026, 8, 18, 9, 0)) == 0.0
    assert hours.minutes(at(2026, 8, 18, 1, 0, 0).astimezone(dt.UTC), at(2026, 8, 18, 8, 0)) == 30.0
    assert hours.day_off_name(dt.date(2026, 12, 24)) == "Cuti Bersama Hari Raya Natal"
    strict = office_hours(
        {"jam_kerja": {"senin": ["08:00-16:00"]}, "cuti_bersama": False, "libur_tambahan": ["2026-12-28"]}, zone
    )
    assert strict.minutes(at(2026, 12, 21, 8, 0), at(2026, 12, 29, 0, 0)) == 480.0  # only Monday the 21st
    assert strict.weekly_minutes() == 480


@pytest.mark.parametrize(
    "raw, named",
    [
        ({"jam_kerja": {"senin": ["16:00-07:30"]}}, "laporan.jam_kerja.senin"),
        ({"jam_kerja": {"senin": ["07:30-12:00", "11:00-16:00"]}}, "laporan.jam_kerja.senin"),
        ({"jam_kerja": {}}, "laporan.jam_kerja"),
        ({"jam_kerja": {"senin": ["07:30-16:00"]}, "libur_tambahan": ["31-12-2026"]}, "laporan.libur_tambahan"),
    ],
)
def test_bad_office_hours_are_named(office, raw, named):
    from pipeline.errors import ConfigError

    with pytest.raises(ConfigError, match=named.replace(".", r"\.")):
        office_hours(raw, office.timezone)


def cli(ws, *args):
    result = CliRunner().invoke(main, ["--config", str(ws.path), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def test_the_command_prints_a_table_and_one_json_object(office):
    result = cli(office, "laporan", "--bulan", "2026-12")
    assert "Laporan kinerja SOP \u2014 Desember 2026" in result.output
    assert "Permohonan dikembalikan (tolak)" in result.output and REASON in result.output
    found = json.loads(cli(office, "laporan", "--bulan", "2026-12", "--json").output)
    assert found == {**report_json(office, 2026, 12), "dibuat": found["dibuat"]}
    year = json.loads(cli(office, "laporan", "--tahun", "2026", "--json").output)
    assert (year["label"], year["diterima"], year["selesai"], year["terbuka"], year["dikembalikan"]) == (
        "Tahun 2026",
        4,
        2,
        2,
        1,
    )
    assert len(CliRunner().invoke(main, ["laporan", "--help"]).output) > 200
    bad = CliRunner().invoke(main, ["--config", str(office.path), "laporan", "--bulan", "Desember"])
    assert bad.exit_code == 2 and "--bulan tidak sah" in bad.output
    both = CliRunner().invoke(main, ["--config", str(office.path), "laporan", "--bulan", "2026-12", "--tahun", "2026"])
    assert both.exit_code == 2


@needs_browser
def test_the_page_in_chromium(office):
    cli(office, "laporan", "--bulan", "2026-11")
    cli(office, "laporan", "--bulan", "2026-12")
    status = office.outbox / "status"
    assert (status / "laporan.html").is_file()  # the site wrote this month's page (the clock's: December)
    index = dom(status / "index.html")
    assert index.xpath("//a[@class='laporan']/@href") == ["laporan.html"]
    tree = dom(status / "laporan" / "2026-12.html")
    summary = {
        r.xpath("./th")[0].text_content(): r.xpath("./td")[0].text_content()
        for r in tree.xpath("//table[@class='ringkasan-laporan']//tr")
    }
    assert summary["Permohonan diterima"] == "2" and summary["Permohonan dikembalikan (tolak)"] == "1"
    assert summary["Median lama penyelesaian (jam kerja)"] == "3,0 jam"
    kapus = tree.xpath("//table[@class='langkah-laporan']/tbody/tr[@data-key='3']/td")
    assert [td.text_content() for td in kapus][3:] == [
        "5 mnt",
        "2",
        "2,4 hari",
        "4,2 hari",
        "52,5 mnt",
        "1,4 jam",
        "0%",
    ]
    assert [td.text_content() for td in tree.xpath("//table[@class='alasan-laporan']//td")] == [REASON, "1"]
    assert len(tree.xpath("//svg[contains(@class,'grafik')]")) == 4
    assert len(tree.xpath("//svg[contains(@class,'langkah')]//g[@class='baris']")) == 10
    assert tree.xpath("//svg[contains(@class,'langkah')]//rect[@class='target']")
    # nothing loaded from outside: no script, no stylesheet or image from elsewhere
    assert not tree.xpath("//script") and not tree.xpath("//link") and not tree.xpath("//img")
    months = [a.text_content() for a in tree.xpath("//ul[@class='periode']//a")]
    assert months[:2] == ["Desember 2026", "November 2026"]


def test_the_sheet_in_the_books_workbook(office, tmp_path):
    yearly_books.refresh(office, _register(office), 2026, 1)
    sheet = openpyxl.load_workbook(office.archive / "2026" / "buku" / "buku-agenda-2026.xlsx")["Kinerja SOP"]
    values = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    assert values[0] == [f"LAPORAN KINERJA {office.sop_code}"]
    assert values[1] == [f"{office.organisation['name']} \u2014 Tahun 2026"]
    assert ["Permohonan diterima", 4] in values and ["Permohonan dikembalikan (tolak)", 1] in values
    assert [
        3,
        "Menelaah dan mendisposisikan kepada Kepala Bidang",
        "Kapusdatinkomtel",
        5,
        4,
        12.5,
        4750.5,  # 5, 10, 15 and 6,780 minutes
        12.5,
        67.5,
        25.0,
    ] in values
    assert [REASON, 1] in values
    cli(office, "laporan", "--bulan", "2026-11", "--xlsx", str(tmp_path / "kinerja.xlsx"))
    alone = openpyxl.load_workbook(tmp_path / "kinerja.xlsx")
    assert alone.sheetnames == ["Kinerja SOP"]
    rows = [[c for c in row if c is not None] for row in alone["Kinerja SOP"].iter_rows(values_only=True)]
    assert ["Permohonan diterima", 2] in rows and ["Permohonan selesai", 1] in rows


def _register(ws):
    from pipeline.register import open_register

    return open_register(ws, writer=False)


@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice dan poppler-utils tidak terpasang",
)
def test_the_pdf_for_the_kapus(office, tmp_path):
    pdf = tmp_path / "laporan.pdf"
    cli(office, "laporan", "--bulan", "2026-12", "--pdf", str(pdf))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for expected in (
        office.organisation["ministry"],
        "LAPORAN KINERJA PELAKSANAAN SOP",
        "PERIODE DESEMBER 2026",
        "1 Desember 2026 s.d. 31 Desember 2026",
        office.officials["kapus"].jabatan.split(",")[0],
        "Permohonan dikembalikan (tolak)",
        "Menelaah dan mendisposisikan",
        "52,5 mnt",
        REASON,
        office.officials["kasubbid"].nama,
    ):
        assert expected in " ".join(text.split()), expected


def test_an_empty_register_reports_nothing_without_failing(tmp_path):
    ws = make_workspace(tmp_path / "ws")
    found = json.loads(cli(ws, "laporan", "--bulan", "2026-11", "--json").output)
    assert (found["diterima"], found["selesai"], found["terbuka"], found["dikembalikan"]) == (0, 0, 0, 0)
    assert found["unit"] == [] and found["alasan"] == []
    assert {s["key"]: (s["kalender"], s["persen_sesuai"]) for s in found["langkah"]}["periksa"] == (
        {"jumlah": 0, "median": None, "p90": None},
        None,
    )
    page = (ws.outbox / "status" / "laporan" / "2026-11.html").read_text(encoding="utf-8")
    assert "Tidak ada permohonan pada periode ini." in page and "November 2026" in page


def test_the_site_writes_this_month_s_page_again_only_when_due(tmp_path):
    from pipeline.outputs.report_views import _due

    december, january = reporting.month(2026, 12), reporting.month(2027, 1)
    fast = {"rantai": 7, "periode": "2026-12", "detik": 0.2, "pada": 0}
    assert not _due(fast, 7, december, True)  # nothing changed
    assert _due(fast, 8, december, True)  # a change
    assert _due(fast, 7, january, True)  # a new month
    assert _due(fast, 7, december, False)  # the page is missing
    assert _due(None, 7, december, True)
    slow = {**fast, "detik": 30.0, "pada": 4_000_000_000}  # written "now" (in the future), 30 s long
    assert not _due(slow, 8, december, True)
    assert _due({**slow, "pada": 0}, 8, december, True)
    busy_month = {**fast, "detik": 0.6, "pada": time.time()}  # 10,000 cases: not after every pass
    assert not _due(busy_month, 8, december, True)
    assert _due({**busy_month, "pada": time.time() - 13}, 8, december, True)


def test_percentiles_interpolate_between_the_nearest_values():
    assert reporting.spread([4, 1, 3, 2]) == reporting.Spread(4, 2.5, 3.7)
    assert reporting.spread([]) == reporting.Spread(0, None, None)
    assert reporting.parse_period(None, None, dt.date(2026, 12, 6)) == reporting.month(2026, 12)
    assert reporting.month(2026, 12).end == dt.date(2027, 1, 1)
    with pytest.raises(ValueError):
        reporting.parse_period("2026-13", None, dt.date(2026, 12, 6))
