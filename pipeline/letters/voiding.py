"""The numbered letter after its approval: voiding its number, its signed copies.

``void`` keeps a voided number in the agenda keluar with its reason, the
account that voided it and when; the number is never given again, its
documents verify as "batal", and the case goes back to the approval so a
new letter can be numbered (docs/architecture.md, "The letter that leaves").
A signed copy (a scan signed in ink, or a file signed through BSrE) is filed
beside its letter. A voided letter and its signed copies leave the outbox
staff print and send from: they are moved into ``outbox/<case>/batal/``,
named "BATAL - <nomor> - <name>" (``withdraw``); the archive keeps them.
"""

import os
import re
from pathlib import Path

from pipeline import access
from pipeline.errors import InputRefused, PipelineError
from pipeline.filing.archive import locate, within
from pipeline.filing.filer import Filing
from pipeline.outputs import site
from pipeline.register import Document, Event, JournalEntry, KeptInput
from pipeline.sop import cases
from pipeline.sop.procedure import DONE

SIGNED_COPIES = ("surat_tte", "surat_ttd")  # filed beside their letter, numbered together ttd_v1, ttd_v2...
VOID_FOLDER = "batal"  # outbox/<case>/batal/: the copies of voided letters, out of the way of the current one


def sealing_step(ws):
    """The step whose completion fixes the letter (the approval), or None."""
    return next((s for s in ws.procedure.steps if s.handler and ws.procedure.handler(s).seals), None)


def void(ws, nomor, alasan, account):
    """Void an outgoing number; returns the entry as it was."""
    entry = ws.register.letter(nomor)
    if entry is None:
        raise PipelineError(
            f"Nomor surat keluar \u201c{nomor}\u201d tidak ada di agenda surat keluar. Periksa "
            "penulisannya dengan \u201cpipeline register --buku keluar\u201d."
        )
    if entry.batal:
        raise PipelineError(
            f"Nomor {entry.nomor_surat} sudah dibatalkan pada {entry.batal_waktu} oleh "
            f"{entry.batal_oleh}: {entry.alasan_batal}"
        )
    if not (alasan or "").strip():
        raise PipelineError("Alasan pembatalan wajib diisi dengan --alasan.")
    step = sealing_step(ws)
    problem = access.refusal(ws.config, step, account, "batal") if step else None
    if problem:
        raise PipelineError(f"Nomor {entry.nomor_surat} tidak dibatalkan: {problem}")
    stamp = ws.now().isoformat(timespec="seconds")
    with ws.register.transaction():
        ws.register.void_letter(entry, alasan.strip(), account, stamp)
        ws.register.record_event(
            Event(
                stamp, entry.kasus, account, "nomor_dibatalkan", {"nomor": entry.nomor_surat, "alasan": alasan.strip()}
            )
        )
        if step is not None and entry.kasus and ws.register.case(entry.kasus) is not None:
            cases.reset(ws, entry.kasus, step, f"Nomor {entry.nomor_surat} dibatalkan: {alasan.strip()}", stamp)
    withdraw(ws, entry)
    refresh_pages(ws, entry.kasus)
    return entry


def withdraw(ws, letter):
    """Move a voided letter's copies in the outbox, and its signed copies', into ``outbox/<case>/batal/``
    as "BATAL - <nomor> - <name>", so only the current letter is offered for printing and sending.

    Run after the void commits and again at every start (``Workspace.start``), so a crash in between
    leaves nothing behind; a file is moved only while it is still that letter's own (its SHA-256 in the
    archive), never the new letter that took its name. A file that cannot be moved now is logged."""
    from pipeline.filing.archive import read_metadata

    beside = ws.register.documents(letter.kasus) if letter.kasus and letter.folder else []
    folders = [letter.folder, *sorted({d.folder for d in beside if within(d.folder, letter.folder)})]
    for rel in filter(None, folders):
        meta = read_metadata(locate(ws.config, rel)) or {}
        for name, target in (meta.get("outbox") or {}).items():
            try:
                _set_aside(ws.config.outbox / target, (meta.get("sha256") or {}).get(name), letter.nomor_surat)
            except OSError as exc:
                ws.log.warning(
                    "Salinan Nota Dinas %s yang dibatalkan belum dapat dipindahkan dari outbox (%s); "
                    "dicoba lagi saat pipeline dijalankan berikutnya.",
                    letter.nomor_surat,
                    exc,
                )


