"""What a step's handler is handed: one step of one case being run now (docs/architecture.md,
"The procedure").

A handler reads the case through its ``StepRun`` (the memo, the registration, the
pending action, who and when) and records through its intents (documents filed,
the step completed or held, data applied, the case sent back, the letter's number
and sending). It holds the collaborators the intents need (config, register,
procedure, filer, clock), never the workspace. The runner that makes it is
``sop.cases``; a handler never calls back into the runner.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pipeline.documents import codes
from pipeline.documents import contexts as documents
from pipeline.documents.render import render
from pipeline.errors import RegisterError
from pipeline.filing import filer as filing
from pipeline.filing.archive import locate
from pipeline.filing.filer import Bound, Filing
from pipeline.register import AgendaEntry, Case, Document, Event, StepRecord
from pipeline.sop import access, fit
from pipeline.sop.inputs import action_when
from pipeline.states import CaseStatus, Decision, StepStatus

if TYPE_CHECKING:
    from pipeline.clock import Clock
    from pipeline.config import Config
    from pipeline.filing.filer import Filer
    from pipeline.models import Memo
    from pipeline.register import KeptInput
    from pipeline.register.sql import SqlRegister
    from pipeline.sop.procedure import Procedure, Step


@dataclass(frozen=True)
class Opening:
    """The memo a case is being opened for, before the register holds it: what the opening
    step's handler reads (``StepRun.opening``)."""

    memo: Memo
    nomor_agenda: str


