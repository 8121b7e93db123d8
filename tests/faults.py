"""Run the pipeline CLI with a SIGKILL planted at one stage boundary.

    python tests/faults.py POINT N -- --config CONFIG run

POINT names a boundary (see POINTS); the process kills itself with SIGKILL
at the N-th time it reaches it, so no clean-up code runs: exactly what a
power cut or ``kill -9`` does. Production code carries no hooks for this.
"""

import os
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline import actions, archive, cli, documents, intake, run, steps  # noqa: E402
from pipeline.register import Register  # noqa: E402


def die():
    os.kill(os.getpid(), signal.SIGKILL)


def counted(n):
    calls = {"count": 0}

    def hit():
        calls["count"] += 1
        return calls["count"] == n
    return hit


def before(module, name, hit):
    original = getattr(module, name)

    def wrapper(*args, **kwargs):
        if hit():
            die()
        return original(*args, **kwargs)
    setattr(module, name, wrapper)


def after(module, name, hit):
    original = getattr(module, name)

    def wrapper(*args, **kwargs):
        result = original(*args, **kwargs)
        if hit():
            die()
        return result
    setattr(module, name, wrapper)


def journal_written(hit):
    original = Register.insert

    def insert(self, table, **values):
        result = original(self, table, **values)
        if table == "journal" and hit():
            die()  # inside the transaction: nothing of it is committed
        return result
    Register.insert = insert


def everywhere(how, name):
    """Plant at every module that imported ``name`` from archive, with one counter."""
    def plant(hit):
        for module in (run, actions, documents, steps):
            if hasattr(module, name):
                how(module, name, hit)
    return plant


POINTS = {
    "after_claim": lambda hit: after(intake, "claim", hit),
    "before_build": everywhere(before, "build_folder"),
    "after_build": everywhere(after, "build_folder"),
    "after_outbox_copy": everywhere(after, "copy_atomic"),
    "before_commit": journal_written,
    "after_commit": lambda hit: before(run, "finish", hit),
    "before_case_advance": lambda hit: before(run, "advance_case", hit),
    "after_input_kept": lambda hit: after(actions, "keep", hit),
    "before_publish": lambda hit: before(documents, "publish", hit),
    "after_publish": lambda hit: after(documents, "publish", hit),
    "after_set_aside": lambda hit: after(intake, "set_aside", hit),
    "after_archive_copy": lambda hit: after(archive.shutil, "copyfile", hit),
}


def main():
    """N = 0 counts the passages instead of killing (printed to stderr at exit)."""
    point, n = sys.argv[1], int(sys.argv[2])
    hit = counted(n)
    if n == 0:
        import atexit
        counter = {"count": 0}

        def hit():
            counter["count"] += 1
            return False
        atexit.register(lambda: print(f"passages {point} {counter['count']}", file=sys.stderr))
    POINTS[point](hit)
    cli.main(sys.argv[4:], prog_name="pipeline", standalone_mode=False)


if __name__ == "__main__":
    main()
