"""Registration data and actions arriving for a case: judge them, then keep them.

An input that fits its case is archived and kept ("menunggu") until the step
engine reaches its step; one that cannot fit is refused with a reason that
says what the case is waiting for. Action files in the inbox and
``pipeline act`` share this code.
"""

import datetime as dt

import yaml

from . import authenticate, intake, registration as registration_module, sop
from .archive import build_folder, relative, slug
from .case import DONE, HELD, current_row, find_case, pending, step_row
from .errors import InputRefused
from .fields import parse_date
from .render import tanggal
from .validate import check

ACTIONS = ("disposisi_kapus", "disposisi_kabid", "otentikasi", "periksa", "setujui", "tolak", "kirim")
# Decisions that do not judge a document the pipeline makes later may arrive
# early and wait for their step; periksa, setujui and kirim judge documents
# that must exist first, so they are refused when early.
KEEP_EARLY = {"disposisi_kapus", "disposisi_kabid", "otentikasi"}
_TEXT = {"type": "string", "nullable": True}
ACTION_SCHEMA = {
    "jenis": {"type": "string", "allowed": ["tindakan"]},
    "rujukan": {"type": "string", "required": True, "empty": False},
    "langkah": {"type": "string", "required": True, "allowed": list(ACTIONS)},
    "oleh": _TEXT, "kepada": _TEXT, "catatan": _TEXT,
    "waktu": {"nullable": True},
}


class _UTC:  # stands in for a config when only checking that ``waktu`` can be read
    timezone = dt.timezone.utc


def action_when(data, config):
    """The ``waktu`` of an action as an aware datetime, or None when not given."""
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
    return value if value.tzinfo else value.replace(tzinfo=config.timezone)


def _clean_action(fields):
    fields = {k: (str(v) if k in ("rujukan", "oleh", "kepada", "catatan") and v is not None else v)
              for k, v in fields.items()}
    document, errors = check(ACTION_SCHEMA, fields)
    if errors:
        raise InputRefused([f"Kolom \u201c{path}\u201d pada berkas tindakan {_action_message(path, msg)}"
                            for path, msg in errors], kind="tindakan")
    try:
        action_when(document, _UTC)
    except (ValueError, TypeError, OverflowError):
        raise InputRefused(f"Kolom \u201cwaktu\u201d \u201c{document['waktu']}\u201d tidak dapat dibaca; "
                           "tuliskan seperti 2026-11-25 09:30.", kind="tindakan") from None
    return document


def _action_message(path, message):
    if path == "langkah":
        return "harus salah satu dari: " + ", ".join(ACTIONS) + "."
    return message + "."


def _waiting(session, case):
    row = current_row(session.register, case["id"])
    if row is None:
        return "Kasus sudah selesai."
    return sop.waiting_for(session.config.steps[row["no"] - 1], case["status"]) + "."


def check_action(session, fields):
    """Return (clean action, case) when the action fits its case, else raise InputRefused."""
    action = _clean_action(fields)
    case = find_case(session.register, action["rujukan"])
    if case is None:
        raise InputRefused(
            f"Kasus dengan rujukan \u201c{action['rujukan']}\u201d tidak ditemukan. Pastikan Nota "
            "Dinas-nya sudah diterima (lihat \u201cpipeline status\u201d) dan rujukan ditulis sama persis "
            "dengan nomor Nota Dinas atau nomor kasus.", kind="tindakan")
    problem = _misfit(session, case, action["langkah"])
    if problem:
        raise InputRefused(f"Kasus {case['id']}: {problem} {_waiting(session, case)}", kind="tindakan")
    return action, case