class StepRun:
    """One step of one case being run now, with the collaborators its handler records through."""

    def __init__(
        self,
        case: Case,
        step: Step,
        *,
        config: Config,
        register: SqlRegister,
        procedure: Procedure,
        filer: Filer,
        clock: Clock,
        now: dt.datetime | None = None,
        opening: Opening | None = None,
    ) -> None:
        self.case, self.step = case, step
        self.config, self.register, self.procedure, self.filer, self.clock = config, register, procedure, filer, clock
        self.kasus = case.id
        self.opening = opening  # set while the memo is being filed: the case is not in the register yet
        self.records: dict[str, StepRecord] = {} if opening else register.steps(case.id)
        self.record: StepRecord | None = self.records.get(step.key)
        self.now = now or clock.now()
        self.memo_files: dict[str, Callable[[Any], Any]] = {}  # the opening's documents: {name: writer}
        self.memo_codes: dict[str, tuple[str, str, str]] = {}
        self._memo: AgendaEntry | None = None
        self._documents: dict[str, tuple[Document, str]] = {}

    @property
    def stamp(self) -> str:
        return self.now.isoformat(timespec="seconds")

    @property
    def pdf_available(self) -> bool:
        """Whether PDFs can be made here (LibreOffice configured and found)."""
        return self.filer.converter is not None and bool(self.filer.converter.available)

    def refresh(self) -> None:
        """Read the case's step records again (after this run recorded some)."""
        self.records = self.register.steps(self.kasus)
        self.record = self.records[self.step.key]

    # -- what a handler reads ----------------------------------------------

    @property
    def memo(self) -> AgendaEntry:
        """The case's entry in the agenda surat masuk."""
        if self._memo is None:
            found = self.register.incoming(self.kasus)
            if found is None:
                raise RegisterError(f"Kasus {self.kasus} tidak memiliki agenda surat masuk di register.")
            self._memo = found
        return self._memo

    def registration(self) -> KeptInput | None:
        return self.register.registration(self.kasus)

    def pending(self, jenis: str, langkah: str | None = None) -> list[KeptInput]:
        return self.register.pending_inputs(self.kasus, jenis, langkah)

    def action(self, langkah: str | None = None) -> KeptInput | None:
        """The oldest kept action for this step (or ``langkah``) that still holds, or None.

        A decision on a step after the data step binds to the data it saw: one
        that came before the registration now applied is made void.
        """
        for action in self.pending("tindakan", langkah or self.step.key):
            if not self.stale(action):
                return action
            with self.register.transaction():
                self.register.void_input(
                    action,
                    self.stamp,
                    (
                        f"Dibatalkan: tindakan {action.langkah} ini diterima sebelum data registrasi yang "
                        "sekarang berlaku. Catat ulang setelah memeriksa data yang baru."
                    ),
                )
        return None

    def stale(self, action: KeptInput) -> bool:
        """True when ``action`` judges data and newer data came after it (``fit.stale``)."""
        if not fit.judges_data(self.step, self.procedure):
            return False  # the registration is not read for a step that does not judge it
        current = self.registration()
        return fit.stale(self.step, action.dasar, current.id if current else None, self.procedure)

    def when(self, action: KeptInput) -> dt.datetime:
        """When the action was done: its ``waktu`` (or now), never before the steps the case did
        since it was kept (an early action applied later)."""
        stated = action_when(action.data, self.config.timezone) or self.now
        done = [dt.datetime.fromisoformat(r.selesai) for r in self.records.values() if r.selesai]
        return max([stated, *done])

    def who(self, action: KeptInput, default: str | None = None) -> str:
        """The name an action gives for who did it (for documents). A decision made on paper names
        the official, and who recorded it on the official's behalf."""
        on_behalf = self.on_behalf(action)
        if on_behalf:
            return f"{action.data.get('pejabat') or action.data['atas_nama']} ({on_behalf})"
        return action.data.get("oleh") or default or self.step.actor

    def by(self, action: KeptInput, default: str | None = None) -> str:
        """Who recorded an action, for the step record and its event: the name and the account;
        for a decision made on paper, "dicatat oleh <staf> (akun <akun>) atas nama <pejabat>"."""
        on_behalf = self.on_behalf(action)
        if on_behalf:
            return on_behalf
        account = action.data.get("akun")
        return f"{self.who(action, default)} (akun {account})" if account else self.who(action, default)

    def on_behalf(self, action: KeptInput) -> str | None:
        """ "dicatat oleh <staf> (akun <akun>) atas nama <pejabat>" for a decision staff recorded on an
        official's behalf with the signed sheet (``atas_nama``); None for any other action."""
        data = action.data
        if not data.get("atas_nama"):
            return None
        account = str(data.get("akun") or "")
        return access.recorded_on_behalf(
            str(data.get("pencatat") or account), account, str(data.get("pejabat") or data["atas_nama"])
        )

    def signer(self) -> str:
        """The name of the official who holds this step's role (for documents): the first of its
        roles the config names an official for, else the step's actor."""
        role = next((r for r in self.step.role if r in self.config.officials), None)
        return self.config.officials[role].nama if role else self.step.actor

    def context(self, registration: KeptInput | None = None, data: dict | None = None) -> dict:
        """The base document context, with the case's data when there is some."""
        result = documents.base_context(self.config, self.memo, self.case, self.now)
        if registration is not None:
            result.update(
                data=documents.data_context(data or registration.data),
                data_diterima=registration.diterima,
                data_berkas=", ".join(registration.files),
            )
        return result

    # -- filing a step's documents --------------------------------------------

    def memo_document(self, jenis: str | None, context: dict) -> None:
        """The opening step's document, filed with the memo itself (its own folder), numbered
        by the transaction that files it; with its verification code."""
        assert jenis, f"langkah {self.step.key} tidak menyebut dokumen"
        code, printed = self.filer.new_code(self.kasus, jenis)
        context = codes.attach(context, printed)
        template = self.config.template(jenis)
        name = f"{documents.file_name(jenis)}.docx"
        self.memo_files[name] = lambda path: render(template, context, path)
        self.memo_codes[name] = (code, self.kasus, jenis)

    def document(self, jenis: str | None, context: dict, template: str | None = None) -> filing.Prepared:
        """Render a case document into staging (outside any transaction); return it Prepared.

        It carries a verification code and its QR (``keaslian`` in the template).
        ``jenis``: the document kind (a step's ``document``, which the table gives every step that makes one).
        """
        assert jenis, f"langkah {self.step.key} tidak menyebut dokumen"
        versi = self.register.next_version(self.kasus, jenis)
        base = documents.file_name(jenis)
        name, number = f"{base}.docx", self.step.number
        code, printed = self.filer.new_code(self.kasus, jenis)
        context = codes.attach(context, printed)
        source = self.config.template(template or jenis)
        suffix = "" if versi == 1 else f"_v{versi}"
        case_folder = locate(self.config, self.memo.folder)
        prepared = self.filer.prepare(
            Filing(
                case_folder / "dokumen" / f"{number:02d}_{base}_v{versi}",
                anchor=case_folder,
                writers={name: lambda path: render(source, context, path)},
                metadata={
                    "kasus": self.kasus,
                    "langkah": self.step.key,
                    "jenis": jenis,
                    "versi": versi,
                    "dibuat": self.stamp,
                },
                outbox={name: self.config.outbox / self.kasus / f"{self.kasus}_{number:02d}_{base}{suffix}.docx"},
                codes={name: Bound(code, self.kasus, jenis)},
                pdf=True,
            ),
        )
        self._documents[prepared.rel] = (
            Document(self.kasus, number, jenis, versi, self.stamp, prepared.rel, prepared.berkas, prepared.digests),
            name,
        )
        return prepared

    def path(self, prepared: filing.Prepared) -> str:
        """Where a prepared case document will lie, relative to the archive."""
        return prepared.path(self._documents[prepared.rel][1])

    def _paths(self, made: Iterable[filing.Prepared | str]) -> list[str]:
        """Prepared documents of this run as paths; paths given as they are."""
        return [self.path(item) if isinstance(item, filing.Prepared) else item for item in made]

    def commit(self, prepared: Sequence[filing.Prepared], record: Callable[[], None]) -> None:
        """Record the step in one transaction with its documents, then publish them."""

        def write(_numbers: filing.Numbers, _prepared: list[filing.Prepared]) -> None:
            for item in prepared:
                self.register.add_document(self._documents[item.rel][0])
            record()

        self.filer.file(lambda _numbers: prepared, write)

    def file(
        self,
        prepare: Callable[[filing.Numbers], Iterable[filing.Prepared]],
        write: Callable[[filing.Numbers, list[filing.Prepared]], Any],
        numbers: list[tuple[str, int]],
    ) -> Any:
        """File what ``prepare`` builds with the numbers it needs, recording it with ``write``
        (the filing service's ``file``): a letter numbered in an agenda book."""
        return self.filer.file(prepare, write, numbers=numbers)

    # -- what a handler records (inside commit) -----------------------------------

    def complete(
        self,
        when: dt.datetime,
        oleh: str,
        made: Iterable[filing.Prepared | str] = (),
        catatan: str = "",
        temuan: Sequence[str] | None = None,
        masukan: int | None = None,
    ) -> None:
        """Mark the step done and start the one after it."""
        stamp = when.isoformat(timespec="seconds")
        paths = self._paths(made)
        self.register.complete_step(self.kasus, self.step.key, stamp, oleh, paths, catatan, temuan, masukan)
        following = self.procedure.after(self.step)
        if following is not None:
            record = self.records.get(following.key)
            if record is None or record.status == StepStatus.WAITING:
                self.register.start_step(self.kasus, following.key, stamp)
        self.register.set_case_status(self.kasus, CaseStatus.RUNNING)
        self.register.record_event(
            Event(
                stamp,
                self.kasus,
                oleh,
                "langkah_selesai",
                {"langkah": self.step.key, "dokumen": paths, "catatan": catatan},
            )
        )

    def hold(self, masukan: int, temuan: Sequence[str], made: Iterable[filing.Prepared | str]) -> None:
        """Keep the step open because the data has errors; the case is held."""
        paths = self._paths(made)
        self.register.note_step(self.kasus, self.step.key, masukan=masukan, temuan=tuple(temuan), dokumen=tuple(paths))
        self.register.set_case_status(self.kasus, CaseStatus.HELD)
        self.register.record_event(
            Event(
                self.stamp,
                self.kasus,
                "pipeline",
                "langkah_tertahan",
                {"langkah": self.step.key, "temuan": list(temuan)},
            )
        )

    def note(self, **changes: Any) -> None:
        """Change the open step's record (documents prepared while it waits)."""
        if "dokumen" in changes:
            changes["dokumen"] = tuple(self._paths(changes["dokumen"]))
        self.register.note_step(self.kasus, self.step.key, **changes)

    def apply(
        self, item: KeptInput, when: dt.datetime, superseded_by: str | None = None, data: dict | None = None
    ) -> None:
        self.register.apply_input(item, when.isoformat(timespec="seconds"), superseded_by, data)

    def reset_to(self, step: Step, note: str) -> None:
        reset(self.kasus, step, note, self.stamp, register=self.register, procedure=self.procedure)

    def held_at(self, step: Step, made: Iterable[filing.Prepared | str]) -> None:
        """The case, sent back to ``step``, is held there with ``made`` (a return memo) for the unit."""
        self.register.note_step(self.kasus, step.key, dokumen=tuple(self._paths(made)))
        self.register.set_case_status(self.kasus, CaseStatus.HELD)

    def record_letter(self, entry: AgendaEntry) -> None:
        """The letter this step numbered, in its agenda book."""
        self.register.add_agenda_entry(entry)

    def record_sent(self, when: dt.datetime, note: str) -> None:
        """The case's letter was sent at ``when``: the agenda keluar records the date, its note
        following what the book already says of the letter (an approval recorded on paper)."""
        letter = self.register.outgoing(self.kasus, void=False)
        earlier = letter.keterangan if letter is not None else ""
        self.register.record_sent(
            self.kasus, when.isoformat(timespec="seconds"), " ".join(filter(None, (earlier, note)))
        )


def reset(kasus: str, step: Step, note: str, stamp: str, *, register: SqlRegister, procedure: Procedure) -> None:
    """Send a case back to ``step``: it and every step after it are done again.

    Decisions kept for those steps are made void: they judged what is now redone.
    """
    keys = procedure.from_step(step)
    for item in register.pending_inputs(kasus, "tindakan"):
        if item.langkah in keys or item.langkah == Decision.REJECT:
            register.void_input(item, stamp, f"Dibatalkan: {note} Catat ulang bila masih berlaku.")
    register.reset_steps(kasus, keys)
    register.start_step(kasus, step.key, stamp, catatan=note)
    register.set_case_status(kasus, CaseStatus.RUNNING)
    register.record_event(Event(stamp, kasus, "pipeline", "langkah_diulang", {"langkah": step.key, "catatan": note}))
