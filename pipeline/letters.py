"""The numbered letter after its approval: voiding its number, its signed copies.

``void`` keeps a voided number in the agenda keluar with its reason, the
account that voided it and when; the number is never given again, its
documents verify as "batal", and the case goes back to the approval so a
new letter can be numbered (docs/architecture.md, "The letter that leaves").
A signed copy (a scan signed in ink, or a file signed through BSrE) is filed
beside its letter.
"""

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


def file_signed_copy(ws, letter, copies, jenis, oleh, claim_metadata=None, record=None):
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

    return ws.filer.file(lambda _n: [ws.filer.prepare(final, copies, metadata=metadata, anchor=letter_folder)],
                         write)


def is_closed(ws, kasus):
    case = ws.register.case(kasus)
    return case is None or case.status == DONE


def receive_scan(ws, claim_id, inbounds, parsed, now):
    """A letter signed in ink, scanned: its number in the file name, or ``nomor`` in its sidecar.

    Filed beside the letter; where ``signing.scan_sends`` says so, it is also
    the record that the letter was sent (a ``kirim`` action kept for the case).
    """
    from pathlib import Path
    nomor = parsed.fields.get("nomor") if parsed.kind == "surat_keluar_ttd" else Path(inbounds[0].name).stem
    letter = ws.register.letter(nomor) if nomor else None
    if letter is None:
        raise InputRefused(f"Nomor surat keluar \u201c{nomor or '-'}\u201d tidak ada di agenda surat keluar. Beri "
                           "nama berkas pindaian sesuai nomor suratnya (garis miring diganti tanda hubung, misalnya "
                           "027-12-Pusdatinkomtel-2026.pdf) atau sertakan berkas YAML pendamping dengan jenis "
                           "surat_keluar_ttd dan nomor.", kind="surat_keluar_ttd")
    if letter.batal:
        raise InputRefused(f"Nomor {letter.nomor_surat} sudah dibatalkan; pindaian surat itu tidak diarsipkan.",
                           kind="surat_keluar_ttd")
    stamp = now.isoformat(timespec="seconds")
    sends = ws.config.signing.scan_sends and [s for s in ws.procedure.with_handler("kirim")]

    def record(folder):
        if sends and not is_closed(ws, letter.kasus):
            ws.register.keep_input(KeptInput(0, "tindakan", sends[0].key, letter.kasus, letter.kasus, stamp,
                                             {"jenis": "tindakan", "rujukan": letter.kasus, "langkah": sends[0].key,
                                              "catatan": "Pindaian surat bertanda tangan diterima", "akun": "pipeline"},
                                             folder.rel, {}, {}, klaim=claim_id,
                                             dasar=ws.register.newest_registration(letter.kasus, letter.kasus)))
        return [ws.register.add_journal(JournalEntry(
            i.name, i.sha256, i.size, stamp, "diterima", "surat_keluar_ttd", letter.kasus, (), folder.path(f"asli_{i.name}"),
            claim_id)) for i in inbounds]

    return file_signed_copy(ws, letter, {f"asli_{i.name}": i.path for i in inbounds}, "surat_ttd",
                            "tanda tangan basah (pindaian)", {"klaim": claim_id}, record)
