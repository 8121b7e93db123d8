"""Which inbox files are taken together, and claiming them whole: a YAML sidecar with its
scan, a completed draft with the letter waiting in inbox/lengkapi/, or one file alone."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from pipeline import readers
from pipeline.inbox import completion, intake
from pipeline.inbox.reasons import waiting_for_sidecar
from pipeline.models import Outcome
from pipeline.states import Hasil

if TYPE_CHECKING:
    from pathlib import Path

    from pipeline.config import Config
    from pipeline.models import Inbound
    from pipeline.register.sql import SqlRegister


def ready_units(
    config: Config, register: SqlRegister, stability: intake.Stability, outcomes: list[Outcome]
) -> Iterator[list[Path]]:
    """Groups of inbox files to take together: a YAML sidecar with its scan (or with the letter it
    completes, waiting in inbox/lengkapi/), or one file (a PDF or image scan alone is read as a
    letter, or is the signed copy of an outgoing letter when its name is that letter's number; named
    like an outgoing number no letter has, it waits for the YAML naming its letter, told in ``outcomes``)."""
    files = intake.candidates(config.inbox)
    stability.prune(files, config.inbox)
    ready = [path for path in files if stability.ready(path)]
    ready.sort(key=readers.priority)  # stable: oldest first within each kind
    for path in ready:
        if not intake.is_regular(path):
            continue  # taken with its sidecar already
        if intake.is_scan(path):
            if intake.waits_for_sidecar(config, path) and register.letter(path.stem) is None:
                outcomes.append(Outcome(path.name, Hasil.WAITING, "pindaian", alasan=[waiting_for_sidecar(path.stem)]))
            elif not intake.has_sidecar(path):
                yield [path]  # read alone: its text or OCR, else a draft (judge)
            continue
        scan = intake.sidecar_scan(path) if path.suffix.lower() in (".yaml", ".yml") else None
        if scan is None and path.suffix.lower() in (".yaml", ".yml"):
            scan = completion.original_for(config, path)  # a completed draft fetches its letter
        if scan is not None and scan.parent == path.parent and not stability.ready(scan):
            continue
        yield [path, scan] if scan else [path]


def partners(config: Config, claim_id: str, inbounds: Sequence[Inbound]) -> list[Inbound]:
    """A crash between claiming a sidecar and its scan leaves one of them in the inbox:
    claim it into the same group, so the memo is filed whole."""
    names = {i.name for i in inbounds}
    found = []
    for inbound in inbounds:
        source = config.inbox / inbound.name
        partner = (
            (intake.sidecar_scan(source) or completion.original_for(config, source, inbound.path))
            if inbound.name.lower().endswith((".yaml", ".yml"))
            else intake.sidecar_of(source)
            if intake.is_scan(source)
            else None
        )
        if partner is not None and partner.name not in names:
            try:
                found.append(intake.claim(partner, config.work_dir, claim_id))
            except OSError:
                continue
            names.add(partner.name)
    return found


def claim_all(config: Config, files: Sequence[Path], claim_id: str) -> list[Inbound]:
    """Claim a group whole or not at all (a file may vanish or still be locked)."""
    claimed: list[Inbound] = []
    try:
        for path in files:
            claimed.append(intake.claim(path, config.work_dir, claim_id))
    except OSError:
        for inbound in claimed:
            intake.release(inbound, config.inbox)
        return []
    return claimed
