"""An incoming Nota Dinas opens a case: agenda number, Lembar Disposisi, archive, register.

The SOP's opening steps (the memo arriving and its agenda entry) are done
the moment the memo is filed. The agenda number is allocated in the
transaction that writes the entry; the Lembar Disposisi, which prints it, is
rendered before, with the number that transaction will give
(docs/architecture.md, "Filing").
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import tempfile
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from pipeline.errors import IncompleteLetter, InputRefused
from pipeline.filing.archive import slug
from pipeline.filing.filer import Filing
from pipeline.models import Memo
from pipeline.readers import incoming_signatures, searchable
from pipeline.readers.validate import memo_unit, validate_memo
from pipeline.register import AgendaEntry, Case, Event, JournalEntry
from pipeline.sop import cases
from pipeline.sop.procedure import case_id
from pipeline.states import Hasil

if TYPE_CHECKING:
    from pipeline.clock import Clock
    from pipeline.config import Config
    from pipeline.filing.filer import Filer, Numbers, Prepared
    from pipeline.models import Inbound, Parsed
    from pipeline.register.sql import SqlRegister
    from pipeline.sop.procedure import Procedure

# Where a field came from when its reader does not say: the text of the format it was read from.
SOURCES = {
    "docx": "teks dokumen Word",
    "doc": "teks dokumen Word lama (.doc), setelah dikonversi",
    "yaml": "isian berkas YAML",
}


def read_memo(parsed: Parsed, name: str) -> Memo:
    """The memo's header fields, validated; raises IncompleteLetter with every reason, what was
    read and where each field came from (for the draft a letter then waits with)."""
    try:
        fields = validate_memo(parsed.fields, "Nota Dinas " + name)
    except IncompleteLetter as exc:
        default = SOURCES.get(parsed.fmt, "teks surat")
        sources = {key: parsed.sources.get(key, default) for key in parsed.fields}
        raise IncompleteLetter(exc.reasons, exc.fields, sources, exc.problems) from None
    fields["unit"] = memo_unit(fields)
    return Memo.from_fields(fields)


def file_memo(
    claim_id: str,
    inbounds: Sequence[Inbound],
    parsed: Parsed,
    now: dt.datetime,
    *,
    config: Config,
    register: SqlRegister,
    procedure: Procedure,
    filer: Filer,
    clock: Clock,
    unchanged: Callable[[], None],
) -> list[JournalEntry]:
    """Steps 1-2: number the memo, render its Lembar Disposisi (the opening step's handler),
    archive, open a case. ``unchanged`` raises when the inbound files changed since they were claimed."""
    memo = read_memo(parsed, inbounds[0].name)
    _refuse_known(register, memo)
    memo = dataclasses.replace(
        memo, tte_masuk=incoming_signatures.check_files(config.signing, [(i.name, i.path) for i in inbounds])
    )  # before the write lock: it takes a moment
    book = ("masuk", now.year)

    def prepare(numbers: Numbers) -> list[Prepared]:
        nomor_agenda, kasus = _numbers(config, numbers[book], now)
        writers, codes = cases.opening_documents(
            kasus,
            memo,
            nomor_agenda,
            now,
            config=config,
            register=register,
            procedure=procedure,
            filer=filer,
            clock=clock,
        )
        return [_prepare(config, filer, claim_id, inbounds, memo, numbers[book], now, writers, codes)]

    def record(numbers: Numbers, prepared: list[Prepared]) -> list[JournalEntry]:
        _refuse_known(register, memo)  # again under the write lock: another host may have filed it meanwhile
        return _record(config, register, procedure, claim_id, inbounds, memo, numbers[book], prepared[0], now)

    return filer.file(prepare, record, numbers=[book], unchanged=unchanged)


def _refuse_known(register: SqlRegister, memo: Memo) -> None:
    known = register.memo_known(memo.nomor, memo.dari)
    if known:
        raise InputRefused(
            f"Nota Dinas nomor {memo.nomor} dari {memo.dari} sudah tercatat dengan nomor agenda "
            f"{known.nomor_agenda} (kasus {known.kasus}). Bila ini surat yang berbeda, "
            "periksa kembali nomornya.",
            kind="nota_dinas",
        )


def _numbers(config: Config, nomor_urut: int, now: dt.datetime) -> tuple[str, str]:
    nomor_agenda = config.numbering["agenda_masuk"].format(nomor=nomor_urut, tahun=now.year)
    return nomor_agenda, case_id(now.year, nomor_urut)


def _prepare(
    config: Config,
    filer: Filer,
    claim_id: str,
    inbounds: Sequence[Inbound],
    memo: Memo,
    nomor_urut: int,
    now: dt.datetime,
    writers: Mapping[str, Callable[[Any], Any]],
    codes: Mapping[str, tuple[str, str, str]],
) -> Prepared:
    nomor_agenda, kasus = _numbers(config, nomor_urut, now)
    final = config.archive / str(now.year) / "surat-masuk" / f"{nomor_urut:04d}_{slug(memo.hal)}"
    metadata = {
        "kasus": kasus,
        "nomor_agenda": nomor_agenda,
        "klaim": claim_id,
        "diterima": now.isoformat(timespec="seconds"),
        "nota_dinas": memo.__dict__,
        "berkas_asli": {f"asli_{i.name}": i.name for i in inbounds},
    }
    outbox = {name: config.outbox / kasus / f"{kasus}_{name}" for name in writers}
    copies = {f"asli_{i.name}": i.path for i in inbounds}
    scans = [i for i in inbounds if searchable.is_scan(i.path, config.limits)] if config.ocr.enabled else []
    if not scans:  # nothing to make searchable: no scratch folder
        return filer.prepare(Filing(final, copies, writers, metadata, outbox, codes=codes, pdf=True))
    with tempfile.TemporaryDirectory(prefix="spse-tertelusur-") as work:
        copies.update(searchable.make_copies(config, scans, work))  # a scan's searchable PDF, if it can be made
        return filer.prepare(Filing(final, copies, writers, metadata, outbox, codes=codes, pdf=True))


def _record(
    config: Config,
    register: SqlRegister,
    procedure: Procedure,
    claim_id: str,
    inbounds: Sequence[Inbound],
    memo: Memo,
    nomor_urut: int,
    folder: Prepared,
    now: dt.datetime,
) -> list[JournalEntry]:
    """Inside the transaction: the agenda entry, the case and its opening steps, the journal."""
    stamp = now.isoformat(timespec="seconds")
    nomor_agenda, kasus = _numbers(config, nomor_urut, now)
    register.add_agenda_entry(_agenda_entry(memo, now.year, nomor_urut, nomor_agenda, kasus, folder, stamp))
    made = tuple(folder.path(name) for name in folder.outbox)
    register.open_case(
        Case(kasus, memo.nomor, memo.unit, stamp), cases.opening_records(kasus, memo, made, stamp, procedure)
    )
    register.record_event(Event(stamp, kasus, "pipeline", "kasus_dibuka", {"nomor_agenda": nomor_agenda}))
    return [register.add_journal(_accepted(i, kasus, folder, claim_id, stamp)) for i in inbounds]


def _agenda_entry(
    memo: Memo, tahun: int, nomor_urut: int, nomor_agenda: str, kasus: str, folder: Prepared, stamp: str
) -> AgendaEntry:
    """The memo's entry in the agenda surat masuk."""
    return AgendaEntry(
        buku="masuk",
        tahun=tahun,
        nomor_urut=nomor_urut,
        nomor_agenda=nomor_agenda,
        nomor_surat=memo.nomor,
        tanggal_surat=memo.tanggal.isoformat(),
        diterima=stamp,
        dari=memo.dari,
        kepada=memo.kepada,
        hal=memo.hal,
        sifat=memo.sifat,
        lampiran=memo.lampiran,
        tembusan=memo.tembusan,
        kasus=kasus,
        folder=folder.rel,
        berkas=folder.berkas,
        sha256=folder.digests,
        tte_masuk=memo.tte_masuk,
    )


def _accepted(inbound: Inbound, kasus: str, folder: Prepared, claim_id: str, stamp: str) -> JournalEntry:
    """The journal's line for one inbound file of the memo: accepted, kept in the case's folder."""
    return JournalEntry(
        inbound.name,
        inbound.sha256,
        inbound.size,
        stamp,
        Hasil.ACCEPTED,
        "nota_dinas",
        kasus,
        (),
        folder.path(f"asli_{inbound.name}"),
        claim_id,
    )
