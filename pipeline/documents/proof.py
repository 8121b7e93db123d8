"""What a verification code proves, and where its page lives (docs/architecture.md, "Verification codes").

A code that matches proves only that the register issued it: anyone can copy
a genuine code and number onto a forged letter, and nobody can hash paper.
So the answer to a code shows what the genuine document says (kind, number,
date, addressee or sender, subject, signer and how it was signed, pages) for
the reader to compare with the paper in hand.

Verification pages are named ``<HMAC-SHA256(key, code)>.html`` with a key
kept in the archive (``archive/.kunci-verifikasi``, outside the served
``outbox/status/``): the folder's names reveal no code, and a page cannot be
found without the code it answers for. The QR holds the page's address.
"""

import base64
import hashlib
import hmac
import os
import re
import secrets
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, overload

from pipeline.filing.archive import locate
from pipeline.register.records import AgendaEntry, Code

if TYPE_CHECKING:
    from pipeline.config import Config
    from pipeline.register.sql import SqlRegister

KEY_FILE = ".kunci-verifikasi"
INDEX = "index.html"  # the folder's own page: a web server shows it instead of listing the folder
COMPARE = (
    "Kode yang cocok saja tidak membuktikan keaslian, karena kode dapat disalin ke surat palsu. "
    "Bandingkan kertas yang Anda pegang dengan isi dokumen asli di atas: jenis, nomor, tanggal, "
    "tujuan atau pengirim, hal, penanda tangan, cara penandatanganan dan jumlah halaman harus sama. "
    "Bila ada yang berbeda, dokumen itu bukan dokumen asli; laporkan kepada pengelola arsip."
)


@overload
def key(archive: str | os.PathLike[str], create: Literal[True] = True) -> bytes: ...
@overload
def key(archive: str | os.PathLike[str], create: bool) -> bytes | None: ...
def key(archive: str | os.PathLike[str], create: bool = True) -> bytes | None:
    """The workspace's page key (bytes), made once (atomically, whoever comes first) when ``create``;
    None when there is none yet and ``create`` is false."""
    path = Path(archive) / KEY_FILE
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except FileNotFoundError:
        if not create:
            return None
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f"{KEY_FILE}.{secrets.token_hex(4)}.tmp")
    try:
        temp.write_text(secrets.token_hex(32) + "\n", encoding="ascii")
        os.chmod(temp, 0o440)
        os.link(temp, path)  # fails when another process made the key first: theirs is kept
    except FileExistsError:
        pass
    finally:
        temp.unlink(missing_ok=True)
    return bytes.fromhex(path.read_text(encoding="ascii").strip())


def page_name(secret: bytes, code: str) -> str:
    """The file name of a code's page in ``outbox/status/kode/``: 120 bits of HMAC, base32."""
    digest = hmac.new(secret, code.encode("ascii"), hashlib.sha256).digest()
    return base64.b32encode(digest[:15]).decode("ascii").lower() + ".html"


def address(config: "Config", code: str) -> str:
    """What the QR holds: the code's page at ``verification.base_url``, or the bare code."""
    base = config.verification_base_url
    return f"{base.rstrip('/')}/{page_name(key(config.archive), code)}" if base else code


def content(config: "Config", register: "SqlRegister", found: Code) -> dict[str, Any]:
    """What the genuine document says, for the reader to compare with the paper in hand."""
    letter = register.letter_in(found.folder)
    memo = register.incoming(found.kasus) if found.kasus else None
    entry = letter or memo
    isi: dict[str, Any] = {
        "jenis_dokumen": found.jenis.replace("_", " ").title(),
        "nomor": None,
        "tanggal": None,
        "kepada": None,
        "dari": None,
        "hal": None,
        "penandatangan": None,
        "tanda_tangan": None,
        "halaman": pages(locate(config, f"{found.folder}/{found.berkas}")),
    }
    if entry is not None:
        isi.update(nomor=entry.nomor_surat, tanggal=entry.tanggal_surat[:10] or None, hal=entry.hal)
        if letter:
            isi["kepada"] = entry.kepada or None
        else:
            isi.update(dari=entry.dari or None, nomor_agenda=entry.nomor_agenda)
    isi["penandatangan"], isi["tanda_tangan"] = _signed(config, register, letter, found)
    return isi


LABELS = (
    ("Jenis dokumen", "jenis_dokumen"),
    ("Nomor", "nomor"),
    ("Nomor agenda", "nomor_agenda"),
    ("Tanggal", "tanggal"),
    ("Kepada", "kepada"),
    ("Dari", "dari"),
    ("Hal", "hal"),
    ("Penanda tangan", "penandatangan"),
    ("Tanda tangan", "tanda_tangan"),
    ("Jumlah halaman", "halaman"),
)


def rows(isi: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(label, text) of what the genuine document says, as a person reads it."""
    from pipeline.formats import tanggal

    shown: list[tuple[str, str]] = []
    for label, name in LABELS:
        value = isi.get(name)
        if name == "halaman":
            shown.append((label, str(value) if value else "tidak diketahui"))
        elif value:
            shown.append((label, tanggal(value) if name == "tanggal" else str(value)))
    return shown


def _signed(
    config: "Config", register: "SqlRegister", letter: AgendaEntry | None, found: Code
) -> tuple[str | None, str]:
    """(signer, how signed) of the document a code stands for."""
    from pipeline.outputs.srikandi import signed_file

    if letter is None or found.jenis != "nota_dinas":
        return None, "tidak bertanda tangan (dokumen kerja yang dibuat pipeline)"
    signer = config.officials["kapus"].nama
    if not letter.ditandatangani:
        return signer, "belum ditandatangani"
    how = signed_file(config, register, letter)[1]
    return signer, how or "ditandatangani"


def pages(path: Path) -> int | None:
    """How many pages a document has: from its PDF (the file, or the PDF made beside a .docx), else
    the count Word recorded in the .docx (``docProps/app.xml``); None when unknown."""
    pdf = path if path.suffix.lower() == ".pdf" else path.with_suffix(".pdf")
    if pdf.is_file():
        try:
            from pyhanko.pdf_utils.reader import PdfFileReader

            with open(pdf, "rb") as handle:
                return int(PdfFileReader(handle, strict=False).root["/Pages"]["/Count"])
        except Exception:  # noqa: BLE001 - an unreadable PDF leaves the count unknown, never a crash
            return None
    try:
        with zipfile.ZipFile(path) as package:
            found = re.search(rb"<Pages>(\d+)</Pages>", package.read("docProps/app.xml")[:100_000])
        return int(found.group(1)) if found else None
    except (OSError, KeyError, zipfile.BadZipFile, ValueError):
        return None


def strays(folder: Path, secret: bytes | None, issued: Iterable[str]) -> list[Path]:
    """Every entry of ``outbox/status/kode/`` that is no page of a code the register issued."""
    if not folder.is_dir():
        return []
    expected = {page_name(secret, code) for code in issued} if secret else set()
    return sorted(
        item
        for item in folder.iterdir()
        if item.name != INDEX and not item.name.startswith(".") and item.name not in expected
    )
