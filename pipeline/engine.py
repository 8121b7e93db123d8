"""The pipeline as a library: open a workspace, then process, serve, act, ask.

``open_workspace(config)`` takes the workspace lock (for commands that
change it), opens the register and returns a ``Workspace``: the library's
front door. It builds the collaborators (the configuration, the register,
the procedure, the filer, the clock, the stop event, the log) and hands
each stage the ones it uses (docs/architecture.md). The CLI and the
benchmarks use the same API.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import logging.handlers
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from pipeline import workspace
from pipeline.clock import Clock
from pipeline.documents import decision_form
from pipeline.documents.owed import OwedPdfs
from pipeline.documents.pdf import Converter, converter_for
from pipeline.errors import PipelineError, os_reason
from pipeline.filing.filer import Filer
from pipeline.filing.verify import CodeCheck, check_code
from pipeline.filing.verify import verify as verify_workspace
from pipeline.inbox import intake
from pipeline.inbox.passes import InboxPass, Progress
from pipeline.letters import voiding
from pipeline.outputs import site, yearly_books
from pipeline.readers.safety import check_text
from pipeline.register import open_register
from pipeline.sop import inputs, views
from pipeline.sop.access import current_account
from pipeline.sop.procedure import Procedure
from pipeline.sop.views import CaseView

if TYPE_CHECKING:
    from pipeline.config import Config
    from pipeline.filing.verify import Problem
    from pipeline.models import Outcome
    from pipeline.outputs.notices import Notifier
    from pipeline.register.records import AgendaEntry, JournalEntry
    from pipeline.register.sql import SqlRegister

LOG = "pipeline"


class Workspace:
    """One workspace opened for work."""

    def __init__(
        self,
        config: Config,
        register: SqlRegister,
        clock: Callable[[], dt.datetime] | None = None,
        log: logging.Logger | None = None,
        stop: threading.Event | None = None,
        converter: Converter | None = None,
    ) -> None:
        self.config = config
        self.register = register
        # Set when the process is asked to stop (SIGTERM, Ctrl+C): a pass ends at the next file
        # boundary and a case at the next step; work that may hang (a conversion) can be handed it.
        self.stop = stop or threading.Event()
        self.procedure = Procedure(config.steps)
        # a conversion in flight is killed when the process is asked to stop; its PDF stays owed
        # (``converter``: one the command made and warmed before opening the workspace, told the same stop)
        self.converter = converter or converter_for(config, self.stop)
        self.clock = Clock(config.timezone, clock)
        self.filer = Filer(config, register, self.clock, self.converter)
        self.log = log or logging.getLogger(LOG)
        self._inbox: InboxPass | None = None
        self._notifier: Notifier | None = None
        self._forms_missing = decision_form.Missing()

    def now(self) -> dt.datetime:
        """The clock's time in the office's zone (``timezone``)."""
        return self.clock.now()

    def start(self) -> list[str]:
        """After a crash: finish or undo interrupted filings, carry on open cases.

        Returns notes for staff (cases that cannot go on yet, and why).
        """
        missing = self.converter.missing()
        notes = [missing] if missing else []
        self.warm_up()
        inbox = self.inbox_pass()
        notes += inbox.recover() + inbox.advance_open_cases()
        for letter in self.register.voided_letters():  # a void whose outbox or pages a crash left unfinished
            if letter.kasus:
                voiding.withdraw(letter, config=self.config, register=self.register, log=self.log)
                voiding.refresh_pages(letter.kasus, config=self.config, register=self.register, log=self.log)
        return notes

    def warm_up(self) -> None:
        """Start the warm LibreOffice in the background when this command will convert (files wait
        in the inbox, PDFs are owed): it starts while the first documents are read and rendered."""
        if self.converter.available and (intake.candidates(self.config.inbox) or self.register.owed_pdfs()):
            self.converter.warm_up()

    def refresh_books(self) -> str | None:
        """Write the books into the archive when the register changed since they were written: this
        year's, and an earlier year's whose agenda entries changed (``yearly_books.refresh_all``).

        Returns None, or the reason they could not be written (the books are
        derived from the register; the next change tries again, nothing is lost).
        """
        head = self.register.chain_head()[0]
        if head == 0:
            return None
        return self._derived(
            lambda: yearly_books.refresh_all(self.config, self.register, self.now().year, head, time.time()),
            "Buku agenda di arsip belum dapat diperbarui ({why}); dicoba lagi pada perubahan berikutnya.",
        )

    def store_views(self) -> str | None:
        """Store the ``status --json`` lines of finished cases that have none yet (a bounded
        number per call: ``views.store_finished``). Returns None, or why they could not be
        stored (a cache: ``status`` describes those cases itself meanwhile)."""
        return self._derived(
            lambda: views.store_finished(
                config=self.config, register=self.register, procedure=self.procedure, clock=self.clock
            ),
            "Ringkasan kasus yang sudah selesai belum dapat disimpan ({why}); dicoba lagi nanti.",
        )

    def refresh_site(self, force: bool = False) -> str | None:
        """Rewrite the status site in ``outbox/status/`` after a change (``force``: also when
        only time passed, or an official was told: the queues say when). Returns None, or why it
        could not be written (tried again later)."""
        self.refresh_code_pages()
        if self._notifier is not None and self._notifier.changed:
            force, self._notifier.changed = True, False
        return self._derived(
            lambda: site.refresh(
                force, config=self.config, register=self.register, procedure=self.procedure, clock=self.clock
            ),
            "Halaman status di outbox/status belum dapat diperbarui ({why}); dicoba lagi nanti.",
        )

    def _derived(self, write: Callable[[], object], says: str) -> str | None:
        """Write something derived from the register (the books, the site): a failure is logged
        and returned as ``says``, never raised; the register holds it all, so nothing is lost."""
        try:
            write()
        except Exception as exc:  # noqa: BLE001 - a derived file that cannot be written never stops the pipeline
            reason = says.format(why=os_reason(exc) if isinstance(exc, OSError) else str(exc))
            self.log.warning(reason)
            return reason
        return None

    def inbox_pass(self) -> InboxPass:
        """The inbox pass, handed what it uses (one per workspace: it remembers the cases it touched)."""
        if self._inbox is None:
            self._inbox = InboxPass(
                self.config,
                self.register,
                self.procedure,
                self.filer,
                self.clock,
                self.stop,
                self.log,
                self.converter.available,
            )
        return self._inbox

    def refresh_code_pages(self) -> None:
        """The verification pages and the officials' decision forms (``decision_form``) of the
        cases the inbox pass touched since the last call, outside any register transaction; a page
        or form that cannot be written is logged and never stops the pipeline (written again with
        the case's next change)."""
        touched = self.inbox_pass().touched
        try:
            touched |= self._forms_missing(self.config)
        except (OSError, KeyError, TypeError) as exc:
            self.log.warning("Daftar formulir keputusan belum dapat dibaca: %s", exc)
        cases = sorted(touched)
        touched.clear()
        for kasus in cases:
            try:
                site.refresh_codes(self.config, self.register, kasus)
            except (OSError, PipelineError) as exc:
                self.log.warning("Halaman verifikasi kasus %s belum dapat ditulis: %s", kasus, exc)
        if cases:
            self._refresh_forms(cases)

    def _refresh_forms(self, cases: list[str]) -> None:
        """The decision forms of ``cases``, in one batch (``decision_form.refresh``); what cannot be
        written is logged."""
        try:
            done, failed = decision_form.refresh(self.config, self.register, self.procedure, cases)
        except OSError as exc:
            self.log.warning("Formulir keputusan kasus %s belum dapat ditulis: %s", ", ".join(cases), exc)
            return
        for line in done:
            self.log.info("%s", line)
        for kasus, problem in failed.items():
            self.log.warning("Formulir keputusan kasus %s belum dapat ditulis: %s", kasus, problem)

    def notify_officials(self) -> list[str]:
        """After a pass: the officials a case now waits for are owed an e-mail, and those due are
        sent (``outputs.notices``; off without ``email.host``). Never raises and never runs inside
        a filing: returns the sending problems not told before (each logged once)."""
        if not self.config.email.enabled:
            return []
        if self._notifier is None:
            from pipeline.outputs.notices import Notifier  # smtplib, loaded where e-mail is on

            self._notifier = Notifier(self.config, self.register, self.procedure, self.clock, self.log)
        return self._notifier.run()

    def owed_pdfs(self) -> OwedPdfs:
        """The maker of the PDFs filings owe, handed what it uses."""
        return OwedPdfs(self.config, self.register, self.converter, self.clock, self.log)

    def process_inbox(self, patience: float = 60.0, progress: Progress | None = None) -> list[Outcome]:
        """Everything ready in the inbox, until nothing is still being written (``progress``:
        see ``InboxPass.run_once``); then the PDFs owed whose next try is due."""
        self.warm_up()
        outcomes = self.inbox_pass().run_all(patience, progress)
        self.refresh_code_pages()
        self.make_owed_pdfs()
        return outcomes

    def owed_summary(self) -> str | None:
        """One line for staff when PDFs are owed (``pipeline run`` prints it), else None."""
        owed = self.register.owed_pdfs()
        if not owed or not self.converter.available:
            return None
        return (
            f"{len(owed)} PDF belum dapat dibuat (LibreOffice gagal atau macet); dokumen .docx dan nomornya "
            "sudah diarsipkan. Lihat \u201cpipeline status\u201d, periksa LibreOffice dengan \u201cpipeline "
            "doctor\u201d, lalu buat PDF-nya dengan \u201cpipeline pdf\u201d (atau tunggu percobaan berikutnya)."
        )

    def make_owed_pdfs(self, force: bool = False, interrupt: threading.Event | None = None) -> tuple[int, list[str]]:
        """The PDFs filings owe, made now where due (``force``: all; ``interrupt``: an Event that
        abandons the one in flight): (made, first-failure notes). Never raises: a derived copy
        that cannot be made never stops the pipeline."""
        try:
            return self.owed_pdfs().drain(force, interrupt)
        except Exception as exc:  # noqa: BLE001 - a derived copy never stops the pipeline
            why = os_reason(exc) if isinstance(exc, OSError) else str(exc)
            note = f"PDF yang tertunda belum dapat dibuat ({why}); dicoba lagi pada pemrosesan berikutnya."
            self.log.warning(note)
            return 0, [note]

    def serve(
        self,
        report: Callable[[list[Outcome]], object],
        notify: Callable[[str], object],
        stop: threading.Event | None = None,
    ) -> None:
        """The service: watch the inbox until ``stop`` (or the workspace's ``stop``) is set."""
        from pipeline.inbox import watch  # watchdog is loaded by the service only

        upkeep = watch.Upkeep(
            owed_pdfs=lambda wake: self.make_owed_pdfs(interrupt=wake)[1],
            site=lambda force: self.refresh_site(force),
            books=self.refresh_books,
            views=self.store_views,
            notices=self.notify_officials,
        )
        watch.serve(self.config, self.register, self.inbox_pass(), upkeep, report, notify, stop or self.stop)

    def act(
        self, rujukan: str, langkah: str, *, lampiran: Path | None = None, **fields: object
    ) -> tuple[Outcome, CaseView | None]:
        """Record a human step, exactly as an action file dropped in the inbox would; ``lampiran``
        (the scan of the signed sheet of a decision recorded ``atas_nama`` an official) goes with it
        as its sidecar scan.

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
            evidence=lampiran,
        )
        name = f"tindakan-{langkah}-{self.now():%Y%m%d-%H%M%S}.yaml"
        text = f"# dicatat dengan pipeline act ({uuid.uuid4().hex[:12]})\n" + yaml.safe_dump(
            data, allow_unicode=True, sort_keys=False
        )
        claim_id, inbound = intake.write_claimed(self.config.work_dir, name, text.encode("utf-8"))
        claimed = [inbound]
        if lampiran is not None:  # after its YAML: a crash between leaves the YAML alone, refused for its scan
            scan_name = Path(name).stem + lampiran.suffix.lower()
            claimed.append(intake.write_claimed(self.config.work_dir, scan_name, lampiran.read_bytes(), claim_id)[1])
        [outcome, *_scan] = self.inbox_pass().settle_safely(claim_id, claimed, current_account())
        self.refresh_code_pages()
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

    def status_lines(self, kasus: str | None = None, everything: bool = False) -> Iterable[str]:
        """``status --json``: one JSON line per case, as ``status`` would give them (a finished
        case's stored line where it still holds)."""
        return views.status_lines(
            kasus, everything, config=self.config, register=self.register, procedure=self.procedure, clock=self.clock
        )

    def journal(self) -> Iterable[JournalEntry]:
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

    def verify(self) -> tuple[list[Problem], int, int]:
        """Every problem with the archive and the register (verify.Problem), files and records checked."""
        return verify_workspace(self.config, self.register)


@contextmanager
def open_workspace(
    config: Config,
    lock: bool = True,
    clock: Callable[[], dt.datetime] | None = None,
    stop: threading.Event | None = None,
    converter: Converter | None = None,
) -> Iterator[Workspace]:
    """A Workspace; with ``lock`` (commands that change it) only one process at a time.
    ``stop``: the event that asks its work to end at the next file boundary; ``converter``: one
    already made (and warmed) by the command, closed with the workspace."""
    workspace.ensure_folders(config)
    with ExitStack() as stack:
        if lock:
            stack.enter_context(workspace.Lock(config))
        register = stack.enter_context(open_register(config, writer=lock))
        ws = Workspace(config, register, clock, stop=stop, converter=converter)
        try:
            yield ws
            if lock:
                ws.refresh_books()
                ws.store_views()
                ws.notify_officials()  # before the site, whose queues say when each official was told
                ws.refresh_site()
        finally:
            ws.converter.close()


def configure_logging(config: Config, to_stderr: bool) -> logging.Logger:
    """The service logs to stderr, and to a rotating file when config names one."""
    logger = logging.getLogger(LOG)
    logger.setLevel(config.log_level.upper())
    logger.handlers.clear()
    logger.propagate = False
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(message)s")
    if to_stderr:
        to_terminal = logging.StreamHandler(sys.stderr)
        to_terminal.setFormatter(formatter)
        logger.addHandler(to_terminal)
    if config.log_file is not None:
        config.log_file.parent.mkdir(parents=True, exist_ok=True)
        to_file = logging.handlers.RotatingFileHandler(
            config.log_file, maxBytes=5 * 1024 * 1024, backupCount=5, encoding="utf-8"
        )
        to_file.setFormatter(formatter)
        logger.addHandler(to_file)
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())
    return logger
