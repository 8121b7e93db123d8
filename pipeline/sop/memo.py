"""An incoming Nota Dinas opens a case: agenda number, Lembar Disposisi, archive, register.

The SOP's opening steps (the memo arriving and its agenda entry) are done
the moment the memo is filed. The agenda number is allocated in the
transaction that writes the entry; the Lembar Disposisi, which prints it, is
rendered before, with the number that transaction will give
(docs/architecture.md, "Filing").
"""

import dataclasses
import tempfile

from pipeline.errors import IncompleteLetter, InputRefused
from pipeline.filing.archive import slug
from pipeline.filing.filer import Filing
from pipeline.inbox import intake
from pipeline.models import Memo
from pipeline.readers import incoming_signatures, searchable
from pipeline.readers.validate import memo_unit, validate_memo
from pipeline.register import AgendaEntry, Case, Event, JournalEntry, StepRecord
from pipeline.sop.procedure import DONE, RUNNING, case_id

# Where a field came from when its reader does not say: the text of the format it was read from.
SOURCES = {
    "docx": "teks dokumen Word",
    "doc": "teks dokumen Word lama (.doc), setelah dikonversi",
    "yaml": "isian berkas YAML",
}


def read_memo(parsed, name):
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


def file_memo(ws, claim_id, inbounds, parsed, now):
    """Steps 1-2: number the memo, render its Lembar Disposisi, archive, open a case."""
    memo = read_memo(parsed, inbounds[0].name)
    _refuse_known(ws, memo)
    memo = dataclasses.replace(
        memo, tte_masuk=incoming_signatures.check_files(ws.config.signing, [(i.name, i.path) for i in inbounds])
    )  # before the write lock: it takes a moment
    book = ("masuk", now.year)

    def record(numbers, prepared):
        _refuse_known(ws, memo)  # again under the write lock: another host may have filed it meanwhile
        return _record(ws, claim_id, inbounds, memo, numbers[book], prepared[0], now)

    return ws.filer.file(
        lambda numbers: [_prepare(ws, claim_id, inbounds, memo, numbers[book], now)],
        record,
        numbers=[book],
        unchanged=lambda: intake.check_unchanged(inbounds),
    )


def _refuse_known(ws, memo):
    known = ws.register.memo_known(memo.nomor, memo.dari)
    if known:
        raise InputRefused(
            f"Nota Dinas nomor {memo.nomor} dari {memo.dari} sudah tercatat dengan nomor agenda "
            f"{known.nomor_agenda} (kasus {known.kasus}). Bila ini surat yang berbeda, "
            "periksa kembali nomornya.",
            kind="nota_dinas",
        )


def _numbers(ws, nomor_urut, now):
    nomor_agenda = ws.config.numbering["agenda_masuk"].format(nomor=nomor_urut, tahun=now.year)
    return nomor_agenda, case_id(now.year, nomor_urut)


def _prepare(ws, claim_id, inbounds, memo, nomor_urut, now):
    nomor_agenda, kasus = _numbers(ws, nomor_urut, now)
    agenda_step = ws.procedure.opening()[-1]
    writers, codes = ws.procedure.handler(agenda_step).load()(ws, agenda_step, memo, nomor_agenda, kasus, now)
    final = ws.config.archive / str(now.year) / "surat-masuk" / f"{nomor_urut:04d}_{slug(memo.hal)}"
    metadata = {
        "kasus": kasus,
        "nomor_agenda": nomor_agenda,
        "klaim": claim_id,
        "diterima": now.isoformat(timespec="seconds"),
        "nota_dinas": memo.__dict__,
        "berkas_asli": {f"asli_{i.name}": i.name for i in inbounds},
    }
    outbox = {name: ws.config.outbox / kasus / f"{kasus}_{name}" for name in writers}
    with tempfile.TemporaryDirectory(prefix="spse-tertelusur-") as work:
        copies = {f"asli_{i.name}": i.path for i in inbounds}
        copies.update(searchable.make_copies(ws.config, inbounds, work))  # a scan's searchable PDF, if it can be made
        return ws.filer.prepare(Filing(final, copies, writers, metadata, outbox, codes=codes, pdf=True))


def _record(ws, claim_id, inbounds, memo, nomor_urut, folder, now):
    """Inside the transaction: the agenda entry, the case and its opening steps, the journal."""
    stamp = now.isoformat(timespec="seconds")
    nomor_agenda, kasus = _numbers(ws, nomor_urut, now)
    ws.register.add_agenda_entry(
        AgendaEntry(
            buku="masuk",
            tahun=now.year,
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
    )
    ws.register.open_case(Case(kasus, memo.nomor, memo.unit, stamp), _opening_steps(ws, kasus, memo, folder, stamp))
    ws.register.record_event(Event(stamp, kasus, "pipeline", "kasus_dibuka", {"nomor_agenda": nomor_agenda}))
    return [
        ws.register.add_journal(
            JournalEntry(
                i.name,
                i.sha256,
                i.size,
                stamp,
                "diterima",
                "nota_dinas",
                kasus,
                (),
                folder.path(f"asli_{i.name}"),
                claim_id,
            )
        )
        for i in inbounds
    ]


def _opening_steps(ws, kasus, memo, folder, stamp):
    """The opening steps done (the memo from its sender, the agenda by the pipeline); the next running."""
    opening = ws.procedure.opening()
    made = tuple(folder.path(name) for name in folder.outbox)
    records = [
        StepRecord(
            kasus,
            step.key,
            DONE,
            stamp,
            stamp,
            memo.dari if step.kind == "input" else "pipeline",
            made if step is opening[-1] else (),
        )
        for step in opening
    ]
    following = ws.procedure.after(opening[-1])
    if following is not None:
        records.append(StepRecord(kasus, following.key, RUNNING, stamp))
    return records
