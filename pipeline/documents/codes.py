"""Verification codes: what a printed document carries so anyone can check it.

Every generated document gets a short code a person can type (ten letters
and digits of Crockford's alphabet, ``7KQ2M-XH4PD``) and a QR code holding
the address of the code's verification page (``verification.base_url`` + a
name derived from the code with the workspace's key, ``proof.py``). The
code is drawn from the register's chain head at the moment the document is
prepared and recorded, in the
transaction that files it, with the document's SHA-256; ``pipeline verify
--kode`` resolves it (docs/architecture.md, "Verification codes").
"""

import hashlib
import io
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.config import Config

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


@dataclass(frozen=True)
class QrImage:
    """A QR code to be placed in a rendered document (``render`` turns it into an image)."""

    png: bytes
    width_mm: float = 18.0


def new_code(chain_hash: str, kasus: str, jenis: str) -> str:
    """A fresh code, bound to the chain head it was drawn from and the document it is for."""
    seed = f"{chain_hash}|{kasus}|{jenis}|{uuid.uuid4().hex}".encode()
    number = int.from_bytes(hashlib.sha256(seed).digest()[:7], "big") >> 6  # 50 bits
    chars = "".join(ALPHABET[(number >> (5 * i)) & 31] for i in range(9, -1, -1))
    return f"{chars[:5]}-{chars[5:]}"


def normalise(typed: object) -> str | None:
    """A code as a person may type it (lower case, spaces, O for 0) in its printed form."""
    chars = "".join(ch for ch in str(typed).upper().translate(_READ_AS) if ch in ALPHABET)
    return f"{chars[:5]}-{chars[5:]}" if len(chars) == 10 else None


def target(config: "Config", code: str) -> str:
    """What the QR holds: the code's verification page at ``verification.base_url`` (named from the
    code with the workspace's key, ``proof.page_name``), or the bare code."""
    from pipeline.documents.proof import address

    return address(config, code)


def qr_png(text: str, scale: int = 6) -> bytes:
    """The QR code of ``text`` as PNG bytes (medium error correction, a quiet zone)."""
    import segno

    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


KEY = "keaslian"  # the name templates print the code under; no document field may take it


def context(config: "Config", code: str) -> dict[str, Any]:
    """What templates print: ``keaslian.kode``, ``keaslian.alamat`` and the QR as
    ``keaslian.qr`` (18 mm) or ``keaslian.qr_kecil`` (14 mm, for A5 forms)."""
    url = target(config, code)
    png = qr_png(url)
    return {"kode": code, "alamat": url, "qr": QrImage(png), "qr_kecil": QrImage(png, 14.0)}


def attach(context: Mapping[str, Any], printed: Mapping[str, Any]) -> dict[str, Any]:
    """A document's context with its code under ``keaslian``. A document field of that name is
    a programming error, never silently hidden (nor hiding the code)."""
    if KEY in context:
        raise RuntimeError(f"document context already has a field named {KEY!r}")
    return {**context, KEY: printed}
