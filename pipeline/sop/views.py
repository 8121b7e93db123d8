"""A case as ``status`` and the status site show it: typed records, and their JSON.

``describe`` reads one case, ``status`` the cases asked for; ``to_json``
gives exactly the keys and values of ``pipeline status --json``
(docs/cli.md), in the same order.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from pipeline.code_digest import code_digest
from pipeline.filing.archive import show_for
from pipeline.outputs import jsonlines
from pipeline.readers import incoming_signatures
from pipeline.readers.registration import totals
from pipeline.states import ShownStatus

if TYPE_CHECKING:
    from pipeline.clock import Clock
    from pipeline.config import Config
    from pipeline.register import Case, KeptInput, StepRecord
    from pipeline.register.records import OwedPdf
    from pipeline.register.sql import SqlRegister
    from pipeline.sop.procedure import Procedure, Step

NO_DATA = {"ppk": 0, "panitia": 0, "paket": 0, "pagu_total": 0}
STORE_BATCH = 500  # finished cases described and stored per register transaction (store_finished)
# status --json --all reads each case without a stored line alone below this many such cases,
# and streams every case's records above it (after a change of config or release).
READ_ALONE = 5000


class StepView(NamedTuple):
    """One step of a case: its place in the table, where it stands, its times and documents.

    A named tuple rather than a frozen dataclass: ``status --all`` makes one per step of
    100,000 cases, and a frozen dataclass sets each field through ``object.__setattr__``."""

    no: int
    key: str
    nama: str
    peran: str
    jenis: str
    status: str
    mulai: str | None
    selesai: str | None
    oleh: str
    target_menit: int
    menit: float | None
    dokumen: tuple[str, ...] = ()

    @property
    def late(self) -> bool:
        """Over its SOP target (running or done)."""
        return bool(self.target_menit) and self.menit is not None and self.menit > self.target_menit

    def to_json(self) -> dict:
        shown = self._asdict()  # the fields in order: the keys of status --json (docs/cli.md)
        shown["dokumen"] = list(self.dokumen)
        return shown


@dataclass(frozen=True)
class CaseView:
    """A case: what it waits for, its steps, its data's totals, its problems, its incoming memo's
    electronic signatures and the PDFs its filings still owe."""

    kasus: str
    rujukan: str
    unit: str
    status: str
    langkah_sekarang: int | None
    menunggu: str
    langkah: tuple[StepView, ...]
    data: dict
    masalah: tuple[str, ...] = ()
    tte_masuk: tuple[dict, ...] = ()
    pdf_terutang: tuple[dict, ...] = ()
    awaited_roles: tuple[str, ...] = field(default=(), compare=False)  # whose action it waits for (not in JSON)

    @property
    def current(self) -> StepView | None:
        """The step the case stands at, or None once it is done."""
        return next((s for s in self.langkah if s.no == self.langkah_sekarang), None)

    def to_json(self) -> dict:
        return {
            "kasus": self.kasus,
            "rujukan": self.rujukan,
            "unit": self.unit,
            "status": self.status,
            "langkah_sekarang": self.langkah_sekarang,
            "menunggu": self.menunggu,
            "langkah": [step.to_json() for step in self.langkah],
            "data": self.data,
            "masalah": list(self.masalah),
            "tte_masuk": list(self.tte_masuk),
            "pdf_terutang": list(self.pdf_terutang),
        }

    def line(self) -> str:
        """The case as one line of ``status --json``."""
        return jsonlines.line(self.to_json())


def findings(procedure: Procedure, records: dict[str, StepRecord]) -> list[str]:
    """Every open finding of the case's data, in step order."""
    found: list[str] = []
    for step in procedure.steps:
        record = records.get(step.key)
        if record is not None:
            found.extend(record.temuan)
    return found


