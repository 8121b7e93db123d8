"""The letter to the unit: the Konsep for review, the numbered Nota Dinas on
approval, sending, and ``tolak``, which returns the case with a return memo."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pipeline.documents import codes
from pipeline.documents import contexts as documents
from pipeline.documents.pdf import INSTALL
from pipeline.documents.render import render
from pipeline.filing.archive import slug, within
from pipeline.filing.filer import Bound, Filing
from pipeline.formats import tanggal
from pipeline.letters.signing import BSRE, PKCS12, SigningError, sign_pkcs12
from pipeline.register import AgendaEntry
from pipeline.sop.handlers import REJECT, Ran, tembusan
from pipeline.sop.handlers.human import note_of, record
from pipeline.states import Decision

if TYPE_CHECKING:
    from pathlib import Path

    from pipeline.filing.filer import Numbers, Prepared
    from pipeline.register import KeptInput
    from pipeline.sop.fit import Question
    from pipeline.sop.step_run import StepRun

LETTER = "nota-dinas.docx"
PDF = "nota-dinas.pdf"


def periksa(run: StepRun) -> Ran:
    """Draft the Konsep Nota Dinas for review (once per round of data), then wait for the decision."""
    data = run.registration()
    if data is not None and (run.record is None or run.record.masukan != data.id):
        konsep = run.document(
            "konsep_nota_dinas", documents.ready_memo(run.context(data), tembusan(run.config)), run.step.document
        )
        run.commit([konsep], lambda: run.note(masukan=data.id, dokumen=(konsep,)))
        run.refresh()
    return record(run)


def setujui(run: StepRun) -> Ran:
    """On approval, number the Nota Dinas in the agenda keluar, file it (as PDF too) and put it in the
    outbox; with ``signing.method: pkcs12`` the PDF is signed before it is filed."""
    action = run.action()
    if action is None:
        return Ran.WAITING
    approval = _Approval.of(run, action)
    run.file(
        lambda numbers: [_prepare_letter(approval, numbers)],
        lambda numbers, prepared: _record_letter(approval, numbers, prepared),
        numbers=[approval.book],
    )
    return Ran.DONE


@dataclass(frozen=True)
class _Approval:
    """An approved Nota Dinas: what it is numbered, rendered and recorded with (every attempt
    to file it, when another host took its number, uses the same)."""

    run: StepRun
    action: KeptInput
    when: dt.datetime
    tahun: int  # the number belongs to the year it is allocated in, whatever the approval's waktu says
    oleh: str
    dated: dt.date
    context: dict[str, Any]
    signed: dict[str, str]  # who signed its PDF and when (pkcs12), filled while it is prepared

    @classmethod
    def of(cls, run: StepRun, action: KeptInput) -> _Approval:
        when, config = run.when(action), run.config
        tahun, oleh, dated = run.now.year, run.who(action), run.now.date()
        context = dict(
            documents.ready_memo(run.context(run.registration()), tembusan(run.config)), tte=config.signing.electronic
        )
        return cls(run, action, when, tahun, oleh, dated, context, {})

    @property
    def book(self) -> tuple[str, int]:
        return ("keluar", self.tahun)

    def nomor(self, numbers: Numbers) -> str:
        """The letter's number as printed (``numbering.surat_keluar``)."""
        kode = self.run.config.klasifikasi.get("nota_dinas", "")
        return self.run.config.numbering["surat_keluar"].format(nomor=numbers[self.book], tahun=self.tahun, kode=kode)


def _prepare_letter(approval: _Approval, numbers: Numbers) -> Prepared:
    """The numbered Nota Dinas rendered into staging, with its code, its PDF and (pkcs12) signed."""
    run, config, tahun = approval.run, approval.run.config, approval.tahun
    nomor_urut, nomor = numbers[approval.book], approval.nomor(numbers)
    code, printed = run.filer.new_code(run.kasus, "nota_dinas")
    letter = codes.attach(
        dict(approval.context, tanda_konsep="", nomor_surat=nomor, tanggal_surat=tanggal(approval.dated)), printed
    )
    assert run.step.document, f"langkah {run.step.key} tidak menyebut dokumen"  # the handler names nota_dinas
    template = config.template(run.step.document)
    return run.filer.prepare(
        Filing(
            config.archive / str(tahun) / "surat-keluar" / f"{nomor_urut:04d}_{slug(run.case.unit)}",
            writers={LETTER: lambda path: render(template, letter, path)},
            metadata={
                "kasus": run.kasus,
                "nomor_surat": nomor,
                "tanggal_surat": approval.dated.isoformat(),
                "kepada": letter["kepada"],
                "hal": letter["hal"],
                "disetujui_oleh": approval.oleh,
            },
            outbox={LETTER: config.outbox / run.kasus / f"{run.kasus}_{run.step.number:02d}_{LETTER}"},
            codes={LETTER: Bound(code, run.kasus, "nota_dinas")},
            pdf=True,
            after=lambda folder: approval.signed.update(_sign(run, folder, printed["alamat"], nomor)),
        ),
    )


