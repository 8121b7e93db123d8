"""The performance report (``outputs.report``) as staff read it: the status site's pages with
their SVG charts, the "Kinerja SOP" sheet of the books workbook, and the PDF for the Kapus
made from the ``laporan_kinerja`` Word template (docs/cli.md, "pipeline laporan").

Pages are written into ``outbox/status/``: ``laporan.html`` (this month) and
``laporan/<YYYY-MM>.html`` (each month written, and ``laporan/<YYYY>.html`` for a
year asked for), inline SVG made here, nothing loaded from outside.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.outputs import report as reporting

if TYPE_CHECKING:
    from openpyxl import Workbook

    from pipeline.config import Config
    from pipeline.documents.pdf import Converter
    from pipeline.outputs.report import Report
    from pipeline.register.sql import SqlRegister
    from pipeline.sop.procedure import Procedure
    from pipeline.workhours import OfficeHours

FOLDER = "laporan"  # outbox/status/laporan/: a page per period
MARK = ".terakhir"  # chain head the current month's page shows, how long it took, when (time.time())
# As the books, a slow report waits twenty times its writing time; slow sooner than a book: the
# month's page follows every change on the site, and at 10,000 cases a month it takes 0.6 s, more
# than a pass of a hundred memos should spend on it (docs/architecture.md, "Speed").
SLOW_SECONDS, SHARE = 0.25, 20
SHEET = "Kinerja SOP"


def duration(minutes: float | None, calendar: bool = True) -> str:
    """Minutes as staff read them: 45 mnt, 2,5 jam, 3,1 hari (office minutes stay in hours)."""
    if minutes is None:
        return "\u2014"
    if calendar and minutes >= 1440:
        return f"{minutes / 1440:.1f} hari".replace(".", ",")
    if minutes >= 60:
        return f"{minutes / 60:.1f} jam".replace(".", ",")
    return f"{minutes:g} mnt".replace(".", ",")


def share(value: float | None) -> str:
    return "\u2014" if value is None else f"{value:g}%".replace(".", ",")


def hours_text(report: Report) -> str:
    weekly = f"{report.jam_kerja_mingguan:g}".replace(".", ",")
    return f"{weekly} jam seminggu di luar istirahat, tanpa hari libur nasional dan cuti bersama"


NOTE = (
    "Target waktu SOP adalah menit kerja: kesesuaian dengan target dihitung dari waktu di dalam jam "
    "kerja. Waktu kalender dihitung dari mulai sampai selesainya langkah. Median: nilai tengah; P90: 90% "
    "langkah selesai dalam waktu ini atau kurang. Waktu tunggu keputusan dihitung sejak langkah "
    "pejabat menjadi langkah yang berjalan sampai tindakannya dicatat. Kasus yang dikembalikan (tolak) "
    "dihitung dengan putaran yang menyelesaikan langkahnya."
)


def hours_of(config: Config) -> OfficeHours:
    """The office hours config.yaml sets (``laporan``), or the standard ones for a Config made without."""
    from pipeline.workhours import STANDARD, office_hours

    return config.office_hours or office_hours(STANDARD, config.timezone)


# -- the figures as rows (page, PDF and sheet share them) -----------------------------------------


def summary_rows(report: Report) -> list[tuple[str, str]]:
    return [
        ("Permohonan diterima", str(report.diterima)),
        ("Permohonan selesai", str(report.selesai)),
        ("Permohonan terbuka pada akhir periode", str(report.terbuka)),
        ("Permohonan dikembalikan (tolak)", str(report.dikembalikan)),
        ("Median lama penyelesaian (kalender)", duration(report.lama_kalender.median)),
        ("Median lama penyelesaian (jam kerja)", duration(report.lama_jam_kerja.median, False)),
    ]


def step_rows(report: Report) -> list[dict[str, Any]]:
    return [
        {
            "no": s.no,
            "nama": s.nama,
            "pelaksana": s.pelaksana,
            "target": duration(s.target_menit, False),
            "jumlah": s.kalender.jumlah,
            "median_kalender": duration(s.kalender.median),
            "p90_kalender": duration(s.kalender.p90),
            "median_kerja": duration(s.jam_kerja.median, False),
            "p90_kerja": duration(s.jam_kerja.p90, False),
            "sesuai": share(s.persen_sesuai),
        }
        for s in report.langkah
    ]


def role_rows(report: Report) -> list[dict[str, Any]]:
    return [
        {
            "peran": r.peran,
            "langkah": ", ".join(str(n) for n in r.langkah),
            "jumlah": r.kalender.jumlah,
            "median_kalender": duration(r.kalender.median),
            "p90_kalender": duration(r.kalender.p90),
            "median_kerja": duration(r.jam_kerja.median, False),
            "p90_kerja": duration(r.jam_kerja.p90, False),
        }
        for r in report.peran
    ]


def unit_rows(report: Report) -> list[dict[str, Any]]:
    return [
        {
            "unit": u.unit,
            "diterima": u.diterima,
            "selesai": u.selesai,
            "terbuka": u.terbuka,
            "dikembalikan": u.dikembalikan,
            "lama_kalender": duration(u.lama_kalender),
            "lama_kerja": duration(u.lama_jam_kerja, False),
        }
        for u in report.unit
    ]


def reason_rows(report: Report) -> list[dict[str, Any]]:
    return [{"alasan": text, "jumlah": count} for text, count in report.alasan]


# -- charts ------------------------------------------------------------------------------------------


def bars(rows: list[dict[str, Any]], span: int = 340, left: int = 300, row_height: int = 22, root: bool = True) -> dict:
    """The geometry of a horizontal bar chart. Each row: ``label``, ``value`` (the bar), optional
    ``whisker`` (a thin line further: the p90), ``target`` (a dashed box) and ``caption``. Minutes
    are drawn on a square-root scale (5 minutes and 3 days both readable), counts on a linear one."""
    scale_of = math.sqrt if root else (lambda v: v)
    values = [r.get(k) or 0 for r in rows for k in ("value", "whisker", "target")]
    scale = span / (scale_of(max([*values, 1])) or 1)
    drawn = []
    for index, row in enumerate(rows):

        def x(key: str, row: dict[str, Any] = row) -> float | None:
            value = row.get(key)
            return None if value is None else round(scale_of(value) * scale, 1)

        value_x = x("value")
        drawn.append(
            {
                "label": _short(row["label"], 44),
                "y": index * row_height,
                "value_x": None if not value_x else max(value_x, 2.0),  # nothing drawn for none
                "whisker_x": x("whisker"),
                "target_x": x("target"),
                "color": row.get("color", "#1e88e5"),
                "caption": row["caption"],
            }
        )
    room = 8 + 7 * max([len(r["caption"]) for r in rows] + [10])  # the captions, about 7 px a character
    return {
        "rows": drawn,
        "width": left + span + room,
        "height": len(rows) * row_height + 4,
        "left": left,
        "span": span,
    }


def charts(report: Report) -> dict[str, dict]:
    """The page's four charts: the counts, the steps against their targets, the officials' waits, the units."""
    counts = [
        ("Diterima", report.diterima, "#1e88e5"),
        ("Selesai", report.selesai, "#43a047"),
        ("Terbuka", report.terbuka, "#fb8c00"),
        ("Dikembalikan (tolak)", report.dikembalikan, "#c62828"),
    ]
    steps = [
        {
            "label": f"{s.no}. {s.nama}",
            "value": s.jam_kerja.median,
            "whisker": s.jam_kerja.p90,
            "target": s.target_menit or None,
            "color": "#c62828" if (s.jam_kerja.median or 0) > s.target_menit else "#43a047",
            "caption": (
                f"median {duration(s.jam_kerja.median, False)} · P90 {duration(s.jam_kerja.p90, False)}"
                f" · target {duration(s.target_menit, False)}"
            ),
        }
        for s in report.langkah
    ]
    roles = [
        {
            "label": f"{r.peran} (langkah {', '.join(str(n) for n in r.langkah)})",
            "value": r.kalender.median,
            "whisker": r.kalender.p90,
            "caption": f"median {duration(r.kalender.median)} · P90 {duration(r.kalender.p90)}",
        }
        for r in report.peran
    ]
    units = [
        {
            "label": u.unit,
            "value": u.diterima,
            "caption": f"{u.diterima} diterima · {u.selesai} selesai · {u.terbuka} terbuka",
        }
        for u in report.unit
    ]
    return {
        "jumlah": bars([{"label": n, "value": v, "color": c, "caption": str(v)} for n, v, c in counts], root=False),
        "langkah": bars(steps),
        "peran": bars(roles),
        "unit": bars(units, root=False),
    }


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


# -- the pages -----------------------------------------------------------------------------------------


def page_context(report: Report, config: Config) -> dict[str, Any]:
    """What ``report.html`` shows of a report."""
    return {
        "report": report,
        "periode": report.periode.label,
        "dari": _date(report.periode.start),
        "sampai": _date(report.periode.end - dt.timedelta(days=1)),
        "ringkasan": summary_rows(report),
        "langkah": step_rows(report),
        "peran": role_rows(report),
        "unit": unit_rows(report),
        "alasan": reason_rows(report),
        "pengembalian": [
            {**r.__dict__, "waktu_teks": _when(r.waktu, config)} for r in report.pengembalian[:PAGE_RETURNS]
        ],
        "lebih": max(len(report.pengembalian) - PAGE_RETURNS, 0),
        "charts": charts(report),
        "jam_kerja": hours_text(report),
        "catatan": NOTE,
    }


PAGE_RETURNS = 200  # returned requests listed on a page (the reasons count them all)


def write_page(report: Report, config: Config, common: dict[str, Any], current: bool = False) -> list[Path]:
    """Write ``laporan/<period>.html`` (and ``laporan.html`` for the ``current`` month); the paths."""
    from pipeline.outputs.site import page, write_atomic

    folder = config.outbox / "status"
    context = page_context(report, config)
    target = folder / FOLDER / f"{report.periode.key}.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    written = []
    for path, root in ([(folder / "laporan.html", "")] if current else []) + [(target, "../")]:
        others = _others(folder / FOLDER, root, report.periode.key)
        write_atomic(path, page("report.html", **common, **context, root=root, others=others))
        written.append(path)
    return written


def _others(folder: Path, root: str, key: str) -> list[dict[str, str]]:
    """Links to every period's page written so far and this one's (``key``), newest first."""
    names = sorted({key, *(p.stem for p in folder.glob("*.html"))}, reverse=True)
    return [{"label": _label(name), "href": f"{root}{FOLDER}/{name}.html"} for name in names]


def _label(key: str) -> str:
    if "-" in key:
        y, m = key.split("-", 1)
        return reporting.month(int(y), int(m)).label if m.isdigit() and y.isdigit() else key
    return f"Tahun {key}"


def _date(day: dt.date) -> str:
    from pipeline.formats import tanggal

    return tanggal(day)


def _when(stamp: str, config: Config) -> str:
    from pipeline.formats import waktu

    return waktu(stamp, config.timezone)


def common(config: Config, procedure: Procedure, now: dt.datetime) -> dict[str, Any]:
    """What every page of the site shows, for a page written outside the site's refresh
    (``pipeline laporan``): the site's own (``site.page_context``)."""
    from pipeline.outputs.site import page_context

    return page_context(config, procedure, now)


