"""The data steps: the registration listed, verified, authenticated, reported.

``input_data`` applies the newest registration; ``verifikasi`` and
``otentikasi`` judge it and hold the case with a return memo when it has
errors; ``laporan_kesiapan`` drafts the readiness report from what they found.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipeline.documents import contexts as documents
from pipeline.formats import tanggal
from pipeline.readers.registration import budget_year, totals
from pipeline.sop import authenticate, rules
from pipeline.sop.handlers import SENDER, Ran, tembusan
from pipeline.states import CaseStatus, StepStatus

if TYPE_CHECKING:
    import datetime as dt

    from pipeline.filing.filer import Prepared
    from pipeline.register import KeptInput
    from pipeline.sop.fit import Question
    from pipeline.sop.rules import Check
    from pipeline.sop.step_run import StepRun

RETURN_TEMPLATE = "nota_dinas"


def input_data(run: StepRun) -> Ran:
    """Take the newest registration, supersede older ones, list the data."""
    waiting = run.pending("registrasi")
    if not waiting:
        return Ran.WAITING
    newest = waiting[-1]
    data = dict(newest.data)
    if not data.get("tahun_anggaran"):
        data["tahun_anggaran"] = budget_year(run.memo.hal, run.now)
    superseded = waiting[:-1]
    previous = run.registration()
    if previous is not None:
        superseded.append(previous)
    listing = run.document(run.step.document, run.context(newest, data))

    def write() -> None:
        for older in superseded:
            run.apply(older, run.now, superseded_by="Digantikan oleh data registrasi yang lebih baru.")
        run.apply(newest, run.now, data=data)
        run.complete(run.now, "pipeline", [listing], masukan=newest.id, catatan=f"Data dari {', '.join(newest.files)}")

    run.commit([listing], write)
    return Ran.DONE


def verifikasi(run: StepRun) -> Ran:
    """Every rule on every record; errors hold the case and draft a return memo."""
    data = run.registration()
    if data is None or (run.record is not None and run.record.masukan == data.id):
        return Ran.WAITING
    checks = rules.verify(data.data, run.config.rules)
    errors = [c for c in checks if c.result == rules.ERROR]
    context = dict(
        run.context(data),
        pemeriksaan=documents.check_rows(checks),
        ringkasan=documents.summary(checks),
        dasar=f"{run.config.sop_code} dan aturan verifikasi pada config.yaml",
        kesimpulan=(f"Data BELUM MEMENUHI SYARAT; {len(errors)} hal harus diperbaiki oleh {SENDER}.")
        if errors
        else "Data MEMENUHI SYARAT.",
    )
    return _judged(run, data, checks, context)


def _judged(
    run: StepRun,
    data: KeptInput,
    checks: list[Check],
    context: dict,
    catatan: str | None = None,
    oleh: str = "pipeline",
    when: dt.datetime | None = None,
    action: KeptInput | None = None,
) -> Ran:
    """File a check list; hold with a return memo on errors, else complete."""
    found = rules.findings(checks)
    errors = rules.findings(checks, rules.ERROR)
    made: list[Prepared] = [run.document(run.step.document, context)]
    if errors:
        attached = documents.TITLES.get(run.step.document or "")
        copy_to = tembusan(run.config)
        made.append(
            run.document(
                "konsep_nota_dinas", documents.return_memo(context, errors, copy_to, attached), RETURN_TEMPLATE
            )
        )

    def write() -> None:
        if action is not None and when is not None:
            run.apply(action, when)
        if errors:
            run.hold(data.id, found, made)
        else:
            run.complete(
                when or run.now, oleh, made, temuan=found, masukan=data.id, catatan=catatan or documents.summary(checks)
            )

    run.commit(made, write)
    return Ran.WAITING if errors else Ran.DONE


def otentikasi(run: StepRun) -> Ran:
    """Against reference data when configured, else by the action of the official the step names."""
    data = run.registration()
    if data is None:
        return Ran.WAITING
    total = totals(data.data)["pagu_total"]
    if authenticate.configured(run.config) and (run.record is None or run.record.masukan != data.id):
        checks = authenticate.authenticate(run.config, data.data, run.case.unit, total)
        failed = any(c.result == rules.ERROR for c in checks)
        return _judged(
            run,
            data,
            checks,
            dict(
                run.context(data),
                pemeriksaan=documents.check_rows(checks),
                ringkasan=documents.summary(checks),
                dasar=authenticate.basis(run.config),
                kesimpulan=(f"Data BELUM DAPAT DIOTENTIKASI; perbedaan di atas harus diperbaiki oleh {SENDER}.")
                if failed
                else "Data TELAH DIOTENTIKASI terhadap data acuan.",
            ),
        )
    action = run.action()
    if action is None:
        return Ran.WAITING
    when = run.when(action)
    oleh = run.who(action, run.signer())
    basis = f"Otentikasi oleh {oleh} pada {tanggal(when.date())}" + (
        f": {action.data['catatan']}" if action.data.get("catatan") else ""
    )
    checks = authenticate.manual(data.data, total, oleh)
    return _judged(
        run,
        data,
        checks,
        dict(
            run.context(data),
            pemeriksaan=documents.check_rows(checks),
            ringkasan=documents.summary(checks),
            dasar=basis,
            kesimpulan="Data TELAH DIOTENTIKASI oleh pejabat yang berwenang.",
        ),
        basis,
        run.by(action, oleh),
        when,
        action,
    )


def otentikasi_guard(question: Question) -> str | None:
    """With reference data the step runs by itself; an action only overrides a held result."""
    if not authenticate.configured(question.config):
        return None
    if question.procedure.current(question.records) == question.step and question.case.status == CaseStatus.HELD:
        return None
    return (
        "otentikasi dilakukan otomatis terhadap data acuan; tindakan otentikasi hanya "
        "diperlukan bila hasil otentikasi otomatis tertahan."
    )


def laporan_kesiapan(run: StepRun) -> Ran:
    """The draft readiness report with totals, Rupiah amounts and terbilang."""
    data = run.registration()
    if data is None:
        return Ran.WAITING
    context = dict(
        run.context(data), verifikasi=_judgement(run, "verifikasi"), otentikasi=_judgement(run, "otentikasi")
    )
    report = run.document(run.step.document, context)
    run.commit([report], lambda: run.complete(run.now, "pipeline", [report], masukan=data.id))
    return Ran.DONE


def _judgement(run: StepRun, handler: str) -> str:
    """What the steps run by ``handler`` concluded, for the report."""
    for step in run.procedure.with_handler(handler):
        record = run.records.get(step.key)
        if record is not None and record.status == StepStatus.DONE:
            return documents.findings_text(record.catatan, record.temuan)
    return "Tidak dilakukan dalam SOP ini."
