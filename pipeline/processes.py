"""Child programs (LibreOffice, Tesseract, OCRmyPDF) run in a process group of their own, so a
time limit or a stop ends all of it: soffice starts oosplash, which starts soffice.bin."""

import os
import signal
import subprocess
from typing import Any


def kill_group(process: "subprocess.Popen[Any]") -> None:
    """Kill ``process`` and every process it started, then reap it (its pipes drained)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except OSError:
        pass  # already gone, or no longer ours
    process.communicate()
