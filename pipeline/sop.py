"""The SOP as data: the step table from config and each case's progress.

A case is one incoming memo's journey through the steps of
SOP.TPD.01/KDN/2011. Steps are rows in the register; this module decides
their state and how a case reads against the SOP's target times.
"""

import datetime as dt

WAITING, RUNNING, DONE = "menunggu", "berjalan", "selesai"


def case_id(tahun, nomor_urut):
    """Case ids follow the agenda masuk: 2026-0007 is agenda number 7 of 2026."""
    return f"{tahun}-{nomor_urut:04d}"


def opening_steps(config, received, memo_from, documents):
    """Step rows for a case opened by an incoming memo (steps 1 and 2 done)."""
    rows = []
    stamp = received.isoformat(timespec="seconds")
    for step in config.steps:
        row = {"no": step.number, "status": WAITING, "mulai": None, "selesai": None,
               "oleh": "", "dokumen": []}
        if step.key == "nota_dinas_masuk":
            row.update(status=DONE, mulai=stamp, selesai=stamp, oleh=memo_from)
        elif step.key == "agenda_masuk":
            row.update(status=DONE, mulai=stamp, selesai=stamp, oleh="pipeline",
                       dokumen=list(documents))
        rows.append(row)
    _start_next(rows, stamp)
    return rows


def _start_next(rows, stamp):
    for row in rows:
        if row["status"] == WAITING:
            row.update(status=RUNNING, mulai=stamp)
            return


def minutes_between(start, end):
    if not start or not end:
        return None
    delta = dt.datetime.fromisoformat(end) - dt.datetime.fromisoformat(start)
    return round(delta.total_seconds() / 60, 1)


def describe(config, case, rows, now, data=None, masalah=()):
    """The status of one case in the shape of ``status --json`` (DESIGN.md section 6)."""
    by_number = {row["no"]: row for row in rows}
    steps = []
    current = None
    for step in config.steps:
        row = by_number.get(step.number, {})
        status = row.get("status", WAITING)
        if status == RUNNING and current is None:
            current = step
        end = row.get("selesai") or (now.isoformat(timespec="seconds") if status == RUNNING else None)
        steps.append({
            "no": step.number,
            "nama": step.activity,
            "peran": step.actor,
            "jenis": step.kind,
            "status": status,
            "mulai": row.get("mulai"),
            "selesai": row.get("selesai"),
            "oleh": row.get("oleh", ""),
            "target_menit": step.target_minutes,
            "menit": minutes_between(row.get("mulai"), end),
            "dokumen": row.get("dokumen", []),
        })
    finished = all(s["status"] == DONE for s in steps)
    return {
        "kasus": case["id"],
        "rujukan": case["rujukan"],
        "unit": case["unit"],
        "status": DONE if finished else case["status"],
        "langkah_sekarang": current.number if current else None,
        "menunggu": waiting_for(current, case["status"]),
        "langkah": steps,
        "data": data or {"ppk": 0, "panitia": 0, "paket": 0, "pagu_total": 0},
        "masalah": list(masalah),
    }


def waiting_for(step, status=RUNNING):
    """One Indonesian line: who or what the case is waiting for."""
    if step is None:
        return "Selesai"
    if status == "tertahan":
        return (f"Tertahan pada langkah {step.number} ({step.activity}): menunggu data registrasi "
                "perbaikan dari ULP unit kerja")
    if step.kind == "human" or step.key in ("otentikasi", "kirim"):
        return (f"Menunggu {step.actor} \u2014 {step.activity} (langkah {step.number}; "
                f"catat dengan tindakan \u201c{step.key}\u201d)")
    if step.key == "input_data":
        return f"Menunggu data registrasi dari ULP unit kerja (langkah {step.number})"
    return f"Menunggu langkah {step.number} \u2014 {step.activity}"
