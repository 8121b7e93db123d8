"""A case walks the step table: every step that can run now runs; the walk stops at
the first that must wait (docs/architecture.md, "The procedure").

``advance`` asks the Procedure which step the case is at and runs that
step's handler with a ``StepRun`` (``sop.step_run``: what the handler reads
and the intents it records through). The opening step's handler runs the
same way while the memo is filed (``opening_documents``). Every collaborator comes in as a
parameter (config, register, procedure, filer, clock, the stop event).
Nothing here knows the SOP's step keys.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pipeline.errors import PipelineError
from pipeline.register import Case, Event, StepRecord
from pipeline.sop import handlers
from pipeline.sop.handlers import Ran
from pipeline.sop.step_run import Opening, StepRun, reset
from pipeline.states import CaseStatus, Decision, StepStatus

if TYPE_CHECKING:
    from pipeline.clock import Clock
    from pipeline.config import Config
    from pipeline.filing.filer import Filer
    from pipeline.models import Memo
    from pipeline.register.sql import SqlRegister
    from pipeline.sop.procedure import Procedure, Step


# -- the runner ------------------------------------------------------------------------------


def opening_documents(
    kasus: str,
    memo: Memo,
    nomor_agenda: str,
    now: dt.datetime,
    *,
    config: Config,
    register: SqlRegister,
    procedure: Procedure,
    filer: Filer,
    clock: Clock,
) -> tuple[dict[str, Callable[[Any], Any]], dict[str, tuple[str, str, str]]]:
    """Run the opening step (the agenda entry) while its memo is prepared for filing: its handler
    gives the documents filed with the memo; returns ({file name: writer}, {file name: (code, kasus, jenis)})."""
    step = procedure.opening()[-1]
    case = Case(kasus, memo.nomor, memo.unit, now.isoformat(timespec="seconds"))
    run = StepRun(
        case,
        step,
        config=config,
        register=register,
        procedure=procedure,
        filer=filer,
        clock=clock,
        now=now,
        opening=Opening(memo, nomor_agenda),
    )
    procedure.handler(step).load()(run)
    return run.memo_files, run.memo_codes


def opening_records(
    kasus: str, memo: Memo, made: tuple[str, ...], stamp: str, procedure: Procedure
) -> list[StepRecord]:
    """The opening steps done (the memo from its sender, the agenda by the pipeline, with ``made``,
    the documents filed with the memo); the next running."""
    opening = procedure.opening()
    records = [
        StepRecord(
            kasus,
            step.key,
            StepStatus.DONE,
            stamp,
            stamp,
            memo.dari if step.kind == "input" else "pipeline",
            made if step is opening[-1] else (),
        )
        for step in opening
    ]
    following = procedure.after(opening[-1])
    if following is not None:
        records.append(StepRecord(kasus, following.key, StepStatus.RUNNING, stamp))
    return records


def advance(
    kasus: str,
    *,
    config: Config,
    register: SqlRegister,
    procedure: Procedure,
    filer: Filer,
    clock: Clock,
    stop: threading.Event,
) -> None:
    """Run every step of ``kasus`` that can run now; stop at the first that must wait, or at
    a step boundary once ``stop`` is set (the rest runs at the next rescan or start)."""
    if register.existing_case(kasus).status == CaseStatus.DONE:
        return  # a closed case stays closed, even when steps are added to the table later
    _link_early_inputs(register, kasus)
    _supersede(register, procedure, clock, kasus)
    for _ in range(4 * len(procedure.steps) + 8):
        if stop.is_set():
            return
        case = register.existing_case(kasus)
        records = register.steps(kasus)
        step = procedure.current(records)
        if step is None:
            _close(register, clock, case)
            return
        if step.key not in records or records[step.key].status == StepStatus.WAITING:
            _start_moved(register, clock, case, step)  # the step table changed under the case
            continue
        run = StepRun(case, step, config=config, register=register, procedure=procedure, filer=filer, clock=clock)
        rejected = bool(step.reject_to) and run.action(Decision.REJECT) is not None
        handler = handlers.REJECT if rejected else procedure.handler(step)
        if handler.load()(run) is Ran.WAITING:
            return
    raise PipelineError(
        f"Kasus {kasus} tidak dapat dilanjutkan: langkahnya berulang tanpa akhir. "
        "Periksa tabel sop.steps di config.yaml."
    )


def _start_moved(register: SqlRegister, clock: Clock, case: Case, step: Step) -> None:
    """The case stands at a step it has no record of (the table changed): start it; a hold
    belonged to the step it was at, so the case runs again."""
    with register.transaction():
        register.start_step(case.id, step.key, clock.stamp())
        if case.status == CaseStatus.HELD:
            register.set_case_status(case.id, CaseStatus.RUNNING)


def _close(register: SqlRegister, clock: Clock, case: Case) -> None:
    if case.status != CaseStatus.DONE:
        stamp = clock.stamp()
        with register.transaction():
            register.set_case_status(case.id, CaseStatus.DONE)
            register.record_event(Event(stamp, case.id, "pipeline", "kasus_selesai", {}))


def _link_early_inputs(register: SqlRegister, kasus: str) -> None:
    """Inputs that arrived before their memo now belong to its case."""
    case = register.existing_case(kasus)
    if register.unlinked_inputs(case.rujukan, kasus):
        with register.transaction():
            register.link_early_inputs(kasus, case.rujukan)


def _supersede(register: SqlRegister, procedure: Procedure, clock: Clock, kasus: str) -> None:
    """A newer registration sends a case whose data step is done back to that step."""
    step = procedure.data_step()
    if step is None or not register.pending_inputs(kasus, "registrasi"):
        return
    records = register.steps(kasus)
    if step.key not in records or records[step.key].status != StepStatus.DONE or procedure.sealed(records):
        return
    with register.transaction():
        reset(
            kasus,
            step,
            f"Data registrasi baru diterima; langkah {step.number} dan seterusnya diulang.",
            clock.stamp(),
            register=register,
            procedure=procedure,
        )
