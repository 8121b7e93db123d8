"""The pipeline as a library: open a workspace, then process, serve, act, ask.

``open_workspace(config)`` takes the workspace lock (for commands that
change it), opens the register and returns a ``Workspace``: the one object
every stage receives, holding the configuration, the register, the
procedure, the clock and the log. The CLI and the benchmarks use the same
API (docs/architecture.md).
"""

import datetime as dt
import itertools
import logging
import logging.handlers
import os
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterable
from contextlib import ExitStack, contextmanager
from pathlib import Path

import yaml

from pipeline import workspace
from pipeline.access import current_account
from pipeline.clock import Clock
from pipeline.documents.pdf import Converter
from pipeline.errors import InputRefused, PipelineError, RegisterError, WorkspaceBusy, os_reason
from pipeline.filing.archive import locate
from pipeline.filing.filer import Filer
from pipeline.filing.verify import CodeCheck, check_code
from pipeline.filing.verify import verify as verify_workspace
from pipeline.inbox import intake, run
from pipeline.letters import voiding
from pipeline.letters.to_sign import gateway_stamp, to_sign
from pipeline.models import Outcome
from pipeline.outputs import books, site
from pipeline.readers.safety import check_text
from pipeline.register import AgendaEntry, JournalEntry, RegisterLog, open_register
from pipeline.register.replay import replay
from pipeline.sop import fit, inputs, views
from pipeline.sop.procedure import Procedure
from pipeline.sop.views import CaseView

LOG = "pipeline"


