"""Replay the archive's log of the register: to rebuild it, or to check it.

The log holds every statement every committed transaction ran. Running
them again, in order, on an empty register gives the register back; any
row that differs between that and the live register was changed outside
the pipeline (docs/architecture.md, "The register's log").
"""

import sqlite3
from collections import Counter

from ..errors import RegisterError
from .log import GENESIS, record_hash
from .sqlite import TABLES, SQLiteRegister

LOG_SINCE = 5  # the schema version at which registers began to keep their log


def replay(log, target=":memory:", upto=None):
    """A register rebuilt from ``log`` (up to record ``upto``); returns (register, problems).

    A record that is damaged, out of its chain or that cannot be applied is
    reported and left out; the statements may only write the register's own
    tables (an authorizer refuses anything else a forged record might try).
    """
    rebuilt = SQLiteRegister(target, upto=LOG_SINCE)
    problems, previous, expected = [], GENESIS, 1
    for path, record in log.records():
        if upto is not None and record is not None and record.get("urut", 0) > upto:
            break
        problem = _check(path, record, expected, previous)
        if problem:
            problems.append(problem)
            continue
        if record["skema"] > rebuilt.version:
            rebuilt.migrate(record["skema"])
        try:
            _apply(rebuilt, record)
        except RegisterError as exc:
            problems.append(str(exc))
            continue
        previous, expected = record["hash"], record["urut"] + 1
    rebuilt.migrate()
    return rebuilt, problems


_WRITES = {sqlite3.SQLITE_INSERT, sqlite3.SQLITE_UPDATE, sqlite3.SQLITE_DELETE, sqlite3.SQLITE_READ,
           sqlite3.SQLITE_SELECT, sqlite3.SQLITE_FUNCTION}
_TABLES = set(TABLES) | {"rantai"}


def _only_the_register(action, first, second, database, _trigger):
    """Statements from the log may read and write the register's own tables, nothing more."""
    if action not in _WRITES:
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_FUNCTION:
        return sqlite3.SQLITE_OK if second in ("kunci_surat", "coalesce", "max") else sqlite3.SQLITE_DENY
    if database not in (None, "main") or (first and first not in _TABLES and action != sqlite3.SQLITE_SELECT):
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


def _check(path, record, expected, previous):
    """What is wrong with one record of the log, in Indonesian; None when it is sound."""
    name = f"{path.parent.name}/{path.name}"
    if record is None:
        return f"Catatan register {name} rusak dan tidak dapat dibaca."
    urut = record.get("urut")
    if not isinstance(urut, int) or urut < expected:
        return f"Catatan register {name} ganda atau tidak berurutan (diharapkan nomor {expected})."
    if urut > expected:
        return f"Catatan register nomor {expected} sampai {urut - 1} tidak ada di arsip (berikutnya {name})."
    if record_hash(record) != record.get("hash"):
        return f"Catatan register {name} telah diubah: isinya tidak cocok dengan sidiknya."
    if record.get("sebelumnya") != previous:
        return f"Rantai catatan register terputus di {name}."
    return None


def _apply(register, record):
    db = register.db
    try:
        db.execute("BEGIN")
        db.set_authorizer(_only_the_register)
        for sql, params in record["perubahan"]:
            db.execute(sql, params)
        db.execute("INSERT INTO rantai (urut, waktu, hash, sebelumnya) VALUES (?, ?, ?, ?)",
                   (record["urut"], record["waktu"], record["hash"], record["sebelumnya"]))
        db.set_authorizer(None)
        db.execute("COMMIT")
    except (sqlite3.Error, TypeError, ValueError):
        db.set_authorizer(None)
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise RegisterError(f"Catatan register nomor {record['urut']} tidak dapat diterapkan ulang.") from None


def differences(live, rebuilt, limit=3):
    """Rows in which the live register differs from its log, as Indonesian lines."""
    problems = []
    for table in (*TABLES, "rantai"):
        mine, logged = _rows(live, table), _rows(rebuilt, table)
        extra, missing = list((mine - logged).elements()), list((logged - mine).elements())
        if extra or missing:
            problems.append(
                f"Register tabel {table} berbeda dari catatannya di arsip: {len(extra)} baris tidak tercatat "
                f"atau diubah, {len(missing)} baris tercatat tetapi hilang atau diubah (mis. "
                f"{_sample(extra or missing, limit)}). Register diubah di luar pipeline.")
    return problems


def _rows(register, table):
    """The table's rows as a multiset, each row by its columns' names (a backend may order the
    columns otherwise)."""
    return Counter(tuple(sorted(row.items())) for row in register.table_rows(table))


def _sample(rows, limit):
    return "; ".join(", ".join(f"{k}={v}" for k, v in row[:4]) for row in sorted(rows, key=repr)[:limit])
