"""``pipeline tandatangani``: the numbered letter signed through the BSrE gateway by its signer
at a terminal, then filed as the signer's account (docs/cli.md).

The signer gives NIK and passphrase (or a TOTP) through ``ask``; they are
sent to the gateway and never stored. The gateway's answer is checked to be
the same letter with an intact signature before it is filed: here when the
workspace is free, else handed to the running service through the inbox.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import PipelineError, WorkspaceBusy
from pipeline.filing.archive import locate
from pipeline.inbox import intake
from pipeline.inbox.handover import await_journal
from pipeline.letters.to_sign import gateway_stamp, to_sign
from pipeline.sop.access import current_account

if TYPE_CHECKING:
    from pipeline.config import Config
    from pipeline.register.records import JournalEntry
    from pipeline.register.sql import SqlRegister

Ask = Callable[[str, bool], str]  # (prompt, secret) -> what the signer typed


def sign_at_terminal(config: Config, kasus: str, ask: Ask, totp: bool = False, patience: float = 120.0) -> JournalEntry:
    """Sign the case's numbered letter through BSrE and file the signed copy as the signer's
    account. Returns the journal entry of the signed copy."""
    from pipeline.engine import open_workspace
    from pipeline.register.keys import letter_key

    account = current_account()
    with open_workspace(config, lock=False) as ws:
        letter = to_sign(kasus, account, config=ws.config, register=ws.register, procedure=ws.procedure)
        pdf = ws.register.letter_pdf(letter)
        assert pdf is not None  # to_sign refuses a letter whose PDF is not filed yet
        pdf_path = locate(config, pdf)
        stamp = gateway_stamp(letter, pdf_path, config=ws.config, register=ws.register)
    original = pdf_path.read_bytes()
    signed, said = _signed_by_gateway(config, original, ask, totp, stamp)
    name = f"{letter_key(letter.nomor_surat)}.pdf"
    _check_returned(config, name, original, signed, letter.nomor_surat, said)
    try:
        with open_workspace(config) as ws:  # filed here, as the account that signed at this terminal
            claim_id, inbound = intake.write_claimed(config.work_dir, name, signed)
            ws.inbox_pass().settle_safely(claim_id, [inbound], account)
        sha256 = inbound.sha256
    except WorkspaceBusy:  # the running service takes it from the inbox, as the file's owner
        sha256 = intake.drop_in(intake.hand_in_folder(config, account), name, signed)

    def settled(register: SqlRegister, entry: JournalEntry) -> bool:
        return entry.lokasi != "inbox"

    entry = await_journal(config, sha256, settled, patience, "surat_keluar_ttd")
    if entry is None:
        raise PipelineError(
            f"Surat bertanda tangan sudah diletakkan di inbox sebagai {name}, tetapi belum diproses "
            f"dalam {patience:.0f} detik. Lihat hasilnya dengan \u201cpipeline journal\u201d."
        )
    return entry


def _signed_by_gateway(config: Config, original: bytes, ask: Ask, totp: bool, stamp: dict) -> tuple[bytes, str]:
    """The letter's PDF as the gateway signed it, and what the gateway said; the signer's
    secrets are asked for here."""
    from pipeline.letters import bsre

    nik = ask("NIK penanda tangan", False).strip()
    if totp:
        bsre.request_totp(config.signing, nik)
        signed, _status, said = bsre.sign_pdf(config.signing, original, nik, totp=ask("Kode TOTP", True), stamp=stamp)
    else:
        signed, _status, said = bsre.sign_pdf(
            config.signing, original, nik, passphrase=ask("Passphrase", True), stamp=stamp
        )
    return signed, said


def _check_returned(config: Config, name: str, original: bytes, signed: bytes, nomor: str, said: str) -> None:
    """The gateway's answer must be the letter itself with at least one intact signature added."""
    from pipeline.letters.signing import SigningError, check_pdf

    with tempfile.TemporaryDirectory() as temp:
        candidate = Path(temp) / name
        candidate.write_bytes(signed)
        if not signed.startswith(original) or not any(c.intact for c in check_pdf(config.signing, candidate)):
            raise SigningError(
                f"Gateway BSrE mengembalikan berkas yang bukan Nota Dinas {nomor} bertanda tangan utuh "
                f"(jawaban gateway: {said}). Surat belum ditandatangani; coba lagi."
            )