def _set_aside(path, digest, nomor):
    """``path`` into the ``batal/`` folder beside it, when it is the voided letter's own file."""
    from pipeline.filing.archive import sha256_file

    if digest is None or not path.is_file() or sha256_file(path) != digest:
        return
    plain = re.sub(r"[^\w.-]+", "-", nomor)  # 027/12/Pusdatinkomtel/2026 -> 027-12-Pusdatinkomtel-2026
    aside = path.parent / VOID_FOLDER / f"BATAL - {plain} - {path.name}"
    aside.parent.mkdir(exist_ok=True)
    os.replace(path, aside)


def refresh_pages(ws, kasus):
    """The verification pages of a case after its letter changed; a page that cannot be written now is
    written again at the next start (``Workspace.start``), so the void is never lost."""
    try:
        site.refresh_codes(ws.config, ws.register, kasus)
    except OSError as exc:
        ws.log.warning("Halaman verifikasi kasus %s belum dapat ditulis: %s", kasus, exc)


def file_signed_copy(ws, letter, copies, jenis, oleh, claim_metadata=None, record=None, outbox=None):
    """File a signed copy of ``letter`` beside it (``ttd_vN``); returns the Prepared folder.

    ``record()`` runs in the same transaction (journal entries, a kept action).
    """
    versi = ws.register.next_version(letter.kasus, jenis)  # of this kind in the case (the register's key)
    nth = (
        len(
            [
                d
                for d in ws.register.documents(letter.kasus)  # beside this letter, of either kind
                if d.jenis in SIGNED_COPIES and within(d.folder, letter.folder)
            ]
        )
        + 1
    )
    stamp = ws.now().isoformat(timespec="seconds")
    letter_folder = locate(ws.config, letter.folder)
    final = letter_folder / f"ttd_v{nth}"
    metadata = {
        "kasus": letter.kasus,
        "nomor_surat": letter.nomor_surat,
        "jenis": jenis,
        "versi": versi,
        "ditandatangani_oleh": oleh,
        **(claim_metadata or {}),
    }

    def write(_numbers, prepared):
        [folder] = prepared
        ws.register.add_document(
            Document(letter.kasus, 0, jenis, versi, stamp, folder.rel, folder.berkas, folder.digests)
        )
        ws.register.record_signed(letter, stamp, oleh)
        ws.register.record_event(
            Event(
                stamp, letter.kasus, oleh, "surat_ditandatangani", {"nomor": letter.nomor_surat, "folder": folder.rel}
            )
        )
        return record(folder) if record else folder

    return ws.filer.file(
        lambda _n: [ws.filer.prepare(Filing(final, copies, metadata=metadata, anchor=letter_folder, outbox=outbox))],
        write,
    )


def is_closed(ws, kasus):
    case = ws.register.case(kasus)
    return case is None or case.status == DONE


SCANS = (".pdf", ".jpg", ".jpeg", ".png", ".tif", ".tiff")