def _record_letter(approval: _Approval, numbers: Numbers, prepared: list[Prepared]) -> None:
    """Inside the transaction: the letter in the agenda keluar, the approval applied, the step done."""
    run, action, when = approval.run, approval.action, approval.when
    [folder] = prepared
    nomor = approval.nomor(numbers)
    run.record_letter(_agenda_entry(approval, numbers[approval.book], nomor, folder))
    run.apply(action, when)
    run.complete(
        when, run.by(action), [folder.path(PDF if PDF in folder.digests else LETTER)], catatan=f"Nomor {nomor}"
    )


def _agenda_entry(approval: _Approval, nomor_urut: int, nomor: str, folder: Prepared) -> AgendaEntry:
    """The letter's entry in the agenda keluar."""
    context, signed = approval.context, approval.signed
    return AgendaEntry(
        buku="keluar",
        tahun=approval.tahun,
        nomor_urut=nomor_urut,
        nomor_surat=nomor,
        tanggal_surat=approval.dated.isoformat(),
        hal=context["hal"],
        kepada=context["kepada"],
        sifat=context["sifat"],
        lampiran=context["lampiran"],
        tembusan=context["tembusan"],
        kasus=approval.run.kasus,
        folder=folder.rel,
        berkas=folder.berkas,
        sha256=folder.digests,
        ditandatangani=signed.get("waktu"),
        ditandatangani_oleh=signed.get("oleh", ""),
        keterangan=_approved_on_paper(approval.run, approval.action),
    )


def _approved_on_paper(run: StepRun, action: KeptInput) -> str:
    """The agenda keluar's note for an approval made on the printed Konsep and recorded on the
    official's behalf (its signed scan is archived with the kept action); empty otherwise."""
    on_behalf = run.on_behalf(action)
    return f"Persetujuan {on_behalf}, dengan pindaian Konsep yang ditandatangani." if on_behalf else ""


def _sign(run: StepRun, folder: Path, qr_url: str, nomor: str) -> dict:
    """``pkcs12``: sign the letter's PDF in staging, before its digests are taken; who and when."""
    settings = run.config.signing
    if settings.method != PKCS12:
        return {}
    pdf = folder / PDF
    if not pdf.is_file() and run.pdf_available:
        return {}  # the PDF is owed: owed.drain signs it when it is made
    if not pdf.is_file():
        raise SigningError(INSTALL + " Tanda tangan elektronik memerlukan PDF.")
    moment = run.clock.now()
    who = sign_pkcs12(
        settings, pdf, qr_url, f"Persetujuan Nota Dinas Nomor {nomor}", run.config.organisation["city"], moment
    )
    return {"oleh": who, "waktu": moment.isoformat(timespec="seconds")}


def kirim(run: StepRun) -> Ran:
    """Staff confirm the letter was sent; the agenda keluar records the date."""
    action = run.action()
    if action is None:
        return Ran.WAITING
    when = run.when(action)

    def write() -> None:
        run.record_sent(when, note_of(action.data))
        run.apply(action, when)
        run.complete(when, run.by(action), [], catatan=note_of(action.data))

    run.commit([], write)
    return Ran.DONE


def kirim_guard(question: Question) -> str | None:
    """With electronic signing a letter is sent only once it is signed: while its PDF is owed
    (LibreOffice failed) it cannot be; with BSrE, only once the official signed it."""
    config, register, case = question.config, question.register, question.case
    if not config.signing.electronic:
        return None
    letter = register.outgoing(case.id, void=False)
    if letter is not None and register.letter_pdf(letter) is None and question.pdf_available:
        return (
            f"Nota Dinas {letter.nomor_surat} belum dapat ditandatangani secara elektronik karena PDF-nya belum "
            "dibuat (LibreOffice gagal atau macet). Periksa LibreOffice dengan \u201cpipeline doctor\u201d, lalu "
            "buat PDF-nya dengan \u201cpipeline pdf\u201d."
        )
    if config.signing.method != BSRE:
        return None
    signed = letter is not None and any(
        d.jenis == "surat_tte" and within(d.folder, letter.folder) for d in register.documents(case.id)
    )
    if letter is not None and not signed:  # a scan signed in ink is archived, but BSrE signs what is sent
        return (
            f"Nota Dinas {letter.nomor_surat} belum ditandatangani secara elektronik; tandatangani dulu dengan "
            f"\u201cpipeline tandatangani {case.id}\u201d."
        )
    return None


def tolak(run: StepRun) -> Ran:
    """``tolak``: back to the step the table names. Sent back to the data, the case is held
    with a return memo to the unit, which must send corrected data; sent back anywhere
    else, that step is simply done again."""
    action = run.action(Decision.REJECT)
    target = run.procedure.step(run.step.reject_to) if run.step.reject_to else None
    if action is None or target is None:
        return Ran.WAITING
    when, oleh = run.when(action), run.who(action)
    reason = action.data.get("catatan") or "Data perlu diperbaiki."
    to_data = target == run.procedure.data_step()
    made: list[Prepared] = (
        [
            run.document(
                "konsep_nota_dinas",
                documents.return_memo(run.context(run.registration()), [reason], tembusan(run.config)),
                REJECT.document,
            )
        ]
        if to_data
        else []
    )

    def write() -> None:
        run.apply(action, when)
        run.reset_to(target, f"Dikembalikan pada langkah {run.step.number} oleh {oleh}: {reason}")
        if to_data:
            run.held_at(target, made)

    run.commit(made, write)
    return Ran.DONE
