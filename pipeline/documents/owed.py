"""PDFs owed: a document filed as .docx whose PDF LibreOffice could not make at once.

The PDF is a derived copy: a LibreOffice that hangs or crashes never holds
back the agenda number, the original or the .docx (docs/architecture.md,
"PDF"). The filing records each PDF it owes in its own transaction (the
register's ``pdf`` table), so the debt survives any crash; ``OwedPdfs.drain`` makes
them later, one at a time, outside any register transaction, each with its
own time limit, and retries a failure with back-off (``pdf.retry_seconds``,
doubled each time, at most a day). The converter is a replaceable part:
anything with ``convert(sources, folder, timeout)`` will do.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import uuid
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import ArchiveError, ConversionStopped, PipelineError, os_reason
from pipeline.filing.archive import READ_ONLY, fsync_dir, fsync_file, locate, remove_tree, sha256_file, shown
from pipeline.filing.filer import copy_atomic

if TYPE_CHECKING:
    import logging
    import threading

    from pipeline.clock import Clock
    from pipeline.config import Config
    from pipeline.documents.pdf import Converter
    from pipeline.register.records import AgendaEntry, OwedPdf
    from pipeline.register.sql import SqlRegister

DAY = 24 * 3600
SCALE_BYTES = 2 * 1024 * 1024  # each started 2 MB of a document's text adds one pdf.timeout_seconds...
MAX_SCALE = 20  # ...up to twenty times the configured limit
LETTER = "nota-dinas.docx"


def next_try(config: Config, now: dt.datetime, attempts: int) -> str:
    """When an owed PDF that failed ``attempts`` times is tried again (ISO time)."""
    seconds = min(config.pdf_retry * 2 ** max(attempts - 1, 0), DAY)
    return (now + dt.timedelta(seconds=seconds)).isoformat(timespec="seconds")


def scale(docx: Path) -> int:
    """How many ``pdf.timeout_seconds`` a document may take: one for each started 2 MB of its
    text (word/document.xml; a registration of thousands of packages renders a long table),
    at most twenty."""
    try:
        with zipfile.ZipFile(docx) as package:
            size = package.getinfo("word/document.xml").file_size
    except (OSError, KeyError, zipfile.BadZipFile):
        size = docx.stat().st_size
    return min(MAX_SCALE, 1 + size // SCALE_BYTES)


def time_limit(config: Config, docx: Path) -> float:
    """A document's conversion time limit (``scale``)."""
    return config.pdf_timeout * scale(docx)


def failure_note(rel: str, problem: str, when: str) -> str:
    """What staff read, once, when an owed PDF could not be made."""
    return (
        f"PDF {rel} belum dapat dibuat: {problem.rstrip('.')}. Dokumen .docx-nya sudah diarsipkan dan "
        f"nomornya tercatat; PDF dicoba lagi mulai {when}. Periksa LibreOffice dengan \u201cpipeline "
        "doctor\u201d, lalu buat PDF yang tertunda dengan \u201cpipeline pdf\u201d."
    )


