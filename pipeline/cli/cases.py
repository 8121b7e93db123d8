"""``status``, ``act``, ``batal`` and ``tandatangani``: the cases, and what a person records on them."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from pipeline.cli.console import Table, echo_lines, escape, out, styled
from pipeline.cli.group import Context, main
from pipeline.errors import PipelineError, WorkspaceBusy
from pipeline.filing.archive import shown

if TYPE_CHECKING:
    from pipeline.config import Config
    from pipeline.models import Outcome
    from pipeline.register import JournalEntry
    from pipeline.sop.views import CaseView


@main.command()
@click.argument("kasus", required=False)
@click.option("--all", "everything", is_flag=True, help="Semua kasus, termasuk yang sudah selesai.")
@click.option("--json", "as_json", is_flag=True, help="Keluaran JSON Lines.")
@click.pass_obj
def status(obj: Context, kasus: str | None, everything: bool, as_json: bool) -> None:
    """Tampilkan kasus yang sedang berjalan (atau satu kasus, atau semua dengan --all): langkah SOP,
    waktu terhadap target, dan yang ditunggu."""
    count = 0
    with obj.open(lock=False) as ws:  # printed as read: 100,000 cases are never all in memory
        if as_json:

            def lines() -> Iterator[str]:
                nonlocal count
                for line in ws.status_lines(kasus, everything):
                    count += 1
                    yield line

            echo_lines(lines(), chunk=100)
        else:
            for item in ws.status(kasus, everything):
                count += 1
                _print_case(item, detail=bool(kasus))
        from pipeline.outputs.notices import pending

        notices = [] if kasus or as_json else pending(obj.config, ws.register)
    if kasus and not count:
        raise PipelineError(f"Kasus atau nomor surat \u201c{kasus}\u201d tidak ditemukan.")
    if not count and not as_json:
        out.print(
            "Belum ada kasus."
            if everything
            else "Tidak ada kasus yang sedang berjalan. Kasus yang sudah selesai: \u201cpipeline status --all\u201d."
        )
    if not kasus and not as_json:
        _print_waiting(obj.config)
        _print_notices(notices)


def _print_waiting(config: Config) -> None:
    """Letters waiting in inbox/lengkapi/ for staff to complete their draft (they have no case yet)."""
    from pipeline.inbox import completion

    lines = completion.describe_waiting(config)
    if lines:
        out.print(f"[bold]Surat menunggu dilengkapi ({len(lines)})[/bold]")
    for line in lines:
        out.print(f"  {escape(line)}")


def _print_notices(lines: list[str]) -> None:
    """E-mail notices to officials that failed and wait for their next attempt (notices.pending)."""
    from pipeline.outputs.notices import PENDING

    if lines:
        out.print(f"[bold]{PENDING} ({len(lines)})[/bold]")
    for line in lines:
        out.print(f"  {escape(line)}")


def _owed_line(owed: Mapping[str, Any]) -> str:
    """One owed PDF as status prints it."""
    line = f"PDF {owed['berkas']} belum dibuat"
    if owed["galat"]:
        line += f" ({owed['percobaan']} kali gagal: {owed['galat'].rstrip('.')}; dicoba lagi mulai {owed['coba_lagi']})"
    line += "; .docx-nya sudah diarsipkan"
    if owed["menunggu_ttd"]:
        line += ", dan tanda tangan elektronik Nota Dinas menunggu PDF ini"
    return line + ". Buat sekarang dengan \u201cpipeline pdf\u201d."


def _print_case(item: CaseView, detail: bool) -> None:
    out.print(
        f"[bold]Kasus {item.kasus}[/bold] \u00b7 {escape(item.unit)} \u00b7 surat "
        f"{escape(item.rujukan)} \u00b7 {styled(item.status)}"
    )
    out.print(f"  {escape(item.menunggu)}")
    for signature in item.tte_masuk:
        out.print(f"  {escape(signature['keterangan'])}")
    for problem in item.masalah:
        out.print(f"  [red]\u2022[/red] {escape(problem)}")
    for owed in item.pdf_terutang:
        out.print(f"  [yellow]\u2022[/yellow] {escape(_owed_line(owed))}")
    if not detail:
        return
    table = Table(show_header=True)
    for column in ("No", "Langkah", "Pelaksana", "Status", "Menit", "Target", "Dokumen"):
        table.add_column(column, overflow="fold")
    for step in item.langkah:
        minutes = "-" if step.menit is None else f"{step.menit:g}"
        table.add_row(
            str(step.no),
            escape(step.nama),
            escape(step.peran),
            step.status,
            f"[red]{minutes}[/red]" if step.late else minutes,
            str(step.target_menit),
            escape("\n".join(step.dokumen)),
        )
    out.print(table)


@main.command()
@click.argument("rujukan")
@click.argument("langkah")
@click.option("--oleh", help="Nama pejabat atau staf yang melakukan tindakan.")
@click.option("--kepada", help="Tujuan disposisi.")
@click.option("--catatan", help="Catatan, isi disposisi, atau alasan penolakan.")
@click.option(
    "--waktu",
    help='Kapan tindakan dilakukan, misalnya "2026-11-25 09:30" (bawaan: saat dicatat); '
    "waktu dengan zona lain diubah ke zona kantor (timezone).",
)
@click.option(
    "--atas-nama",
    help="Keputusan pejabat di atas kertas dicatat atas namanya: peran (misalnya kapus) atau nama pejabat "
    "seperti di config.yaml; wajib disertai --lampiran.",
)
@click.option(
    "--lampiran",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Pindaian lembar yang ditandatangani pejabat (PDF, JPG atau PNG), untuk --atas-nama.",
)
@click.pass_obj
def act(
    obj: Context,
    rujukan: str,
    langkah: str,
    oleh: str | None,
    kepada: str | None,
    catatan: str | None,
    waktu: str | None,
    atas_nama: str | None,
    lampiran: Path | None,
) -> None:
    """Catat langkah yang dilakukan pejabat (sama dengan berkas tindakan di inbox).

    LANGKAH adalah kunci langkah dalam tabel sop.steps di config.yaml
    (misalnya disposisi_kapus, periksa, setujui, kirim) atau tolak. Keputusan
    yang dibuat pejabat di atas kertas dicatat staf dengan --atas-nama dan
    --lampiran (pindaian lembar yang ditandatangani).
    """
    from pipeline.inbox.handover import hand_over

    outcome: Outcome | JournalEntry  # what the pass says, or the service's journal entry of the handed action
    try:
        with obj.open() as ws:
            names = ws.procedure.action_names()
            if langkah not in names:
                raise click.BadParameter(f"pilih salah satu dari: {', '.join(names)}.", param_hint="LANGKAH")
            outcome, described = ws.act(
                rujukan,
                langkah,
                lampiran=lampiran,
                oleh=oleh,
                kepada=kepada,
                catatan=catatan,
                waktu=waktu,
                atas_nama=atas_nama,
            )
    except WorkspaceBusy:  # the service runs: hand the action to it and wait for its outcome
        entry = hand_over(
            obj.config,
            rujukan,
            langkah,
            lampiran=lampiran,
            oleh=oleh,
            kepada=kepada,
            catatan=catatan,
            waktu=waktu,
            atas_nama=atas_nama,
        )
        try:
            with obj.open(lock=False) as ws:
                found = list(ws.status(entry.kasus)) if entry.kasus else []
        except (PipelineError, OSError):
            found = []  # recorded by the service; this account may not read the register itself
        outcome, described = entry, (found[0] if found else None)
    out.print(f"Tindakan {escape(langkah)} dicatat untuk kasus {escape(outcome.kasus or rujukan)} ({outcome.hasil}).")
    for reason in outcome.alasan:
        out.print(f"  [yellow]{escape(reason)}[/yellow]")
    if described:
        _print_case(described, detail=False)


@main.command()
@click.argument("nomor")
@click.option("--alasan", required=True, help="Mengapa nomor ini dibatalkan (dicatat di agenda surat keluar).")
@click.pass_obj
def batal(obj: Context, nomor: str, alasan: str) -> None:
    """Batalkan nomor surat keluar: tetap tercatat di agenda beserta alasannya, tidak dipakai lagi.

    Saat layanan pipeline berjalan, permintaan pembatalan diserahkan ke layanan melalui folder
    keputusan akun ini, dan hasilnya ditunggu."""
    from pipeline.inbox.handover import hand_in_request

    try:
        with obj.open() as ws:
            voided = ws.void(nomor, alasan)
            shown_nomor, kasus = voided.nomor_surat, voided.kasus
    except WorkspaceBusy:  # the service runs: it voids as this account, and journals it
        entry = hand_in_request(obj.config, nomor, alasan)
        shown_nomor, kasus = nomor, entry.kasus
    out.print(
        f"Nomor {escape(shown_nomor)} dibatalkan dan tetap tercatat di agenda surat keluar. "
        f"Kasus {escape(kasus)} kembali menunggu persetujuan untuk Nota Dinas bernomor baru."
    )


@main.command()
@click.argument("kasus")
@click.option("--totp", is_flag=True, help="Pakai kode TOTP yang dikirim BSrE, bukan passphrase.")
@click.pass_obj
def tandatangani(obj: Context, kasus: str, totp: bool) -> None:
    """Tandatangani Nota Dinas bernomor lewat gateway BSrE (NIK dan passphrase diminta di sini, tidak disimpan)."""
    from pipeline.letters.terminal import sign_at_terminal

    entry = sign_at_terminal(
        obj.config, kasus, lambda prompt, secret: click.prompt(prompt, hide_input=secret), totp=totp
    )
    out.print(
        f"Nota Dinas kasus {escape(entry.kasus)} telah ditandatangani secara elektronik dan diarsipkan "
        f"({escape(shown(obj.config, entry.lokasi).rsplit('/', 1)[0])})."
    )