def refresh_site(
    config: Config, register: SqlRegister, procedure: Procedure, now: dt.datetime, common: dict, head: int
) -> None:
    """The site's hook: write this month's report page when the register changed since it was
    written, no more than a twentieth of the time (a report of 100,000 cases takes seconds)."""
    folder = config.outbox / "status" / FOLDER
    period = reporting.month(now.year, now.month)
    if not _due(_last(folder), head, period, (config.outbox / "status" / "laporan.html").is_file()):
        return
    started = time.monotonic()
    found = reporting.report_of(register, procedure, hours_of(config), period, now)
    write_page(found, config, common, current=True)
    seconds = time.monotonic() - started
    _write_mark(folder, {"rantai": head, "periode": period.key, "detik": round(seconds, 3), "pada": round(time.time())})


def _due(last: dict | None, head: int, period: reporting.Period, written: bool) -> bool:
    """Whether this month's page should be written again: never written, a new month, or the
    register changed and (for a slow report) twenty times its writing time has passed."""
    if last is None or not written or last.get("periode") != period.key:
        return True
    if last.get("rantai") == head:
        return False
    return last.get("detik", 0) < SLOW_SECONDS or time.time() - last.get("pada", 0) >= SHARE * last["detik"]


def _last(folder: Path) -> dict | None:
    try:
        return json.loads((folder / MARK).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _write_mark(folder: Path, values: dict) -> None:
    from pipeline.outputs.site import write_atomic

    write_atomic(folder / MARK, json.dumps(values))


# -- the sheet -------------------------------------------------------------------------------------------


def year_sheet(config: Config, register: SqlRegister, year: int) -> Callable[[Workbook], None]:
    """The books' hook: a writer adding the year's "Kinerja SOP" sheet to a workbook."""
    from pipeline.sop.procedure import Procedure

    found = reporting.report_of(register, Procedure(config.steps), hours_of(config), reporting.year(year), None)
    return lambda workbook: add_sheet(workbook, found, config)


Section = tuple[str, list[str], list[list[Any]]]  # (heading, column names, rows)


def sheet_sections(report: Report) -> list[Section]:
    """The sheet's tables: (heading, column names, rows), numbers as numbers (minutes)."""
    return [
        _summary_section(report),
        _step_section(report),
        _role_section(report),
        _unit_section(report),
        ("Alasan pengembalian (tolak)", ["Alasan", "Jumlah"], [[text, count] for text, count in report.alasan]),
    ]


def _summary_section(report: Report) -> Section:
    """The counts of the period and the median time a request took."""
    return (
        "Ringkasan",
        ["Uraian", "Jumlah"],
        [
            ["Permohonan diterima", report.diterima],
            ["Permohonan selesai", report.selesai],
            ["Permohonan terbuka pada akhir periode", report.terbuka],
            ["Permohonan dikembalikan (tolak)", report.dikembalikan],
            ["Median lama penyelesaian, menit kalender", report.lama_kalender.median],
            ["Median lama penyelesaian, menit jam kerja", report.lama_jam_kerja.median],
        ],
    )


def _step_section(report: Report) -> Section:
    """Each step of the SOP: its times against its target."""
    return (
        "Waktu setiap langkah (menit)",
        [
            "No",
            "Langkah",
            "Pelaksana",
            "Target",
            "Jumlah",
            "Median kalender",
            "P90 kalender",
            "Median jam kerja",
            "P90 jam kerja",
            "Sesuai target (%)",
        ],
        [
            [
                s.no,
                s.nama,
                s.pelaksana,
                s.target_menit,
                s.kalender.jumlah,
                s.kalender.median,
                s.kalender.p90,
                s.jam_kerja.median,
                s.jam_kerja.p90,
                s.persen_sesuai,
            ]
            for s in report.langkah
        ],
    )


def _role_section(report: Report) -> Section:
    """How long each official's decisions waited."""
    return (
        "Waktu tunggu keputusan pejabat (menit)",
        ["Pejabat", "Langkah", "Jumlah", "Median kalender", "P90 kalender", "Median jam kerja", "P90 jam kerja"],
        [
            [
                r.peran,
                ", ".join(str(n) for n in r.langkah),
                r.kalender.jumlah,
                r.kalender.median,
                r.kalender.p90,
                r.jam_kerja.median,
                r.jam_kerja.p90,
            ]
            for r in report.peran
        ],
    )


def _unit_section(report: Report) -> Section:
    """The requests of each work unit."""
    return (
        "Permohonan per unit kerja",
        [
            "Unit kerja",
            "Diterima",
            "Selesai",
            "Terbuka",
            "Dikembalikan",
            "Median lama (menit kalender)",
            "Median lama (menit jam kerja)",
        ],
        [
            [u.unit, u.diterima, u.selesai, u.terbuka, u.dikembalikan, u.lama_kalender, u.lama_jam_kerja]
            for u in report.unit
        ],
    )


def add_sheet(workbook: Workbook, report: Report, config: Config) -> None:
    """The "Kinerja SOP" sheet: a title, then each table under its heading, in the books' styles."""
    from pipeline.outputs.books import NUMBER, TEXT
    from pipeline.outputs.exports import HEADER, STYLE, SUBTITLE, TITLE, styled

    sheet = workbook.create_sheet(SHEET)
    for letter, width in zip("ABCDEFGHIJ", (34, 40, 20, 10, 10, 14, 14, 14, 14, 14)):
        sheet.column_dimensions[letter].width = width
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.append([styled(sheet, f"LAPORAN KINERJA {config.sop_code}", TITLE)])
    sheet.append([styled(sheet, f"{config.organisation['name']} \u2014 {report.periode.label}", SUBTITLE)])
    sheet.append([f"Jam kerja: {hours_text(report)}."])
    for heading, columns, rows in sheet_sections(report):
        sheet.append([])
        sheet.append([styled(sheet, heading, SUBTITLE)])
        sheet.append([styled(sheet, name, HEADER) for name in columns])
        for values in rows:
            sheet.append([styled(sheet, value, STYLE[TEXT if isinstance(value, str) else NUMBER]) for value in values])
    sheet.append([])
    sheet.append([NOTE])


def write_xlsx(path: Path, report: Report, config: Config) -> Path:
    """A workbook holding only the report's sheet (``pipeline laporan --xlsx``)."""
    from pipeline.outputs import exports

    return exports.write_xlsx(path, {}, config.organisation["name"], more=[lambda wb: add_sheet(wb, report, config)])


# -- the PDF ---------------------------------------------------------------------------------------------


def document_context(report: Report, config: Config, now: dt.datetime) -> dict[str, Any]:
    """What the ``laporan_kinerja`` template shows."""
    from pipeline.formats import tanggal, waktu

    officials = config.officials
    alasan = reason_rows(report) or [{"alasan": "Tidak ada permohonan yang dikembalikan.", "jumlah": "\u2014"}]
    return {
        "kop": config.organisation,
        "kapus": officials["kapus"].__dict__,
        "kasubbid": officials["kasubbid"].__dict__,
        "sop_code": config.sop_code,
        "sop_title": config.sop_title,
        "periode": report.periode.label,
        "dari": _date(report.periode.start),
        "sampai": _date(report.periode.end - dt.timedelta(days=1)),
        "jam_kerja": hours_text(report),
        "ringkasan": [{"uraian": text, "nilai": value} for text, value in summary_rows(report)],
        "langkah": step_rows(report),
        "peran": role_rows(report),
        "unit": unit_rows(report),
        "alasan": alasan,
        "catatan": NOTE,
        "kota": config.organisation["city"],
        "tanggal": tanggal(now.date()),
        "dicetak": waktu(now, config.timezone),
    }


def write_pdf(path: Path, report: Report, config: Config, converter: Converter, now: dt.datetime) -> Path:
    """Render the template into a temporary folder, convert it with LibreOffice, put the PDF at ``path``."""
    import os

    from pipeline.documents.render import render

    with tempfile.TemporaryDirectory(prefix="spse-laporan-") as folder:
        source = Path(folder) / f"laporan-kinerja-{report.periode.key}.docx"
        render(config.template("laporan_kinerja"), document_context(report, config, now), source)
        made = converter.convert([source], Path(folder))
        if not made:
            from pipeline.errors import PipelineError

            raise PipelineError(
                "PDF laporan tidak dapat dibuat: LibreOffice tidak terpasang (apt-get install "
                "libreoffice-writer-nogui)."
            )
        temp = path.with_name(f".{path.name}.tmp")
        temp.write_bytes(made[0].read_bytes())
        os.replace(temp, path)
    return path
