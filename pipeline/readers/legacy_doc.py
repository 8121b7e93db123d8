"""Read an old Word .doc memo (an OLE2 compound file): LibreOffice converts a copy to .docx,
which is read like any .docx; the original is archived as it came.

The conversion is one headless ``soffice --convert-to docx`` in a private profile and
process group, with a time limit and no shell; ``to_docx`` is the only place that knows
how, so another converter can replace it.
"""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import IncompleteLetter
from pipeline.models import Parsed
from pipeline.processes import kill_group
from pipeline.readers import docx_memo

if TYPE_CHECKING:
    from pipeline.config import Limits

# What LibreOffice sees of the environment: never the pipeline's secrets.
_PASSED_ENV = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "FONTCONFIG_PATH", "FONTCONFIG_FILE")

NO_CONVERTER = (
    "Dokumen Word lama (.doc) ini belum dapat dibaca karena LibreOffice tidak terpasang pada server pipeline."
)


_WORD_STREAM = "WordDocument".encode("utf-16-le")


def is_word(path: Path) -> bool:
    """True for an OLE2 compound file holding a Word document (not an old Excel or Outlook file)."""
    with open(path, "rb") as handle:
        return _WORD_STREAM in handle.read()


def read(path: Path, limits: "Limits") -> Parsed:
    """The memo header of the .doc at ``path``; a .doc that cannot be converted waits for a draft."""
    with tempfile.TemporaryDirectory(prefix="spse-doc-") as folder:
        converted, problem = to_docx(path, Path(folder), limits.max_read_seconds)
        if converted is None:
            raise IncompleteLetter([problem or NO_CONVERTER])  # to_docx always says why
        parsed = docx_memo.read(converted, limits)
    return Parsed(kind="nota_dinas", fmt="doc", fields=parsed.fields, sources=parsed.sources)


def to_docx(
    path: Path, folder: Path, timeout: float, binary: str | None = None
) -> tuple[Path, None] | tuple[None, str]:
    """Convert a copy of ``path`` into ``folder``; (the .docx, None) or (None, the reason in words)."""
    binary = binary or shutil.which("soffice") or shutil.which("libreoffice")
    if not binary:
        return None, NO_CONVERTER
    source, profile, out = folder / "surat.doc", folder / "profil", folder / "hasil"
    shutil.copyfile(path, source)
    out.mkdir()
    command = [
        binary,
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--nodefault",
        f"-env:UserInstallation={profile.as_uri()}",
        "--convert-to",
        "docx",
        "--outdir",
        str(out),
        str(source),
    ]
    env = {name: os.environ[name] for name in _PASSED_ENV if name in os.environ}
    problem = _run(command, {**env, "HOME": str(profile)}, timeout)
    target = out / "surat.docx"
    if problem is None and (not target.is_file() or target.stat().st_size == 0):
        problem = "LibreOffice tidak menghasilkan dokumen"
    if problem is not None:
        return None, (
            f"Dokumen Word lama (.doc) ini belum dapat dibaca: konversinya oleh LibreOffice gagal ({problem})."
        )
    return target, None


def _run(command: list[str], env: dict[str, str], timeout: float) -> str | None:
    """Run LibreOffice in its own process group; a time limit stops all of it. None when it ran."""
    try:
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, start_new_session=True
        )
    except OSError:
        return "LibreOffice tidak dapat dijalankan"
    try:
        code = process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_group(process)
        return f"melebihi {timeout:.0f} detik"
    except BaseException:
        kill_group(process)
        raise
    return None if code == 0 else "LibreOffice gagal"
