"""Handing a file to the running service through the inbox, and waiting for its journal entry.

While ``pipeline watch`` holds the workspace lock, ``pipeline act`` and
``pipeline tandatangani`` cannot file anything themselves: they drop the
file in the account's own folder ``keputusan/<account>/`` (the inbox where
``access.keputusan_dari_inbox`` allows it), as the account that runs them,
which the service reads as the file's owner, and wait until the service's journal says what became
of it (docs/cli.md).
"""

from __future__ import annotations

import sqlite3
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from pipeline.clock import Clock
from pipeline.errors import InputRefused, PipelineError
from pipeline.inbox import intake
from pipeline.readers.safety import check_text
from pipeline.register import open_register
from pipeline.sop import fit, inputs
from pipeline.sop.access import current_account
from pipeline.sop.procedure import Procedure
from pipeline.states import Hasil

if TYPE_CHECKING:
    from pipeline.config import Config
    from pipeline.register.records import JournalEntry
    from pipeline.register.sql import SqlRegister

POLL_SECONDS = 0.2


def await_journal(
    config: Config,
    sha256: str,
    settled: Callable[[SqlRegister, JournalEntry], bool],
    patience: float,
    kind: str,
) -> JournalEntry | None:
    """The journal entry of the file with ``sha256`` once ``settled(register, entry)`` says the
    service is done with it; None when ``patience`` seconds pass first. A refused file raises
    InputRefused (``kind``: what the file was) with the service's reasons."""
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        try:
            with open_register(config, writer=False) as register:
                entry = register.last_journal(sha256)
                done = entry is not None and settled(register, entry)
        except (PipelineError, sqlite3.Error, OSError):
            entry, done = None, False  # the service is between transactions, or has the register to itself
        if done and entry is not None:
            if entry.hasil == Hasil.REFUSED:
                raise InputRefused(list(entry.alasan), kind=kind)
            return entry
        time.sleep(POLL_SECONDS)
    return None


def hand_over(
    config: Config,
    rujukan: str,
    langkah: str,
    patience: float = 60.0,
    lampiran: Path | None = None,
    **fields: str | None,
) -> JournalEntry:
    """``pipeline act`` while ``watch`` holds the workspace: drop the action in the inbox for
    the service (as the account that runs act), wait for its journal entry, return the outcome.
    ``lampiran``: the signed sheet's scan, dropped beside the action as its sidecar scan.

    Raises InputRefused when it is refused, here or by the service.
    """

    data = {"jenis": "tindakan", "rujukan": rujukan, "langkah": langkah, **{k: v for k, v in fields.items() if v}}
    check_text(data, "tindakan")
    _precheck(config, data, lampiran)
    name = f"tindakan-{langkah}-{Clock(config.timezone).now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:6]}.yaml"
    text = f"# diserahkan oleh pipeline act ({name})\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    scan = (Path(name).stem + lampiran.suffix.lower(), lampiran.read_bytes()) if lampiran is not None else None
    folder = intake.hand_in_folder(config, current_account())
    sha256 = intake.drop_in(folder, name, text.encode("utf-8"))
    if scan is not None:  # right after its YAML: the service waits for a sidecar's scan to settle
        intake.drop_in(folder, *scan)
    procedure = Procedure(config.steps)

    def settled(register: SqlRegister, entry: JournalEntry) -> bool:
        return entry.hasil != Hasil.WAITING or not _due_now(register, procedure, entry, langkah)

    entry = await_journal(config, sha256, settled, patience, "tindakan")
    if entry is None:
        raise PipelineError(
            f"Tindakan sudah diserahkan ke proses pipeline yang sedang berjalan sebagai {name}, "
            f"tetapi belum diproses dalam {patience:.0f} detik. Lihat hasilnya dengan "
            "\u201cpipeline journal\u201d."
        )
    return entry


def _precheck(config: Config, data: dict[str, str], lampiran: Path | None) -> None:
    """Refuse an action that cannot fit before handing it over, where this account may read the
    register; an official's account that cannot (the register is the service's) lets the service judge.
    Raises InputRefused."""
    from pipeline.engine import open_workspace

    try:
        with open_workspace(config, lock=False) as ws:
            inputs.check_action(
                data,
                current_account(),
                config=ws.config,
                register=ws.register,
                procedure=ws.procedure,
                clock=ws.clock,
                pdf_available=ws.converter.available,
                evidence=lampiran,
            )
    except InputRefused:
        raise
    except (PipelineError, OSError, sqlite3.Error):
        return  # the running service judges it, and its journal says


def hand_in_request(config: Config, nomor: str, alasan: str, patience: float = 60.0) -> JournalEntry:
    """``pipeline batal`` while the service holds the workspace: hand a void request
    (``jenis: batal``) into the account's own folder and wait for its journal entry.
    Raises InputRefused when the service refuses it."""
    from pipeline.letters.voiding import REQUEST

    if not alasan.strip():
        raise PipelineError("Alasan pembatalan wajib diisi dengan --alasan.")
    data = {"jenis": REQUEST, "nomor": nomor, "alasan": alasan}
    check_text(data, REQUEST)
    name = f"batal-{Clock(config.timezone).now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:6]}.yaml"
    text = f"# diserahkan oleh pipeline batal ({name})\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    sha256 = intake.drop_in(intake.hand_in_folder(config, current_account()), name, text.encode("utf-8"))
    entry = await_journal(config, sha256, lambda _register, _entry: True, patience, REQUEST)
    if entry is None:
        raise PipelineError(
            f"Permintaan pembatalan sudah diserahkan ke proses pipeline yang sedang berjalan sebagai {name}, "
            f"tetapi belum diproses dalam {patience:.0f} detik. Lihat hasilnya dengan \u201cpipeline journal\u201d."
        )
    return entry


def _due_now(register: SqlRegister, procedure: Procedure, entry: JournalEntry, langkah: str) -> bool:
    """True while a kept action is for the step its case stands at: the service applies it next."""
    case = register.case(entry.kasus) if entry.kasus else None
    return case is not None and fit.due(langkah, register.steps(case.id), procedure)
