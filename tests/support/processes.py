"""Processes the tests start and watch: the service as staff run it, the fault injector, groups."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.config import Config

# ``python FAULTS POINT N -- --config CONFIG run``: the CLI with a SIGKILL planted (support/faults.py).
FAULTS = Path(__file__).resolve().with_name("faults.py")


def start_watch(config: Config, *extra: str) -> subprocess.Popen[str]:
    """``python -m pipeline --config ... watch`` in its own process, output captured."""
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline", "--config", str(config.path), "watch", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(predicate: Callable[[], object], timeout: float = 15.0) -> bool:
    """Whether ``predicate()`` came true within ``timeout`` seconds (polled every 50 ms)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def running_in_group(group: int) -> list[str]:
    """Processes of a process group that still run (zombies not yet reaped do not count)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            found.append(stat.parent.name)
    return found
