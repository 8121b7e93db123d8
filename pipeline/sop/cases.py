"""A case walks the step table: every step that can run now runs; the walk stops at
the first that must wait (docs/architecture.md, "The procedure").

``advance`` asks the Procedure which step the case is at and runs that
step's handler with a ``StepRun``: what the handler needs to read, and the
intents it records through (complete, hold, apply, reset). Nothing here
knows the SOP's step keys.
"""

import datetime as dt

from pipeline.documents import codes
from pipeline.documents import contexts as documents
from pipeline.documents.render import render
from pipeline.errors import PipelineError
from pipeline.filing import filer as filing
from pipeline.filing.archive import locate, shown
from pipeline.readers import incoming_signatures
from pipeline.readers.registration import totals
from pipeline.register import Document, Event
from pipeline.sop import handlers
from pipeline.sop.inputs import action_when
from pipeline.sop.procedure import DONE, HELD, REJECT, RUNNING, WAITING


class StepRun:
    """One step of one case being run now."""

    def __init__(self, ws, case, step):
        self.ws, self.case, self.step = ws, case, step
        self.config, self.register, self.procedure = ws.config, ws.register, ws.procedure
        self.kasus = case.id
        self.records = self.register.steps(case.id)
        self.record = self.records[step.key]
        self.now = ws.now()
        self._memo = None
        self._documents = {}

    @property
    def stamp(self):
        return self.now.isoformat(timespec="seconds")

    # -- what a handler reads ----------------------------------------------

    @property
    def memo(self):
        """The case's entry in the agenda surat masuk."""
        if self._memo is None:
            self._memo = self.register.incoming(self.kasus)
        return self._memo

    def registration(self):
        return self.register.registration(self.kasus)

    def pending(self, jenis, langkah=None):
        return self.register.pending_inputs(self.kasus, jenis, langkah)

    def action(self, langkah=None):
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

    def stale(self, action):
        """True when ``action`` judges data and newer data came after it."""
        data_step = self.procedure.data_step()
        if data_step is None or not self.procedure.is_after(self.step, data_step):
            return False
        current = self.registration()
        return current is not None and current.id > action.dasar

    def when(self, action):
        """When the action was done: its ``waktu`` (or now), never before the steps the case did
        since it was kept (an early action applied later)."""
        stated = action_when(action.data, self.config.timezone) or self.now
        done = [dt.datetime.fromisoformat(r.selesai) for r in self.records.values() if r.selesai]
        return max([stated, *done])

    def who(self, action, default=None):
        """The name an action gives for who did it (for documents)."""
        return action.data.get("oleh") or default or self.step.actor

    def by(self, action, default=None):
        """Who recorded an action, for the step record: the name and the account."""
        account = action.data.get("akun")
        return f"{self.who(action, default)} (akun {account})" if account else self.who(action, default)

    def context(self, registration=None, data=None):
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

    def document(self, jenis, context, template=None):
        """Render a case document into staging (outside any transaction); return it Prepared.

        It carries a verification code and its QR (``keaslian`` in the template).
        """
        versi = self.register.next_version(self.kasus, jenis)
        base = documents.file_name(jenis)
        name, number = f"{base}.docx", self.step.number
        code, printed = self.ws.filer.new_code(self.kasus, jenis)
        context = codes.attach(context, printed)
        source = self.config.template(template or jenis)
        suffix = "" if versi == 1 else f"_v{versi}"
        case_folder = locate(self.config, self.memo.folder)
        prepared = self.ws.filer.prepare(
            filing.Filing(
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
                codes={name: filing.Bound(code, self.kasus, jenis)},
                pdf=True,
            )
        )
        self._documents[prepared.rel] = (
            Document(self.kasus, number, jenis, versi, self.stamp, prepared.rel, prepared.berkas, prepared.digests),
            name,
        )
        return prepared

    def path(self, prepared):
        """Where a prepared case document will lie, relative to the archive."""
        return prepared.path(self._documents[prepared.rel][1])

    def _paths(self, made):
        """Prepared documents of this run as paths; paths given as they are."""
        return [self.path(item) if isinstance(item, filing.Prepared) else item for item in made]

    def commit(self, prepared, record):
        """Record the step in one transaction with its documents, then publish them."""

        def write(_numbers, _prepared):
            for item in prepared:
                self.register.add_document(self._documents[item.rel][0])
            record()

        self.ws.filer.file(lambda _numbers: prepared, write)

    # -- what a handler records (inside commit) -----------------------------------

    def complete(self, when, oleh, made=(), catatan="", temuan=None, masukan=None):
        """Mark the step done and start the one after it."""
        stamp = when.isoformat(timespec="seconds")
        paths = self._paths(made)
        self.register.complete_step(self.kasus, self.step.key, stamp, oleh, paths, catatan, temuan, masukan)
        following = self.procedure.after(self.step)
        if following is not None:
            record = self.records.get(following.key)
            if record is None or record.status == WAITING:
                self.register.start_step(self.kasus, following.key, stamp)
        self.register.set_case_status(self.kasus, RUNNING)
        self.register.record_event(
            Event(
                stamp,
                self.kasus,
                oleh,
                "langkah_selesai",
                {"langkah": self.step.key, "dokumen": paths, "catatan": catatan},
            )
        )

    def hold(self, masukan, temuan, made):
        """Keep the step open because the data has errors; the case is held."""
        paths = self._paths(made)
        self.register.note_step(self.kasus, self.step.key, masukan=masukan, temuan=tuple(temuan), dokumen=tuple(paths))
        self.register.set_case_status(self.kasus, HELD)
        self.register.record_event(
            Event(
                self.stamp,
                self.kasus,
                "pipeline",
                "langkah_tertahan",
                {"langkah": self.step.key, "temuan": list(temuan)},
            )
        )

    def note(self, **changes):
        """Change the open step's record (documents prepared while it waits)."""
        if "dokumen" in changes:
            changes["dokumen"] = tuple(self._paths(changes["dokumen"]))
        self.register.note_step(self.kasus, self.step.key, **changes)

    def apply(self, item, when, superseded_by=None, data=None):
        self.register.apply_input(item, when.isoformat(timespec="seconds"), superseded_by, data)

    def reset_to(self, step, note):
        reset(self.ws, self.kasus, step, note, self.stamp)


