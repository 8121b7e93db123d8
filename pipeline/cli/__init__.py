"""Command line: the only place that prints and exits.

Every message staff read is Indonesian; command and option names are English
(docs/cli.md). Exit codes: 0 done (refusing a bad input is doing the
job), 1 user error with a one-line message, 2 bad invocation.
"""

import contextlib
import json
import signal
import sys
import threading
from pathlib import Path

import click

from pipeline import __version__
from pipeline.errors import PipelineError, WorkspaceBusy
from pipeline.filing.archive import shown
from pipeline.outputs import jsonlines
from pipeline.outputs.books import BOOKS

# A command imports the modules it uses when it runs, so ``pipeline --help`` and the
# light commands do not load the engine, openpyxl, docxtpl or rich (docs/architecture.md,
# "Speed").


class _Console:
    """A rich Console made when first printed to (rich alone takes 40 ms to import)."""

    def __init__(self, **options):
        self._options = options
        self._console = None

    def __getattr__(self, name):
        return getattr(self.console(), name)

    def console(self):
        """The rich Console itself (for what takes one, such as a progress bar)."""
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._options)
        return self._console


# Piped output (logs, make demo) gets room for the tables; a terminal uses its own width.
out = _Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 120)
err = _Console(stderr=True, highlight=False, soft_wrap=True)


def escape(text):
    """Text printed as it is, never read as rich markup."""
    from rich.markup import escape as markup_escape

    return markup_escape(text)


def echo_lines(lines, chunk=1000):
    """Lines to stdout a thousand at a time (a listing of 100,000 entries, written as it is read)."""
    batch = []
    for line in lines:
        batch.append(line)
        if len(batch) >= chunk:
            click.echo("\n".join(batch))
            batch = []
    if batch:
        click.echo("\n".join(batch))


def Table(**options):
    from rich.table import Table as RichTable

    return RichTable(**options)


_STYLE = {
    "diterima": "green",
    "ditolak": "red",
    "duplikat": "yellow",
    "menunggu": "cyan",
    "diabaikan": "dim",
    "selesai": "green",
    "berjalan": "cyan",
    "tertahan": "red",
}


def _styled(word):
    """A status word in its colour (plain when it has none)."""
    style = _STYLE.get(word)
    return f"[{style}]{escape(word)}[/{style}]" if style else escape(word)


class Context:
    """The config, loaded on first use, and the workspace opened over it."""

    def __init__(self, config_path):
        self.config_path = config_path
        self._config = None

    @property
    def config(self):
        from pipeline import config as config_module

        if self._config is None:
            self._config = config_module.load(self.config_path)
        return self._config

    def open(self, lock=True):
        """The workspace: locked for commands that change it, unlocked for those that read."""
        from pipeline import engine

        return engine.open_workspace(self.config, lock=lock)


class PipelineGroup(click.Group):
    """Turns PipelineError into a one-line message and exit code 1, and click's own
    usage errors into Indonesian with exit code 2."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except PipelineError as exc:
            err.print(f"[red]Galat:[/red] {escape(str(exc))}")
            sys.exit(1)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        try:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.exceptions.Abort:
            if not standalone_mode:
                raise
            err.print("Dibatalkan.")
            sys.exit(1)
        except click.ClickException as exc:
            if not standalone_mode:
                raise
            err.print(f"[red]Galat:[/red] {escape(usage_text(exc))} Lihat \u201cpipeline --help\u201d.")
            sys.exit(exc.exit_code)


def _hint(param):
    if param is None:
        return "nilai"
    return "/".join(param.opts) if isinstance(param, click.Option) else param.human_readable_name


def usage_text(exc):
    """click's usage errors (written in English) in the Indonesian staff read."""
    if isinstance(exc, click.exceptions.NoSuchOption):
        return f"Opsi {exc.option_name} tidak dikenal."
    if isinstance(exc, click.exceptions.MissingParameter):
        return f"{_hint(exc.param)} belum diisi."
    if isinstance(exc, click.BadParameter):
        param = exc.param
        if param is not None and isinstance(param.type, click.Choice):
            return f"{_hint(param)}: pilih salah satu dari {', '.join(param.type.choices)}."
        if param is not None and param.type in (click.INT, click.FLOAT):
            return f"{_hint(param)} harus berupa angka."
        hint = _hint(param) if param is not None else (exc.param_hint or "nilai")
        text = exc.message if exc.message and (not exc.message.isascii() or "pilih" in exc.message) else ""
        return f"{hint} tidak sah{': ' + text if text else '.'}"
    message = exc.format_message()
    if message.startswith("No such command"):
        return f"Perintah {message.split(' ', 3)[-1].rstrip('.')} tidak dikenal."
    if message.startswith("Got unexpected extra argument"):
        return "Ada argumen berlebih: " + message.split("(", 1)[-1].rstrip(")") + "."
    return message if not message.isascii() or "--" in message else "Perintah tidak dapat dijalankan."


