"""Registration data and actions arriving for a case: judge them, then keep them.

An input that fits its case is archived and kept ("menunggu") until the case
reaches its step; one that cannot fit is refused with a reason that says
what the case is waiting for. Which action fits which step is the
Procedure's to say. Action files in the inbox and ``pipeline act`` share
this code.
"""

import datetime as dt

from pipeline import access
from pipeline.errors import InputRefused
from pipeline.fields import parse_date
from pipeline.filing.archive import slug
from pipeline.filing.filer import Filing
from pipeline.inbox import intake
from pipeline.readers import registration as registration_module
from pipeline.readers.validate import check, too_long
from pipeline.register import NETWORK_FS, JournalEntry, KeptInput, filesystem
from pipeline.sop.procedure import REJECT

_TEXT = {"type": "string", "nullable": True}


def action_schema(procedure):
    names = procedure.action_names()
    return {
        "jenis": {"type": "string", "allowed": ["tindakan"]},
        "rujukan": {"type": "string", "required": True, "empty": False},
        "langkah": {"type": "string", "required": True, "allowed": names},
        "oleh": _TEXT,
        "kepada": _TEXT,
        "catatan": _TEXT,
        "waktu": {"nullable": True},
    }


def action_when(data, timezone):
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


def clean_action(fields, procedure, limits=None):
    """The action's fields checked against its schema (and its free text against ``limits``);
    raises InputRefused naming each problem."""
    fields = {
        k: (str(v) if k in ("rujukan", "oleh", "kepada", "catatan") and v is not None else v) for k, v in fields.items()
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


def _refuse_long_text(action, limits):
    """Free text past its limit is refused: documents print it whole, and a pasted e-mail thread
    would make a document no one can print (nor LibreOffice convert in time)."""
    reasons = []
    for key in ("catatan", "oleh", "kepada"):
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


def _action_message(path, message, procedure):
    if path == "langkah":
        return "harus salah satu dari: " + ", ".join(procedure.action_names()) + "."
    return message + "."


def find_case(register, rujukan, kind):
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


def check_action(ws, fields, account):
    """Return (clean action, case) when ``account`` may record the action and it fits its case,
    else raise InputRefused."""
    action = clean_action(fields, ws.procedure, ws.config.limits)
    case = find_case(ws.register, action["rujukan"], "tindakan")
    if case is None:
        raise InputRefused(
            f"Kasus dengan rujukan \u201c{action['rujukan']}\u201d tidak ditemukan. Pastikan Nota "
            "Dinas-nya sudah diterima (lihat \u201cpipeline status\u201d) dan rujukan ditulis sama persis "
            "dengan nomor Nota Dinas atau nomor kasus.",
            kind="tindakan",
        )
    records = ws.register.steps(case.id)
    problem = (
        _unauthorised(ws, records, action["langkah"], account)
        or _misfit(ws, case, records, action["langkah"])
        or _out_of_time(ws, case, records, action)
    )
    if problem:
        current = ws.procedure.current(records)
        waiting = f" {ws.procedure.waiting_for(current, case.status)}." if current and case.status != "selesai" else ""
        raise InputRefused(f"Kasus {case.id}: {problem}{waiting}", kind="tindakan")
    action["akun"] = account
    return action, case


SKEW = dt.timedelta(minutes=5)


def _out_of_time(ws, case, records, action):
    """``waktu`` is evidence: not before what the case has already done, not in the future."""
    zone = ws.config.timezone
    when = action_when(action, zone)
    if when is None:
        return None
    now = ws.now()
    if when > now + SKEW:
        return (
            f"waktu {_stamp(when, zone)} belum terjadi (sekarang {_stamp(now, zone)}). Periksa tanggal dan "
            "jam pada kolom waktu."
        )
    done = [r.selesai for r in records.values() if r.selesai] + [case.dibuka]
    latest = max(dt.datetime.fromisoformat(stamp) for stamp in done)
    if when < latest:
        return (
            f"waktu {_stamp(when, zone)} lebih awal dari langkah kasus yang sudah tercatat "
            f"({_stamp(latest, zone)}). Periksa tanggal dan jam pada kolom waktu."
        )
    return None


def _stamp(moment, zone):
    """A time as staff read it in a message, always in the office's zone (``timezone``)."""
    return (moment.astimezone(zone) if moment.tzinfo else moment).strftime("%d-%m-%Y %H.%M")


def _unauthorised(ws, records, langkah, account):
    """The step an action records (for tolak: the step it rejects) must be one of the account's roles."""
    step = ws.procedure.current(records) if langkah == REJECT else ws.procedure.step(langkah)
    return access.refusal(ws.config, step, account, langkah) if step is not None else None


def _misfit(ws, case, records, langkah):
    """Why an action does not fit the case now, or None when it does."""
    problem = ws.procedure.misfit(langkah, case, records)
    if problem:
        return problem
    if ws.register.pending_inputs(case.id, "tindakan", langkah):
        return f"tindakan {langkah} sudah diterima dan sedang menunggu diterapkan."
    step, data_step = ws.procedure.step(langkah), ws.procedure.data_step()
    guarded = ws.procedure.handler(step).refuses(ws, case, step, records) if step else None
    if guarded:
        return guarded
    if (
        step is not None
        and data_step is not None
        and ws.procedure.is_after(step, data_step)
        and not ws.register.newest_registration(case.id, case.rujukan)
    ):
        return (
            f"kasus belum menerima data registrasi; tindakan {langkah} menilai data itu dan baru dapat "
            "dicatat setelah datanya diterima."
        )
    return None


def check_registration(ws, fields):
    """Return (registration, case or None); refuse what cannot be read or is too late."""
    data = registration_module.normalise(fields)
    registration_module.refuse_oversized(data, ws.config.limits)
    case = find_case(ws.register, data["rujukan"], "registrasi")
    if case is not None and ws.procedure.sealed(ws.register.steps(case.id)):
        raise InputRefused(
            f"Kasus {case.id} sudah disetujui; data registrasinya tidak dapat diganti lagi. "
            "Bila ada perubahan, ULP unit kerja mengirim Nota Dinas baru.",
            kind="registrasi",
        )
    return data, case


def keep(ws, claim_id, inbounds, jenis, langkah, data, case, now):
    """Archive an input and record it as kept, through the filing service; return journal entries.

    A decision remembers the newest registration of its case (``dasar``): it
    is never applied to data that came after it.
    """
    stamp = now.isoformat(timespec="seconds")
    kasus = case.id if case else ""
    name = f"{now:%Y%m%d-%H%M%S}_{claim_id[:6]}_{langkah.replace('_', '-')}_{slug(data['rujukan'], 30)}"
    final = ws.config.archive / str(now.year) / "masukan" / name
    copies = {f"asli_{i.name}": i.path for i in inbounds}
    metadata = {
        "jenis": jenis,
        "langkah": langkah,
        "kasus": kasus,
        "klaim": claim_id,
        "diterima": stamp,
        "berkas_asli": {f"asli_{i.name}": i.name for i in inbounds},
    }
    reason = _kept_reason(ws, case, langkah, data)

    def record(_numbers, prepared):
        [folder] = prepared
        dasar = ws.register.newest_registration(kasus, case.rujukan) if case and jenis == "tindakan" else 0
        ws.register.keep_input(
            KeptInput(
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
        )
        return [
            ws.register.add_journal(
                JournalEntry(
                    i.name,
                    i.sha256,
                    i.size,
                    stamp,
                    "menunggu",
                    jenis,
                    kasus,
                    (reason,),
                    folder.path(f"asli_{i.name}"),
                    claim_id,
                )
            )
            for i in inbounds
        ]

    return ws.filer.file(
        lambda _numbers: [ws.filer.prepare(Filing(final, copies, metadata=metadata))],
        record,
        unchanged=lambda: intake.check_unchanged(inbounds),
    )


def _kept_reason(ws, case, langkah, data):
    """What staff read in the journal while the input waits for its step."""
    if case is None:
        return f"Disimpan; akan diterapkan setelah Nota Dinas dengan nomor {data['rujukan']} tercatat."
    step = ws.procedure.step(langkah)
    if step is None:
        return "Disimpan; akan diterapkan ketika kasusnya mencapai langkahnya."
    return f"Disimpan; akan diterapkan ketika kasus {case.id} mencapai langkah {step.number} ({step.activity})."


def _jsonable(data):
    return {k: (v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v) for k, v in data.items()}


def _file_account(ws, inbound):
    """Who put an action file on the share: its owner, where owners can be trusted."""
    kind = filesystem(ws.config.inbox)
    if kind in NETWORK_FS:
        raise InputRefused(
            f"Folder inbox berada di folder jaringan ({kind}), sehingga pemilik berkas tindakan tidak dapat "
            "dipastikan. Catat tindakan dengan \u201cpipeline act\u201d di server pipeline, atau jalankan "
            "pipeline di server berkas itu sendiri.",
            kind="tindakan",
        )
    return access.owner(inbound.path)


def receive(ws, claim_id, inbounds, parsed, now, account=None):
    """Judge and keep registration data or an action; raises InputRefused when it cannot fit.

    ``account`` is who records an action when it is known first-hand (``pipeline act``);
    otherwise the owner of the file.
    """
    if parsed.kind == "registrasi":
        data, case = check_registration(ws, parsed.fields)
        step = ws.procedure.data_step()
        return keep(ws, claim_id, inbounds, "registrasi", step.key if step else "registrasi", data, case, now)
    action, case = check_action(ws, parsed.fields, account or _file_account(ws, inbounds[0]))
    return keep(ws, claim_id, inbounds, "tindakan", action["langkah"], action, case, now)