def _misfit(session, case, langkah):
    """Why an action does not fit the case now, or None when it does."""
    config, register = session.config, session.register
    if case["status"] == DONE:
        return "kasus sudah selesai; tindakan tidak diperlukan lagi."
    if pending(register, case["id"], "tindakan", langkah):
        return f"tindakan {langkah} sudah diterima dan sedang menunggu diterapkan."
    current = current_row(register, case["id"])
    current_key = config.steps[current["no"] - 1].key
    if langkah == "tolak":
        if current_key not in ("periksa", "setujui"):
            return "tindakan tolak hanya dapat dilakukan pada langkah pemeriksaan atau persetujuan."
        return None
    step = config.step(langkah)
    row = step_row(session, case["id"], langkah)
    if row["status"] == DONE:
        return (f"langkah {step.number} ({step.activity}) sudah dicatat pada {tanggal(row['selesai'])} "
                f"oleh {row['oleh']}; tindakan yang sama tidak dicatat dua kali.")
    if langkah == "otentikasi" and authenticate.configured(config):
        if not (current_key == "otentikasi" and case["status"] == HELD):
            return ("otentikasi dilakukan otomatis terhadap data acuan; tindakan otentikasi hanya "
                    "diperlukan bila hasil otentikasi otomatis tertahan.")
        return None
    if step.number > current["no"] and langkah not in KEEP_EARLY:
        return f"kasus belum sampai langkah {step.number} ({step.activity})."
    return None


def check_registration(session, fields):
    """Return (registration, case or None); refuse what cannot be read or is too late."""
    data = registration_module.normalise(fields)
    case = find_case(session.register, data["rujukan"])
    if case is not None and step_row(session, case["id"], "setujui")["status"] == DONE:
        raise InputRefused(
            f"Kasus {case['id']} sudah disetujui; data registrasinya tidak dapat diganti lagi. "
            "Bila ada perubahan, ULP unit kerja mengirim Nota Dinas baru.", kind="registrasi")
    return data, case


def keep(session, claim_id, inbounds, jenis, langkah, data, case, now):
    """Archive an input and record it as kept, in one transaction; return its journal rows."""
    register, config = session.register, session.config
    stamp = now.isoformat(timespec="seconds")
    kasus = case["id"] if case else ""
    with register.transaction():
        ident = register.insert("inputs", jenis=jenis, langkah=langkah, rujukan=data["rujukan"],
                                kasus=kasus, diterima=stamp, data=_jsonable(data), klaim=claim_id)
        parent = config.archive / str(now.year) / "masukan"
        folder, digests = build_folder(
            parent, f"{ident:05d}_{langkah.replace('_', '-')}_{slug(data['rujukan'], 30)}",
            {f"asli_{i.name}": i.path for i in inbounds}, {},
            {"masukan": ident, "jenis": jenis, "langkah": langkah, "kasus": kasus, "klaim": claim_id,
             "diterima": stamp, "berkas_asli": {f"asli_{i.name}": i.name for i in inbounds}})
        rel = relative(folder, config.root)
        register.update("inputs", {"id": ident}, folder=rel,
                        berkas={n: f"{rel}/{n}" for n in digests}, sha256=digests)
        reason = ("Disimpan; akan diterapkan ketika kasusnya mencapai langkah tersebut."
                  if case else "Disimpan; akan diterapkan setelah Nota Dinas dengan nomor "
                  f"{data['rujukan']} tercatat.")
        return [register.journal_add(claim_id, i, stamp, "menunggu", jenis, kasus, [reason],
                                     f"{rel}/asli_{i.name}") for i in inbounds]


def _jsonable(data):
    return {k: (v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v) for k, v in data.items()}


def receive(session, claim_id, inbounds, parsed, now):
    """Judge and keep registration data or an action; raises InputRefused when it cannot fit."""
    if parsed.kind == "registrasi":
        data, case = check_registration(session, parsed.fields)
        return keep(session, claim_id, inbounds, "registrasi", "input_data", data, case, now)
    action, case = check_action(session, parsed.fields)
    return keep(session, claim_id, inbounds, "tindakan", action["langkah"], action, case, now)


def submit(config, register, fields, clock, settle):
    """``pipeline act``: write the action as a YAML file in the work folder and settle it
    exactly as if staff had dropped it in the inbox."""
    claim_id = intake.new_claim()
    stamp = clock().strftime("%Y%m%d-%H%M%S")
    config.work_dir.mkdir(parents=True, exist_ok=True)
    path = config.work_dir / f"{claim_id}{intake.SEPARATOR}tindakan-{fields['langkah']}-{stamp}.yaml"
    path.write_text(yaml.safe_dump(fields, allow_unicode=True, sort_keys=False), encoding="utf-8")
    [inbound] = intake.claimed(config.work_dir)[claim_id]
    return settle(config, register, claim_id, [inbound], clock)
