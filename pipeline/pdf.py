"""Word to PDF with headless LibreOffice, for everything that is printed or signed.

Each pipeline process uses a LibreOffice profile of its own
(``-env:UserInstallation``), so two processes never share one; a
conversion has a time limit and one retry, and succeeds only when the PDF
exists and is not empty. Conversion happens while a filing is prepared,
outside any register transaction (docs/architecture.md, "PDF"). Where
LibreOffice is missing the pipeline goes on with .docx alone and says so once.
"""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .errors import RenderError

# Bookmarks become named destinations: the signature stamp finds the template's TTE bookmark.
EXPORT = 'pdf:writer_pdf_Export:{"ExportBookmarksToPDFDestination":{"type":"boolean","value":"true"}}'
INSTALL = ("LibreOffice belum terpasang, sehingga dokumen hanya dibuat sebagai .docx (tanpa PDF). Pasang "
           "dengan \u201csudo apt-get install libreoffice-writer-nogui\u201d, lalu jalankan pipeline lagi.")


class Converter:
    """LibreOffice as this process uses it."""

    def __init__(self, enabled=True, timeout=120.0, binary=None):
        self.enabled = enabled
        self.timeout = timeout
        self.binary = binary or shutil.which("soffice") or shutil.which("libreoffice")
        self.profile = Path(tempfile.gettempdir()) / f"spse-libreoffice-{os.getuid()}-{os.getpid()}"

    @property
    def available(self):
        return bool(self.enabled and self.binary)

    def missing(self):
        """The one-time notice when PDFs are wanted but LibreOffice is not there; None otherwise."""
        return INSTALL if self.enabled and not self.binary else None

    def convert(self, sources, folder):
        """Convert ``sources`` (.docx) to PDFs in ``folder``; return their paths (none when unavailable)."""
        if not self.available or not sources:
            return []
        targets = [folder / (Path(source).stem + ".pdf") for source in sources]
        for attempt in (1, 2):
            for target in targets:
                target.unlink(missing_ok=True)
            problem = self._run(sources, folder)
            if problem is None and all(t.is_file() and t.stat().st_size > 0 for t in targets):
                return targets
        raise RenderError(f"Dokumen tidak dapat diubah menjadi PDF oleh LibreOffice ({problem or 'hasil kosong'}); "
                          "akan dicoba lagi.")

    def _run(self, sources, folder):
        command = [self.binary, "--headless", "--norestore", "--nolockcheck", "--nodefault",
                   f"-env:UserInstallation={self.profile.as_uri()}", "--convert-to", EXPORT,
                   "--outdir", str(folder), *map(str, sources)]
        try:
            subprocess.run(command, capture_output=True, timeout=self.timeout, check=True,
                           env={**os.environ, "HOME": str(self.profile)})
        except subprocess.TimeoutExpired:
            return f"melebihi {self.timeout:.0f} detik"
        except (subprocess.CalledProcessError, OSError):
            return "LibreOffice gagal"
        return None

    def close(self):
        """Remove this process's profile."""
        shutil.rmtree(self.profile, ignore_errors=True)
