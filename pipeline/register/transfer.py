"""``pipeline migrate-register --to URL``: the SQLite register copied into PostgreSQL and the
copy proved before the workspace uses it (docs/architecture.md, "Several hosts, one book").

The copy is one PostgreSQL transaction holding the write lock; the proof is
read back from the target: every table's rows equal the source's, the
numbers of each book and year the same, and the log in the archive replayed
equals the target (the chain verified on it). Only then does the caller
write ``register.url`` into config.yaml (``pipeline.config.edit``; the
register never edits the configuration) and set the SQLite file aside
(``workspace.set_register_aside``: renamed, never deleted).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipeline.errors import RegisterError
from pipeline.register.postgres import PostgresRegister
from pipeline.register.replay import differences, replay
from pipeline.register.sqlite import TABLES

if TYPE_CHECKING:
    from pipeline.config import Config
    from pipeline.register.log import RegisterLog
    from pipeline.register.sql import SqlRegister

COPIED = (*TABLES, "rantai")


def copy(source: SqlRegister, target: PostgresRegister) -> None:
    """Copy every logged table (and the chain) of ``source`` into the empty ``target``."""
    with target.transaction(logged=False):
        if any(target.table_rows(table) for table in COPIED):
            raise RegisterError(
                "Register PostgreSQL tujuan sudah berisi data. Pakai basis data yang baru dan "
                "kosong agar nomor tidak bercampur."
            )
        for table in COPIED:
            rows = source.table_rows(table)
            if not rows:
                continue
            names = list(rows[0])
            statement = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('%s' for _ in names)})"
            with target.db.cursor() as cursor:
                cursor.executemany(statement, [tuple(row[n] for n in names) for row in rows])


def prove(source: SqlRegister, target: SqlRegister, log: RegisterLog) -> list[str]:
    """What differs between the source, the target and the log, as Indonesian lines; none when
    the copy is whole."""
    problems = []
    for table in COPIED:
        mine, theirs = len(source.table_rows(table)), len(target.table_rows(table))
        if mine != theirs:
            problems.append(f"Tabel {table}: {mine} baris di SQLite, {theirs} di PostgreSQL.")
    if source.agenda_numbers() != target.agenda_numbers():
        problems.append("Nomor agenda di PostgreSQL tidak sama dengan di SQLite.")
    if source.chain_head() != target.chain_head():
        problems.append("Ujung rantai catatan register di PostgreSQL tidak sama dengan di SQLite.")
    rebuilt, log_problems = replay(log, upto=target.chain_head()[0])
    try:
        problems += log_problems + differences(target, rebuilt)
    finally:
        rebuilt.close()
    return problems


def counts(register: SqlRegister) -> tuple[int, int]:
    """(transactions in the chain, agenda entries) for the report."""
    return register.chain_head()[0], len(register.table_rows("agenda"))


def refuse_unfinished(config: Config) -> None:
    """Filings a crash left in ``archive/.staging`` are finished by the next run; after the move
    this host stages elsewhere (``.staging/<host>``), so they must be finished first."""
    left = list(config.staging_dir.iterdir()) if config.staging_dir.is_dir() else []
    if left:
        raise RegisterError(
            f"Folder {config.staging_dir} masih berisi pemberkasan yang belum selesai. Jalankan "
            "\u201cpipeline run\u201d sekali (pipeline menyelesaikannya), lalu ulangi migrate-register."
        )


def open_target(url: str) -> PostgresRegister:
    return PostgresRegister(url)
