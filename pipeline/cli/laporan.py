"""``pipeline laporan``: the SOP performance report of a month or a year (docs/cli.md,
"pipeline laporan")."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pipeline.cli.console import Table, err, escape, out
from pipeline.cli.group import Context, main

if TYPE_CHECKING:
    import datetime as dt

    from pipeline.config import Config
    from pipeline.outputs.report import Report


@main.command(name="laporan")
@click.option("--bulan", help="Bulan laporan, TTTT-BB (bawaan: bulan ini).")
@click.option("--tahun", type=int, help="Laporan satu tahun penuh.")
@click.option("--json", "as_json", is_flag=True, help="Keluaran JSON: satu objek.")
@click.option(
    "--xlsx", "xlsx_path", type=click.Path(dir_okay=False, path_type=Path), help="Simpan sebagai lembar Excel."
)
@click.option(
    "--pdf", "pdf_path", type=click.Path(dir_okay=False, path_type=Path), help="Simpan sebagai PDF berkop untuk Kapus."
)
@click.pass_obj
def laporan(
    obj: Context, bulan: str | None, tahun: int | None, as_json: bool, xlsx_path: Path | None, pdf_path: Path | None
) -> None:
    """Laporan kinerja SOP satu bulan atau satu tahun: permohonan diterima, selesai, terbuka dan
    dikembalikan beserta alasannya; waktu setiap langkah terhadap targetnya (kalender dan jam kerja);
    waktu tunggu keputusan setiap pejabat; per unit kerja. Halamannya ditulis di outbox/status."""
    from pipeline import workspace
    from pipeline.outputs import report as reporting
    from pipeline.outputs import report_views

    if bulan and tahun:
        raise click.UsageError("Pilih salah satu: --bulan atau --tahun.")
    for path in (xlsx_path, pdf_path):
        if path:
            workspace.check_output(obj.config, path)
    with obj.open(lock=False) as ws:
        now = ws.now()
        try:
            period = reporting.parse_period(bulan, tahun, now.date())
        except ValueError:
            raise click.BadParameter("tulis bulan sebagai TTTT-BB, misalnya 2026-11.", param_hint="--bulan") from None
        found = reporting.report_of(ws.register, ws.procedure, report_views.hours_of(obj.config), period, now)
        current = period.key == f"{now.year}-{now.month:02d}"
        pages = report_views.write_page(
            found, obj.config, report_views.common(obj.config, ws.procedure, now), current=current
        )
    if as_json:
        click.echo(json.dumps(found.as_json(), ensure_ascii=False))
    else:
        _print(found, pages[-1])
    if xlsx_path:
        report_views.write_xlsx(xlsx_path, found, obj.config)
        _said(f"Laporan disimpan di {xlsx_path} (lembar \u201c{report_views.SHEET}\u201d).", as_json)
    if pdf_path:
        _write_pdf(pdf_path, found, obj.config, now)
        _said(f"Laporan PDF disimpan di {pdf_path}.", as_json)


def _write_pdf(path: Path, found: Report, config: Config, now: dt.datetime) -> None:
    from pipeline.documents.pdf import Converter
    from pipeline.outputs import report_views

    converter = Converter(True, config.pdf_timeout)
    try:
        report_views.write_pdf(path, found, config, converter, now)
    finally:
        converter.close()


def _said(text: str, as_json: bool) -> None:
    """A confirmation: on stdout, or on stderr when stdout carries the JSON."""

    (err if as_json else out).print(escape(text))


def _print(found: Report, page: Path) -> None:
    from pipeline.outputs import report_views

    out.print(f"[bold]Laporan kinerja SOP \u2014 {escape(found.periode.label)}[/bold]")
    summary = Table(show_header=False)
    summary.add_column("Uraian")
    summary.add_column("Jumlah", justify="right")
    for text, value in report_views.summary_rows(found):
        summary.add_row(escape(text), escape(value))
    out.print(summary)
    steps = Table(title="Waktu setiap langkah (median / P90)")
    for name in ("No", "Langkah", "Target", "Jumlah", "Kalender", "Jam kerja", "Sesuai target"):
        steps.add_column(name, overflow="fold")
    for s in report_views.step_rows(found):
        steps.add_row(
            str(s["no"]),
            escape(s["nama"]),
            s["target"],
            str(s["jumlah"]),
            f"{s['median_kalender']} / {s['p90_kalender']}",
            f"{s['median_kerja']} / {s['p90_kerja']}",
            s["sesuai"],
        )
    out.print(steps)
    roles = Table(title="Waktu tunggu keputusan pejabat (median / P90)")
    for name in ("Pejabat", "Langkah", "Jumlah", "Kalender", "Jam kerja"):
        roles.add_column(name, overflow="fold")
    for r in report_views.role_rows(found):
        roles.add_row(
            escape(r["peran"]),
            r["langkah"],
            str(r["jumlah"]),
            f"{r['median_kalender']} / {r['p90_kalender']}",
            f"{r['median_kerja']} / {r['p90_kerja']}",
        )
    out.print(roles)
    units = Table(title="Permohonan per unit kerja")
    for name in ("Unit kerja", "Diterima", "Selesai", "Terbuka", "Dikembalikan", "Median lama"):
        units.add_column(name, overflow="fold")
    for u in report_views.unit_rows(found):
        units.add_row(
            escape(u["unit"]),
            str(u["diterima"]),
            str(u["selesai"]),
            str(u["terbuka"]),
            str(u["dikembalikan"]),
            u["lama_kalender"],
        )
    out.print(units)
    for text, count in found.alasan:
        out.print(f"Dikembalikan {count}\u00d7: {escape(text)}")
    out.print(f"Halaman laporan: {escape(str(page))}")