def describe(
    case: Case,
    now: dt.datetime,
    *,
    config: Config,
    register: SqlRegister,
    procedure: Procedure,
    records: dict[str, StepRecord] | None = None,
    data: KeptInput | None = None,
    waiting: Sequence[str] = (),
    owed: dict[str, list[OwedPdf]] | None = None,
    signed: Sequence | None = None,
    viewer: Viewer | None = None,
) -> CaseView:
    """The case as ``status`` shows it (its step records, registration, owed PDFs by case id and its
    incoming memo's electronic signatures, read here unless given); ``waiting``: why its committed
    filings are not in the archive yet (publishing.pending); ``viewer``: what many cases share."""
    if records is None:
        records, data = register.steps(case.id), register.registration(case.id)
    if signed is None:
        signed = register.incoming_signatures(case.id)
    from pipeline.documents.owed import describe as view

    viewer = viewer or Viewer(config, now)
    current, standing = procedure.standing(case, records)
    items = owed.get(case.id, ()) if owed is not None else register.owed_pdfs(case.id)
    return CaseView(
        kasus=case.id,
        rujukan=case.rujukan,
        unit=case.unit,
        status=ShownStatus.DONE if current is None else case.status,
        langkah_sekarang=current.number if current else None,
        menunggu=procedure.waiting_for(current, case.status),
        langkah=tuple(viewer.step(step, status, records.get(step.key)) for step, status in standing),
        data=(totals(data.data) if data else None) or NO_DATA,
        masalah=(*findings(procedure, records), *waiting),
        tte_masuk=tuple(incoming_signatures.as_json(signed, config.timezone)),
        pdf_terutang=tuple(view(config, entry) for entry in items),
        awaited_roles=procedure.awaited_roles(current, case.status),
    )


class Viewer:
    """What the views of many cases share: the moment they are shown at, how a stored path is
    shown, and the view of a step with no record (the same in every case that has not reached it)."""

    def __init__(self, config: Config, now: dt.datetime) -> None:
        self.stamp = now.isoformat(timespec="seconds")
        self.show: Callable[[str], str] = show_for(config)  # documents relative to the workspace
        self._blank: dict[tuple[int, str], StepView] = {}

    def step(self, step: Step, status: str, record: StepRecord | None) -> StepView:
        """One step of a case; a running step's minutes count up to the moment shown."""
        if record is None:
            blank = self._blank.get((step.number, status))
            if blank is None:
                blank = self._blank[(step.number, status)] = self._made(step, status, None)
            return blank
        return self._made(step, status, record)

    def _made(self, step: Step, status: str, record: StepRecord | None) -> StepView:
        mulai, selesai = (record.mulai, record.selesai) if record else (None, None)
        end = selesai or (self.stamp if status == ShownStatus.RUNNING else None)
        return StepView(
            no=step.number,
            key=step.key,
            nama=step.activity,
            peran=step.actor,
            jenis=step.kind,
            status=status,
            mulai=mulai,
            selesai=selesai,
            oleh=record.oleh if record else "",
            target_menit=step.target_minutes,
            menit=minutes_between(mulai, end) if record else None,
            dokumen=tuple(self.show(path) for path in record.dokumen) if record else (),
        )


def minutes_between(start: str | None, end: str | None) -> float | None:
    if not start or not end:
        return None
    delta = dt.datetime.fromisoformat(end) - dt.datetime.fromisoformat(start)
    return round(delta.total_seconds() / 60, 1)


def status(
    kasus: str | None = None,
    everything: bool = False,
    *,
    config: Config,
    register: SqlRegister,
    procedure: Procedure,
    clock: Clock,
) -> Iterable[CaseView]:
    """Cases as ``status --json`` shows them: those matching an id or memo nomor, else the
    unfinished ones, or with ``everything`` every case (streamed, for 100,000 cases)."""
    one = _Describer(clock.now(), config, register, procedure)
    if kasus:
        return [one(case) for case in register.find_cases(kasus)]
    if not everything:
        return (one(case) for case in register.open_cases())
    signed = register.incoming_signatures()  # the signed memos only, read once
    return (one(case, records, data, signed) for case, records, data in register.cases_in_full())


def status_lines(
    kasus: str | None = None,
    everything: bool = False,
    *,
    config: Config,
    register: SqlRegister,
    procedure: Procedure,
    clock: Clock,
) -> Iterator[str]:
    """``status --json``: the lines of ``status``; every case (``everything``) read with the lines
    stored for finished cases (``store_finished``), so a listing of 100,000 cases describes only
    the unfinished ones, the changed ones and those with something pending."""
    if kasus or not everything:
        for view in status(kasus, everything, config=config, register=register, procedure=procedure, clock=clock):
            yield view.line()
        return
    with register.reading():  # one snapshot: the stored lines and the cases read beside them agree
        yield from _every_line(config, register, procedure, clock)