class OwedPdfs:
    """Making the PDFs filings owe, with what that uses: the config, the register, the
    converter, the clock and the log."""

    def __init__(
        self, config: Config, register: SqlRegister, converter: Converter, clock: Clock, log: logging.Logger
    ) -> None:
        self.config = config
        self.register = register
        self.converter = converter
        self.clock = clock
        self.log = log

    def drain(self, force: bool = False, interrupt: threading.Event | None = None) -> tuple[int, list[str]]:
        """Make the owed PDFs whose next try is due (every one with ``force``), oldest first.

        Returns (made, notes): how many were made, and one note for each PDF that failed for the
        first time. Without ``force`` a failure of a document of ordinary length ends the pass
        (LibreOffice may be down; the converter rests for ``pdf.retry_seconds``). A set stop
        event, or ``interrupt`` (the service's wake-up: new files), ends it at once; the PDF in
        flight stays owed, not counted as a failure.
        """
        converter, made, notes = self.converter, 0, list[str]()
        if not converter.available or (converter.resting and not force):
            return made, notes
        converter.interrupt = interrupt
        try:
            return self._drain(force, made, notes)
        finally:
            converter.interrupt = None

    def _drain(self, force: bool, made: int, notes: list[str]) -> tuple[int, list[str]]:
        """``drain``'s loop over the owed PDFs."""
        converter = self.converter
        now = self.clock.now().isoformat(timespec="seconds")
        for item in self.register.owed_pdfs():
            if any(event is not None and event.is_set() for event in (converter.stop, converter.interrupt)):
                break
            if (item.berikutnya and item.berikutnya > now and not force) or not locate(
                self.config, item.folder
            ).is_dir():
                continue  # not due yet, or its folder not yet published (the next pass publishes it)
            try:
                self.make(item)
                made += 1
            except ConversionStopped:
                break  # abandoned, still owed: made on a later start
            except PipelineError as exc:
                long = self._long(item)
                notes += self.failed(item, str(exc), rest=not long)
                if not (force or long):
                    break
        return made, notes

    def _long(self, item: OwedPdf) -> bool:
        """True for a document longer than ordinary (its time limit scaled up): its failure says
        nothing about LibreOffice, so the others are still tried."""
        try:
            return scale(locate(self.config, item.folder) / item.berkas) > 1
        except OSError:
            return False

    def make(self, item: OwedPdf) -> None:
        """Convert one owed PDF, place it in its archive folder and its outbox copy, then record it."""
        config, register = self.config, self.register
        folder = locate(config, item.folder)
        target = folder / item.pdf
        if not target.is_file():  # else an earlier attempt (or another host) placed it and stopped before recording it
            self._place(item, folder / item.berkas, target)
        _outbox_copy(config, item, target)
        letter = self._letter_to_sign(item)
        signed = self._signature_of(target) if letter is not None else None
        with register.transaction():
            register.pdf_made(item.folder, item.berkas, sha256_file(target), self.clock.stamp())
            if (
                signed is not None
                and letter is not None
                and not (register.letter_in(item.folder) or letter).ditandatangani
            ):
                register.record_signed(letter, *signed)
        register.pdf_tried(item.folder, item.berkas, 0, "", "")
        self.log.info("PDF %s dibuat.", shown(config, f"{item.folder}/{item.pdf}"))

    def _place(self, item: OwedPdf, docx: Path, target: Path) -> None:
        """Convert ``docx`` in a private staging folder, sign it where the letter needs it, then link
        it into the archive folder, read-only; never over a file already there."""
        work = self.config.staging_dir / f"pdf-{uuid.uuid4().hex}"
        try:
            work.mkdir(parents=True)
            source = work / docx.name
            shutil.copyfile(docx, source)
            [pdf] = self.converter.convert([source], work, timeout=time_limit(self.config, docx))
            letter = self._letter_to_sign(item)
            if letter is not None:
                self._sign(letter, item, pdf)
            fsync_file(pdf)
            pdf.chmod(READ_ONLY)
            try:
                os.link(pdf, target)
            except FileExistsError:
                pass  # another host made it first: theirs stands
            except OSError:
                if not target.exists():
                    os.rename(pdf, target)  # a file system without hard links
            pdf.unlink(missing_ok=True)  # before the folder is removed (remove_tree makes files writable)
            fsync_dir(target.parent)
        except OSError as exc:
            raise ArchiveError(f"PDF tidak dapat ditulis di {target.parent}: {os_reason(exc)}.") from None
        finally:
            remove_tree(work)

    def _letter_to_sign(self, item: OwedPdf) -> AgendaEntry | None:
        """The numbered letter whose owed PDF this is, when ``signing.method: pkcs12`` signs it here."""
        from pipeline.letters.signing import PKCS12

        if self.config.signing.method != PKCS12 or item.berkas != LETTER:
            return None
        letter = self.register.letter_in(item.folder)
        return letter if letter is not None and letter.folder == item.folder and not letter.batal else None

    def _sign(self, letter: AgendaEntry, item: OwedPdf, pdf: Path) -> None:
        """The numbered letter's PDF is signed before it joins its folder, as the approval's filing would have."""
        from pipeline.documents.codes import target
        from pipeline.letters.signing import sign_pkcs12

        code = next((c for c in self.register.codes(folder=item.folder) if c.berkas == LETTER), None)
        qr_url = target(self.config, code.kode) if code else ""
        sign_pkcs12(
            self.config.signing,
            pdf,
            qr_url,
            f"Persetujuan Nota Dinas Nomor {letter.nomor_surat}",
            self.config.organisation["city"],
            self.clock.now(),
        )

    def _signature_of(self, pdf: Path) -> tuple[str, str] | None:
        """(when, who) of the signature the placed PDF carries, read from the file itself: right
        whoever placed it, and after a crash between placing and recording it."""
        from pipeline.letters.signing import check_pdf

        intact = [c for c in check_pdf(self.config.signing, pdf) if c.intact]
        if not intact:
            return None
        moment = intact[0].signed_at or self.clock.now()
        return moment.astimezone(self.config.timezone).isoformat(timespec="seconds"), intact[0].signer

    def failed(self, item: OwedPdf, problem: str, rest: bool = True) -> list[str]:
        """Remember a failed attempt and its next try (``rest``: LibreOffice rests too); the note to
        report when it is the first."""
        attempts = item.percobaan + 1
        when = next_try(self.config, self.clock.now(), attempts)
        if rest:
            self.converter.rest(self.config.pdf_retry)
        self.register.pdf_tried(item.folder, item.berkas, attempts, when, problem)
        if item.percobaan:
            return []
        note = failure_note(shown(self.config, f"{item.folder}/{item.pdf}"), problem, when)
        self.log.warning(note)
        return [note]


def _outbox_copy(config: Config, item: OwedPdf, target: Path) -> None:
    """The PDF's outbox copy beside its .docx, unless a newer version of the document (same outbox
    name) has taken that place meanwhile: an old PDF never stands beside a newer .docx."""
    if not item.keluaran:
        return
    destination = config.outbox / item.keluaran
    beside = destination.with_suffix(".docx")
    if beside.is_file() and sha256_file(beside) != sha256_file(locate(config, item.folder) / item.berkas):
        return
    copy_atomic(config, target, destination)


def describe(config: Config, item: OwedPdf) -> dict[str, object]:
    """An owed PDF as ``status --json`` shows it; ``menunggu_ttd``: the electronic signature waits for it."""
    return {
        "berkas": shown(config, f"{item.folder}/{item.pdf}"),
        "percobaan": item.percobaan,
        "coba_lagi": item.berikutnya or None,
        "galat": item.galat or None,
        "menunggu_ttd": bool(config.signing.electronic and item.berkas == LETTER),
    }