def reset(ws, kasus, step, note, stamp):
    """Send a case back to ``step``: it and every step after it are done again.

    Decisions kept for those steps are made void: they judged what is now redone.
    """
    register = ws.register
    keys = ws.procedure.from_step(step)
    for item in register.pending_inputs(kasus, "tindakan"):
        if item.langkah in keys or item.langkah == REJECT:
            register.void_input(item, stamp, f"Dibatalkan: {note} Catat ulang bila masih berlaku.")
    register.reset_steps(kasus, keys)
    register.start_step(kasus, step.key, stamp, catatan=note)
    register.set_case_status(kasus, RUNNING)
    register.record_event(Event(stamp, kasus, "pipeline", "langkah_diulang", {"langkah": step.key, "catatan": note}))


def advance(ws, kasus):
    """Run every step of ``kasus`` that can run now; stop at the first that must wait, or at
    a step boundary once ``ws.stop`` is set (the rest runs at the next rescan or start)."""
    if ws.register.case(kasus).status == DONE:
        return  # a closed case stays closed, even when steps are added to the table later
    _link_early_inputs(ws, kasus)
    _supersede(ws, kasus)
    for _ in range(4 * len(ws.procedure.steps) + 8):
        if ws.stop.is_set():
            return
        case = ws.register.case(kasus)
        records = ws.register.steps(kasus)
        step = ws.procedure.current(records)
        if step is None:
            _close(ws, case)
            return
        if step.key not in records or records[step.key].status == WAITING:
            _start_moved(ws, case, step)  # the step table changed under the case
            continue
        run = StepRun(ws, case, step)
        rejection = run.action(REJECT) if step.reject_to else None
        if rejection is not None:
            handlers.REJECT.load()(run, rejection)
            continue
        if not ws.procedure.handler(step).load()(run):
            return
    raise PipelineError(
        f"Kasus {kasus} tidak dapat dilanjutkan: langkahnya berulang tanpa akhir. "
        "Periksa tabel sop.steps di config.yaml."
    )


def _start_moved(ws, case, step):
    """The case stands at a step it has no record of (the table changed): start it; a hold
    belonged to the step it was at, so the case runs again."""
    with ws.register.transaction():
        ws.register.start_step(case.id, step.key, ws.now().isoformat(timespec="seconds"))
        if case.status == HELD:
            ws.register.set_case_status(case.id, RUNNING)


def _close(ws, case):
    if case.status != DONE:
        stamp = ws.now().isoformat(timespec="seconds")
        with ws.register.transaction():
            ws.register.set_case_status(case.id, DONE)
            ws.register.record_event(Event(stamp, case.id, "pipeline", "kasus_selesai", {}))


def _link_early_inputs(ws, kasus):
    """Inputs that arrived before their memo now belong to its case."""
    case = ws.register.case(kasus)
    if ws.register.unlinked_inputs(case.rujukan, kasus):
        with ws.register.transaction():
            ws.register.link_early_inputs(kasus, case.rujukan)


def _supersede(ws, kasus):
    """A newer registration sends a case whose data step is done back to that step."""
    step = ws.procedure.data_step()
    if step is None or not ws.register.pending_inputs(kasus, "registrasi"):
        return
    records = ws.register.steps(kasus)
    if step.key not in records or records[step.key].status != DONE or ws.procedure.sealed(records):
        return
    with ws.register.transaction():
        reset(
            ws,
            kasus,
            step,
            f"Data registrasi baru diterima; langkah {step.number} dan seterusnya diulang.",
            ws.now().isoformat(timespec="seconds"),
        )


def findings(ws, records):
    """Every open finding of the case's data, in step order."""
    found = []
    for step in ws.procedure.steps:
        record = records.get(step.key)
        if record is not None:
            found.extend(record.temuan)
    return found


def describe(ws, case, now, records=None, data=None, waiting=(), owed=None, signed=None):
    """The case as ``status`` shows it (its step records, registration, owed PDFs by case id and its
    incoming memo's electronic signatures, read here unless given); ``waiting``: why its committed
    filings are not in the archive yet (publishing.pending)."""
    if records is None:
        records, data = ws.register.steps(case.id), ws.register.registration(case.id)
    if signed is None:
        signed = ws.register.incoming_signatures(case.id)
    from pipeline.documents.owed import describe as view

    item = ws.procedure.describe(
        case, records, now, totals(data.data) if data else None, [*findings(ws, records), *waiting]
    )
    item["tte_masuk"] = incoming_signatures.as_json(signed, ws.config.timezone)
    for step in item["langkah"]:  # shown relative to the workspace, wherever the archive lies
        step["dokumen"] = [shown(ws.config, path) for path in step["dokumen"]]
    items = owed.get(case.id, ()) if owed is not None else ws.register.owed_pdfs(case.id)
    return dict(item, pdf_terutang=[view(ws.config, entry) for entry in items])
