"""Registration data and actions arriving for a case: judge them, then keep them.

An input that fits its case is archived and kept ("menunggu") until the case
reaches its step; one that cannot fit is refused with a reason that says
what the case is waiting for. Which action fits which step is the
Procedure's to say. Action files in the inbox and ``pipeline act`` share
this code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.errors import InputRefused
from pipeline.fields import parse_date
from pipeline.filing.archive import slug
from pipeline.filing.filer import Filing
from pipeline.readers import registration as registration_module
from pipeline.readers.validate import check, too_long
from pipeline.register import NETWORK_FS, JournalEntry, KeptInput, filesystem
from pipeline.sop import access, fit
from pipeline.sop.handlers import SENDER
from pipeline.states import CaseStatus, Hasil

if TYPE_CHECKING:
    from pipeline.clock import Clock
    from pipeline.config import Config, Limits
    from pipeline.filing.filer import Filer, Numbers, Prepared
    from pipeline.models import Inbound, Parsed
    from pipeline.register import Case
    from pipeline.register.sql import SqlRegister
    from pipeline.sop.procedure import Procedure

_TEXT = {"type": "string", "nullable": True}


def action_schema(procedure: Procedure) -> dict:
    names = procedure.action_names()
    return {
        "jenis": {"type": "string", "allowed": ["tindakan"]},
        "rujukan": {"type": "string", "required": True, "empty": False},
        "langkah": {"type": "string", "required": True, "allowed": names},
        "oleh": _TEXT,
        "kepada": _TEXT,
        "catatan": _TEXT,
        "waktu": {"nullable": True},
        "atas_nama": _TEXT,  # a decision made on paper, recorded on the official's behalf
    }


def action_when(data: dict, timezone: dt.tzinfo) -> dt.datetime | None:
    """The ``waktu`` of an action as an aware datetime in the office's zone ``timezone`` (a time
    written with another offset is converted where it enters), or None when not given."""
    value = data.get("waktu")
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            value = parse_date(value)
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time(8, 0))
    return value.astimezone(timezone) if value.tzinfo else value.replace(tzinfo=timezone)


def clean_action(fields: dict, procedure: Procedure, limits: Limits | None = None) -> dict[str, Any]:
    """The action's fields checked against its schema (and its free text against ``limits``);
    raises InputRefused naming each problem."""
    fields = {
        k: (str(v) if k in ("rujukan", "oleh", "kepada", "catatan", "atas_nama") and v is not None else v)
        for k, v in fields.items()
    }
    document, errors = check(action_schema(procedure), fields)
    if errors:
        raise InputRefused(
            [
                f"Kolom \u201c{path}\u201d pada berkas tindakan {_action_message(path, msg, procedure)}"
                for path, msg in errors
            ],
            kind="tindakan",
        )
    assert document is not None  # Cerberus gives the document whenever it finds no error
    if limits is not None:
        _refuse_long_text(document, limits)
    try:
        action_when(document, dt.UTC)
    except (ValueError, TypeError, OverflowError):
        raise InputRefused(
            f"Kolom \u201cwaktu\u201d \u201c{document['waktu']}\u201d tidak dapat dibaca; "
            "tuliskan seperti 2026-11-25 09:30.",
            kind="tindakan",
        ) from None
    return document


def _refuse_long_text(action: Mapping[str, Any], limits: Limits) -> None:
    """Free text past its limit is refused: documents print it whole, and a pasted e-mail thread
    would make a document no one can print (nor LibreOffice convert in time)."""
    reasons = []
    for key in ("catatan", "oleh", "kepada", "atas_nama"):
        limit, name = (
            (limits.max_note_chars, "max_note_chars") if key == "catatan" else (limits.max_text_chars, "max_text_chars")
        )
        value = action.get(key) or ""
        if len(value) > limit:
            reasons.append(
                too_long(f"Kolom \u201c{key}\u201d pada tindakan", len(value), limit, name)
                + " Tuliskan ringkasannya saja; teks lengkapnya (misalnya utas surel) kirimkan sebagai "
                "surat atau lampiran tersendiri, lalu catat tindakannya lagi."
            )
    if reasons:
        raise InputRefused(reasons, kind="tindakan")


def _action_message(path: str, message: str, procedure: Procedure) -> str:
    if path == "langkah":
        return "harus salah satu dari: " + ", ".join(procedure.action_names()) + "."
    return message + "."


def find_case(register: SqlRegister, rujukan: str, kind: str) -> Case | None:
    """A case by its id or by the incoming memo's nomor; None when unknown.

    A nomor that two cases share (two senders may number alike) is refused:
    only the case id tells them apart.
    """
    found = register.find_cases(" ".join(str(rujukan or "").split()))
    if len(found) > 1:
        ids = ", ".join(case.id for case in found)
        raise InputRefused(
            f"Rujukan \u201c{rujukan}\u201d cocok dengan lebih dari satu kasus: {ids}. "
            "Tuliskan nomor kasusnya sebagai rujukan.",
            kind=kind,
        )
    return found[0] if found else None


def check_action(
    fields: dict,
    account: str,
    *,
    config: Config,
    register: SqlRegister,
    procedure: Procedure,
    clock: Clock,
    pdf_available: bool,
    evidence: Path | None = None,
) -> tuple[dict, Case]:
    """Return (clean action, case) when ``account`` may record the action and it fits its case
    (``fit.fits``), else raise InputRefused. ``evidence``: the scan that came with it (the signed
    sheet of a decision recorded on an official's behalf)."""
    action = clean_action(fields, procedure, config.limits)
    case = find_case(register, action["rujukan"], "tindakan")
    if case is None:
        raise InputRefused(
            f"Kasus dengan rujukan \u201c{action['rujukan']}\u201d tidak ditemukan. Pastikan Nota "
            "Dinas-nya sudah diterima (lihat \u201cpipeline status\u201d) dan rujukan ditulis sama persis "
            "dengan nomor Nota Dinas atau nomor kasus.",
            kind="tindakan",
        )
    answer = fit.fits(
        action["langkah"],
        case,
        account,
        action_when(action, config.timezone),
        config=config,
        register=register,
        procedure=procedure,
        now=clock.now(),
        pdf_available=pdf_available,
        atas_nama=action.get("atas_nama"),
        evidence=evidence,
    )
    if not answer.fits:
        current = procedure.current(register.steps(case.id))
        waiting = (
            f" {procedure.waiting_for(current, case.status)}." if current and case.status != CaseStatus.DONE else ""
        )
        raise InputRefused(f"Kasus {case.id}: {answer.reason}{waiting}", kind="tindakan")
    action["akun"] = account
    if action.get("atas_nama"):
        _on_behalf(action, account, evidence, config, procedure)
    return action, case


def _on_behalf(action: dict, account: str, evidence: Path | None, config: Config, procedure: Procedure) -> None:
    """A decision made on paper (already judged by ``fits``): the official's role and name, who
    recorded it, and the name of its scan are kept with it for the records and documents."""
    role = access.official_role(config, action["atas_nama"])
    step = procedure.step(action["langkah"])
    assert role is not None  # fits refused an atas_nama it could not resolve
    action["atas_nama"] = role
    action["pejabat"] = access.official_name(config, role, step.actor if step else role)
    action["pencatat"] = action.get("oleh") or access.full_name(account)
    action["lampiran"] = evidence.name if evidence else ""  # receive names it as staff named it


def check_registration(
    fields: dict, *, config: Config, register: SqlRegister, procedure: Procedure
) -> tuple[dict, Case | None]:
    """Return (registration, case or None); refuse what cannot be read or is too late."""
    data = registration_module.normalise(fields)
    registration_module.refuse_oversized(data, config.limits)
    case = find_case(register, data["rujukan"], "registrasi")
    if case is not None and procedure.sealed(register.steps(case.id)):
        raise InputRefused(
            f"Kasus {case.id} sudah disetujui; data registrasinya tidak dapat diganti lagi. "
            f"Bila ada perubahan, {SENDER} mengirim Nota Dinas baru.",
            kind="registrasi",
        )
    return data, case


def keep(
    claim_id: str,
    inbounds: Sequence[Inbound],
    jenis: str,
    langkah: str,
    data: dict,
    case: Case | None,
    now: dt.datetime,
    *,
    config: Config,
    register: SqlRegister,
    procedure: Procedure,
    filer: Filer,
    unchanged: Callable[[], None],
) -> list[JournalEntry]:
    """Archive an input and record it as kept, through the filing service; return journal entries.
    ``unchanged`` raises when the inbound files changed since they were claimed.

    A decision remembers the newest registration of its case (``dasar``): it
    is never applied to data that came after it.
    """
    stamp = now.isoformat(timespec="seconds")
    kasus = case.id if case else ""
    filing = _input_filing(config, claim_id, inbounds, jenis, langkah, kasus, data, now)
    reason = _kept_reason(procedure, case, langkah, data)

    def record(_numbers: Numbers, prepared: list[Prepared]) -> list[JournalEntry]:
        [folder] = prepared
        dasar = register.newest_registration(kasus, case.rujukan) if case and jenis == "tindakan" else 0
        register.keep_input(_kept_input(jenis, langkah, data, kasus, stamp, folder, claim_id, dasar))
        return [register.add_journal(_waiting(i, jenis, kasus, reason, folder, claim_id, stamp)) for i in inbounds]

    return filer.file(lambda _numbers: [filer.prepare(filing)], record, unchanged=unchanged)


def _input_filing(
    config: Config,
    claim_id: str,
    inbounds: Sequence[Inbound],
    jenis: str,
    langkah: str,
    kasus: str,
    data: dict,
    now: dt.datetime,
) -> Filing:
    """The archive folder of a kept input (``archive/<year>/masukan/``): its files as they came, and who
    sent them for which step, in its metadata."""
    name = f"{now:%Y%m%d-%H%M%S}_{claim_id[:6]}_{langkah.replace('_', '-')}_{slug(data['rujukan'], 30)}"
    metadata = {
        "jenis": jenis,
        "langkah": langkah,
        "kasus": kasus,
        "klaim": claim_id,
        "diterima": now.isoformat(timespec="seconds"),
        "berkas_asli": {f"asli_{i.name}": i.name for i in inbounds},
    }
    return Filing(
        config.archive / str(now.year) / "masukan" / name,
        {f"asli_{i.name}": i.path for i in inbounds},
        metadata=metadata,
    )


def _kept_input(
    jenis: str, langkah: str, data: dict, kasus: str, stamp: str, folder: Prepared, claim_id: str, dasar: int
) -> KeptInput:
    """The register's record of an input kept until its case reaches ``langkah``."""
    return KeptInput(
        0,
        jenis,
        langkah,
        data["rujukan"],
        kasus,
        stamp,
        _jsonable(data),
        folder.rel,
        folder.berkas,
        folder.digests,
        klaim=claim_id,
        dasar=dasar,
    )


def _waiting(
    inbound: Inbound, jenis: str, kasus: str, reason: str, folder: Prepared, claim_id: str, stamp: str
) -> JournalEntry:
    """The journal's line for one file of a kept input: waiting, with what it waits for."""
    return JournalEntry(
        inbound.name,
        inbound.sha256,
        inbound.size,
        stamp,
        Hasil.WAITING,
        jenis,
        kasus,
        (reason,),
        folder.path(f"asli_{inbound.name}"),
        claim_id,
    )


def _kept_reason(procedure: Procedure, case: Case | None, langkah: str, data: Mapping[str, Any]) -> str:
    """What staff read in the journal while the input waits for its step."""
    if case is None:
        return f"Disimpan; akan diterapkan setelah Nota Dinas dengan nomor {data['rujukan']} tercatat."
    step = procedure.step(langkah)
    if step is None:
        return "Disimpan; akan diterapkan ketika kasusnya mencapai langkahnya."
    return f"Disimpan; akan diterapkan ketika kasus {case.id} mencapai langkah {step.number} ({step.activity})."


def _jsonable(data: Mapping[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v) for k, v in data.items()}


def file_account(config: Config, inbound: Inbound) -> str:
    """Who put an action file on the share: its owner, where owners can be trusted."""
    kind = filesystem(config.inbox)
    if kind in NETWORK_FS:
        raise InputRefused(
            f"Folder inbox berada di folder jaringan ({kind}), sehingga pemilik berkas tindakan tidak dapat "
            "dipastikan. Catat tindakan dengan \u201cpipeline act\u201d di server pipeline, atau jalankan "
            "pipeline di server berkas itu sendiri.",
            kind="tindakan",
        )
    return access.owner(inbound.path)


def _scan_with(inbounds: Sequence[Inbound]) -> Inbound | None:
    """The scan taken with an action's YAML (its sidecar): the signed sheet of a decision made on paper."""
    from pipeline.readers import SCAN_SUFFIXES

    return next((i for i in inbounds[1:] if i.name.lower().endswith(SCAN_SUFFIXES)), None)


def receive(
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
    pdf_available: bool,
    unchanged: Callable[[], None],
) -> list[JournalEntry]:
    """Judge and keep registration data or an action; raises InputRefused when it cannot fit.

    ``account`` is who records an action when it is known first-hand (``pipeline act``);
    otherwise the owner of the file.
    """
    if parsed.kind == "registrasi":
        data, case = check_registration(parsed.fields, config=config, register=register, procedure=procedure)
        step = procedure.data_step()
        jenis, langkah = "registrasi", step.key if step else "registrasi"
    else:
        scan = _scan_with(inbounds)
        data, found = check_action(
            parsed.fields,
            account or file_account(config, inbounds[0]),
            config=config,
            register=register,
            procedure=procedure,
            clock=clock,
            pdf_available=pdf_available,
            evidence=scan.path if scan else None,
        )
        if scan is not None and data.get("atas_nama"):
            data["lampiran"] = scan.name
        jenis, langkah, case = "tindakan", data["langkah"], found
    return keep(
        claim_id,
        inbounds,
        jenis,
        langkah,
        data,
        case,
        now,
        config=config,
        register=register,
        procedure=procedure,
        filer=filer,
        unchanged=unchanged,
    )
