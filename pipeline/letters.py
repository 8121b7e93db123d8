"""The numbered letter after its approval: voiding its number, its signed copies.

``void`` keeps a voided number in the agenda keluar with its reason, the
account that voided it and when; the number is never given again, its
documents verify as "batal", and the case goes back to the approval so a
new letter can be numbered (docs/architecture.md, "The letter that leaves").
A signed copy (a scan signed in ink, or a file signed through BSrE) is filed
beside its letter.
"""

from pathlib import Path

from . import access, cases, site
from .errors import InputRefused, PipelineError
from .procedure import DONE
from .register import Document, Event, JournalEntry, KeptInput


def sealing_step(ws):
    """The step whose completion fixes the letter (the approval), or None."""
    return next((s for s in ws.procedure.steps if s.handler and ws.procedure.handler(s).seals), None)


def void(ws, nomor, alasan, account):
    """Void an outgoing number; returns the entry as it was."""
    entry = ws.register.letter(nomor)
    if entry is None:
        raise PipelineError(f"Nomor surat keluar \u201c{nomor}\u201d tidak ada di agenda surat keluar. Periksa "
                            "penulisannya dengan \u201cpipeline register --buku keluar\u201d.")
    if entry.batal:
        raise PipelineError(f"Nomor {entry.nomor_surat} sudah dibatalkan pada {entry.batal_waktu} oleh "
                            f"{entry.batal_oleh}: {entry.alasan_batal}")
    if not (alasan or "").strip():
        raise PipelineError("Alasan pembatalan wajib diisi dengan --alasan.")
    step = sealing_step(ws)
    problem = access.refusal(ws.config, step, account, "batal") if step else None
    if problem:
        raise PipelineError(f"Nomor {entry.nomor_surat} tidak dibatalkan: {problem}")
    stamp = ws.now().isoformat(timespec="seconds")
    with ws.register.transaction():
        ws.register.void_letter(entry, alasan.strip(), account, stamp)
        ws.register.record_event(Event(stamp, entry.kasus, account, "nomor_dibatalkan",
                                       {"nomor": entry.nomor_surat, "alasan": alasan.strip()}))
        if step is not None and entry.kasus and ws.register.case(entry.kasus) is not None:
            cases.reset(ws, entry.kasus, step, f"Nomor {entry.nomor_surat} dibatalkan: {alasan.strip()}", stamp)
    site.refresh_codes(ws.config, ws.register, entry.kasus)
    return entry


def file_signed_copy(ws, letter, copies, jenis, oleh, claim_metadata=None, record=None, outbox=None):
    """File a signed copy of ``letter`` beside it (``ttd_vN``); returns the Prepared folder.

    ``record()`` runs in the same transaction (journal entries, a kept action).
    """
    versi = len([d for d in ws.register.documents(letter.kasus) if d.jenis == jenis]) + 1
    stamp = ws.now().isoformat(timespec="seconds")
    letter_folder = ws.config.root / letter.folder
    final = letter_folder / f"ttd_v{versi}"
    metadata = {"kasus": letter.kasus, "nomor_surat": letter.nomor_surat, "jenis": jenis, "versi": versi,
                "ditandatangani_oleh": oleh, **(claim_metadata or {})}

    def write(_numbers, prepared):
        [folder] = prepared
        ws.register.add_document(Document(letter.kasus, 0, jenis, versi, stamp, folder.rel, folder.berkas,
                                          folder.digests))
        ws.register.record_signed(letter, stamp, oleh)
        ws.register.record_event(Event(stamp, letter.kasus, oleh, "surat_ditandatangani",
                                       {"nomor": letter.nomor_surat, "folder": folder.rel}))
        return record(folder) if record else folder

    return ws.filer.file(lambda _n: [ws.filer.prepare(final, copies, metadata=metadata, anchor=letter_folder,
                                                       outbox=outbox)], write)


def is_closed(ws, kasus):
    case = ws.register.case(kasus)
    return case is None or case.status == DONE


def receive_scan(ws, claim_id, inbounds, parsed, now):
    """A signed copy of a numbered letter: its number in the file name, or ``nomor`` in its sidecar.

    A PDF carrying an intact electronic signature (``pipeline tandatangani`` drops
    one) is the letter signed electronically, by the account that holds the
    approval's role; anything else is a letter signed in ink and scanned.
    Filed beside the letter; where ``signing.scan_sends`` says so, it is also
    the record that the letter was sent (a ``kirim`` action kept for the case).
    """
    letter = _scanned_letter(ws, parsed, inbounds)
    pdfs = [i for i in inbounds if i.name.lower().endswith(".pdf")]
    jenis, oleh = _how_signed(ws, letter, pdfs)
    stamp = now.isoformat(timespec="seconds")
    sends = ws.config.signing.scan_sends and ws.procedure.with_handler("kirim")

    def record(folder):
        if sends and not is_closed(ws, letter.kasus):
            ws.register.keep_input(KeptInput(0, "tindakan", sends[0].key, letter.kasus, letter.kasus, stamp,
                                             {"jenis": "tindakan", "rujukan": letter.kasus, "langkah": sends[0].key,
                                              "catatan": "Salinan surat bertanda tangan diterima", "akun": "pipeline"},
                                             folder.rel, {}, {}, klaim=claim_id,
                                             dasar=ws.register.newest_registration(letter.kasus, letter.kasus)))
        return [ws.register.add_journal(JournalEntry(
            i.name, i.sha256, i.size, stamp, "diterima", "surat_keluar_ttd", letter.kasus, (),
            folder.path(f"asli_{i.name}"), claim_id)) for i in inbounds]

    outbox = {f"asli_{i.name}": ws.config.outbox / letter.kasus / f"{letter.kasus}_surat-bertanda-tangan.pdf"
              for i in pdfs[:1]}
    return file_signed_copy(ws, letter, {f"asli_{i.name}": i.path for i in inbounds}, jenis, oleh,
                            {"klaim": claim_id}, record, outbox)