class Workspace:
    """One workspace opened for work."""

    def __init__(self, config, register, clock=None, log=None, stop=None):
        self.config = config
        self.register = register
        # Set when the process is asked to stop (SIGTERM, Ctrl+C): a pass ends at the next file
        # boundary and a case at the next step; work that may hang (a conversion) can be handed it.
        self.stop = stop or threading.Event()
        self.procedure = Procedure(config.steps)
        # a conversion in flight is killed when the process is asked to stop; its PDF stays owed
        self.converter = Converter(
            config.pdf_enabled,
            config.pdf_timeout,
            stop=self.stop,
            warm=config.pdf_warm,
            restart_after=config.pdf_restart_after,
            python=config.pdf_uno_python,
        )
        self.filer = Filer(config, register, self.converter)
        self.clock = Clock(config.timezone, clock)
        self.log = log or logging.getLogger(LOG)

    def now(self):
        """The clock's time in the office's zone (``timezone``)."""
        return self.clock.now()

    def start(self) -> list[str]:
        """After a crash: finish or undo interrupted filings, carry on open cases.

        Returns notes for staff (cases that cannot go on yet, and why).
        """
        notes = [self.converter.missing()] if self.converter.missing() else []
        notes += run.recover(self) + run.advance_open_cases(self)
        for letter in self.register.voided_letters():  # a void whose outbox or pages a crash left unfinished
            if letter.kasus:
                voiding.withdraw(letter, config=self.config, register=self.register, log=self.log)
                voiding.refresh_pages(letter.kasus, config=self.config, register=self.register, log=self.log)
        return notes

    def refresh_books(self):
        """Write the books into the archive when the register changed since they were written: this
        year's, and an earlier year's whose agenda entries changed (``books.refresh_all``).

        Returns None, or the reason they could not be written (the books are
        derived from the register; the next change tries again, nothing is lost).
        """
        head = self.register.chain_head()[0]
        if head == 0:
            return None
        return self._derived(
            lambda: books.refresh_all(self.config, self.register, self.now().year, head, time.time()),
            "Buku agenda di arsip belum dapat diperbarui ({why}); dicoba lagi pada perubahan berikutnya.",
        )

    def refresh_site(self, force=False):
        """Rewrite the status site in ``outbox/status/`` after a change (``force``: also when
        only time passed). Returns None, or why it could not be written (tried again later)."""
        return self._derived(
            lambda: site.refresh(
                force, config=self.config, register=self.register, procedure=self.procedure, clock=self.clock
            ),
            "Halaman status di outbox/status belum dapat diperbarui ({why}); dicoba lagi nanti.",
        )

    def _derived(self, write, says):
        """Write something derived from the register (the books, the site): a failure is logged
        and returned as ``says``, never raised; the register holds it all, so nothing is lost."""
        try:
            write()
        except Exception as exc:  # noqa: BLE001 - a derived file that cannot be written never stops the pipeline
            reason = says.format(why=os_reason(exc) if isinstance(exc, OSError) else str(exc))
            self.log.warning(reason)
            return reason
        return None

    def process_inbox(self, patience=60.0, progress=None):
        """Everything ready in the inbox, until nothing is still being written (``progress``:
        see ``run.run_once``); then the PDFs owed whose next try is due."""
        outcomes = run.run_all(self, patience, progress)
        self.make_owed_pdfs()
        return outcomes

    def owed_summary(self):
        """One line for staff when PDFs are owed (``pipeline run`` prints it), else None."""
        owed = self.register.owed_pdfs()
        if not owed or not self.converter.available:
            return None
        return (
            f"{len(owed)} PDF belum dapat dibuat (LibreOffice gagal atau macet); dokumen .docx dan nomornya "
            "sudah diarsipkan. Lihat \u201cpipeline status\u201d, periksa LibreOffice dengan \u201cpipeline "
            "doctor\u201d, lalu buat PDF-nya dengan \u201cpipeline pdf\u201d (atau tunggu percobaan berikutnya)."
        )

    def make_owed_pdfs(self, force=False, interrupt=None):
        """The PDFs filings owe, made now where due (``force``: all; ``interrupt``: an Event that
        abandons the one in flight): (made, first-failure notes). Never raises: a derived copy
        that cannot be made never stops the pipeline."""
        from pipeline.documents import owed

        try:
            return owed.drain(self, force, interrupt)
        except Exception as exc:  # noqa: BLE001 - a derived copy never stops the pipeline
            why = os_reason(exc) if isinstance(exc, OSError) else str(exc)
            note = f"PDF yang tertunda belum dapat dibuat ({why}); dicoba lagi pada pemrosesan berikutnya."
            self.log.warning(note)
            return 0, [note]

    def serve(self, report, notify, stop=None):
        """The service: watch the inbox until ``stop`` (or the workspace's ``stop``) is set."""
        from pipeline.inbox import watch

        watch.serve(self, report, notify, stop)

    def act(self, rujukan: str, langkah: str, **fields: object) -> tuple[Outcome, CaseView | None]:
        """Record a human step, exactly as an action file dropped in the inbox would.

        Raises InputRefused when the action does not fit the case; returns the
        outcome and the case's status afterwards.
        """
        data = {"jenis": "tindakan", "rujukan": rujukan, "langkah": langkah, **{k: v for k, v in fields.items() if v}}
        check_text(data, "tindakan")  # an argument typed in another encoding
        inputs.check_action(
            data,
            current_account(),
            config=self.config,
            register=self.register,
            procedure=self.procedure,
            clock=self.clock,
            pdf_available=self.converter.available,
        )
        name = f"tindakan-{langkah}-{self.now():%Y%m%d-%H%M%S}.yaml"
        text = f"# dicatat dengan pipeline act ({uuid.uuid4().hex[:12]})\n" + yaml.safe_dump(
            data, allow_unicode=True, sort_keys=False
        )
        claim_id, inbound = intake.write_claimed(self.config.work_dir, name, text.encode("utf-8"))
        [outcome] = run.settle_safely(self, claim_id, [inbound], current_account())
        found = self.register.find_cases(outcome.kasus or rujukan)
        described = (
            views.describe(found[-1], self.now(), config=self.config, register=self.register, procedure=self.procedure)
            if found
            else None
        )
        return outcome, described

    def status(self, kasus: str | None = None, everything: bool = False) -> Iterable[CaseView]:
        """Cases as ``status --json`` shows them: those matching an id or memo nomor, else the
        unfinished ones, or with ``everything`` every case (streamed, for 100,000 cases)."""
        return views.status(
            kasus, everything, config=self.config, register=self.register, procedure=self.procedure, clock=self.clock
        )

    def journal(self):
        """Every input ever taken, then the files lying in the inbox now."""
        return itertools.chain(self.register.journal(), intake.untaken(self.config))

    def void(self, nomor: str, alasan: str) -> AgendaEntry:
        """``pipeline batal``: void an outgoing number, as the account that runs it."""
        return voiding.void(
            nomor,
            alasan,
            current_account(),
            config=self.config,
            register=self.register,
            procedure=self.procedure,
            clock=self.clock,
            log=self.log,
        )

    def check_code(self, typed: str) -> CodeCheck:
        """What a printed document's verification code says (``verify --kode``)."""
        return check_code(self.config, self.register, typed)

    def verify(self):
        """Every problem with the archive and the register (verify.Problem), files and records checked."""
        return verify_workspace(self.config, self.register)


