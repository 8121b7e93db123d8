"""The quiet-case cache: carrying on every unfinished case, skipping those that had nothing
to do while nothing that could change that has changed (docs/architecture.md, "Speed").

A case is quiet under a mark of what judges it: the config as loaded, the reference
data files as they are now, and the code of the SOP (every module of ``pipeline.sop``,
the step handlers included, as loaded). An upgrade or a config change that alters how a
case is judged changes the mark, so every quiet case is carried on again once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from pipeline.code_digest import code_digest, package_modules

if TYPE_CHECKING:
    import threading
    from pathlib import Path

    from pipeline.config import Config
    from pipeline.register.sql import SqlRegister

# carry_on(kasus) -> (the problem or None, whether this host carried the case on)
CarryOn = Callable[[str], tuple[str | None, bool]]


def advance_open_cases(config: Config, register: SqlRegister, stop: threading.Event, carry_on: CarryOn) -> list[str]:
    """Carry on every unfinished case that has something to do: a crash or a failure may have
    stopped one mid-way, or the config or the SOP's code changed under it.

    A case advanced without anything to do (its state the same after as before) is marked
    quiet, per host, with that state (its records' counts and newest ids) and the mark it
    was judged under (``behaviour_mark``); while both stay the same, advancing it again would
    do nothing, so it is skipped. A case that failed, or that another host was carrying on,
    is not marked. Returns the problems, for staff.
    """
    notes, quiet = [], {}
    host, mark = config.host, behaviour_mark(config)
    marks = register.quiet_marks(host)
    states = register.case_states()
    for kasus, state in states:
        if stop.is_set():
            break  # the rest are carried on at the next rescan or start
        if marks.get(kasus) == f"{mark}|{state}":
            continue
        problem, mine = carry_on(kasus)
        if problem:
            notes.append(problem)
            continue
        if stop.is_set():
            break  # it may have stopped at a step boundary: not quiet
        after = dict(register.case_states(kasus))
        if mine and after.get(kasus) == state:  # it had nothing to do: quiet until something changes
            quiet[kasus] = f"{mark}|{state}"
    gone = marks.keys() - {kasus for kasus, _ in states}
    if quiet or gone:
        with register.transaction(logged=False):
            register.mark_quiet(host, quiet, gone)
    return notes


def behaviour_mark(config: Config) -> str:
    """What a waiting case was judged under: the config as loaded (the step table included),
    the reference data files as they are now (verification reads them at its step), and the
    code of the SOP as loaded (``sop_code``)."""
    files = [(str(path), *_stat(path)) for path in (config.employees, config.budget) if path]
    digest = hashlib.sha256(repr((config, files)).encode("utf-8"))
    digest.update(sop_code())
    return digest.hexdigest()[:16]


def sop_code() -> bytes:
    """A digest of the code that judges a case: every function and method of every module of
    ``pipeline.sop`` (the procedure, the runner, the rules, each step handler), as loaded."""
    from pipeline import sop

    return code_digest(package_modules(sop))


def _stat(path: Path) -> tuple[int | None, int | None]:
    try:
        status = path.stat()
    except OSError:
        return (None, None)
    return (status.st_size, status.st_mtime_ns)