def _every_line(config: Config, register: SqlRegister, procedure: Procedure, clock: Clock) -> Iterator[str]:
    one = _Describer(clock.now(), config, register, procedure)
    signed, mark = register.incoming_signatures(), view_mark(config)
    if register.unstored(mark) > READ_ALONE:  # a new config or release: every case described, streamed
        for case, records, data in register.cases_in_full():
            yield one(case, records, data, signed).line()
        return
    for kasus, found, line in register.cases_and_lines(mark):
        if line and not one.pending(kasus):
            yield line
        else:  # unfinished, changed, or with something pending: read and described alone
            yield one(found or register.existing_case(kasus), None, None, signed).line()


def stale_lines(config: Config, register: SqlRegister, procedure: Procedure, clock: Clock) -> Iterator[str]:
    """The finished cases whose stored line (under the current mark) is not what describing the
    case gives now: a line changed in the database (``verify``), never one the pipeline left."""
    one = _Describer(clock.now(), config, register, procedure)
    for kasus, _found, line in register.cases_and_lines(view_mark(config)):
        if line and not one.pending(kasus) and line != one(register.existing_case(kasus)).line():
            yield kasus


def store_finished(
    *, config: Config, register: SqlRegister, procedure: Procedure, clock: Clock, limit: int = 5000
) -> int:
    """Store the ``status --json`` line of up to ``limit`` finished cases that have none under the
    current mark (``view_mark``), a few hundred per transaction; returns how many were stored.

    Each batch is described inside its transaction, which holds the register's write lock: no
    other host changes a case between its description and its line (register/shown.py)."""
    mark, now, stored = view_mark(config), clock.now(), 0
    one = _Describer(now, config, register, procedure)
    while stored < limit:
        with register.transaction(logged=False):
            cases = register.unshown_finished(mark, min(STORE_BATCH, limit - stored))
            lines = {case.id: one(case).line() for case in cases if not one.pending(case.id)}
            register.store_shown(mark, lines)
        stored += len(cases)
        if len(cases) < STORE_BATCH or not lines:
            return stored
    return stored


def view_mark(config: Config) -> str:
    """What a stored line was made with: the config as loaded, the release, and the code that
    shows a case (this module, the procedure, the registration's totals, the signatures' lines)."""
    import pipeline
    from pipeline.readers import registration
    from pipeline.sop import procedure

    digest = hashlib.sha256(repr((config, pipeline.__version__)).encode("utf-8"))
    digest.update(code_digest([sys.modules[__name__], procedure, registration, incoming_signatures]))
    return digest.hexdigest()[:16]


class _Describer:
    """``describe`` for many cases of one listing: what they share read once (the filings not yet
    in place, the PDFs owed, the Viewer)."""

    def __init__(self, now: dt.datetime, config: Config, register: SqlRegister, procedure: Procedure) -> None:
        self.now, self.config, self.register, self.procedure = now, config, register, procedure
        self.waiting, self.owed = _unplaced(config, register), _owed(register)
        self.viewer = Viewer(config, now)

    def pending(self, kasus: str) -> bool:
        """True when the case has a filing not yet in place or a PDF owed (its view says so)."""
        return kasus in self.waiting or kasus in self.owed

    def __call__(
        self,
        case: Case,
        records: dict[str, StepRecord] | None = None,
        data: KeptInput | None = None,
        signed: Mapping[str, Sequence] | None = None,
    ) -> CaseView:
        return describe(
            case,
            self.now,
            config=self.config,
            register=self.register,
            procedure=self.procedure,
            records=records,
            data=data,
            waiting=self.waiting.get(case.id, ()),
            owed=self.owed,
            signed=signed.get(case.id, ()) if signed is not None else None,
            viewer=self.viewer,
        )


def _unplaced(config: Config, register: SqlRegister) -> dict[str, list[str]]:
    """Per case, what is committed but not yet in the archive, and why."""
    from pipeline.filing.publishing import pending

    waiting: dict[str, list[str]] = {}
    for item in pending(config, register):
        waiting.setdefault(item.kasus, []).append(f"Berkas {item.folder} belum ditempatkan di arsip: {item.alasan}")
    return waiting


def _owed(register: SqlRegister) -> dict[str, list[OwedPdf]]:
    """Per case, the PDFs it owes (few, read once: not one query per case of 100,000)."""
    owed: dict[str, list[OwedPdf]] = {}
    for entry in register.owed_pdfs():
        owed.setdefault(entry.kasus, []).append(entry)
    return owed
