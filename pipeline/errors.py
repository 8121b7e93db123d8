"""One exception hierarchy for the whole pipeline, and the words for system errors.

Every message is formal Indonesian, because it ends up in front of staff:
in a reason file (``*.alasan.txt``), on the console, or in the journal.
Only the CLI turns these into exit codes.
"""

from collections.abc import Iterable, Mapping
from typing import Any


class PipelineError(Exception):
    """Base of every error the pipeline raises on purpose."""


class ConfigError(PipelineError):
    """Raised when config.yaml is missing, unreadable or fails validation."""


class WorkspaceBusy(PipelineError):
    """Raised when another pipeline process holds the workspace lock."""


class InputRefused(PipelineError):
    """Raised when an input file cannot be accepted; carries every reason.

    ``reasons`` are complete Indonesian sentences telling staff what is wrong
    and what to do next.
    """

    def __init__(self, reasons: str | Iterable[str], kind: str | None = None) -> None:
        if isinstance(reasons, str):
            reasons = [reasons]
        self.reasons = list(reasons)
        self.kind = kind
        super().__init__(" ".join(self.reasons))


class IncompleteLetter(InputRefused):
    """Raised when an incoming letter cannot be registered as it stands (a required field
    missing or unreadable): it waits in inbox/lengkapi/, unchanged, beside a prefilled draft.

    ``fields`` are what was read, ``sources`` where each came from ("teks", "OCR (keyakinan 87%)"),
    ``problems`` what is wrong with each field named (missing, or read but not usable).
    """

    def __init__(
        self,
        reasons: str | Iterable[str],
        fields: Mapping[str, Any] | None = None,
        sources: Mapping[str, str] | None = None,
        problems: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(reasons, kind="nota_dinas")
        self.fields = dict(fields or {})
        self.sources = dict(sources or {})
        self.problems = dict(problems or {})


class InputChanged(PipelineError):
    """Raised when a claimed file changed after it was claimed (its writer had paused):
    it goes back to the inbox, whole, to be taken once it is complete."""


class OcrUnavailable(PipelineError):
    """Raised when a scan cannot be read on this machine (Tesseract, its language model or poppler
    missing): the letter is not at fault, so it is not refused."""


class RenderError(PipelineError):
    """Raised when a Word template cannot be filled."""


class ConversionStopped(RenderError):
    """Raised when the stop event ends a PDF conversion in flight (its LibreOffice killed)."""


class ArchiveError(PipelineError):
    """Raised when the archive or outbox cannot be written (disk, permissions)."""


class PublishPending(ArchiveError):
    """Raised when a filing is committed but its files could not be put in place yet.

    The records stand; the next pass (or the next start) publishes the staged
    folder, so the input must not be filed again.
    """


class ExportError(PipelineError):
    """An export (books, SRIKANDI bundle) could not be written where the user asked."""


class RegisterError(PipelineError):
    """Raised when the register cannot be read or written."""


class CommitUncertain(RegisterError):
    """Raised when COMMIT itself failed: a server may have committed before the connection
    dropped, so what was staged for the transaction is kept for recovery to judge."""


_OS_REASONS = {
    "ENOSPC": "disk penuh",
    "EDQUOT": "kuota disk habis",
    "EACCES": "izin ditolak",
    "EPERM": "izin ditolak",
    "EROFS": "disk hanya dapat dibaca",
    "ENOENT": "folder atau berkas tidak ditemukan",
    "EIO": "kesalahan baca-tulis disk",
    "ENAMETOOLONG": "nama berkas terlalu panjang",
    "EEXIST": "sudah ada",
    "EBUSY": "sedang dipakai",
    "ENOTDIR": "bukan folder",
    "EISDIR": "berupa folder",
    "EXDEV": "berada di disk yang berbeda",
    "ENOTEMPTY": "folder tidak kosong",
    "ESTALE": "sambungan folder jaringan terputus",
    "ETIMEDOUT": "jaringan tidak menjawab",
    "EHOSTDOWN": "jaringan tidak menjawab",
    "EMFILE": "terlalu banyak berkas terbuka",
    "EILSEQ": "nama berkas memuat karakter yang tidak sah",
}


def os_reason(exc: BaseException) -> str:
    """An OSError in the words staff read: "disk penuh", "izin ditolak"..."""
    import errno

    code = errno.errorcode.get(getattr(exc, "errno", None) or 0, "")
    return _OS_REASONS.get(code) or (f"galat sistem {code}" if code else "galat sistem")
