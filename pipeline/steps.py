"""The SOP steps: one handler per step key, and ``advance`` that walks them.

Each handler returns True when its step completed (the walk goes on) and
False when the step must wait for an input or is held by findings.
"""

from . import authenticate, documents, rules
from .actions import action_when
from .archive import build_folder, copy_atomic, relative, remove_tree, slug
from .case import (DONE, apply_input, check_rows, complete, context, current_registration,
                   current_row, hold, pending, reset_to_data, step_row, summary)
from .registration import budget_year, totals
from .render import render, tanggal

DISPOSITIONS = {"disposisi_kapus": "kapus", "disposisi_kabid": "kabid"}


def advance(session, kasus):
    """Run every step of ``kasus`` that can run now; stop at the first that must wait."""
    _link_inputs(session, kasus)
    _supersede(session, kasus)
    while True:
        case = session.register.cases(kasus)[0]
        row = current_row(session.register, kasus)
        if row is None:
            if case["status"] != DONE:
                with session.register.transaction():
                    session.register.update("cases", {"id": kasus}, status=DONE)
            return
        step = session.config.steps[row["no"] - 1]
        rejection = pending(session.register, kasus, "tindakan", "tolak")
        if rejection and step.key in ("periksa", "setujui"):
            reject(session, case, step, rejection[0])
            continue
        if not HANDLERS.get(step.key, human)(session, case, step, row):
            return


def _link_inputs(session, kasus):
    """Inputs that arrived before their memo now belong to its case."""
    register = session.register
    case = register.cases(kasus)[0]
    early = [i for i in register.inputs(kasus="") if i["rujukan"] in (case["rujukan"], kasus)]
    if early:
        with register.transaction():
            for item in early:
                register.update("inputs", {"id": item["id"]}, kasus=kasus)
                register.update("journal", {"klaim": item["klaim"]}, kasus=kasus)


def _supersede(session, kasus):
    """A newer registration sends a case that passed step 5 back to step 5."""
    if not pending(session.register, kasus, "registrasi"):
        return
    if step_row(session, kasus, "input_data")["status"] != DONE:
        return  # step 5 has not run yet: it will take the newest data itself
    if step_row(session, kasus, "setujui")["status"] == DONE:
        return
    with session.register.transaction():
        reset_to_data(session, kasus, "Data registrasi baru diterima; langkah 5 dan seterusnya diulang.")


def human(session, case, step, row):
    """A step done by a person: apply the kept action for it, if one has arrived."""
    found = pending(session.register, case["id"], "tindakan", step.key)
    if not found:
        return False
    action = found[0]
    when = action_when(action["data"], session.config) or session.now()
    with session.register.transaction():
        made = []
        if step.key in DISPOSITIONS:
            made.append(_filled_disposition(session, case, step, action, when))
        apply_input(session, action, when)
        complete(session, case["id"], row, when, action["data"].get("oleh") or step.actor, made,
                 catatan=note_of(action["data"]))
    return True


def note_of(data):
    parts = [f"kepada {data['kepada']}" if data.get("kepada") else "", data.get("catatan") or ""]
    return "; ".join(p for p in parts if p)


def _filled_disposition(session, case, step, action, when):
    """The Lembar Disposisi again, with the recorded dispositions written in."""
    register, config = session.register, session.config
    memo = register.memo(case["id"])
    chain, notes = {}, []
    for key, role in DISPOSITIONS.items():
        if key == step.key:
            date, note = when, note_of(action["data"])
        else:
            row = step_row(session, case["id"], key)
            if row["status"] != DONE:
                continue
            date, note = row["selesai"], row["catatan"]
        chain[role] = {"tanggal": tanggal(date if isinstance(date, str) else date.date()), "catatan": note}
        notes.append(f"{config.step(key).actor} ({chain[role]['tanggal']}): {note or '-'}")
    fields = {k: memo[k] for k in ("dari", "hal", "sifat", "lampiran")}
    fields.update(nomor=memo["nomor_surat"], tanggal=memo["tanggal_surat"])
    ctx = documents.disposition_context(config, fields, memo["nomor_agenda"], case["id"],
                                        memo["diterima"], session.now(), chain, "\n".join(notes))
    return documents.publish(config, register, memo["folder"], case["id"], step.number,
                             "lembar_disposisi", ctx, session.now())


def input_data(session, case, step, row):
    """Step 5: take the newest registration, supersede older ones, list the data."""
    register, kasus = session.register, case["id"]
    waiting = pending(register, kasus, "registrasi")
    if not waiting:
        return False
    newest, now = waiting[-1], session.now()
    memo = register.memo(kasus)
    if not newest["data"].get("tahun_anggaran"):
        newest = dict(newest, data=dict(newest["data"], tahun_anggaran=budget_year(memo["hal"], now)))
    superseded = waiting[:-1]
    previous = current_registration(register, kasus)
    if previous is not None:
        superseded.append(previous)
    with register.transaction():
        for older in superseded:
            apply_input(session, older, now, note="Digantikan oleh data registrasi yang lebih baru.")
        apply_input(session, newest, now)
        register.update("inputs", {"id": newest["id"]}, data=newest["data"])
        made = documents.publish(session.config, register, memo["folder"], kasus, step.number,
                                 "daftar_data", context(session, case, newest), now)
        complete(session, kasus, row, now, "pipeline", [made], masukan=newest["id"],
                 catatan=f"Data dari {', '.join(k[5:] for k in newest['berkas'] if k.startswith('asli_'))}")
    return True