def hand_over(config, rujukan, langkah, patience=60.0, **fields):
    """``pipeline act`` while ``watch`` holds the workspace: drop the action in the inbox for
    the service (as the account that runs act), wait for its journal entry, return the outcome.

    Raises InputRefused when it is refused, here or by the service.
    """
    data = {"jenis": "tindakan", "rujukan": rujukan, "langkah": langkah, **{k: v for k, v in fields.items() if v}}
    check_text(data, "tindakan")
    with open_workspace(config, lock=False) as ws:
        inputs.check_action(
            data,
            current_account(),
            config=ws.config,
            register=ws.register,
            procedure=ws.procedure,
            clock=ws.clock,
            pdf_available=ws.converter.available,
        )
        name = f"tindakan-{langkah}-{ws.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:6]}.yaml"
    text = f"# diserahkan oleh pipeline act ({name})\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    sha256 = intake.drop_in(config.inbox, name, text.encode("utf-8"))
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        with open_workspace(config, lock=False) as ws:
            entry = ws.register.last_journal(sha256)
            settled = entry is not None and (entry.hasil != "menunggu" or not _due_now(ws, entry, langkah))
        if settled:
            if entry.hasil == "ditolak":
                raise InputRefused(list(entry.alasan), kind="tindakan")
            return entry
        time.sleep(0.2)
    raise PipelineError(
        f"Tindakan sudah diserahkan ke proses pipeline yang sedang berjalan sebagai {name}, "
        f"tetapi belum diproses dalam {patience:.0f} detik. Lihat hasilnya dengan "
        "\u201cpipeline journal\u201d."
    )


def sign_at_terminal(config, kasus, ask, totp=False, patience=120.0):
    """``pipeline tandatangani``: the signer gives NIK and passphrase (or a TOTP) through ``ask(prompt, secret)``;
    the BSrE gateway signs the letter's PDF; the returned file is checked, then handed to the pipeline
    through the inbox as the signer's account. The secrets are never stored.

    Returns the journal entry of the signed copy.
    """
    from pipeline.letters import bsre
    from pipeline.letters.signing import SigningError, check_pdf
    from pipeline.register.keys import letter_key

    account = current_account()
    with open_workspace(config, lock=False) as ws:
        letter = to_sign(kasus, account, config=ws.config, register=ws.register, procedure=ws.procedure)
        pdf_path = locate(config, ws.register.letter_pdf(letter))
        stamp = gateway_stamp(letter, pdf_path, config=ws.config, register=ws.register)
    original = pdf_path.read_bytes()
    nik = ask("NIK penanda tangan", False).strip()
    if totp:
        bsre.request_totp(config.signing, nik)
        signed, _status, said = bsre.sign_pdf(config.signing, original, nik, totp=ask("Kode TOTP", True), stamp=stamp)
    else:
        signed, _status, said = bsre.sign_pdf(
            config.signing, original, nik, passphrase=ask("Passphrase", True), stamp=stamp
        )
    name = f"{letter_key(letter.nomor_surat)}.pdf"
    with tempfile.TemporaryDirectory() as temp:
        candidate = Path(temp) / name
        candidate.write_bytes(signed)
        if not signed.startswith(original) or not any(c.intact for c in check_pdf(config.signing, candidate)):
            raise SigningError(
                f"Gateway BSrE mengembalikan berkas yang bukan Nota Dinas {letter.nomor_surat} "
                f"bertanda tangan utuh (jawaban gateway: {said}). Surat belum ditandatangani; coba lagi."
            )
    try:
        with open_workspace(config) as ws:  # filed here, as the account that signed at this terminal
            claim_id, inbound = intake.write_claimed(config.work_dir, name, signed)
            run.settle_safely(ws, claim_id, [inbound], account)
        sha256 = inbound.sha256
    except WorkspaceBusy:  # the running service takes it from the inbox, as the file's owner
        sha256 = intake.drop_in(config.inbox, name, signed)
    return _journal_outcome(config, sha256, patience, name)


def _journal_outcome(config, sha256, patience, name):
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        with open_register(config, writer=False) as register:
            entry = register.last_journal(sha256)
        if entry is not None and entry.lokasi != "inbox":
            if entry.hasil == "ditolak":
                raise InputRefused(list(entry.alasan), kind="surat_keluar_ttd")
            return entry
        time.sleep(0.2)
    raise PipelineError(
        f"Surat bertanda tangan sudah diletakkan di inbox sebagai {name}, tetapi belum diproses "
        f"dalam {patience:.0f} detik. Lihat hasilnya dengan \u201cpipeline journal\u201d."
    )


