"""A case as ``status`` and the status site show it: typed records, and their JSON.

``describe`` reads one case, ``status`` the cases asked for; ``to_json``
gives exactly the keys and values of ``pipeline status --json``
(docs/cli.md), in the same order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from pipeline.filing.archive import shown
from pipeline.readers import incoming_signatures
from pipeline.readers.registration import totals

if TYPE_CHECKING:
    from pipeline.clock import Clock
    from pipeline.config import Config
    from pipeline.register import Case, KeptInput, StepRecord
    from pipeline.register.records import OwedPdf
    from pipeline.register.sql import SqlRegister
    from pipeline.sop.procedure import Procedure


@dataclass(frozen=True)
class StepView:
    """One step of a case: its place in the table, where it stands, its times and documents."""

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
        return {
            "no": self.no,
            "key": self.key,
            "nama": self.nama,
            "peran": self.peran,
            "jenis": self.jenis,
            "status": self.status,
            "mulai": self.mulai,
            "selesai": self.selesai,
            "oleh": self.oleh,
            "target_menit": self.target_menit,
            "menit": self.menit,
            "dokumen": list(self.dokumen),
        }


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
) -> CaseView:
    """The case as ``status`` shows it (its step records, registration, owed PDFs by case id and its
    incoming memo's electronic signatures, read here unless given); ``waiting``: why its committed
    filings are not in the archive yet (publishing.pending)."""
    if records is None:
        records, data = register.steps(case.id), register.registration(case.id)
    if signed is None:
        signed = register.incoming_signatures(case.id)
    from pipeline.documents.owed import describe as view

    item = procedure.describe(
        case, records, now, totals(data.data) if data else None, [*findings(procedure, records), *waiting]
    )
    items = owed.get(case.id, ()) if owed is not None else register.owed_pdfs(case.id)
    return replace(
        item,
        # documents shown relative to the workspace, wherever the archive lies
        langkah=tuple(replace(s, dokumen=tuple(shown(config, p) for p in s.dokumen)) for s in item.langkah),
        tte_masuk=tuple(incoming_signatures.as_json(signed, config.timezone)),
        pdf_terutang=tuple(view(config, entry) for entry in items),
    )


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
    now = clock.now()
    waiting, owed = _unplaced(config, register), _owed(register)

    def one(case: Case) -> CaseView:
        return describe(
            case,
            now,
            config=config,
            register=register,
            procedure=procedure,
            waiting=waiting.get(case.id, ()),
            owed=owed,
        )

    if kasus:
        return [one(case) for case in register.find_cases(kasus)]
    if not everything:
        return (one(case) for case in register.open_cases())
    return _every_case(now, waiting, owed, config=config, register=register, procedure=procedure)


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


def _every_case(
    now: dt.datetime,
    waiting: dict[str, list[str]],
    owed: dict[str, list[OwedPdf]],
    *,
    config: Config,
    register: SqlRegister,
    procedure: Procedure,
) -> Iterable[CaseView]:
    """Every case, streamed from the register read in full (records and data with each case)."""
    signed = register.incoming_signatures()  # the signed memos only, read once
    return (
        describe(
            case,
            now,
            records=records,
            data=data,
            waiting=waiting.get(case.id, ()),
            owed=owed,
            signed=signed.get(case.id, ()),
            config=config,
            register=register,
            procedure=procedure,
        )
        for case, records, data in register.cases_in_full()
    )
