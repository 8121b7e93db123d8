"""The letter handed to the BSrE gateway for its electronic signature (``pipeline tandatangani``):
which letter may be signed now, by whom, and where the gateway puts the signature."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import PipelineError
from pipeline.sop import access

if TYPE_CHECKING:
    from pipeline.config import Config
    from pipeline.register import AgendaEntry
    from pipeline.register.sql import SqlRegister
    from pipeline.sop.procedure import Procedure


def to_sign(kasus: str, account: str, *, config: Config, register: SqlRegister, procedure: Procedure) -> AgendaEntry:
    """The case's numbered letter that waits for an electronic signature through BSrE, checked."""
    from pipeline.letters.signing import BSRE

    if config.signing.method != BSRE:
        raise PipelineError("Penandatanganan lewat BSrE hanya untuk signing.method: bsre di config.yaml.")
    found = register.find_cases(kasus)
    if len(found) != 1:
        raise PipelineError(
            f"Kasus \u201c{kasus}\u201d tidak ditemukan (atau cocok dengan lebih dari satu kasus; "
            "tulis nomor kasusnya)."
        )
    letter = register.outgoing(found[0].id, void=False)
    if letter is None:
        raise PipelineError(f"Kasus {found[0].id} belum memiliki Nota Dinas bernomor; catat persetujuannya dulu.")
    if letter.ditandatangani:
        raise PipelineError(
            f"Nota Dinas {letter.nomor_surat} sudah ditandatangani pada {letter.ditandatangani} "
            f"oleh {letter.ditandatangani_oleh}."
        )
    if register.letter_pdf(letter) is None and register.owed_pdfs(letter.kasus):
        raise PipelineError(
            f"Nota Dinas {letter.nomor_surat} belum ada dalam bentuk PDF: LibreOffice gagal atau macet "
            "saat PDF-nya dibuat. Periksa LibreOffice dengan \u201cpipeline doctor\u201d, buat PDF-nya "
            "dengan \u201cpipeline pdf\u201d, lalu tandatangani lagi."
        )
    if register.letter_pdf(letter) is None:
        raise PipelineError(
            f"Nota Dinas {letter.nomor_surat} belum ada dalam bentuk PDF (LibreOffice belum terpasang "
            "saat disetujui); batalkan nomornya dan setujui lagi setelah LibreOffice terpasang."
        )
    step = procedure.sealing()
    problem = access.refusal(config, step, account, "tandatangani") if step else None
    if problem:
        raise PipelineError(f"Nota Dinas {letter.nomor_surat} tidak dapat ditandatangani: {problem}")
    return letter


def gateway_stamp(letter: AgendaEntry, pdf_path: Path, *, config: Config, register: SqlRegister) -> dict:
    """Where BSrE puts the visible signature (the template's TTE place) and its image (the letter's QR)."""
    import base64

    from pipeline.documents import codes
    from pipeline.letters.signing import stamp_box

    page, box = stamp_box(pdf_path)
    code = next((c.kode for c in register.codes(folder=letter.folder)), None)
    image = codes.qr_png(codes.target(config, code)) if code else None
    stamp = {
        "page": page + 1,
        "originX": box[0],
        "originY": box[1],
        "width": box[2] - box[0],
        "height": box[3] - box[1],
        "location": config.organisation["city"],
        "reason": f"Persetujuan Nota Dinas Nomor {letter.nomor_surat}",
    }
    if image:
        stamp["imageBase64"] = base64.b64encode(image).decode("ascii")
    return stamp
