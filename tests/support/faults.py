"""Run the pipeline CLI with a SIGKILL planted at one stage boundary.

    python tests/support/faults.py POINT N -- --config CONFIG run

POINT names a boundary (see POINTS); the process kills itself with SIGKILL
at the N-th time it reaches it, so no clean-up code runs: exactly what a
power cut or ``kill -9`` does. Production code carries no hooks for this.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository, run as a program

from pipeline import cli
from pipeline.documents import decision_form, owed
from pipeline.filing import filer as filing
from pipeline.inbox import completion, intake, placing
from pipeline.inbox.passes import InboxPass
from pipeline.letters import voiding as letters
from pipeline.outputs import notices
from pipeline.register.postgres import PostgresRegister
from pipeline.register.sqlite import SQLiteRegister
from pipeline.sop import inputs, step_run


def die() -> None:
    """SIGKILL to this process: no clean-up code runs."""
    os.kill(os.getpid(), signal.SIGKILL)


def counted(n: int) -> Callable[[], bool]:
    """A counter that says True at its ``n``-th call."""
    calls = {"count": 0}

    def hit() -> bool:
        calls["count"] += 1
        return calls["count"] == n

    return hit


def before(owner: Any, name: str, hit: Callable[[], bool]) -> None:
    """``owner.name`` replaced: dies before the call when ``hit()`` says so."""
    original = getattr(owner, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if hit():
            die()
        return original(*args, **kwargs)

    setattr(owner, name, wrapper)


def after(owner: Any, name: str, hit: Callable[[], bool]) -> None:
    """``owner.name`` replaced: dies after the call when ``hit()`` says so."""
    original = getattr(owner, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        if hit():
            die()
        return result

    setattr(owner, name, wrapper)


# Each boundary of the crash protocol (docs/architecture.md, "Crash safety").
POINTS = {
    "after_claim": lambda hit: after(intake, "claim", hit),
    "before_prepare": lambda hit: before(filing.Filer, "prepare", hit),
    "after_prepare": lambda hit: after(filing.Filer, "prepare", hit),
    "after_archive_copy": lambda hit: after(filing.shutil, "copyfile", hit),
    "before_commit": lambda hit: before(SQLiteRegister, "_commit", hit),
    "after_commit": lambda hit: after(SQLiteRegister, "_commit", hit),
    "after_commit_postgres": lambda hit: after(PostgresRegister, "_commit", hit),
    "after_outbox_copy": lambda hit: after(filing, "copy_atomic", hit),
    "after_publish": lambda hit: after(filing.Filer, "publish", hit),
    "before_finish": lambda hit: before(placing, "finish", hit),
    "before_case_advance": lambda hit: before(InboxPass, "advance_case", hit),
    "after_input_kept": lambda hit: after(inputs, "keep", hit),
    "before_document": lambda hit: before(step_run.StepRun, "document", hit),
    "after_set_aside": lambda hit: after(intake, "set_aside", hit),
    "before_withdraw": lambda hit: before(letters, "withdraw", hit),  # a void committed, its outbox not yet moved
    "after_owed_pdf_placed": lambda hit: after(owed.OwedPdfs, "_place", hit),
    "after_owed_pdf_outbox_copy": lambda hit: after(owed, "copy_atomic", hit),
    "after_owed_pdf_recorded": lambda hit: before(SQLiteRegister, "pdf_tried", hit),
    "after_draft": lambda hit: after(completion, "write_draft", hit),  # a draft written, its letter not yet moved
    # an official's e-mail accepted by the SMTP server, not yet recorded as sent (tests/test_notify.py)
    "after_notice_sent": lambda hit: after(notices, "deliver", hit),
    "before_form_placed": lambda hit: before(decision_form, "place", hit),  # a form listed, not yet in its folder
}


def main() -> None:
    """N = 0 counts the passages instead of killing (printed to stderr at exit)."""
    point, n = sys.argv[1], int(sys.argv[2])
    hit = counted(n)
    if n == 0:
        import atexit

        counter = {"count": 0}

        def hit() -> bool:
            counter["count"] += 1
            return False

        atexit.register(lambda: print(f"passages {point} {counter['count']}", file=sys.stderr))
    POINTS[point](hit)
    cli.main(sys.argv[4:], prog_name="pipeline", standalone_mode=False)


if __name__ == "__main__":
    main()
