"""The letter to the unit: the Konsep for review, the numbered Nota Dinas on
approval, sending, and ``tolak``, which returns the case with a return memo."""

from pipeline.documents import codes
from pipeline.documents import contexts as documents
from pipeline.documents.pdf import INSTALL
from pipeline.documents.render import render
from pipeline.filing.archive import slug, within
from pipeline.filing.filer import Bound, Filing
from pipeline.formats import tanggal
from pipeline.letters.signing import PKCS12, SigningError, sign_pkcs12
from pipeline.register import AgendaEntry
from pipeline.sop.handlers import REJECT
from pipeline.sop.handlers.human import note_of, record

LETTER = "nota-dinas.docx"
PDF = "nota-dinas.pdf"


def periksa(run):
    """Draft the Konsep Nota Dinas for review (once per round of data), then wait for the decision."""
    data = run.registration()
    if data is not None and run.record.masukan != data.id:
        konsep = run.document("konsep_nota_dinas", documents.ready_memo(run.context(data)), run.step.document)
        run.commit([konsep], lambda: run.note(masukan=data.id, dokumen=(konsep,)))
        run.records = run.register.steps(run.kasus)
        run.record = run.records[run.step.key]
    return record(run)


def setujui(run):
    """On approval, number the Nota Dinas in the agenda keluar, file it (as PDF too) and put it in the
    outbox; with ``signing.method: pkcs12`` the PDF is signed before it is filed."""
    action = run.action()
    if action is None:
        return False
    when, config = run.when(action), run.config
    # The number belongs to the year it is allocated in, whatever the approval's waktu says.
    tahun, oleh, dated = run.now.year, run.who(action), run.now.date()
    context = dict(documents.ready_memo(run.context(run.registration())), tte=config.signing.electronic)
    pattern = config.numbering["surat_keluar"]
    kode = config.klasifikasi.get("nota_dinas", "")
    signed = {}

    def prepare(numbers):
        nomor_urut = numbers[("keluar", tahun)]
        nomor = pattern.format(nomor=nomor_urut, tahun=tahun, kode=kode)
        code, printed = run.ws.filer.new_code(run.kasus, "nota_dinas")
        letter = codes.attach(dict(context, tanda_konsep="", nomor_surat=nomor, tanggal_surat=tanggal(dated)), printed)
        template = config.template(run.step.document)
        return [
            run.ws.filer.prepare(
                Filing(
                    config.archive / str(tahun) / "surat-keluar" / f"{nomor_urut:04d}_{slug(run.case.unit)}",
                    writers={LETTER: lambda path: render(template, letter, path)},
                    metadata={
                        "kasus": run.kasus,
                        "nomor_surat": nomor,
                        "tanggal_surat": dated.isoformat(),
                        "kepada": letter["kepada"],
                        "hal": letter["hal"],
                        "disetujui_oleh": oleh,
                    },
                    outbox={LETTER: config.outbox / run.kasus / f"{run.kasus}_{run.step.number:02d}_{LETTER}"},
                    codes={LETTER: Bound(code, run.kasus, "nota_dinas")},
                    pdf=True,
                    after=lambda folder: signed.update(_sign(run, folder, printed["alamat"], nomor)),
                )
            )
        ]

    def write(numbers, prepared):
        [folder] = prepared
        nomor = pattern.format(nomor=numbers[("keluar", tahun)], tahun=tahun, kode=kode)
        run.register.add_agenda_entry(
            AgendaEntry(
                buku="keluar",
                tahun=tahun,
                nomor_urut=numbers[("keluar", tahun)],
                nomor_surat=nomor,
                tanggal_surat=dated.isoformat(),
                hal=context["hal"],
                kepada=context["kepada"],
                sifat=context["sifat"],
                lampiran=context["lampiran"],
                tembusan=context["tembusan"],
                kasus=run.kasus,
                folder=folder.rel,
                berkas=folder.berkas,
                sha256=folder.digests,
                ditandatangani=signed.get("waktu"),
                ditandatangani_oleh=signed.get("oleh", ""),
            )
        )
        run.apply(action, when)
        run.complete(
            when, run.by(action), [folder.path(PDF if PDF in folder.digests else LETTER)], catatan=f"Nomor {nomor}"
        )

    run.ws.filer.file(prepare, write, numbers=[("keluar", tahun)])
    return True