def verifikasi(session, case, step, row):
    """Step 6: every rule on every record; errors hold the case and draft a return memo."""
    register, kasus = session.register, case["id"]
    data = current_registration(register, kasus)
    if data is None or row["masukan"] == data["id"]:
        return False
    checks = rules.verify(data["data"], session.config.rules)
    errors = [c for c in checks if c.result == rules.ERROR]
    ctx = dict(context(session, case, data), pemeriksaan=check_rows(checks), ringkasan=summary(checks),
               dasar=f"{session.config.sop_code} dan aturan verifikasi pada config.yaml",
               kesimpulan=("Data BELUM MEMENUHI SYARAT; " + str(len(errors)) + " hal harus diperbaiki oleh "
                           "ULP unit kerja.") if errors else "Data MEMENUHI SYARAT.")
    return _judged(session, case, step, row, data, checks, "daftar_verifikasi", ctx)


def _judged(session, case, step, row, data, checks, jenis, ctx):
    """Publish a check list; hold with a return memo on errors, else complete."""
    register, kasus, now = session.register, case["id"], session.now()
    memo = register.memo(kasus)
    found = rules.findings(checks)
    errors = rules.findings(checks, rules.ERROR)
    with register.transaction():
        made = [documents.publish(session.config, register, memo["folder"], kasus, step.number, jenis, ctx, now)]
        if errors:
            made.append(documents.publish(session.config, register, memo["folder"], kasus, step.number,
                                          "konsep_nota_dinas", documents.return_memo(ctx, errors), now))
            hold(session, kasus, row, data["id"], found, made)
            return False
        complete(session, kasus, row, now, "pipeline", made, temuan=found, masukan=data["id"],
                 catatan=summary(checks))
    return True


def otentikasi(session, case, step, row):
    """Step 7: against reference data when configured, else by the Kasubbid's action."""
    register, kasus, config = session.register, case["id"], session.config
    data = current_registration(register, kasus)
    if data is None:
        return False
    manual = pending(register, kasus, "tindakan", "otentikasi")
    if authenticate.configured(config) and row["masukan"] != data["id"]:
        checks = authenticate.authenticate(config, data["data"], case["unit"], totals(data["data"])["pagu_total"])
        ctx = dict(context(session, case, data), pemeriksaan=check_rows(checks), ringkasan=summary(checks),
                   dasar=authenticate.basis(config),
                   kesimpulan=_auth_conclusion(checks))
        return _judged(session, case, step, row, data, checks, "daftar_otentifikasi", ctx)
    if not manual:
        return False
    action, now = manual[0], session.now()
    when = action_when(action["data"], config) or now
    oleh = action["data"].get("oleh") or config.officials["kasubbid"].nama
    basis = f"Otentikasi oleh {oleh} pada {tanggal(when.date())}" + (
        f": {action['data']['catatan']}" if action["data"].get("catatan") else "")
    checks = authenticate.manual(data["data"], totals(data["data"])["pagu_total"], oleh)
    ctx = dict(context(session, case, data), pemeriksaan=check_rows(checks), ringkasan=summary(checks),
               dasar=basis, kesimpulan="Data TELAH DIOTENTIKASI oleh pejabat yang berwenang.")
    memo = register.memo(kasus)
    with register.transaction():
        made = documents.publish(config, register, memo["folder"], kasus, step.number,
                                 "daftar_otentifikasi", ctx, now)
        apply_input(session, action, when)
        complete(session, kasus, row, when, oleh, [made], catatan=basis, masukan=data["id"])
    return True


def _auth_conclusion(checks):
    if any(c.result == rules.ERROR for c in checks):
        return "Data BELUM DAPAT DIOTENTIKASI; perbedaan di atas harus diperbaiki oleh ULP unit kerja."
    return "Data TELAH DIOTENTIKASI terhadap data acuan."


def laporan_kesiapan(session, case, step, row):
    """Step 8: the draft readiness report with totals, Rupiah amounts and terbilang."""
    register, kasus, now = session.register, case["id"], session.now()
    data = current_registration(register, kasus)
    memo = register.memo(kasus)
    verified = step_row(session, kasus, "verifikasi")
    authenticated = step_row(session, kasus, "otentikasi")
    ctx = dict(context(session, case, data),
               verifikasi=documents.findings_text(verified["catatan"], verified["temuan"]),
               otentikasi=documents.findings_text(authenticated["catatan"], authenticated["temuan"]))
    with register.transaction():
        made = documents.publish(session.config, register, memo["folder"], kasus, step.number,
                                 "laporan_kesiapan", ctx, now)
        complete(session, kasus, row, now, "pipeline", [made], masukan=data["id"])
    return True


