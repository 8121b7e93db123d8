"""Writing the journal: what became of each file of a claimed group, committed in one
transaction before any file moves (the placement follows the journal, see ``placing``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from pipeline.filing.archive import relative
from pipeline.inbox import completion, intake, reasons
from pipeline.register.records import JournalEntry
from pipeline.states import Hasil

if TYPE_CHECKING:
    import datetime as dt
    from pathlib import Path

    from pipeline.config import Config
    from pipeline.errors import IncompleteLetter
    from pipeline.models import Inbound
    from pipeline.register.sql import SqlRegister

_FOLDERS = {Hasil.REFUSED: "rejected_dir", Hasil.DUPLICATE: "duplicate_dir"}


def record(
    register: SqlRegister,
    claim_id: str,
    inbounds: Sequence[Inbound],
    now: dt.datetime,
    hasil: Hasil,
    reasons: Sequence[str],
    jenis: str,
    lokasi: Callable[[Inbound], str],
) -> list[JournalEntry]:
    """Journal every file of the group in one transaction, once each is still as claimed."""
    stamp = now.isoformat(timespec="seconds")
    with register.transaction():
        entries = [
            register.add_journal(
                JournalEntry(i.name, i.sha256, i.size, stamp, hasil, jenis, "", tuple(reasons), lokasi(i), claim_id)
            )
            for i in inbounds
        ]
        intake.check_unchanged(inbounds)
        return entries


def set_aside(
    config: Config,
    register: SqlRegister,
    claim_id: str,
    inbounds: Sequence[Inbound],
    now: dt.datetime,
    hasil: Hasil,
    reasons: Sequence[str],
    jenis: str = "",
    aside: Path | None = None,
) -> list[JournalEntry]:
    """Journal a group as refused or duplicate, in one transaction (``aside``: the folder it goes
    to instead of inbox/ditolak/ or inbox/duplikat/, e.g. an official's keputusan/<account>/ditolak/)."""
    folder = aside or getattr(config, _FOLDERS[hasil])
    return record(
        register,
        claim_id,
        inbounds,
        now,
        hasil,
        reasons,
        jenis,
        lambda i: relative(intake.free_name(folder, i.name), config.root),
    )


def hold(
    config: Config,
    register: SqlRegister,
    claim_id: str,
    inbounds: Sequence[Inbound],
    now: dt.datetime,
    error: IncompleteLetter,
) -> list[JournalEntry]:
    """A letter that cannot be registered as it stands waits, unchanged, in inbox/lengkapi/
    beside a prefilled draft (written when it is moved there, see ``placing.finish``)."""
    placed = completion.places(config, inbounds)
    return record(
        register,
        claim_id,
        inbounds,
        now,
        Hasil.WAITING,
        completion.reasons(config, error, placed),
        "nota_dinas",
        lambda i: relative(placed[i.name], config.root),
    )


def retry_later(
    register: SqlRegister, claim_id: str, inbounds: Sequence[Inbound], now: dt.datetime, error: Exception
) -> list[JournalEntry]:
    """The archive or a template failed: keep the input in the inbox and say why.

    Told once: while the same file waits for the same reason the journal
    is not written again (the file is tried again with back-off).
    """
    said = [f"{error} Berkas tetap di inbox dan akan dicoba lagi."]
    told = [register.last_journal(i.sha256) for i in inbounds]
    if all(e is not None and e.hasil == Hasil.WAITING and list(e.alasan) == said for e in told):
        stamp = now.isoformat(timespec="seconds")
        return [
            JournalEntry(i.name, i.sha256, i.size, stamp, Hasil.WAITING, "", "", tuple(said), "inbox", claim_id)
            for i in inbounds
        ]
    return record(register, claim_id, inbounds, now, Hasil.WAITING, said, "", lambda i: "inbox")


def unaccounted(inbounds: Sequence[Inbound], entries: Sequence[JournalEntry]) -> list[Inbound]:
    """Work-folder files under a known claim that its journal does not record (by name and
    content): a stray copy, or a file changed after it was filed. Never moved as if filed."""
    known = {(e.berkas, e.sha256) for e in entries}
    return [i for i in inbounds if (i.name, i.sha256) not in known]


def set_aside_strays(
    config: Config, register: SqlRegister, claim_id: str, strays: Sequence[Inbound], now: dt.datetime
) -> list[JournalEntry]:
    """Journal stray work-folder files as refused under their claim (so a crash before the
    move finds them again), with a reason; they are then set aside, never filed or deleted."""
    where = relative(config.work_dir, config.root)
    return set_aside(config, register, claim_id, strays, now, Hasil.REFUSED, [reasons.stray(where, claim_id)])