def _sign(run, folder, qr_url, nomor):
    """``pkcs12``: sign the letter's PDF in staging, before its digests are taken; who and when."""
    settings = run.config.signing
    if settings.method != PKCS12:
        return {}
    pdf = folder / PDF
    if not pdf.is_file() and run.ws.converter.available:
        return {}  # the PDF is owed: owed.drain signs it when it is made
    if not pdf.is_file():
        raise SigningError(INSTALL + " Tanda tangan elektronik memerlukan PDF.")
    moment = run.ws.now()
    who = sign_pkcs12(
        settings, pdf, qr_url, f"Persetujuan Nota Dinas Nomor {nomor}", run.config.organisation["city"], moment
    )
    return {"oleh": who, "waktu": moment.isoformat(timespec="seconds")}


def kirim(run):
    """Staff confirm the letter was sent; the agenda keluar records the date."""
    action = run.action()
    if action is None:
        return False
    when = run.when(action)

    def write():
        run.register.record_sent(run.kasus, when.isoformat(timespec="seconds"), note_of(action.data))
        run.apply(action, when)
        run.complete(when, run.by(action), [], catatan=note_of(action.data))

    run.commit([], write)
    return True


def kirim_guard(ws, case, step, records):
    """With electronic signing a letter is sent only once it is signed: while its PDF is owed
    (LibreOffice failed) it cannot be; with BSrE, only once the official signed it."""
    if not ws.config.signing.electronic:
        return None
    letter = ws.register.outgoing(case.id, void=False)
    if letter is not None and ws.register.letter_pdf(letter) is None and ws.converter.available:
        return (
            f"Nota Dinas {letter.nomor_surat} belum dapat ditandatangani secara elektronik karena PDF-nya belum "
            "dibuat (LibreOffice gagal atau macet). Periksa LibreOffice dengan \u201cpipeline doctor\u201d, lalu "
            "buat PDF-nya dengan \u201cpipeline pdf\u201d."
        )
    if ws.config.signing.method != "bsre":
        return None
    signed = letter is not None and any(
        d.jenis == "surat_tte" and within(d.folder, letter.folder) for d in ws.register.documents(case.id)
    )
    if letter is not None and not signed:  # a scan signed in ink is archived, but BSrE signs what is sent
        return (
            f"Nota Dinas {letter.nomor_surat} belum ditandatangani secara elektronik; tandatangani dulu dengan "
            f"\u201cpipeline tandatangani {case.id}\u201d."
        )
    return None


def tolak(run, action):
    """``tolak``: back to the step the table names. Sent back to the data, the case is held
    with a return memo to the unit, which must send corrected data; sent back anywhere
    else, that step is simply done again."""
    when, oleh = run.when(action), run.who(action)
    reason = action.data.get("catatan") or "Data perlu diperbaiki."
    target = run.procedure.step(run.step.reject_to)
    to_data = target == run.procedure.data_step()
    made = (
        [
            run.document(
                "konsep_nota_dinas", documents.return_memo(run.context(run.registration()), [reason]), REJECT.document
            )
        ]
        if to_data
        else []
    )

    def write():
        run.apply(action, when)
        run.reset_to(target, f"Dikembalikan pada langkah {run.step.number} oleh {oleh}: {reason}")
        if to_data:
            run.register.note_step(run.kasus, target.key, dokumen=tuple(run.path(p) for p in made))
            run.register.set_case_status(run.kasus, "tertahan")

    run.commit(made, write)
