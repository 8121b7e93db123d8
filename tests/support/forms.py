"""Decision forms in tests: filled as Word saves them (tools/fill_form.py, shared with ``make demo``)
and opened and saved again by LibreOffice."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))

from fill_form import fill

__all__ = ["fill", "libreoffice_round_trip"]


def libreoffice_round_trip(path: Path, out: Path) -> Path:
    """Open ``path`` in LibreOffice and save it as .docx again (``soffice --convert-to docx``)."""
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "in" / path.name
        source.parent.mkdir()
        shutil.copy(path, source)
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{work}/profile",
                "--headless",
                "--convert-to",
                "docx:MS Word 2007 XML",
                "--outdir",
                str(Path(work) / "out"),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        shutil.copy(Path(work) / "out" / path.name, out)
    return out
