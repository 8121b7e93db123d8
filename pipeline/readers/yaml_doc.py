"""Read a YAML input: a memo typed in by staff, registration data or an action.

The kind is the ``jenis`` key, so the file name does not matter.
"""

from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.errors import InputRefused
from pipeline.models import Parsed
from pipeline.readers.safety import load_yaml

if TYPE_CHECKING:
    from pipeline.config import Limits

KINDS = ("nota_dinas", "registrasi", "tindakan", "surat_keluar_ttd", "batal")  # batal: ``pipeline batal`` handed over


def decode(raw: bytes) -> str:
    """Decode text saved by any editor staff use: UTF-8 (with BOM) or Windows-1252."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def join_pairs(value: Any) -> Any:
    """PyYAML reads an escaped pair ("\\ud83d\\ude00") as two lone surrogates: join them again."""
    if isinstance(value, str):
        try:
            return value.encode("utf-16", "surrogatepass").decode("utf-16")
        except UnicodeDecodeError:
            return value  # a true lone surrogate; the reader refuses it
    if isinstance(value, dict):
        return {join_pairs(k): join_pairs(v) for k, v in value.items()}
    if isinstance(value, list):
        return [join_pairs(v) for v in value]
    return value


def read(path: Path, limits: "Limits") -> Parsed:
    """Return the YAML mapping at ``path`` with its ``jenis`` as the kind."""
    data = join_pairs(load_yaml(decode(path.read_bytes()), limits))
    if not isinstance(data, dict):
        raise InputRefused(
            "Berkas YAML harus berisi pasangan \u201ckunci: nilai\u201d dengan kunci "
            "\u201cjenis\u201d (nota_dinas, registrasi atau tindakan)."
        )
    kind = data.get("jenis")
    if kind not in KINDS:
        raise InputRefused(
            f"Kunci \u201cjenis\u201d berisi \u201c{kind}\u201d; yang dikenal: "
            + ", ".join(KINDS)
            + ". Perbaiki kunci tersebut lalu letakkan kembali di inbox."
        )
    fields = {str(key): value for key, value in data.items()}
    return Parsed(kind=kind, fmt="yaml", fields=fields)
