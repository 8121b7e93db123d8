"""Placing a claimed group where its journal says: filed files leave the work folder,
refused and duplicate ones go aside with their reason, a letter to complete waits in
inbox/lengkapi/, a file to retry goes back to the inbox. Safe to repeat after a crash."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from pipeline.errors import PublishPending
from pipeline.filing.archive import locate, shown
from pipeline.inbox import completion, intake
from pipeline.inbox.reasons import reason_text
from pipeline.models import Outcome
from pipeline.states import Hasil

if TYPE_CHECKING:
    from pathlib import Path

    from pipeline.config import Config
    from pipeline.models import Inbound
    from pipeline.register.records import JournalEntry


def finish(
    config: Config, inbounds: Sequence[Inbound], entries: Sequence[JournalEntry], home: Path | None = None
) -> list[Outcome]:
    """Move each claimed file to where its journal entry says it belongs (``home``: the folder a
    file to retry goes back to, when not the inbox: an official's own folder)."""
    outcomes = []
    by_file = {(entry.berkas, entry.sha256): entry for entry in entries}
    for inbound in inbounds:
        entry = by_file[(inbound.name, inbound.sha256)]
        place(config, inbound, entry, inbounds, home)
        detail = shown(config, entry.lokasi)
        detail = detail.rsplit("/", 1)[0] if entry.hasil == Hasil.ACCEPTED else detail
        outcomes.append(
            Outcome(
                inbound.name,
                entry.hasil,
                entry.jenis,
                entry.kasus,
                list(entry.alasan),
                detail,
                entry.klaim,
                released=entry.lokasi == "inbox",
            )
        )
    return outcomes


def place(
    config: Config, inbound: Inbound, entry: JournalEntry, group: Sequence[Inbound], home: Path | None = None
) -> None:
    """Move one claimed file where ``entry`` says (``group``: the files claimed with it)."""
    if entry.hasil == Hasil.ACCEPTED or _archived(config, entry.lokasi):
        if not locate(config, entry.lokasi).is_file():
            raise PublishPending(
                f"Berkas {entry.berkas} sudah dicatat tetapi salinannya belum ada di "
                f"{shown(config, entry.lokasi)}; pipeline menempatkannya pada pemrosesan "
                "berikutnya."
            )
        completion.drop_draft(config, inbound)
        inbound.path.unlink(missing_ok=True)
    elif entry.lokasi == "inbox":
        intake.release(inbound, home or config.inbox)
    elif completion.held_at(config, entry.lokasi):
        completion.settle(config, inbound, entry, group)
    else:
        target = config.root / entry.lokasi
        intake.set_aside(inbound, target.parent, reason_text(entry, target.name))


def _archived(config: Config, lokasi: str) -> bool:
    """True when the journal files an input inside the archive: its work copy can go."""
    return lokasi not in ("", "inbox") and locate(config, lokasi).resolve().is_relative_to(config.archive)
