"""Does this action fit this case now? The one answer (docs/architecture.md, "The procedure").

Action files in the inbox, ``pipeline act`` (directly or handed to the
service) and the status all ask ``fits``: the step is one that takes an
action and the case expects it (the Procedure), the account holds the
step's role, the data it judges has arrived, the handler's own rule allows
it, and its ``waktu`` is neither in the future nor before what the case has
already done. A decision an official made on paper, recorded by staff on the
official's behalf (``atas_nama``), fits only when config lets the account's
role record for that official (``access.atas_nama``), the step is that
official's, and the scan of the signed sheet comes with it (``evidence``, a
readable PDF or image within the scan limits). The answer is a ``Fit``: it
fits, or the Indonesian reason.
A decision kept for later binds to the data it saw: once newer data is
applied it no longer fits (``stale``); ``due`` says whether the case stands
at its step, so it is applied next.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from pipeline.errors import InputRefused
from pipeline.sop import access
from pipeline.states import Decision

if TYPE_CHECKING:
    from pipeline.config import Config
    from pipeline.register import Case, StepRecord
    from pipeline.register.sql import SqlRegister
    from pipeline.sop.procedure import Procedure, Step

SKEW = dt.timedelta(minutes=5)  # a clock a little ahead of the server's is not "in the future"


@dataclass(frozen=True)
class Fit:
    """The answer: ``reason`` is None when the action fits, else why not (Indonesian)."""

    reason: str | None = None

    @property
    def fits(self) -> bool:
        return self.reason is None


@dataclass(frozen=True)
class Question:
    """What a handler's own rule (``Handler.guard``) is asked: may an action for ``step`` of
    ``case`` be recorded now? The collaborators it may read come with it."""

    case: Case
    step: Step
    records: dict[str, StepRecord]
    config: Config
    register: SqlRegister
    procedure: Procedure
    pdf_available: bool


def fits(
    langkah: str,
    case: Case,
    account: str,
    when: dt.datetime | None,
    *,
    config: Config,
    register: SqlRegister,
    procedure: Procedure,
    now: dt.datetime,
    pdf_available: bool,
    atas_nama: str | None = None,
    evidence: Path | None = None,
) -> Fit:
    """Whether ``account`` may record the action ``langkah`` (done at ``when``, None: now) on ``case`` now;
    with ``atas_nama``, on behalf of that official, ``evidence`` being the scan of the signed sheet."""
    records = register.steps(case.id)
    step = procedure.current(records) if langkah == Decision.REJECT else procedure.step(langkah)
    reason = (
        _unauthorised(config, step, langkah, account, atas_nama)
        or _misfit(langkah, case, records, config, register, procedure, pdf_available)
        or _out_of_time(case, records, when, now, config.timezone)
        or (_no_evidence(config, step, langkah, atas_nama, evidence) if atas_nama and step else None)
    )
    return Fit(reason)


def _unauthorised(config: Config, step: Step | None, langkah: str, account: str, atas_nama: str | None) -> str | None:
    """The step an action records (for tolak: the step it rejects) must be one of the account's roles;
    recorded on an official's behalf, the step must be that official's and config must let the account."""
    if step is None:
        return None
    if not atas_nama:
        refused = access.refusal(config, step, account, langkah)
        return refused and refused + _paper_hint(config, step, account)
    role = access.official_role(config, atas_nama)
    if role is None:
        names = ", ".join(
            f"{r} ({config.officials[r].nama})" if r in config.officials else r for r in step.role if r in config.roles
        )
        return (
            f"atas_nama \u201c{atas_nama}\u201d tidak dikenal. Tuliskan peran pejabat yang memutuskan atau namanya "
            f"seperti di config.yaml; untuk tindakan {langkah}: {names}."
        )
    return access.on_behalf_refusal(config, step, account, role, langkah)


def _paper_hint(config: Config, step: Step, account: str) -> str:
    """Said to an account that may record this step's decision on the official's behalf: how."""
    for role in step.role:
        recorders = access.may_record_for(config, role)
        if any(account in config.roles.get(r, ()) for r in recorders):
            return (
                f" Bila {role} memutuskan di atas kertas, catat atas namanya dengan melampirkan pindaian "
                f"lembar yang ditandatangani: atas_nama: {role} beserta pindaiannya, atau "
                f"\u201cpipeline act ... --atas-nama {role} --lampiran PINDAIAN\u201d."
            )
    return ""


def _no_evidence(config: Config, step: Step, langkah: str, atas_nama: str, evidence: Path | None) -> str | None:
    """A decision recorded on an official's behalf comes with the scan of the sheet the official
    signed: a PDF, JPG or PNG that can be read, within the scan limits (``readers.scan_limits``)."""
    from pipeline.readers import SCAN_SUFFIXES
    from pipeline.readers.scan_limits import check_image, check_pdf, scan_kind

    sheet = "Lembar Disposisi" if step.handler == "disposisi" else "Konsep"
    role = access.official_role(config, atas_nama) or atas_nama
    pejabat = access.official_name(config, role, step.actor)
    attach = (
        f"Lampirkan pindaian {sheet} yang sudah ditandatangani {pejabat} (PDF, JPG atau PNG): letakkan di inbox "
        "dengan nama yang sama dengan berkas tindakannya (misalnya tindakan.yaml dan tindakan.pdf), atau "
        "sebutkan dengan --lampiran pada \u201cpipeline act\u201d."
    )
    if evidence is None:
        return f"tindakan {langkah} atas nama {role} hanya dapat dicatat dengan pindaian lembar yang ditandatangani. {attach}"
    try:
        kind = scan_kind(evidence) if evidence.suffix.lower() in SCAN_SUFFIXES else None
        if kind is None:
            return f"lampiran tindakan ini bukan pindaian PDF, JPG atau PNG. {attach}"
        if kind == "pdf":
            check_pdf(evidence, config.limits)
        else:
            check_image(evidence, config.limits)
    except InputRefused as refused:
        return f"pindaian yang dilampirkan tidak dapat diterima: {' '.join(refused.reasons)} {attach}"
    except OSError:
        return f"pindaian yang dilampirkan tidak dapat dibaca. {attach}"
    return None


def _misfit(
    langkah: str,
    case: Case,
    records: dict[str, StepRecord],
    config: Config,
    register: SqlRegister,
    procedure: Procedure,
    pdf_available: bool,
) -> str | None:
    """Why the action does not fit where the case stands, or None when it does."""
    problem = procedure.misfit(langkah, case, records)
    if problem:
        return problem
    if register.pending_inputs(case.id, "tindakan", langkah):
        return f"tindakan {langkah} sudah diterima dan sedang menunggu diterapkan."
    step = procedure.step(langkah)
    if step is not None:
        question = Question(case, step, records, config, register, procedure, pdf_available)
        guarded = procedure.handler(step).refuses(question)
        if guarded:
            return guarded
    if step is not None and judges_data(step, procedure) and not register.newest_registration(case.id, case.rujukan):
        return (
            f"kasus belum menerima data registrasi; tindakan {langkah} menilai data itu dan baru dapat "
            "dicatat setelah datanya diterima."
        )
    return None


def _out_of_time(
    case: Case, records: dict[str, StepRecord], when: dt.datetime | None, now: dt.datetime, zone: ZoneInfo
) -> str | None:
    """``waktu`` is evidence: not before what the case has already done, not in the future."""
    if when is None:
        return None
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


def _stamp(moment: dt.datetime, zone: ZoneInfo) -> str:
    """A time as staff read it in a message, always in the office's zone (``timezone``)."""
    return (moment.astimezone(zone) if moment.tzinfo else moment).strftime("%d-%m-%Y %H.%M")


def judges_data(step: Step, procedure: Procedure) -> bool:
    """True when a decision on ``step`` judges the registration data: the step comes after the data step."""
    data_step = procedure.data_step()
    return data_step is not None and procedure.is_after(step, data_step)


def stale(step: Step, dasar: int, newest: int | None, procedure: Procedure) -> bool:
    """True when a kept decision for ``step`` judged data (``dasar``: the newest registration when it
    was kept) and newer data (``newest``) has been applied since: it no longer fits and is made void."""
    return judges_data(step, procedure) and newest is not None and newest > dasar


def due(langkah: str, records: dict[str, StepRecord], procedure: Procedure) -> bool:
    """True while a kept action (already judged by ``fits``) is for the step its case stands at:
    the service applies it next."""
    return procedure.due(langkah, records)
