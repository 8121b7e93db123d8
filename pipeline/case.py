"""A case's state in the register: its steps, kept inputs and findings.

These helpers change one case inside the caller's transaction; the step
handlers in ``steps`` decide when to call them.
"""

from dataclasses import dataclass

from . import documents, rules

RUNNING, DONE, WAITING, HELD = "berjalan", "selesai", "menunggu", "tertahan"
RESULT_LABELS = {rules.PASS: "Sesuai", rules.ERROR: "Tidak sesuai", rules.WARNING: "Peringatan"}


@dataclass
class Session:
    """What every stage of a case needs: config, register and the clock."""

    config: object
    register: object
    clock: object

    def now(self):
        return self.clock()


def current_row(register, kasus):
    """The first step of the case that is not done, or None when all are."""
    return next((r for r in register.steps(kasus) if r["status"] != DONE), None)


def step_row(session, kasus, key):
    number = session.config.step(key).number
    return next(r for r in session.register.steps(kasus) if r["no"] == number)


def find_case(register, rujukan):
    """A case by its id or by the incoming memo's nomor; None when unknown."""
    found = register.cases(" ".join(str(rujukan or "").split()))
    return found[-1] if found else None


def reset_to_data(session, kasus, note):
    """Clear step 5 onwards and restart step 5 (inside a transaction)."""
    register, stamp = session.register, session.now().isoformat(timespec="seconds")
    first = session.config.step("input_data").number
    for row in register.steps(kasus):
        if row["no"] >= first:
            register.update_step(kasus, row["no"], status=WAITING, mulai=None, selesai=None, oleh="",
                                 dokumen=[], catatan="", temuan=[], masukan=None)
    register.update_step(kasus, first, status=RUNNING, mulai=stamp, catatan=note)
    register.update("cases", {"id": kasus}, status=RUNNING)
    register.insert("events", waktu=stamp, kasus=kasus, oleh="pipeline", aksi="ulang_langkah",
                    rincian={"langkah": first, "catatan": note})


def complete(session, kasus, row, when, oleh, made, catatan="", temuan=None, masukan=None):
    """Mark a step done and start the next one (inside a transaction)."""
    register = session.register
    stamp = when.isoformat(timespec="seconds")
    register.update_step(kasus, row["no"], status=DONE, selesai=stamp, oleh=oleh,
                         dokumen=list(row["dokumen"] or []) + list(made), catatan=catatan,
                         temuan=list(temuan if temuan is not None else row["temuan"] or []),
                         masukan=masukan if masukan is not None else row["masukan"])
    following = [r for r in register.steps(kasus) if r["no"] == row["no"] + 1]
    if following and following[0]["status"] == WAITING:
        register.update_step(kasus, row["no"] + 1, status=RUNNING, mulai=stamp)
    register.update("cases", {"id": kasus}, status=RUNNING)
    register.insert("events", waktu=stamp, kasus=kasus, oleh=oleh, aksi="langkah_selesai",
                    rincian={"langkah": row["no"], "dokumen": list(made), "catatan": catatan})


def hold(session, kasus, row, masukan, temuan, made):
    """Keep a step open because the data has errors (inside a transaction)."""
    register = session.register
    register.update_step(kasus, row["no"], masukan=masukan, temuan=temuan, dokumen=list(made))
    register.update("cases", {"id": kasus}, status=HELD)
    register.insert("events", waktu=session.now().isoformat(timespec="seconds"), kasus=kasus,
                    oleh="pipeline", aksi="langkah_tertahan", rincian={"langkah": row["no"],
                                                                      "temuan": temuan})


def apply_input(session, item, when, note=None):
    """Mark a kept input as applied (or superseded) and its journal row as accepted."""
    status = "digantikan" if note else "diterapkan"
    session.register.update("inputs", {"id": item["id"]}, status=status,
                            diterapkan=when.isoformat(timespec="seconds"))
    values = {"hasil": "diterima", "kasus": item["kasus"], "alasan": [note] if note else []}
    session.register.update("journal", {"klaim": item["klaim"]}, **values)


def pending(register, kasus, jenis, langkah=None):
    """Kept inputs of a case still waiting to be applied, oldest first."""
    return [i for i in register.inputs(kasus=kasus, status=WAITING)
            if i["jenis"] == jenis and (langkah is None or i["langkah"] == langkah)]


def current_registration(register, kasus):
    applied = [i for i in register.inputs(kasus=kasus, status="diterapkan") if i["jenis"] == "registrasi"]
    return applied[-1] if applied else None


def context(session, case, registration=None):
    """The base document context, with the case's data when there is some."""
    memo = session.register.memo(case["id"])
    result = documents.base_context(session.config, memo, case, session.now())
    if registration is not None:
        result.update(data=documents.data_context(registration["data"]),
                      data_diterima=registration["diterima"],
                      data_berkas=", ".join(k[5:] for k in registration["berkas"] if k.startswith("asli_")))
    return result


_SEVERITY = {rules.PASS: 0, rules.WARNING: 1, rules.ERROR: 2}


def check_rows(checks):
    """One table row per record: every check with its result, the worst result, and why.

    Grouping keeps the Daftar Verifikasi of a 2,000-person registration
    readable (one row per person) and its size linear in the records.
    """
    grouped = {}
    for check in checks:
        grouped.setdefault(check.record, []).append(check)
    rows = []
    for record, found in grouped.items():
        by_result = {}
        for check in found:
            names = by_result.setdefault(check.result, [])
            if check.name not in names:
                names.append(check.name)
        worst = max(found, key=lambda c: _SEVERITY[c.result]).result
        rows.append({
            "record": record,
            "name": "; ".join(f"{', '.join(names)}: {RESULT_LABELS[result].lower()}"
                              for result, names in sorted(by_result.items(), key=lambda i: _SEVERITY[i[0]])),
            "hasil": RESULT_LABELS[worst],
            "message": "; ".join(c.message for c in found if c.message and c.result != rules.PASS)
                       or "; ".join(c.message for c in found if c.message),
        })
    return rows


def summary(checks):
    counts = {level: sum(1 for c in checks if c.result == level) for level in RESULT_LABELS}
    return (f"{len(checks)} pemeriksaan: {counts[rules.PASS]} sesuai, {counts[rules.ERROR]} tidak "
            f"sesuai, {counts[rules.WARNING]} peringatan.")


def open_findings(session, kasus):
    """Every open finding of the case's data (verification and authentication)."""
    found = []
    for key in ("verifikasi", "otentikasi"):
        found.extend(step_row(session, kasus, key)["temuan"] or [])
    return found
