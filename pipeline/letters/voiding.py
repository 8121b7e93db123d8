"""Voiding a numbered letter's number, and taking its copies out of the outbox.

``void`` keeps a voided number in the agenda keluar with its reason, the
account that voided it and when; the number is never given again, its
documents verify as "batal", and the case goes back to the approval so a
new letter can be numbered (docs/architecture.md, "The letter that leaves").
A voided letter and its signed copies leave the outbox staff print and send
from: they are moved into ``outbox/<case>/batal/``, named
"BATAL - <nomor> - <name>" (``withdraw``); the archive keeps them.

An official's account on the server, which cannot write the register, hands
``pipeline batal`` to the running service as a void request (``jenis: batal``,
``nomor``, ``alasan``) in its own folder ``keputusan/<account>/``; the service
voids as that account (``receive_request``), archives the request and
journals it in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.errors import InputRefused, PipelineError
from pipeline.filing.archive import locate, slug, within
from pipeline.filing.filer import Filing
from pipeline.outputs import site
from pipeline.register import AgendaEntry, Event, JournalEntry, KeptInput
from pipeline.sop import access, step_run
from pipeline.states import Hasil, InputStatus

if TYPE_CHECKING:
    from pipeline.clock import Clock
    from pipeline.config import Config
    from pipeline.filing.filer import Filer, Numbers, Prepared
    from pipeline.models import Inbound
    from pipeline.register.sql import SqlRegister
    from pipeline.sop.procedure import Procedure

REQUEST = "batal"  # the ``jenis`` of a void request handed to the service by ``pipeline batal``

VOID_FOLDER = "batal"  # outbox/<case>/batal/: the copies of voided letters, out of the way of the current one


def void(
    nomor: str,
    alasan: str,
    account: str,
    *,
    config: Config,
    register: SqlRegister,
    procedure: Procedure,
    clock: Clock,
    log: logging.Logger,
) -> AgendaEntry:
    """Void an outgoing number; returns the entry as it was."""
    entry = check_void(nomor, alasan, account, config=config, register=register, procedure=procedure)
    with register.transaction():
        record_void(entry, alasan, account, clock.stamp(), register=register, procedure=procedure)
    withdraw(entry, config=config, register=register, log=log)
    refresh_pages(entry.kasus, config=config, register=register, log=log)
    return entry


def check_void(
    nomor: str, alasan: str, account: str, *, config: Config, register: SqlRegister, procedure: Procedure
) -> AgendaEntry:
    """The letter ``nomor`` when ``account`` may void it with ``alasan``; PipelineError says why not."""
    entry = register.letter(nomor)
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
    step = procedure.sealing()
    problem = access.refusal(config, step, account, "batal") if step else None
    if problem:
        raise PipelineError(f"Nomor {entry.nomor_surat} tidak dibatalkan: {problem}")
    return entry


def record_void(
    entry: AgendaEntry, alasan: str, account: str, stamp: str, *, register: SqlRegister, procedure: Procedure
) -> None:
    """Write the void into the register, inside the caller's transaction: the number kept with its
    reason, the event, and the case back at the approval."""
    step = procedure.sealing()
    register.void_letter(entry, alasan.strip(), account, stamp)
    register.record_event(
        Event(stamp, entry.kasus, account, "nomor_dibatalkan", {"nomor": entry.nomor_surat, "alasan": alasan.strip()})
    )
    if step is not None and entry.kasus and register.case(entry.kasus) is not None:
        step_run.reset(
            entry.kasus,
            step,
            f"Nomor {entry.nomor_surat} dibatalkan: {alasan.strip()}",
            stamp,
            register=register,
            procedure=procedure,
        )


def receive_request(
    claim_id: str,
    inbounds: Sequence[Inbound],
    fields: dict[str, Any],
    now: dt.datetime,
    account: str,
    *,
    config: Config,
    register: SqlRegister,
    procedure: Procedure,
    filer: Filer,
    clock: Clock,
    unchanged: Callable[[], None],
) -> list[JournalEntry]:
    """A void request from ``account``'s own folder: void as that account (the same checks as
    ``pipeline batal``), archive the request and journal it, all in one transaction; InputRefused
    says why not. Its copies leave the outbox after the commit (and at every start)."""
    nomor, alasan = str(fields.get("nomor") or "").strip(), str(fields.get("alasan") or "").strip()
    try:
        entry = check_void(nomor, alasan, account, config=config, register=register, procedure=procedure)
    except PipelineError as exc:
        raise InputRefused(str(exc), kind=REQUEST) from None
    stamp = now.isoformat(timespec="seconds")
    name = f"{now:%Y%m%d-%H%M%S}_{claim_id[:6]}_batal_{slug(entry.nomor_surat, 30)}"
    metadata = {"jenis": REQUEST, "nomor": entry.nomor_surat, "kasus": entry.kasus, "klaim": claim_id}
    copies = {f"asli_{i.name}": i.path for i in inbounds}
    said = f"Nomor {entry.nomor_surat} dibatalkan oleh {account}: {alasan}"

    def record(_numbers: Numbers, prepared: list[Prepared]) -> list[JournalEntry]:
        [folder] = prepared
        record_void(entry, alasan, account, stamp, register=register, procedure=procedure)
        data = {"nomor": entry.nomor_surat, "alasan": alasan, "oleh": account}
        register.keep_input(
            KeptInput(  # kept as an official's action already applied: never pending, its folder known
                0,
                "tindakan",
                REQUEST,
                entry.nomor_surat,
                entry.kasus,
                stamp,
                data,
                folder.rel,
                folder.berkas,
                folder.digests,
                status=InputStatus.APPLIED,
                diterapkan=stamp,
                klaim=claim_id,
            )
        )
        return [
            register.add_journal(
                JournalEntry(
                    i.name,
                    i.sha256,
                    i.size,
                    stamp,
                    Hasil.ACCEPTED,
                    REQUEST,
                    entry.kasus,
                    (said,),
                    folder.path(f"asli_{i.name}"),
                    claim_id,
                )
            )
            for i in inbounds
        ]

    final = config.archive / str(now.year) / "masukan" / name
    entries = filer.file(
        lambda _numbers: [filer.prepare(Filing(final, copies, metadata=metadata))], record, unchanged=unchanged
    )
    log = logging.getLogger("pipeline")
    withdraw(entry, config=config, register=register, log=log)
    refresh_pages(entry.kasus, config=config, register=register, log=log)
    return entries


def withdraw(letter: AgendaEntry, *, config: Config, register: SqlRegister, log: logging.Logger) -> None:
    """Move a voided letter's copies in the outbox, and its signed copies', into ``outbox/<case>/batal/``
    as "BATAL - <nomor> - <name>", so only the current letter is offered for printing and sending.

    Run after the void commits and again at every start (``Workspace.start``), so a crash in between
    leaves nothing behind; a file is moved only while it is still that letter's own (its SHA-256 in the
    archive), never the new letter that took its name. A file that cannot be moved now is logged."""
    from pipeline.filing.archive import read_metadata

    beside = register.documents(letter.kasus) if letter.kasus and letter.folder else []
    folders = [letter.folder, *sorted({d.folder for d in beside if within(d.folder, letter.folder)})]
    for rel in filter(None, folders):
        meta = read_metadata(locate(config, rel)) or {}
        for name, target in (meta.get("outbox") or {}).items():
            try:
                _set_aside(config.outbox / target, (meta.get("sha256") or {}).get(name), letter.nomor_surat)
            except OSError as exc:
                log.warning(
                    "Salinan Nota Dinas %s yang dibatalkan belum dapat dipindahkan dari outbox (%s); "
                    "dicoba lagi saat pipeline dijalankan berikutnya.",
                    letter.nomor_surat,
                    exc,
                )


def _set_aside(path: Path, digest: str | None, nomor: str) -> None:
    """``path`` into the ``batal/`` folder beside it, when it is the voided letter's own file."""
    from pipeline.filing.archive import sha256_file

    if digest is None or not path.is_file() or sha256_file(path) != digest:
        return
    plain = re.sub(r"[^\w.-]+", "-", nomor)  # 027/12/Pusdatinkomtel/2026 -> 027-12-Pusdatinkomtel-2026
    aside = path.parent / VOID_FOLDER / f"BATAL - {plain} - {path.name}"
    aside.parent.mkdir(exist_ok=True)
    os.replace(path, aside)


def refresh_pages(kasus: str, *, config: Config, register: SqlRegister, log: logging.Logger) -> None:
    """The verification pages of a case after its letter changed; a page that cannot be written now is
    written again at the next start (``Workspace.start``), so the void is never lost."""
    try:
        site.refresh_codes(config, register, kasus)
    except OSError as exc:
        log.warning("Halaman verifikasi kasus %s belum dapat ditulis: %s", kasus, exc)