def receive_scan(ws, claim_id, inbounds, parsed, now, account=None):
    """A signed copy of a numbered letter: its number in the file name, or ``nomor`` in its sidecar.

    A PDF carrying an electronic signature must be the approved letter itself,
    signed after it (its bytes begin with the approved PDF's) with an intact
    signature, put there by an account that holds the approval's role
    (``account`` when known first-hand, as ``pipeline tandatangani`` knows it;
    else the file's owner, never on a network inbox). Anything else must be a
    scan: a file that is byte for byte the unsigned letter is refused. Filed
    beside the letter; where ``signing.scan_sends`` says so, it is also the
    record that the letter was sent (a ``kirim`` action kept for the case).
    """
    letter = _scanned_letter(ws, parsed, inbounds)
    scans = [i for i in inbounds if i.name.lower().endswith(SCANS)]
    if not scans:
        raise InputRefused(
            f"Berkas pendamping untuk Nota Dinas {letter.nomor_surat} tidak disertai pindaian "
            "suratnya. Letakkan pindaian (PDF, JPG atau PNG) bernama sama dengan berkas YAML ini di "
            "inbox.",
            kind="surat_keluar_ttd",
        )
    _not_the_unsigned_letter(letter, scans, {digest for *_, digest in ws.register.made_pdfs(letter.folder)})
    pdfs = [i for i in scans if i.name.lower().endswith(".pdf")]
    jenis, oleh = _how_signed(ws, letter, pdfs, account)
    stamp = now.isoformat(timespec="seconds")
    sends = ws.config.signing.scan_sends and ws.procedure.with_handler("kirim")

    def record(folder):
        if sends and not is_closed(ws, letter.kasus):
            ws.register.keep_input(
                KeptInput(
                    0,
                    "tindakan",
                    sends[0].key,
                    letter.kasus,
                    letter.kasus,
                    stamp,
                    {
                        "jenis": "tindakan",
                        "rujukan": letter.kasus,
                        "langkah": sends[0].key,
                        "catatan": "Salinan surat bertanda tangan diterima",
                        "akun": "pipeline",
                    },
                    folder.rel,
                    {},
                    {},
                    klaim=claim_id,
                    dasar=ws.register.newest_registration(letter.kasus, letter.kasus),
                )
            )
        return [
            ws.register.add_journal(
                JournalEntry(
                    i.name,
                    i.sha256,
                    i.size,
                    stamp,
                    "diterima",
                    "surat_keluar_ttd",
                    letter.kasus,
                    (),
                    folder.path(f"asli_{i.name}"),
                    claim_id,
                )
            )
            for i in inbounds
        ]

    outbox = {
        f"asli_{i.name}": ws.config.outbox / letter.kasus / f"{letter.kasus}_surat-bertanda-tangan.pdf"
        for i in pdfs[:1]
    }
    return file_signed_copy(
        ws, letter, {f"asli_{i.name}": i.path for i in inbounds}, jenis, oleh, {"klaim": claim_id}, record, outbox
    )


def _scanned_letter(ws, parsed, inbounds):
    """The outgoing letter a signed copy names (file name or sidecar), or InputRefused saying how to name it."""
    nomor = parsed.fields.get("nomor") if parsed.kind == "surat_keluar_ttd" else Path(inbounds[0].name).stem
    letter = ws.register.letter(nomor) if nomor else None
    if letter is None:
        raise InputRefused(
            f"Nomor surat keluar \u201c{nomor or '-'}\u201d tidak ada di agenda surat keluar. Beri "
            "nama berkas pindaian sesuai nomor suratnya (garis miring diganti tanda hubung, misalnya "
            "027-12-Pusdatinkomtel-2026.pdf) atau sertakan berkas YAML pendamping dengan jenis "
            "surat_keluar_ttd dan nomor.",
            kind="surat_keluar_ttd",
        )
    if letter.batal:
        raise InputRefused(
            f"Nomor {letter.nomor_surat} sudah dibatalkan; salinan bertanda tangan surat itu tidak diarsipkan.",
            kind="surat_keluar_ttd",
        )
    return letter


def _not_the_unsigned_letter(letter, scans, made=()):
    """A copy of the letter as the pipeline made it (from the archive or the outbox, its PDF
    made later among ``made``) is not a signed copy."""
    own = set(letter.sha256.values()) | set(made)
    if any(i.sha256 in own for i in scans):
        raise InputRefused(
            f"Berkas ini sama persis dengan Nota Dinas {letter.nomor_surat} yang dibuat pipeline, "
            "belum bertanda tangan. Letakkan pindaian surat yang sudah ditandatangani, atau "
            "tandatangani secara elektronik.",
            kind="surat_keluar_ttd",
        )


def _how_signed(ws, letter, pdfs, account):
    """(jenis, oleh): electronically by the approval's role holder, or in ink and scanned."""
    from pipeline.letters.signing import check_pdf, fault, has_signature

    if not (pdfs and has_signature(pdfs[0].path)):
        return "surat_ttd", "tanda tangan basah (pindaian)"
    refuse = lambda why: InputRefused(  # noqa: E731
        f"Surat {letter.nomor_surat} bertanda tangan elektronik tidak diarsipkan: {why}", kind="surat_keluar_ttd"
    )
    checks = check_pdf(ws.config.signing, pdfs[0].path)
    faults = [fault(c) for c in checks if fault(c)]
    if faults or not checks:
        raise refuse(
            (
                " ".join(faults) + " Tandatangani PDF Nota Dinas dari outbox dengan sertifikat dari "
                "otoritas yang dipercaya (signing.trust_roots), tanpa tanda tangan lain."
            ).strip()
        )
    intact = checks
    own = ws.register.letter_pdf(letter)
    approved = locate(ws.config, own) if own else None
    if approved is None or not approved.is_file() or not pdfs[0].path.read_bytes().startswith(approved.read_bytes()):
        raise refuse(
            "berkas ini bukan Nota Dinas yang disetujui dengan tanda tangan ditambahkan padanya. "
            "Tandatangani PDF Nota Dinas dari outbox tanpa mengubahnya."
        )
    step = sealing_step(ws)
    account = account or _owner(ws, pdfs[0])
    problem = access.refusal(ws.config, step, account, "tandatangani") if step else None
    if problem:
        raise refuse(problem)
    return "surat_tte", f"{intact[0].signer} (akun {account})"