def _due_now(ws: Workspace, entry: JournalEntry, langkah: str) -> bool:
    """True while a kept action is for the step its case stands at: the service applies it next."""
    case = ws.register.case(entry.kasus) if entry.kasus else None
    return case is not None and fit.due(langkah, ws.register.steps(case.id), ws.procedure)


def rebuild_register(config, clock=None):
    """``pipeline rebuild-register``: the register again, from its log in the archive.

    Built in a new file beside it and put in place only when the whole log
    replayed; a register file already there is kept aside, never deleted.
    Returns (records replayed, the rebuilt register's counts, where the old one went).
    """
    if config.shared:
        raise PipelineError(
            "Register ruang kerja ini ada di PostgreSQL (register.url). Pulihkan basis datanya "
            "dari cadangan (pg_dump/pg_restore), lalu jalankan \u201cpipeline verify\u201d: "
            "register dibandingkan dengan catatannya di arsip."
        )
    workspace.ensure_folders(config)
    with workspace.Lock(config):
        log = RegisterLog(config.archive)
        _refuse_newer_register(config, log)
        if not log.last():
            raise PipelineError(
                "Arsip tidak memuat catatan register (archive/catatan-register), sehingga register "
                "tidak dapat dibangun ulang. Pulihkan register.sqlite3 dari cadangan."
            )
        temp = config.archive / f".register-baru-{uuid.uuid4().hex[:8]}.sqlite3"
        rebuilt, problems = replay(log, temp)
        counts = {**rebuilt.counts(), "catatan": rebuilt.chain_head()[0]}
        rebuilt.close()
        if problems:
            temp.unlink(missing_ok=True)
            raise PipelineError(
                "Catatan register di arsip tidak utuh, register tidak dibangun ulang: " + " ".join(problems)
            )
        stamp = (clock or (lambda: dt.datetime.now(config.timezone)))().strftime("%Y%m%d-%H%M%S")
        aside = config.register_path.with_name(f"register.sqlite3.lama-{stamp}")
        for suffix in ("", "-wal", "-shm"):
            old = config.register_path.with_name(config.register_path.name + suffix)
            if old.exists():
                os.replace(old, aside.with_name(aside.name + suffix))
        os.replace(temp, config.register_path)
        return counts, (aside if aside.exists() else None)


def _refuse_newer_register(config, log):
    """A register holding more than its log is worth more than a rebuild: keep it."""
    try:
        with open_register(config, writer=True) as existing:  # also puts staged log records in place
            head = existing.chain_head()[0]
    except RegisterError:
        return  # missing, empty, older than the log or unreadable: what a rebuild is for
    if head > log.last():
        raise PipelineError(
            f"Register memuat catatan sampai nomor {head}, lebih banyak daripada catatannya di arsip (sampai "
            f"nomor {log.last()}). Register tidak dibangun ulang agar catatan yang lebih baru tidak hilang; "
            "periksa apakah folder archive/catatan-register dipulihkan dari salinan lama."
        )


@contextmanager
def open_workspace(config, lock=True, clock=None, stop=None):
    """A Workspace; with ``lock`` (commands that change it) only one process at a time.
    ``stop``: the event that asks its work to end at the next file boundary."""
    workspace.ensure_folders(config)
    with ExitStack() as stack:
        if lock:
            stack.enter_context(workspace.Lock(config))
        register = stack.enter_context(open_register(config, writer=lock))
        ws = Workspace(config, register, clock, stop=stop)
        try:
            yield ws
            if lock:
                ws.refresh_books()
                ws.refresh_site()
        finally:
            ws.converter.close()


def configure_logging(config, to_stderr):
    """The service logs to stderr, and to a rotating file when config names one."""
    logger = logging.getLogger(LOG)
    logger.setLevel(config.log_level.upper())
    logger.handlers.clear()
    logger.propagate = False
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(message)s")
    if to_stderr:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(formatter)
        logger.addHandler(handler)
    if config.log_file is not None:
        config.log_file.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            config.log_file, maxBytes=5 * 1024 * 1024, backupCount=5, encoding="utf-8"
        )
        handler.setFormatter(formatter)
        logger.addHandler(handler)
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())
    return logger
