"""``run``, ``watch`` and ``pdf``: the inbox worked through once, as a service, and the PDFs owed."""

from __future__ import annotations

import contextlib
import dataclasses
import signal
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from types import FrameType
from typing import TYPE_CHECKING

import click

from pipeline.cli.console import Table, echo_lines, err, escape, out, styled
from pipeline.cli.group import Context, main
from pipeline.errors import PipelineError
from pipeline.outputs import jsonlines
from pipeline.states import Hasil

if TYPE_CHECKING:
    from pipeline.config import Config
    from pipeline.models import Outcome

Progress = Callable[..., None]


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Keluaran JSON Lines: satu objek per berkas.")
@click.pass_obj
def run(obj: Context, as_json: bool) -> None:
    """Proses semua berkas di inbox satu kali, lalu selesai. Di terminal, kemajuannya tampil
    sebagai bilah."""
    from pipeline.documents import pdf

    stop = threading.Event()
    converter = pdf.converter_for(obj.config, stop)
    if pdf.files_waiting(obj.config.inbox):
        converter.warm_up()  # LibreOffice starts while the pipeline loads and opens its register
    from pipeline import engine

    engine.configure_logging(obj.config, to_stderr=False)
    with (
        _stopping(stop),
        contextlib.closing(converter),
        engine.open_workspace(obj.config, stop=stop, converter=converter) as ws,
        _progress(enabled=not as_json and out.is_terminal) as progress,
    ):
        _notes(ws.start())
        outcomes = ws.process_inbox(progress=progress)
        _notes(filter(None, [ws.refresh_books(), ws.owed_summary()]))
    if stop.is_set():
        err.print(
            "Pemrosesan dihentikan atas permintaan. Berkas yang belum diproses tetap di inbox; "
            "jalankan \u201cpipeline run\u201d lagi untuk memprosesnya."
        )
    if as_json:
        echo_lines(
            jsonlines.line(
                {
                    "berkas": o.name,
                    "hasil": o.hasil,
                    "jenis": o.jenis,
                    "kasus": o.kasus,
                    "alasan": list(o.alasan),
                    "keterangan": o.detail,
                }
            )
            for o in outcomes
        )
    else:
        _report(outcomes, obj.config)


