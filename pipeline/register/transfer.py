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

from ..errors import RegisterError
from .postgres import PostgresRegister
from .replay import differences, replay
from .sqlite import TABLES

COPIED = (*TABLES, "rantai")


def copy(source, target):
    """Copy every logged table (and the chain) of ``source`` into the empty ``target``."""
    with target.transaction(logged=False):
        if any(target.table_rows(table) for table in COPIED):
            raise RegisterError("Register PostgreSQL tujuan sudah berisi data. Pakai basis data yang baru dan "
                                "kosong agar nomor tidak bercampur.")
        for table in COPIED:
            rows = source.table_rows(table)
            if not rows:
                continue
            names = list(rows[0])
            statement = (f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('%s' for _ in names)})")
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


def switch(config, url):
    """Write ``register.url`` into config.yaml (its ``register:`` block, or a new one) and set
    the SQLite file aside; returns where it went."""
    text = config.path.read_text(encoding="utf-8")
    line = f"  url: {url}"
    if re.search(r"^register:\s*$", text, re.MULTILINE):
        text, found = re.subn(r"^(register:\s*\n(?:[ \t]+#.*\n|[ \t]*\n)*)[ \t]+url:[^\n]*", rf"\g<1>{line}",
                              text, count=1, flags=re.MULTILINE)
        if not found:
            text = re.sub(r"^register:\s*$", f"register:\n{line}", text, count=1, flags=re.MULTILINE)
    else:
        text = text.rstrip("\n") + f"\n\n# Register bersama di PostgreSQL (pipeline migrate-register).\nregister:\n{line}\n"
    temp = config.path.with_name(f".{config.path.name}.tmp")
    temp.write_text(text, encoding="utf-8")
    temp.replace(config.path)
    aside = config.register_path.with_name(
        f"register.sqlite3.sebelum-postgresql-{dt.datetime.now():%Y%m%d-%H%M%S}")
    config.register_path.rename(aside)
    return aside


def open_target(url):
    return PostgresRegister(url)