def periksa(session, case, step, row):
    """Step 9: draft the Konsep Nota Dinas for review, then wait for ``periksa``."""
    register, kasus = session.register, case["id"]
    data = current_registration(register, kasus)
    if row["masukan"] != data["id"]:
        memo, now = register.memo(kasus), session.now()
        ctx = documents.ready_memo(context(session, case, data))
        with register.transaction():
            made = documents.publish(session.config, register, memo["folder"], kasus, step.number,
                                     "konsep_nota_dinas", ctx, now)
            register.update_step(kasus, row["no"], masukan=data["id"], dokumen=[made])
        row = step_row(session, kasus, step.key)
    return human(session, case, step, row)


def reject(session, case, step, action):
    """``tolak`` at step 9 or 10: back to step 5; the unit must send corrected data."""
    register, kasus, config = session.register, case["id"], session.config
    when = action_when(action["data"], config) or session.now()
    oleh = action["data"].get("oleh") or step.actor
    reason = action["data"].get("catatan") or "Data perlu diperbaiki."
    data = current_registration(register, kasus)
    memo = register.memo(kasus)
    with register.transaction():
        ctx = documents.return_memo(context(session, case, data), [reason])
        made = documents.publish(config, register, memo["folder"], kasus, step.number,
                                 "konsep_nota_dinas", ctx, session.now())
        apply_input(session, action, when)
        reset_to_data(session, kasus, f"Dikembalikan pada langkah {step.number} oleh {oleh}: {reason}")
        register.update_step(kasus, config.step("input_data").number, dokumen=[made])
        register.update("cases", {"id": kasus}, status="tertahan")


def setujui(session, case, step, row):
    """Step 10: on approval, number the Nota Dinas in the agenda keluar and file it."""
    found = pending(session.register, case["id"], "tindakan", "setujui")
    if not found:
        return False
    action, register, config, kasus = found[0], session.register, session.config, case["id"]
    when = action_when(action["data"], config) or session.now()
    data = current_registration(register, kasus)
    with register.transaction():
        tahun = when.year
        nomor_urut = register.next_number("keluar", tahun)
        nomor = config.numbering["surat_keluar"].format(nomor=nomor_urut, tahun=tahun)
        ctx = dict(documents.ready_memo(context(session, case, data)), tanda_konsep="",
                   nomor_surat=nomor, tanggal_surat=tanggal(when.date()))
        folder, digests = build_folder(
            config.archive / str(tahun) / "surat-keluar", f"{nomor_urut:04d}_{slug(case['unit'])}", {},
            {"nota-dinas.docx": lambda path: render(config.template("nota_dinas"), ctx, path)},
            {"kasus": kasus, "nomor_surat": nomor, "tanggal_surat": when.date().isoformat(),
             "kepada": ctx["kepada"], "hal": ctx["hal"], "disetujui_oleh": action["data"].get("oleh")})
        try:
            copy_atomic(folder / "nota-dinas.docx", config.outbox / kasus / f"{kasus}_10_nota-dinas.docx")
            rel = relative(folder, config.root)
            register.insert("agenda", buku="keluar", tahun=tahun, nomor_urut=nomor_urut, nomor_surat=nomor,
                            tanggal_surat=when.date().isoformat(), kepada=ctx["kepada"], hal=ctx["hal"],
                            sifat=ctx["sifat"], lampiran=ctx["lampiran"], tembusan=ctx["tembusan"],
                            kasus=kasus, folder=rel, berkas={n: f"{rel}/{n}" for n in digests},
                            sha256=digests)
            apply_input(session, action, when)
            complete(session, kasus, row, when, action["data"].get("oleh") or step.actor,
                     [f"{rel}/nota-dinas.docx"], catatan=f"Nomor {nomor}")
        except BaseException:
            remove_tree(folder)
            raise
    return True


def kirim(session, case, step, row):
    """Step 11: staff confirm the letter was sent; the agenda keluar records the date."""
    found = pending(session.register, case["id"], "tindakan", "kirim")
    if not found:
        return False
    action, register = found[0], session.register
    when = action_when(action["data"], session.config) or session.now()
    with register.transaction():
        register.update("agenda", {"buku": "keluar", "kasus": case["id"]},
                        dikirim=when.isoformat(timespec="seconds"),
                        keterangan=note_of(action["data"]))
        apply_input(session, action, when)
        complete(session, case["id"], row, when, action["data"].get("oleh") or step.actor, [],
                 catatan=note_of(action["data"]))
    return True


HANDLERS = {
    "input_data": input_data,
    "verifikasi": verifikasi,
    "otentikasi": otentikasi,
    "laporan_kesiapan": laporan_kesiapan,
    "periksa": periksa,
    "setujui": setujui,
    "kirim": kirim,
}
