"""A step done by a person, recorded by an action: the whole of a human step
that has no handler of its own, and the end of those that have one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from pipeline.sop.handlers import Ran

if TYPE_CHECKING:
    from pipeline.filing.filer import Prepared
    from pipeline.register import KeptInput
    from pipeline.sop.step_run import StepRun


def note_of(data: dict) -> str:
    """What an action says, in one line: to whom, and the note."""
    parts = [f"kepada {data['kepada']}" if data.get("kepada") else "", data.get("catatan") or ""]
    return "; ".join(p for p in parts if p)


def human_step(run: StepRun) -> Ran:
    """A human step with no code of its own: wait for its action; print the step's
    ``document`` (if the table names one) with the action's fields as ``tindakan``."""
    action = run.action()
    if action is None:
        return Ran.WAITING
    made = []
    if run.step.document:
        made.append(run.document(run.step.document, dict(run.context(run.registration()), tindakan=dict(action.data))))
    return record(run, action, made)


def record(run: StepRun, action: KeptInput | None = None, made: Sequence[Prepared] = ()) -> Ran:
    """Apply the kept action for this step, if one has come, and complete the step."""
    action = action or run.action()
    if action is None:
        return Ran.WAITING
    when = run.when(action)

    def write() -> None:
        run.apply(action, when)
        run.complete(when, run.by(action), made, catatan=note_of(action.data))

    run.commit(list(made), write)
    return Ran.DONE
