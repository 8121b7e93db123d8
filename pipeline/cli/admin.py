"""``init``, ``doctor``, ``verify``, ``rebuild-register`` and ``migrate-register``: setting up a
workspace, checking it, and the register as a whole."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from pipeline.cli.console import Table, echo_lines, err, escape, out
from pipeline.cli.group import Context, main
from pipeline.errors import PipelineError
from pipeline.outputs import jsonlines


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def init(directory: Path) -> None:
    """Buat ruang kerja baru: config.yaml, folder, dan templat bawaan."""
    from pipeline import config as config_module
    from pipeline import workspace

    created = workspace.init(directory)
    config_module.load(directory / "config.yaml")
    out.print(f"Ruang kerja siap di {escape(str(directory.resolve()))} ({len(created)} berkas/folder dibuat).")
    out.print(
        "Langkah berikutnya: sesuaikan config.yaml (nama pejabat, NIP), lalu jalankan "
        f"\u201cpipeline --config {directory / 'config.yaml'} watch\u201d."
    )


@main.command()
@click.option("--kode", help="Periksa satu dokumen cetak dari kode verifikasinya.")
@click.option("--json", "as_json", is_flag=True, help="Keluaran JSON Lines: satu objek per masalah.")
@click.pass_obj
def verify(obj: Context, kode: str | None, as_json: bool) -> None:
    """Periksa arsip dan register: sidik SHA-256 setiap berkas, folder dan berkas yang tidak
    tercatat, dan catatan register di arsip (perubahan langsung pada register). Dengan --kode:
    periksa satu dokumen cetak."""
    if kode is not None:
        _verify_code(obj, kode, as_json)
        return
    with obj.open(lock=False) as ws:
        problems, files, records = ws.verify()
    if as_json:
        for problem in problems:
            click.echo(
                json.dumps(
                    {"jenis": problem.jenis, "lokasi": problem.lokasi, "pesan": problem.pesan}, ensure_ascii=False
                )
            )
        sys.exit(1 if problems else 0)
    for problem in problems:
        err.print(f"[red]{escape(problem.pesan)}[/red]")
    if problems:
        raise PipelineError(f"{len(problems)} masalah ditemukan pada arsip; lihat daftar di atas.")
    out.print(
        f"Arsip utuh: {files} berkas dari {records} catatan register cocok dengan isinya, dan register "
        "sama dengan catatannya di arsip."
    )


@main.command(name="rebuild-register")
@click.pass_obj
def rebuild_register(obj: Context) -> None:
    """Bangun ulang register dari catatannya di arsip (bila register hilang, kosong, atau rusak)."""
    from pipeline.clock import Clock
    from pipeline.register_upkeep import rebuild_register as rebuild

    rebuilt = rebuild(obj.config, Clock(obj.config.timezone))
    counts = rebuilt.counts
    out.print(
        f"Register dibangun ulang dari {counts['catatan']} catatan di arsip: {counts['masuk']} surat "
        f"masuk, {counts['keluar']} surat keluar, {counts['kasus']} kasus."
    )
    if rebuilt.aside:
        out.print(f"Register lama disimpan sebagai {escape(str(rebuilt.aside))}.")


def _verify_code(obj: Context, kode: str, as_json: bool) -> None:
    """``verify --kode``: exit 0 only for a valid, intact document."""
    with obj.open(lock=False) as ws:
        found = ws.check_code(kode)
    if as_json:
        click.echo(json.dumps(found.to_json(), ensure_ascii=False))
    else:
        out.print(
            f"Kode {escape(found.kode)}: [bold]{escape(found.status.upper().replace('_', ' '))}"
            f"[/bold]. {escape(found.pesan)}"
        )
        shown = (("Kasus", found.kasus), ("Dokumen", found.dokumen), ("Nomor", found.nomor), ("SHA-256", found.sha256))
        for label, value in shown:
            if value:
                out.print(f"  {label}: {escape(str(value))}")
        if found.isi:
            from pipeline.documents.proof import rows

            out.print("Isi dokumen asli:")
            for label, text in rows(found.isi):
                out.print(f"  {label}: {escape(text)}")
            out.print(escape(found.periksa or ""))
    sys.exit(0 if found.genuine else 1)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Keluaran JSON Lines: satu objek per pemeriksaan.")
@click.pass_obj
def doctor(obj: Context, as_json: bool) -> None:
    """Periksa kesiapan ruang kerja: folder dan haknya, register di disk lokal, templat, LibreOffice,
    sertifikat tanda tangan (berlaku lebih dari 30 hari) dan jam server. Keluar dengan kode 1 bila
    ada galat."""
    from pipeline import doctor as checks
    from pipeline.clock import Clock

    findings = checks.examine(obj.config, Clock(obj.config.timezone))
    if as_json:
        echo_lines(jsonlines.line({"pemeriksaan": f.check, "status": f.status, "pesan": f.message}) for f in findings)
    else:
        table = Table(title="Pemeriksaan ruang kerja", show_lines=False)
        for column in ("Pemeriksaan", "Hasil", "Keterangan"):
            table.add_column(column, overflow="fold")
        marks = {
            checks.OK: "[green]baik[/green]",
            checks.WARNING: "[yellow]peringatan[/yellow]",
            checks.ERROR: "[red]galat[/red]",
        }
        for finding in findings:
            table.add_row(escape(finding.check), marks[finding.status], escape(finding.message))
        out.print(table)
    errors = sum(1 for f in findings if f.status == checks.ERROR)
    if errors:
        if not as_json:
            err.print(f"[red]{errors} galat[/red] harus diperbaiki sebelum pipeline dijalankan sebagai layanan.")
        sys.exit(1)
    if not as_json:
        out.print(
            "Ruang kerja siap dijalankan."
            if not any(f.status == checks.WARNING for f in findings)
            else "Ruang kerja dapat dijalankan; periksa peringatan di atas."
        )


@main.command(name="migrate-register")
@click.option(
    "--to",
    "url",
    required=True,
    metavar="URL",
    help="postgresql://akun@server:5432/basisdata (kata sandi di PGPASSWORD atau ~/.pgpass).",
)
@click.pass_obj
def migrate_register(obj: Context, url: str) -> None:
    """Salin register SQLite ruang kerja ini ke PostgreSQL, buktikan salinannya (jumlah baris,
    nomor agenda, rantai catatan diperiksa pada tujuan), lalu alihkan config.yaml ke sana."""
    from pipeline.clock import Clock
    from pipeline.register_upkeep import migrate_register as migrate

    moved = migrate(obj.config, url, Clock(obj.config.timezone))
    out.print(
        f"Register disalin ke PostgreSQL dan terbukti sama: {moved.records} catatan transaksi, {moved.entries} entri "
        "agenda, rantai catatan cocok dengan arsip."
    )
    out.print(
        f"config.yaml kini memakai register.url. Register SQLite lama disimpan sebagai {escape(str(moved.aside))}."
    )
    out.print("Jalankan \u201cpipeline doctor\u201d, lalu mulai layanan lagi.")