def _owner(ws, inbound):
    """Who put an electronically signed file on the share: its owner, where owners can be trusted."""
    from pipeline.register import NETWORK_FS, filesystem

    kind = filesystem(ws.config.inbox)
    if kind in NETWORK_FS:
        raise InputRefused(
            f"Folder inbox berada di folder jaringan ({kind}), sehingga pemilik berkas bertanda "
            "tangan elektronik tidak dapat dipastikan. Tandatangani dengan \u201cpipeline "
            "tandatangani\u201d di server pipeline.",
            kind="surat_keluar_ttd",
        )
    return access.owner(inbound.path)


def to_sign(ws, kasus, account):
    """The case's numbered letter that waits for an electronic signature through BSrE, checked."""
    from pipeline.letters.signing import BSRE

    if ws.config.signing.method != BSRE:
        raise PipelineError("Penandatanganan lewat BSrE hanya untuk signing.method: bsre di config.yaml.")
    found = ws.register.find_cases(kasus)
    if len(found) != 1:
        raise PipelineError(
            f"Kasus \u201c{kasus}\u201d tidak ditemukan (atau cocok dengan lebih dari satu kasus; "
            "tulis nomor kasusnya)."
        )
    letter = ws.register.outgoing(found[0].id, void=False)
    if letter is None:
        raise PipelineError(f"Kasus {found[0].id} belum memiliki Nota Dinas bernomor; catat persetujuannya dulu.")
    if letter.ditandatangani:
        raise PipelineError(
            f"Nota Dinas {letter.nomor_surat} sudah ditandatangani pada {letter.ditandatangani} "
            f"oleh {letter.ditandatangani_oleh}."
        )
    if ws.register.letter_pdf(letter) is None and ws.register.owed_pdfs(letter.kasus):
        raise PipelineError(
            f"Nota Dinas {letter.nomor_surat} belum ada dalam bentuk PDF: LibreOffice gagal atau macet "
            "saat PDF-nya dibuat. Periksa LibreOffice dengan \u201cpipeline doctor\u201d, buat PDF-nya "
            "dengan \u201cpipeline pdf\u201d, lalu tandatangani lagi."
        )
    if ws.register.letter_pdf(letter) is None:
        raise PipelineError(
            f"Nota Dinas {letter.nomor_surat} belum ada dalam bentuk PDF (LibreOffice belum terpasang "
            "saat disetujui); batalkan nomornya dan setujui lagi setelah LibreOffice terpasang."
        )
    step = sealing_step(ws)
    problem = access.refusal(ws.config, step, account, "tandatangani") if step else None
    if problem:
        raise PipelineError(f"Nota Dinas {letter.nomor_surat} tidak dapat ditandatangani: {problem}")
    return letter


def gateway_stamp(ws, letter, pdf_path):
    """Where BSrE puts the visible signature (the template's TTE place) and its image (the letter's QR)."""
    import base64

    from pipeline.documents import codes
    from pipeline.letters.signing import stamp_box

    page, box = stamp_box(pdf_path)
    code = next((c.kode for c in ws.register.codes(folder=letter.folder)), None)
    image = codes.qr_png(codes.target(ws.config, code)) if code else None
    stamp = {
        "page": page + 1,
        "originX": box[0],
        "originY": box[1],
        "width": box[2] - box[0],
        "height": box[3] - box[1],
        "location": ws.config.organisation["city"],
        "reason": f"Persetujuan Nota Dinas Nomor {letter.nomor_surat}",
    }
    if image:
        stamp["imageBase64"] = base64.b64encode(image).decode("ascii")
    return stamp
