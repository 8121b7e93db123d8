"""Does this action fit this case now? The one answer (docs/architecture.md, "The procedure").

Action files in the inbox, ``pipeline act`` (directly or handed to the
service) and the status all ask ``fits``: the step is one that takes an
action and the case expects it (the Procedure), the account holds the
step's role, the data it judges has arrived, the handler's own rule allows
it, and its ``waktu`` is neither in the future nor before what the case has
already done. The answer is a ``Fit``: it fits, or the Indonesian reason.
A decision kept for later binds to the data it saw: once newer data is
applied it no longer fits (``stale``); ``due`` says whether the case stands
at its step, so it is applied next.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

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
) -> Fit:
    """Whether ``account`` may record the action ``langkah`` (done at ``when``, None: now) on ``case`` now."""
    records = register.steps(case.id)
    reason = (
        _unauthorised(config, procedure, records, langkah, account)
        or _misfit(langkah, case, records, config, register, procedure, pdf_available)
        or _out_of_time(case, records, when, now, config.timezone)
    )
    return Fit(reason)


def _unauthorised(
    config: Config, procedure: Procedure, records: dict[str, StepRecord], langkah: str, account: str
) -> str | None:
    """The step an action records (for tolak: the step it rejects) must be one of the account's roles."""
    step = procedure.current(records) if langkah == Decision.REJECT else procedure.step(langkah)
    return access.refusal(config, step, account, langkah) if step is not None else None


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
