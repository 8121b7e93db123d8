"""Signed copies of a numbered letter: a scan signed in ink, or the PDF signed electronically.

A signed copy is filed beside its letter (``ttd_v1``, ``ttd_v2``...); where
``signing.scan_sends`` says so, it is also the record that the letter was
sent (an action kept for the step that records sending).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.errors import InputRefused
from pipeline.filing.archive import locate, within
from pipeline.filing.filer import Filing
from pipeline.register import AgendaEntry, Document, Event, JournalEntry, KeptInput
from pipeline.sop import access
from pipeline.states import CaseStatus, Hasil

if TYPE_CHECKING:
    from pipeline.clock import Clock
    from pipeline.config import Config
    from pipeline.filing.filer import Filer, Numbers, Prepared
    from pipeline.models import Inbound, Parsed
    from pipeline.register.sql import SqlRegister
    from pipeline.sop.procedure import Procedure, Step

SIGNED_COPIES = ("surat_tte", "surat_ttd")  # filed beside their letter, numbered together ttd_v1, ttd_v2...
SCANS = (".pdf", ".jpg", ".jpeg", ".png", ".tif", ".tiff")


def file_signed_copy(
    letter: AgendaEntry,
    copies: dict[str, Path],
    jenis: str,
    oleh: str,
    claim_metadata: dict | None = None,
    record: Callable[[Prepared], Any] | None = None,
    outbox: dict[str, Path] | None = None,
    *,
    config: Config,
    register: SqlRegister,
    filer: Filer,
    clock: Clock,
) -> Any:
    """File a signed copy of ``letter`` beside it (``ttd_vN``); returns the Prepared folder.

    ``record()`` runs in the same transaction (journal entries, a kept action).
    """
    versi = register.next_version(letter.kasus, jenis)  # of this kind in the case (the register's key)
    nth = (
        len(
            [
                d
                for d in register.documents(letter.kasus)  # beside this letter, of either kind
                if d.jenis in SIGNED_COPIES and within(d.folder, letter.folder)
            ]
        )
        + 1
    )
    stamp = clock.stamp()
    letter_folder = locate(config, letter.folder)
    final = letter_folder / f"ttd_v{nth}"
    metadata = {
        "kasus": letter.kasus,
        "nomor_surat": letter.nomor_surat,
        "jenis": jenis,
        "versi": versi,
        "ditandatangani_oleh": oleh,
        **(claim_metadata or {}),
    }

    def write(_numbers: Numbers, prepared: list[Prepared]) -> Any:
        [folder] = prepared
        register.add_document(Document(letter.kasus, 0, jenis, versi, stamp, folder.rel, folder.berkas, folder.digests))
        register.record_signed(letter, stamp, oleh)
        register.record_event(
            Event(
                stamp, letter.kasus, oleh, "surat_ditandatangani", {"nomor": letter.nomor_surat, "folder": folder.rel}
            )
        )
        return record(folder) if record else folder

    return filer.file(
        lambda _n: [filer.prepare(Filing(final, copies, metadata=metadata, anchor=letter_folder, outbox=outbox or {}))],
        write,
    )


def is_closed(register: SqlRegister, kasus: str) -> bool:
    case = register.case(kasus)
    return case is None or case.status == CaseStatus.DONE


def receive_scan(
    claim_id: str,
    inbounds: Sequence[Inbound],
    parsed: Parsed,
    now: dt.datetime,
    account: str | None = None,
    *,
    config: Config,
    register: SqlRegister,
    procedure: Procedure,
    filer: Filer,
    clock: Clock,
) -> list[JournalEntry]:
    """A signed copy of a numbered letter: its number in the file name, or ``nomor`` in its sidecar.

    A PDF carrying an electronic signature must be the approved letter itself, signed after it (its bytes
    begin with the approved PDF's) with an intact signature, put there by an account that holds the
    approval's role (``account`` when known first-hand, as ``pipeline tandatangani`` knows it; else the
    file's owner, never on a network inbox). Anything else must be a scan: a file that is byte for byte the
    unsigned letter is refused. Filed beside the letter; where ``signing.scan_sends`` says so, it is also
    the record that the letter was sent (a kept action for the step that records sending).
    """
    letter = _scanned_letter(register, parsed, inbounds)
    pdfs = _scanned_pdfs(register, letter, inbounds)
    jenis, oleh = _how_signed(config, register, procedure, letter, pdfs, account)
    sending = procedure.sending() if config.signing.scan_sends else None
    record = _recorder(register, letter, sending, inbounds, claim_id, now.isoformat(timespec="seconds"))
    return file_signed_copy(
        letter,
        {f"asli_{i.name}": i.path for i in inbounds},
        jenis,
        oleh,
        {"klaim": claim_id},
        record,
        _signed_outbox(config, letter, pdfs),
        config=config,
        register=register,
        filer=filer,
        clock=clock,
    )


def _scanned_pdfs(register: SqlRegister, letter: AgendaEntry, inbounds: Sequence[Inbound]) -> list[Inbound]:
    """The PDFs among a signed copy's files, once they hold a scan (or PDF) that is not the unsigned
    letter; else InputRefused saying what to put in the inbox."""
    scans = [i for i in inbounds if i.name.lower().endswith(SCANS)]
    if not scans:
        raise InputRefused(
            f"Berkas pendamping untuk Nota Dinas {letter.nomor_surat} tidak disertai pindaian "
            "suratnya. Letakkan pindaian (PDF, JPG atau PNG) bernama sama dengan berkas YAML ini di "
            "inbox.",
            kind="surat_keluar_ttd",
        )
    _not_the_unsigned_letter(letter, scans, {digest for *_, digest in register.made_pdfs(letter.folder)})
    return [i for i in scans if i.name.lower().endswith(".pdf")]


def _signed_outbox(config: Config, letter: AgendaEntry, pdfs: Sequence[Inbound]) -> dict[str, Path]:
    """The outbox copy of a signed copy: its first PDF (scanned or signed electronically), if any."""
    return {
        f"asli_{i.name}": config.outbox / letter.kasus / f"{letter.kasus}_surat-bertanda-tangan.pdf" for i in pdfs[:1]
    }


def _recorder(
    register: SqlRegister,
    letter: AgendaEntry,
    sending: Step | None,
    inbounds: Sequence[Inbound],
    claim_id: str,
    stamp: str,
) -> Callable[[Prepared], list[JournalEntry]]:
    """What a signed copy records in its filing's transaction: the journal's lines and, while the case
    is open and a step records sending, the kept action that says the letter was sent."""

    def record(folder: Prepared) -> list[JournalEntry]:
        if sending is not None and not is_closed(register, letter.kasus):
            register.keep_input(_sent(register, letter, sending.key, folder, claim_id, stamp))
        return [register.add_journal(_accepted(i, letter, folder, claim_id, stamp)) for i in inbounds]

    return record


def _sent(
    register: SqlRegister, letter: AgendaEntry, langkah: str, folder: Prepared, claim_id: str, stamp: str
) -> KeptInput:
    """The kept action that records the letter as sent, for the step ``langkah`` that records sending."""
    return KeptInput(
        0,
        "tindakan",
        langkah,
        letter.kasus,
        letter.kasus,
        stamp,
        {
            "jenis": "tindakan",
            "rujukan": letter.kasus,
            "langkah": langkah,
            "catatan": "Salinan surat bertanda tangan diterima",
            "akun": "pipeline",
        },
        folder.rel,
        {},
        {},
        klaim=claim_id,
        dasar=register.newest_registration(letter.kasus, letter.kasus),
    )


def _accepted(inbound: Inbound, letter: AgendaEntry, folder: Prepared, claim_id: str, stamp: str) -> JournalEntry:
    """The journal's line for one file of a signed copy: accepted, kept beside its letter."""
    return JournalEntry(
        inbound.name,
        inbound.sha256,
        inbound.size,
        stamp,
        Hasil.ACCEPTED,
        "surat_keluar_ttd",
        letter.kasus,
        (),
        folder.path(f"asli_{inbound.name}"),
        claim_id,
    )


def _scanned_letter(register: SqlRegister, parsed: Parsed, inbounds: Sequence[Inbound]) -> AgendaEntry:
    """The outgoing letter a signed copy names (file name or sidecar), or InputRefused saying how to name it."""
    nomor = parsed.fields.get("nomor") if parsed.kind == "surat_keluar_ttd" else Path(inbounds[0].name).stem
    letter = register.letter(nomor) if nomor else None
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


def _not_the_unsigned_letter(letter: AgendaEntry, scans: Sequence[Inbound], made: Iterable[str] = ()) -> None:
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


def _how_signed(
    config: Config,
    register: SqlRegister,
    procedure: Procedure,
    letter: AgendaEntry,
    pdfs: Sequence[Inbound],
    account: str | None,
) -> tuple[str, str]:
    """(jenis, oleh): electronically by the approval's role holder, or in ink and scanned."""
    from pipeline.letters.signing import check_pdf, fault, has_signature

    if not (pdfs and has_signature(pdfs[0].path)):
        return "surat_ttd", "tanda tangan basah (pindaian)"
    refuse = lambda why: InputRefused(  # noqa: E731
        f"Surat {letter.nomor_surat} bertanda tangan elektronik tidak diarsipkan: {why}", kind="surat_keluar_ttd"
    )
    checks = check_pdf(config.signing, pdfs[0].path)
    faults = [fault(c) for c in checks if fault(c)]
    if faults or not checks:
        raise refuse(
            (
                " ".join(faults) + " Tandatangani PDF Nota Dinas dari outbox dengan sertifikat dari "
                "otoritas yang dipercaya (signing.trust_roots), tanpa tanda tangan lain."
            ).strip()
        )
    intact = checks
    own = register.letter_pdf(letter)
    approved = locate(config, own) if own else None
    if approved is None or not approved.is_file() or not pdfs[0].path.read_bytes().startswith(approved.read_bytes()):
        raise refuse(
            "berkas ini bukan Nota Dinas yang disetujui dengan tanda tangan ditambahkan padanya. "
            "Tandatangani PDF Nota Dinas dari outbox tanpa mengubahnya."
        )
    step = procedure.sealing()
    account = account or _owner(config, pdfs[0])
    problem = access.refusal(config, step, account, "tandatangani") if step else None
    if problem:
        raise refuse(problem)
    return "surat_tte", f"{intact[0].signer} (akun {account})"


def _owner(config: Config, inbound: Inbound) -> str:
    """Who put an electronically signed file on the share: its owner, where owners can be trusted."""
    from pipeline.register import NETWORK_FS, filesystem

    kind = filesystem(config.inbox)
    if kind in NETWORK_FS:
        raise InputRefused(
            f"Folder inbox berada di folder jaringan ({kind}), sehingga pemilik berkas bertanda "
            "tangan elektronik tidak dapat dipastikan. Tandatangani dengan \u201cpipeline "
            "tandatangani\u201d di server pipeline.",
            kind="surat_keluar_ttd",
        )
    return access.owner(inbound.path)