def _scanned_letter(ws, parsed, inbounds):
    """The outgoing letter a signed copy names (file name or sidecar), or InputRefused saying how to name it."""
    nomor = parsed.fields.get("nomor") if parsed.kind == "surat_keluar_ttd" else Path(inbounds[0].name).stem
    letter = ws.register.letter(nomor) if nomor else None
    if letter is None:
        raise InputRefused(f"Nomor surat keluar \u201c{nomor or '-'}\u201d tidak ada di agenda surat keluar. Beri "
                           "nama berkas pindaian sesuai nomor suratnya (garis miring diganti tanda hubung, misalnya "
                           "027-12-Pusdatinkomtel-2026.pdf) atau sertakan berkas YAML pendamping dengan jenis "
                           "surat_keluar_ttd dan nomor.", kind="surat_keluar_ttd")
    if letter.batal:
        raise InputRefused(f"Nomor {letter.nomor_surat} sudah dibatalkan; salinan bertanda tangan surat itu tidak "
                           "diarsipkan.", kind="surat_keluar_ttd")
    return letter


def _how_signed(ws, letter, pdfs):
    """(jenis, oleh): electronically by the approval's role holder, or in ink and scanned."""
    signer = _electronic_signer(ws, pdfs[0].path) if pdfs else None
    if signer is None:
        return "surat_ttd", "tanda tangan basah (pindaian)"
    step = sealing_step(ws)
    account = access.owner(pdfs[0].path)
    problem = access.refusal(ws.config, step, account, "tandatangani") if step else None
    if problem:
        raise InputRefused(f"Surat {letter.nomor_surat} bertanda tangan elektronik tidak diarsipkan: {problem}",
                           kind="surat_keluar_ttd")
    return "surat_tte", f"{signer} (akun {account})"


def _electronic_signer(ws, path):
    """The signer of an intact electronic signature in the PDF, or None (a scan, or no valid signature)."""
    from .signing import check_pdf
    checks = [c for c in check_pdf(ws.config.signing, path) if c.intact]
    return checks[0].signer if checks else None


def to_sign(ws, kasus, account):
    """The case's numbered letter that waits for an electronic signature through BSrE, checked."""
    from .signing import BSRE
    if ws.config.signing.method != BSRE:
        raise PipelineError("Penandatanganan lewat BSrE hanya untuk signing.method: bsre di config.yaml.")
    found = ws.register.find_cases(kasus)
    if len(found) != 1:
        raise PipelineError(f"Kasus \u201c{kasus}\u201d tidak ditemukan (atau cocok dengan lebih dari satu kasus; "
                            "tulis nomor kasusnya).")
    letter = next((e for e in ws.register.agenda("keluar") if e.kasus == found[0].id and not e.batal), None)
    if letter is None:
        raise PipelineError(f"Kasus {found[0].id} belum memiliki Nota Dinas bernomor; catat persetujuannya dulu.")
    if letter.ditandatangani:
        raise PipelineError(f"Nota Dinas {letter.nomor_surat} sudah ditandatangani pada {letter.ditandatangani} "
                            f"oleh {letter.ditandatangani_oleh}.")
    if "nota-dinas.pdf" not in letter.berkas:
        raise PipelineError(f"Nota Dinas {letter.nomor_surat} belum ada dalam bentuk PDF (LibreOffice belum terpasang "
                            "saat disetujui); batalkan nomornya dan setujui lagi setelah LibreOffice terpasang.")
    step = sealing_step(ws)
    problem = access.refusal(ws.config, step, account, "tandatangani") if step else None
    if problem:
        raise PipelineError(f"Nota Dinas {letter.nomor_surat} tidak dapat ditandatangani: {problem}")
    return letter


def gateway_stamp(ws, letter, pdf_path):
    """Where BSrE puts the visible signature (the template's TTE place) and its image (the letter's QR)."""
    import base64
    from . import codes
    from .signing import stamp_box
    page, box = stamp_box(pdf_path)
    code = next((c.kode for c in ws.register.codes(folder=letter.folder)), None)
    image = codes.qr_png(codes.target(ws.config.verification_base_url, code)) if code else None
    stamp = {"page": page + 1, "originX": box[0], "originY": box[1], "width": box[2] - box[0],
             "height": box[3] - box[1], "location": ws.config.organisation["city"],
             "reason": f"Persetujuan Nota Dinas Nomor {letter.nomor_surat}"}
    if image:
        stamp["imageBase64"] = base64.b64encode(image).decode("ascii")
    return stamp
