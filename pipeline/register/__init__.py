"""The register: the office's agenda books, journal, cases and their steps.

``open_register(config)`` chooses the backend and guards the book: it
refuses a register that is missing, empty or older than the archive's own
log, and one on a network file system; everything else calls the
register's intents and gets records back (docs/architecture.md, "The
register").
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import RegisterError
from pipeline.register.log import RegisterLog
from pipeline.register.records import (
    AgendaEntry,
    Case,
    Code,
    Document,
    Event,
    JournalEntry,
    KeptInput,
    StepRecord,
)
from pipeline.register.schema import MIGRATIONS
from pipeline.register.sqlite import SQLiteRegister

if TYPE_CHECKING:
    from pipeline.clock import Clock
    from pipeline.config import Config
    from pipeline.register.sql import SqlRegister

__all__ = [
    "MIGRATIONS",
    "NETWORK_FS",
    "AgendaEntry",
    "Case",
    "Code",
    "Document",
    "Event",
    "JournalEntry",
    "KeptInput",
    "RegisterLog",
    "SQLiteRegister",
    "StepRecord",
    "filesystem",
    "open_register",
]

# File systems on which SQLite's locking cannot be trusted.
NETWORK_FS = {
    "nfs",
    "nfs4",
    "cifs",
    "smb3",
    "smbfs",
    "fuse.sshfs",
    "9p",
    "afs",
    "ceph",
    "glusterfs",
    "fuse.glusterfs",
    "fuse.s3fs",
    "davfs",
    "fuse.rclone",
}
MOUNTS = Path("/proc/self/mounts")
RESTORE = (
    "Bangun ulang register dari catatannya di arsip dengan \u201cpipeline rebuild-register\u201d "
    "(register yang ada disimpan di sampingnya, tidak dihapus)."
)


def open_register(config: Config, writer: bool = True, clock: Clock | None = None) -> SqlRegister:
    """The workspace's register, migrated to the current schema, after the guards.

    The ``writer`` (the process holding the workspace lock) also finishes
    what a crash left of the register's log; readers never touch it. ``clock``
    times the transactions it seals (UTC by default).
    """
    log = RegisterLog(config.archive, config.staging_dir)
    if config.shared:
        from pipeline.register.postgres import PostgresRegister
        from pipeline.register.url import redacted

        shown = redacted(config.register_url)
        last = log.last()
        shared = PostgresRegister(config.register_url, log, clock)
        if writer:
            try:
                shared.claim_host(config.host)
            except RegisterError:
                shared.close()
                raise
        register: SqlRegister = shared
    else:
        path = config.register_path
        shown = str(path)
        refuse_network(path)
        last = log.last()  # read before the register: a commit meanwhile only makes the register newer
        refuse_missing(config, path, last)
        step_table = [(step.number, step.key, step.handler) for step in config.steps]
        register = SQLiteRegister(path, step_table, log, clock=clock)
    head = register.chain_head()[0]
    if head < last:
        register.close()
        held = f"memuat catatan sampai nomor {head}" if head else "belum memuat catatan apa pun"
        raise RegisterError(
            f"Register {shown} {held}, sedangkan arsip memuat catatan sampai nomor {last} "
            f"(register dari cadangan lama, atau dikosongkan). Pipeline tidak berjalan agar "
            f"tidak ada nomor yang terulang. {RESTORE}"
        )
    if writer:
        register.take_charge()
    return register


def refuse_missing(config: Config, path: Path, last: int) -> None:
    """A missing or empty register while the archive holds records would start the book at 0001 again."""
    if path.exists() and path.stat().st_size > 0:
        return
    filed = last or next(iter(config.archive.glob("*/surat-masuk/*/metadata.json")), None)
    if filed:
        held = f"catatan register sampai nomor {last}" if last else "surat yang sudah diarsipkan"
        raise RegisterError(
            f"Register {path} tidak ada atau kosong, padahal arsip memuat {held}. Pipeline "
            f"tidak berjalan dengan register baru agar nomor agenda tidak terulang. {RESTORE}"
        )


def filesystem(path: Path | str, mounts: Path | None = None) -> str | None:
    """The file system type of the mount that holds ``path``."""
    try:
        text = (mounts or MOUNTS).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    path = Path(path).resolve()
    best, kind = None, None
    for line in text.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = Path(fields[1].replace("\\040", " "))
        if (path == point or point in path.parents) and (best is None or len(point.parts) > len(best.parts)):
            best, kind = point, fields[2]
    return kind


def refuse_network(path: Path, mounts: Path | None = None) -> None:
    kind = filesystem(path.parent if not path.exists() else path, mounts)
    if kind in NETWORK_FS:
        raise RegisterError(
            f"Register {path} berada di folder jaringan ({kind}); penguncian SQLite tidak aman di sana dan "
            "nomor dapat terulang. Letakkan folder archive di disk server pipeline sendiri (README, bagian "
            "\u201cPemasangan di server berkas kantor\u201d)."
        )