@contextlib.contextmanager
def _stopping(stop: threading.Event) -> Iterator[threading.Event]:
    """SIGTERM (``systemctl stop``) and Ctrl+C set ``stop``: the work in hand ends at the next
    file boundary, nothing is left half-way. A second request stops at once (as a crash would:
    the claim protocol finishes that file at the next start)."""

    def request(signum: int, frame: FrameType | None) -> None:
        if stop.is_set():
            signal.default_int_handler(signum, frame)
        stop.set()

    if threading.current_thread() is not threading.main_thread():  # signals reach the main thread only
        yield stop
        return
    previous = {signum: signal.signal(signum, request) for signum in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield stop
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@contextlib.contextmanager
def _progress(enabled: bool) -> Iterator[Progress | None]:
    """A progress bar on stderr while ``run`` works through many files; nothing when the output
    is not a terminal. Yields the ``progress(more=, advance=, current=)`` callback."""
    if not enabled:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (
        TextColumn("Memproses inbox"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[berkas]}"),
    )
    with Progress(*columns, console=err.console(), transient=True) as bar:
        task = bar.add_task("inbox", total=0, berkas="")

        def told(more: int = 0, advance: int = 0, current: str | None = None) -> None:
            if more:
                bar.update(task, total=(bar.tasks[0].total or 0) + more)
            if current:
                bar.update(task, advance=advance, berkas=escape(current))
            else:
                bar.update(task, advance=advance)

        yield told


def _notes(notes: Iterable[str]) -> None:
    """What needs attention after a restart (cases that cannot go on yet)."""
    for note in notes:
        err.print(f"[yellow]Perhatian:[/yellow] {escape(note)}")


def _report(outcomes: Sequence[Outcome], config: Config) -> None:
    if not outcomes:
        out.print("Tidak ada berkas baru di inbox.")
        return
    table = Table(title="Hasil pemrosesan inbox", show_lines=False)
    for column in ("Berkas", "Hasil", "Kasus", "Keterangan"):
        table.add_column(column, overflow="fold")
    for outcome in outcomes:
        table.add_row(
            escape(outcome.name),
            styled(outcome.hasil),
            outcome.kasus or "-",
            escape(" ".join(outcome.alasan) or outcome.detail),
        )
    out.print(table)
    counts: dict[str, int] = {}
    for outcome in outcomes:
        counts[outcome.hasil] = counts.get(outcome.hasil, 0) + 1
    out.print(", ".join(f"{n} {hasil}" for hasil, n in counts.items()) + ".")
    if counts.get(Hasil.ACCEPTED):
        out.print(f"Dokumen siap cetak ada di {escape(str(config.outbox))}.")
    if counts.get(Hasil.REFUSED):
        in_folders = [o for o in outcomes if o.hasil == Hasil.REFUSED and "keputusan/" in (o.detail or "")]
        if len(in_folders) < counts[Hasil.REFUSED]:
            out.print(f"Alasan penolakan ada di {escape(str(config.rejected_dir))} (berkas *.alasan.txt).")
        if in_folders:
            out.print(
                f"Keputusan yang tidak dicatat dari folder pejabat ada di {escape(str(config.decisions_dir))}"
                "/<akun>/ditolak beserta alasannya (berkas *.alasan.txt)."
            )


@main.command()
@click.option("--polling", is_flag=True, help="Periksa folder secara berkala (untuk folder jaringan).")
@click.pass_obj
def watch(obj: Context, polling: bool) -> None:
    """Pantau inbox terus-menerus dan proses berkas begitu siap (layanan)."""
    from pipeline import engine

    config = obj.config
    if polling:
        config = dataclasses.replace(config, watch=dataclasses.replace(config.watch, polling=True))
    log = engine.configure_logging(config, to_stderr=True)
    stop = threading.Event()
    with _stopping(stop), engine.open_workspace(config, stop=stop) as ws:
        _notes(ws.start())
        mode = "polling" if config.watch.polling else "pemberitahuan sistem berkas"
        out.print(f"Memantau {escape(str(config.inbox))} ({mode}). Tekan Ctrl+C untuk berhenti.")
        log.info("Layanan dimulai: memantau %s (%s).", config.inbox, mode)
        try:
            ws.serve(lambda o: _report(o, config), lambda m: err.print(f"[yellow]{escape(m)}[/yellow]"), stop)
        except KeyboardInterrupt:
            pass
    log.info("Layanan berhenti.")
    out.print("Pemantauan dihentikan.")


@main.command(name="pdf")
@click.pass_obj
def pdf_command(obj: Context) -> None:
    """Buat sekarang semua PDF yang tertunda, tanpa menunggu jeda percobaan ulang (misalnya
    setelah LibreOffice diperbaiki). Keluar dengan kode 1 bila masih ada yang belum dapat dibuat."""
    from pipeline import engine

    engine.configure_logging(obj.config, to_stderr=False)
    with obj.open() as ws:
        if not ws.converter.available:
            raise PipelineError(ws.converter.missing() or "PDF tidak diminta (pdf.enabled: false).")
        made, _ = ws.make_owed_pdfs(force=True)
        left = ws.register.owed_pdfs()
    if made:
        out.print(f"{made} PDF yang tertunda dibuat.")
    for item in left:
        err.print(
            f"[yellow]PDF {escape(item.folder)}/{escape(item.pdf)} masih belum dapat dibuat:[/yellow] "
            f"{escape(item.galat or 'belum dicoba')}"
        )
    if left:
        raise PipelineError(
            f"{len(left)} PDF masih tertunda. Periksa LibreOffice dengan \u201cpipeline doctor\u201d, "
            "lalu jalankan \u201cpipeline pdf\u201d lagi."
        )
    if not made:
        out.print("Tidak ada PDF yang tertunda.")
