"""The register as a whole, kept up from outside the register package: rebuilt from its log in
the archive (``rebuild-register``) and moved to PostgreSQL (``migrate-register``).

Both hold the workspace lock; neither deletes a register file, each sets it
aside under a name with the time (docs/architecture.md, "Several hosts, one book").
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline import workspace
from pipeline.clock import Clock
from pipeline.config import edit as config_edit
from pipeline.config import register_url
from pipeline.errors import PipelineError, RegisterError
from pipeline.register import RegisterLog, open_register
from pipeline.register.replay import replay

if TYPE_CHECKING:
    from pipeline.config import Config


@dataclass(frozen=True)
class Rebuilt:
    """What ``rebuild_register`` did: the rebuilt register's counts (``catatan``: records replayed,
    ``masuk``, ``keluar``, ``kasus``) and where the old register file went (None: there was none)."""

    counts: dict[str, int]
    aside: Path | None


@dataclass(frozen=True)
class Migrated:
    """What ``migrate_register`` copied (transactions in the chain, agenda entries) and where the
    SQLite file went."""

    records: int
    entries: int
    aside: Path | None


def rebuild_register(config: Config, clock: Clock) -> Rebuilt:
    """``pipeline rebuild-register``: the register again, from its log in the archive.

    Built in a new file beside it and put in place only when the whole log
    replayed; a register file already there is kept aside, never deleted.
    """
    if config.shared:
        raise PipelineError(
            "Register ruang kerja ini ada di PostgreSQL (register.url). Pulihkan basis datanya "
            "dari cadangan (pg_dump/pg_restore), lalu jalankan \u201cpipeline verify\u201d: "
            "register dibandingkan dengan catatannya di arsip."
        )
    workspace.ensure_folders(config)
    with workspace.Lock(config):
        log = RegisterLog(config.archive)
        _refuse_newer_register(config, log)
        if not log.last():
            raise PipelineError(
                "Arsip tidak memuat catatan register (archive/catatan-register), sehingga register "
                "tidak dapat dibangun ulang. Pulihkan register.sqlite3 dari cadangan."
            )
        temp = config.archive / f".register-baru-{uuid.uuid4().hex[:8]}.sqlite3"
        rebuilt, problems = replay(log, temp)
        counts = {**rebuilt.counts(), "catatan": rebuilt.chain_head()[0]}
        rebuilt.close()
        if problems:
            temp.unlink(missing_ok=True)
            raise PipelineError(
                "Catatan register di arsip tidak utuh, register tidak dibangun ulang: " + " ".join(problems)
            )
        aside = workspace.set_register_aside(config, f"register.sqlite3.lama-{clock.now():%Y%m%d-%H%M%S}")
        temp.replace(config.register_path)
        return Rebuilt(counts, aside)


def _refuse_newer_register(config: Config, log: RegisterLog) -> None:
    """A register holding more than its log is worth more than a rebuild: keep it."""
    try:
        with open_register(config, writer=True) as existing:  # also puts staged log records in place
            head = existing.chain_head()[0]
    except RegisterError:
        return  # missing, empty, older than the log or unreadable: what a rebuild is for
    if head > log.last():
        raise PipelineError(
            f"Register memuat catatan sampai nomor {head}, lebih banyak daripada catatannya di arsip (sampai "
            f"nomor {log.last()}). Register tidak dibangun ulang agar catatan yang lebih baru tidak hilang; "
            "periksa apakah folder archive/catatan-register dipulihkan dari salinan lama."
        )


def migrate_register(config: Config, url: str, clock: Clock) -> Migrated:
    """``pipeline migrate-register --to URL``: copy the SQLite register into the empty PostgreSQL
    database at ``url`` and prove the copy (``register/transfer.py``), then write ``register.url``
    into config.yaml and set the SQLite file aside. Nothing is changed when the proof fails."""
    from pipeline.register import transfer

    if config.shared:
        raise PipelineError("Ruang kerja ini sudah memakai register PostgreSQL (register.url di config.yaml).")
    url = register_url(url)
    with workspace.Lock(config):
        transfer.refuse_unfinished(config)
        with open_register(config) as source:
            target = transfer.open_target(url)
            try:
                transfer.copy(source, target)
                problems = transfer.prove(source, target, RegisterLog(config.archive))
                records, entries = transfer.counts(target)
            finally:
                target.close()
        if problems:
            raise PipelineError(
                "Salinan register di PostgreSQL tidak sama dengan aslinya; config.yaml tidak "
                "diubah dan register SQLite tetap dipakai. " + " ".join(problems)
            )
        config_edit.set_register_url(config.path, url)
        aside = workspace.set_register_aside(config, f"register.sqlite3.sebelum-postgresql-{clock.now():%Y%m%d-%H%M%S}")
    return Migrated(records, entries, aside)