@click.group(cls=PipelineGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    "config_path",
    default="config.yaml",
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Berkas konfigurasi ruang kerja.",
)
@click.version_option(__version__, prog_name="pipeline")
@click.pass_context
def main(ctx, config_path):
    """Pipeline fasilitasi SPSE Pusdatinkomtel (SOP.TPD.01/KDN/2011)."""
    ctx.obj = Context(config_path)


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def init(directory):
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
@click.option("--json", "as_json", is_flag=True, help="Keluaran JSON Lines: satu objek per berkas.")
@click.pass_obj
def run(obj, as_json):
    """Proses semua berkas di inbox satu kali, lalu selesai. Di terminal, kemajuannya tampil
    sebagai bilah."""
    from pipeline import engine

    engine.configure_logging(obj.config, to_stderr=False)
    stop = threading.Event()
    with (
        _stopping(stop),
        engine.open_workspace(obj.config, stop=stop) as ws,
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
def _stopping(stop):
    """SIGTERM (``systemctl stop``) and Ctrl+C set ``stop``: the work in hand ends at the next
    file boundary, nothing is left half-way. A second request stops at once (as a crash would:
    the claim protocol finishes that file at the next start)."""

    def request(signum, frame):
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
def _progress(enabled):
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

        def told(more=0, advance=0, current=None):
            if more:
                bar.update(task, total=bar.tasks[0].total + more)
            fields = {"berkas": escape(current)} if current else {}
            bar.update(task, advance=advance, **fields)

        yield told


def _notes(notes):
    """What needs attention after a restart (cases that cannot go on yet)."""
    for note in notes:
        err.print(f"[yellow]Perhatian:[/yellow] {escape(note)}")


def _report(outcomes, config):
    if not outcomes:
        out.print("Tidak ada berkas baru di inbox.")
        return
    table = Table(title="Hasil pemrosesan inbox", show_lines=False)
    for column in ("Berkas", "Hasil", "Kasus", "Keterangan"):
        table.add_column(column, overflow="fold")
    for outcome in outcomes:
        table.add_row(
            escape(outcome.name),
            _styled(outcome.hasil),
            outcome.kasus or "-",
            escape(" ".join(outcome.alasan) or outcome.detail),
        )
    out.print(table)
    counts = {}
    for outcome in outcomes:
        counts[outcome.hasil] = counts.get(outcome.hasil, 0) + 1
    out.print(", ".join(f"{n} {hasil}" for hasil, n in counts.items()) + ".")
    if counts.get("diterima"):
        out.print(f"Dokumen siap cetak ada di {escape(str(config.outbox))}.")
    if counts.get("ditolak"):
        out.print(f"Alasan penolakan ada di {escape(str(config.rejected_dir))} (berkas *.alasan.txt).")


@main.command()
@click.option("--polling", is_flag=True, help="Periksa folder secara berkala (untuk folder jaringan).")
@click.pass_obj
def watch(obj, polling):
    """Pantau inbox terus-menerus dan proses berkas begitu siap (layanan)."""
    from pipeline import config as config_module
    from pipeline import engine

    config = obj.config
    if polling:
        config = config_module.Config(
            **{**config.__dict__, "watch": config.watch.__class__(**{**config.watch.__dict__, "polling": True})}
        )
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
def pdf_command(obj):
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


@main.command()
@click.argument("kasus", required=False)
@click.option("--all", "everything", is_flag=True, help="Semua kasus, termasuk yang sudah selesai.")
@click.option("--json", "as_json", is_flag=True, help="Keluaran JSON Lines.")
@click.pass_obj
def status(obj, kasus, everything, as_json):
    """Tampilkan kasus yang sedang berjalan (atau satu kasus, atau semua dengan --all): langkah SOP,
    waktu terhadap target, dan yang ditunggu."""
    shown = 0
    with obj.open(lock=False) as ws:  # printed as read: 100,000 cases are never all in memory
        described = ws.status(kasus, everything)
        if as_json:

            def lines():
                nonlocal shown
                for item in described:
                    shown += 1
                    yield jsonlines.line(item.to_json())

            echo_lines(lines(), chunk=100)
        else:
            for item in described:
                shown += 1
                _print_case(item, detail=bool(kasus))
    if kasus and not shown:
        raise PipelineError(f"Kasus atau nomor surat \u201c{kasus}\u201d tidak ditemukan.")
    if not shown and not as_json:
        out.print(
            "Belum ada kasus."
            if everything
            else "Tidak ada kasus yang sedang berjalan. Kasus yang sudah selesai: \u201cpipeline status --all\u201d."
        )
    if not kasus and not as_json:
        _print_waiting(obj.config)


def _print_waiting(config):
    """Letters waiting in inbox/lengkapi/ for staff to complete their draft (they have no case yet)."""
    from pipeline.inbox import completion

    lines = completion.describe_waiting(config)
    if lines:
        out.print(f"[bold]Surat menunggu dilengkapi ({len(lines)})[/bold]")
    for line in lines:
        out.print(f"  {escape(line)}")


def _owed_line(owed):
    """One owed PDF as status prints it."""
    line = f"PDF {owed['berkas']} belum dibuat"
    if owed["galat"]:
        line += f" ({owed['percobaan']} kali gagal: {owed['galat'].rstrip('.')}; dicoba lagi mulai {owed['coba_lagi']})"
    line += "; .docx-nya sudah diarsipkan"
    if owed["menunggu_ttd"]:
        line += ", dan tanda tangan elektronik Nota Dinas menunggu PDF ini"
    return line + ". Buat sekarang dengan \u201cpipeline pdf\u201d."


def _print_case(item, detail):
    out.print(
        f"[bold]Kasus {item.kasus}[/bold] \u00b7 {escape(item.unit)} \u00b7 surat "
        f"{escape(item.rujukan)} \u00b7 {_styled(item.status)}"
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
@click.pass_obj
def act(obj, rujukan, langkah, oleh, kepada, catatan, waktu):
    """Catat langkah yang dilakukan pejabat (sama dengan berkas tindakan di inbox).

    LANGKAH adalah kunci langkah dalam tabel sop.steps di config.yaml
    (misalnya disposisi_kapus, periksa, setujui, kirim) atau tolak.
    """
    from pipeline import engine

    try:
        with obj.open() as ws:
            names = ws.procedure.action_names()
            if langkah not in names:
                raise click.BadParameter(f"pilih salah satu dari: {', '.join(names)}.", param_hint="LANGKAH")
            outcome, described = ws.act(rujukan, langkah, oleh=oleh, kepada=kepada, catatan=catatan, waktu=waktu)
    except WorkspaceBusy:  # the service runs: hand the action to it and wait for its outcome
        entry = engine.hand_over(obj.config, rujukan, langkah, oleh=oleh, kepada=kepada, catatan=catatan, waktu=waktu)
        with obj.open(lock=False) as ws:
            found = list(ws.status(entry.kasus)) if entry.kasus else []
        outcome, described = entry, (found[0] if found else None)
    out.print(f"Tindakan {escape(langkah)} dicatat untuk kasus {escape(outcome.kasus or rujukan)} ({outcome.hasil}).")
    for reason in outcome.alasan:
        out.print(f"  [yellow]{escape(reason)}[/yellow]")
    if described:
        _print_case(described, detail=False)


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
def register_command(obj, buku, tahun, as_json, csv_path, xlsx_path):
    """Tampilkan atau ekspor buku agenda surat masuk dan keluar serta empat daftar SOP
    (unit kerja pengguna SPSE, PPK, ULP/panitia, paket dan pagu)."""
    from pipeline import workspace
    from pipeline.outputs import books, exports

    if csv_path and not buku:
        raise click.UsageError("--csv memerlukan --buku (masuk, keluar, unit, ppk, panitia atau paket).")
    if as_json and buku and not books.BOOKS[buku].per_year:
        raise click.UsageError("--json hanya untuk buku agenda masuk dan keluar.")
    for path in (csv_path, xlsx_path):
        if path:
            workspace.check_output(obj.config, path)
    if as_json:
        with obj.open(lock=False) as ws:
            for key in [buku] if buku else ["masuk", "keluar"]:
                echo_lines(exports.json_lines(ws.register.agenda_with_codes(key, tahun), obj.config))
        return
    keys = [buku] if buku else (list(books.BOOKS) if xlsx_path else ["masuk", "keluar"])
    with obj.open(lock=False) as ws:
        found = books.gather(ws.register, keys, tahun)
    if csv_path or xlsx_path:
        _export(obj.config, found, buku, tahun, csv_path, xlsx_path)
    else:
        _print_books(found)


def _export(config, found, buku, tahun, csv_path, xlsx_path):
    from pipeline.outputs import books, exports

    if csv_path:
        exports.write_csv(csv_path, buku, found[buku])
        out.print(f"{escape(books.BOOKS[buku].title.capitalize())} disimpan di {escape(str(csv_path))}.")
    if xlsx_path:
        subtitle = config.organisation["name"] + (f" \u2014 Tahun {tahun}" if tahun else "")
        exports.write_xlsx(xlsx_path, found, subtitle)
        out.print(f"Buku disimpan di {escape(str(xlsx_path))} ({len(found)} lembar, siap dicetak mendatar).")


def _print_books(found):
    from pipeline.outputs import books, exports

    for key, rows in found.items():
        table = Table(title=books.BOOKS[key].title)
        for column in books.BOOKS[key].columns:
            table.add_column(column.name, overflow="fold")
        for values in exports.text_rows(key, rows):
            table.add_row(*(escape(str(v)) for v in values))
        out.print(table)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Keluaran JSON Lines.")
@click.pass_obj
def journal(obj, as_json):
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
                _styled(entry.hasil),
                entry.jenis,
                entry.kasus or "-",
                escape(" ".join(entry.alasan)),
            )
    out.print(table)


@main.command()
@click.option("--kode", help="Periksa satu dokumen cetak dari kode verifikasinya.")
@click.option("--json", "as_json", is_flag=True, help="Keluaran JSON Lines: satu objek per masalah.")
@click.pass_obj
def verify(obj, kode, as_json):
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
def rebuild_register(obj):
    """Bangun ulang register dari catatannya di arsip (bila register hilang, kosong, atau rusak)."""
    from pipeline import engine

    counts, aside = engine.rebuild_register(obj.config)
    out.print(
        f"Register dibangun ulang dari {counts['catatan']} catatan di arsip: {counts['masuk']} surat "
        f"masuk, {counts['keluar']} surat keluar, {counts['kasus']} kasus."
    )
    if aside:
        out.print(f"Register lama disimpan sebagai {escape(str(aside))}.")


def _verify_code(obj, kode, as_json):
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
@click.argument("nomor")
@click.option("--alasan", required=True, help="Mengapa nomor ini dibatalkan (dicatat di agenda surat keluar).")
@click.pass_obj
def batal(obj, nomor, alasan):
    """Batalkan nomor surat keluar: tetap tercatat di agenda beserta alasannya, tidak dipakai lagi."""
    with obj.open() as ws:
        entry = ws.void(nomor, alasan)
    out.print(
        f"Nomor {escape(entry.nomor_surat)} dibatalkan dan tetap tercatat di agenda surat keluar. "
        f"Kasus {escape(entry.kasus)} kembali menunggu persetujuan untuk Nota Dinas bernomor baru."
    )


@main.command()
@click.argument("kasus")
@click.option("--totp", is_flag=True, help="Pakai kode TOTP yang dikirim BSrE, bukan passphrase.")
@click.pass_obj
def tandatangani(obj, kasus, totp):
    """Tandatangani Nota Dinas bernomor lewat gateway BSrE (NIK dan passphrase diminta di sini, tidak disimpan)."""
    from pipeline import engine

    entry = engine.sign_at_terminal(
        obj.config, kasus, lambda prompt, secret: click.prompt(prompt, hide_input=secret), totp=totp
    )
    out.print(
        f"Nota Dinas kasus {escape(entry.kasus)} telah ditandatangani secara elektronik dan diarsipkan "
        f"({escape(shown(obj.config, entry.lokasi).rsplit('/', 1)[0])})."
    )


@main.group()
def export():
    """Ekspor untuk sistem lain (SRIKANDI)."""


@export.command(name="srikandi")
@click.argument("arguments", nargs=-1, required=True, metavar="[KASUS] FOLDER")
@click.pass_obj
def export_srikandi(obj, arguments):
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
            found = ws.register.find_cases(kasus)
            if len(found) != 1:
                raise PipelineError(
                    f"Kasus \u201c{kasus}\u201d tidak ditemukan (atau cocok dengan lebih dari satu "
                    "kasus; tulis nomor kasusnya)."
                )
            kasus = found[0].id
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
def formulir(obj, folder, nama):
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


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Keluaran JSON Lines: satu objek per pemeriksaan.")
@click.pass_obj
def doctor(obj, as_json):
    """Periksa kesiapan ruang kerja: folder dan haknya, register di disk lokal, templat, LibreOffice,
    sertifikat tanda tangan (berlaku lebih dari 30 hari) dan jam server. Keluar dengan kode 1 bila
    ada galat."""
    from pipeline import doctor as checks

    findings = checks.examine(obj.config)
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
def migrate_register(obj, url):
    """Salin register SQLite ruang kerja ini ke PostgreSQL, buktikan salinannya (jumlah baris,
    nomor agenda, rantai catatan diperiksa pada tujuan), lalu alihkan config.yaml ke sana."""
    from pipeline import config as config_module
    from pipeline import workspace
    from pipeline.register import RegisterLog, open_register, transfer

    config = obj.config
    if config.shared:
        raise PipelineError("Ruang kerja ini sudah memakai register PostgreSQL (register.url di config.yaml).")
    url = config_module.register_url(url)
    with workspace.Lock(config):
        transfer.refuse_unfinished(config)
        with open_register(config) as source:
            target = transfer.open_target(url)
            try:
                transfer.copy(source, target)
                problems = transfer.prove(source, target, RegisterLog(config.archive))
                records, entries = transfer.counts(target)
            finally:
                target.close()
        if problems:
            raise PipelineError(
                "Salinan register di PostgreSQL tidak sama dengan aslinya; config.yaml tidak "
                "diubah dan register SQLite tetap dipakai. " + " ".join(problems)
            )
        aside = transfer.switch(config, url)
    out.print(
        f"Register disalin ke PostgreSQL dan terbukti sama: {records} catatan transaksi, {entries} entri "
        "agenda, rantai catatan cocok dengan arsip."
    )
    out.print(f"config.yaml kini memakai register.url. Register SQLite lama disimpan sebagai {escape(str(aside))}.")
    out.print("Jalankan \u201cpipeline doctor\u201d, lalu mulai layanan lagi.")
