"""``register``, ``journal``, ``export`` and ``formulir``: the books, the journal, and what is
written for other systems and for the units."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from pipeline.cli.console import Table, echo_lines, err, escape, out, styled
from pipeline.cli.group import Context, main
from pipeline.errors import PipelineError
from pipeline.filing.archive import shown
from pipeline.outputs import jsonlines
from pipeline.outputs.books import BOOKS

if TYPE_CHECKING:
    from pipeline.config import Config


@main.command(name="register")
@click.option(
    "--buku",
    type=click.Choice(list(BOOKS)),
    help="Satu buku: agenda masuk atau keluar, atau daftar unit, ppk, panitia, paket.",
)
@click.option("--tahun", type=int, help="Hanya satu tahun (tahun agenda; daftar: kasus yang diterima tahun itu).")
@click.option("--json", "as_json", is_flag=True, help="Keluaran JSON Lines (buku agenda masuk dan keluar).")
@click.option(
    "--csv", "csv_path", type=click.Path(dir_okay=False, path_type=Path), help="Simpan sebagai CSV (perlu --buku)."
)
@click.option(
    "--xlsx",
    "xlsx_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Simpan sebagai Excel siap cetak, satu lembar per buku (tanpa --buku: keenam buku).",
)
@click.pass_obj
def register_command(
    obj: Context,
    buku: str | None,
    tahun: int | None,
    as_json: bool,
    csv_path: Path | None,
    xlsx_path: Path | None,
) -> None:
    """Tampilkan atau ekspor buku agenda surat masuk dan keluar serta empat daftar SOP
    (unit kerja pengguna SPSE, PPK, ULP/panitia, paket dan pagu)."""
    from pipeline import workspace
    from pipeline.outputs import books, exports

    if csv_path and not buku:
        raise click.UsageError("--csv memerlukan --buku (masuk, keluar, unit, ppk, panitia atau paket).")
    if as_json and buku and not BOOKS[buku].per_year:
        raise click.UsageError("--json hanya untuk buku agenda masuk dan keluar.")
    for path in (csv_path, xlsx_path):
        if path:
            workspace.check_output(obj.config, path)
    if as_json:
        with obj.open(lock=False) as ws:
            for key in [buku] if buku else ["masuk", "keluar"]:
                echo_lines(exports.json_lines(ws.register.agenda_with_codes(key, tahun), obj.config))
        return
    keys = [buku] if buku else (list(BOOKS) if xlsx_path else ["masuk", "keluar"])
    with obj.open(lock=False) as ws:
        found = books.gather(ws.register, keys, tahun)
    if csv_path or xlsx_path:
        _export(obj.config, found, buku, tahun, csv_path, xlsx_path)
    else:
        _print_books(found)


def _export(
    config: Config,
    found: dict[str, list[list[Any]]],
    buku: str | None,
    tahun: int | None,
    csv_path: Path | None,
    xlsx_path: Path | None,
) -> None:
    from pipeline.outputs import exports

    if csv_path and buku:
        exports.write_csv(csv_path, buku, found[buku])
        out.print(f"{escape(BOOKS[buku].title.capitalize())} disimpan di {escape(str(csv_path))}.")
    if xlsx_path:
        subtitle = config.organisation["name"] + (f" \u2014 Tahun {tahun}" if tahun else "")
        exports.write_xlsx(xlsx_path, found, subtitle)
        out.print(f"Buku disimpan di {escape(str(xlsx_path))} ({len(found)} lembar, siap dicetak mendatar).")


def _print_books(found: dict[str, list[list[Any]]]) -> None:
    from pipeline.outputs import exports

    for key, rows in found.items():
        table = Table(title=BOOKS[key].title)
        for column in BOOKS[key].columns:
            table.add_column(column.name, overflow="fold")
        for values in exports.text_rows(key, rows):
            table.add_row(*(escape(str(v)) for v in values))
        out.print(table)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Keluaran JSON Lines.")
@click.pass_obj
def journal(obj: Context, as_json: bool) -> None:
    """Tampilkan setiap berkas yang pernah masuk dan apa yang terjadi padanya."""
    keys = ("berkas", "sha256", "diterima", "hasil", "jenis", "kasus", "alasan", "lokasi")
    with obj.open(lock=False) as ws:  # printed as read
        if as_json:
            echo_lines(
                jsonlines.line(
                    {
                        k: list(v) if k == "alasan" else shown(obj.config, v) if k == "lokasi" and v else v
                        for k, v in ((k, getattr(entry, k)) for k in keys)
                    }
                )
                for entry in ws.journal()
            )
            return
        table = Table(title="Jurnal berkas masuk")
        for column in ("Diterima", "Berkas", "Hasil", "Jenis", "Kasus", "Alasan"):
            table.add_column(column, overflow="fold")
        for entry in ws.journal():
            table.add_row(
                entry.diterima[:16].replace("T", " "),
                escape(entry.berkas),
                styled(entry.hasil),
                entry.jenis,
                entry.kasus or "-",
                escape(" ".join(entry.alasan)),
            )
    out.print(table)


@main.group()
def export() -> None:
    """Ekspor untuk sistem lain (SRIKANDI)."""


@export.command(name="srikandi")
@click.argument("arguments", nargs=-1, required=True, metavar="[KASUS] FOLDER")
@click.pass_obj
def export_srikandi(obj: Context, arguments: tuple[str, ...]) -> None:
    """Siapkan unggahan SRIKANDI: per Nota Dinas yang sudah dikirim, berkas bertanda tangan dan
    isian formulir registrasinya (jenis naskah, nomor, tanggal, sifat, klasifikasi, hal, tujuan,
    penandatangan). Tanpa KASUS: semua surat yang sudah dikirim."""
    from pipeline import workspace
    from pipeline.outputs import srikandi

    if len(arguments) > 2:
        raise click.UsageError("Tulis paling banyak KASUS dan FOLDER.")
    kasus, folder = (None, arguments[0]) if len(arguments) == 1 else arguments
    target = workspace.check_output(obj.config, Path(folder))
    with obj.open(lock=False) as ws:
        if kasus is not None:
            kasus = srikandi.one_case(ws.register, kasus)
        items, skipped, voided = srikandi.collect(obj.config, ws.register, kasus)
    written = srikandi.write(items, target, voided)
    for path in written:
        out.print(f"Siap diunggah: {escape(str(path))}")
    for item in skipped:
        err.print(f"[yellow]Dilewati:[/yellow] Nota Dinas {escape(item.nomor)}: {escape(item.alasan)}")
    if not written and not skipped:
        out.print(
            "Belum ada Nota Dinas yang dikirim"
            + (f" untuk kasus {escape(kasus)}." if kasus else ".")
            + " Surat diekspor setelah langkah kirim dicatat."
        )
    elif written:
        out.print(f"{len(written)} surat di {escape(str(target))}; daftarnya di daftar-kiriman.csv.")


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--nama", default="formulir-registrasi-spse.xlsx", show_default=True, help="Nama berkas.")
@click.pass_obj
def formulir(obj: Context, folder: Path, nama: str) -> None:
    """Tulis buku kerja Excel kosong untuk diisi ULP unit kerja: lembar umum, ppk, panitia dan
    paket dengan petunjuk di setiap judul kolom, daftar pilihan untuk peran, metode dan sumber
    dana, serta kolom NIP dan telepon berformat teks."""
    from pipeline import workspace
    from pipeline.outputs import formulir as blank

    target = workspace.check_output(obj.config, folder)
    if Path(nama).name != nama or not nama.lower().endswith(".xlsx"):
        raise PipelineError("Nama berkas harus berupa nama saja (tanpa folder) yang berakhiran .xlsx.")
    path = blank.write(target / nama, obj.config)
    out.print(f"Formulir registrasi ditulis: {escape(str(path))}")
    out.print("Kirim ke ULP unit kerja; setelah diisi, letakkan buku kerjanya di inbox apa adanya (.xlsx).")
