"""``pipeline migrate-register --to URL``: the SQLite register copied into PostgreSQL and the
copy proved before the workspace uses it (docs/architecture.md, "Several hosts, one book").

The copy is one PostgreSQL transaction holding the write lock; the proof is
read back from the target: every table's rows equal the source's, the
numbers of each book and year the same, and the log in the archive replayed
equals the target (the chain verified on it). Only then is ``register.url``
written into config.yaml and the SQLite file set aside (renamed, never
deleted).
"""

import datetime as dt
import re

from pipeline.errors import RegisterError
from pipeline.register.postgres import PostgresRegister
from pipeline.register.replay import differences, replay
from pipeline.register.sqlite import TABLES

COPIED = (*TABLES, "rantai")


def copy(source, target):
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


def prove(source, target, log):
    """What differs between the source, the target and the log, as Indonesian lines; none when
    the copy is whole."""
    problems = []
    for table in COPIED:
        mine, theirs = len(source.table_rows(table)), len(target.table_rows(table))
        if mine != theirs:
            problems.append(f"Tabel {table}: {mine} baris di SQLite, {theirs} di PostgreSQL.")
    numbers = "SELECT buku, tahun, nomor_urut FROM agenda ORDER BY buku, tahun, nomor_urut"
    if source._rows(numbers) != target._rows(numbers):
        problems.append("Nomor agenda di PostgreSQL tidak sama dengan di SQLite.")
    if source.chain_head() != target.chain_head():
        problems.append("Ujung rantai catatan register di PostgreSQL tidak sama dengan di SQLite.")
    rebuilt, log_problems = replay(log, upto=target.chain_head()[0])
    try:
        problems += log_problems + differences(target, rebuilt)
    finally:
        rebuilt.close()
    return problems


def counts(register):
    """(transactions in the chain, agenda entries) for the report."""
    return register.chain_head()[0], len(register.table_rows("agenda"))


def refuse_unfinished(config):
    """Filings a crash left in ``archive/.staging`` are finished by the next run; after the move
    this host stages elsewhere (``.staging/<host>``), so they must be finished first."""
    left = [p for p in config.staging_dir.iterdir()] if config.staging_dir.is_dir() else []
    if left:
        raise RegisterError(
            f"Folder {config.staging_dir} masih berisi pemberkasan yang belum selesai. Jalankan "
            "\u201cpipeline run\u201d sekali (pipeline menyelesaikannya), lalu ulangi migrate-register."
        )


def switch(config, url):
    """Write ``register.url`` into config.yaml and set the SQLite file aside; returns where it
    went. The new config.yaml is loaded and checked before it replaces the old one."""
    from pipeline.config import load

    text = _with_url(config.path.read_text(encoding="utf-8"), url)
    temp = config.path.with_name(f".{config.path.name}.baru")
    temp.write_text(text, encoding="utf-8")
    try:
        if load(temp).register_url != url:
            raise RegisterError(
                "config.yaml tidak dapat diubah otomatis untuk register.url. Tulis sendiri "
                f"\u201cregister:\\n  url: {url}\u201d di config.yaml."
            )
        temp.replace(config.path)
    finally:
        temp.unlink(missing_ok=True)
    stamp = f"{dt.datetime.now():%Y%m%d-%H%M%S}"
    aside = config.register_path.with_name(f"register.sqlite3.sebelum-postgresql-{stamp}")
    for suffix in ("", "-wal", "-shm"):
        old = config.register_path.with_name(config.register_path.name + suffix)
        if old.exists():
            old.rename(aside.with_name(aside.name + suffix))
    return aside


def _with_url(text, url):
    """config.yaml's text with ``url`` under ``register:`` (the key replaced where it is, added
    where it is not, the block added where there is none); comments kept."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if re.match(r"^register:\s*(#.*)?$", line)), None)
    if start is None:
        return (
            text.rstrip("\n")
            + f"\n\n# Register bersama di PostgreSQL (pipeline migrate-register).\nregister:\n  url: {url}\n"
        )
    end = next(
        (
            i
            for i in range(start + 1, len(lines))
            if lines[i] and not lines[i][0].isspace() and not lines[i].startswith("#")
        ),
        len(lines),
    )
    for i in range(start + 1, end):
        if re.match(r"^\s+url:", lines[i]):
            lines[i] = f"  url: {url}"
            break
    else:
        lines.insert(start + 1, f"  url: {url}")
    return "\n".join(lines) + "\n"


def open_target(url):
    return PostgresRegister(url)
