"""Replay the archive's log of the register: to rebuild it, or to check it.

The log holds every statement every committed transaction ran. Running
them again, in order, on an empty register gives the register back; any
row that differs between that and the live register was changed outside
the pipeline (docs/architecture.md, "The register's log").
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.errors import RegisterError
from pipeline.register.log import GENESIS, record_hash
from pipeline.register.sqlite import TABLES, SQLiteRegister

if TYPE_CHECKING:
    from pipeline.register.core import SqlCore
    from pipeline.register.log import RegisterLog

LOG_SINCE = 5  # the schema version at which registers began to keep their log


def replay(
    log: RegisterLog, target: Path | str = ":memory:", upto: int | None = None
) -> tuple[SQLiteRegister, list[str]]:
    """A register rebuilt from ``log`` (up to record ``upto``); returns (register, problems).

    A record that is damaged, out of its chain or that cannot be applied is
    reported and left out; the statements may only write the register's own
    tables (an authorizer refuses anything else a forged record might try).
    """
    rebuilt = SQLiteRegister(target, upto=LOG_SINCE)
    problems: list[str] = []
    previous, expected = GENESIS, 1
    for path, record in log.records():
        if upto is not None and record is not None and record.get("urut", 0) > upto:
            break
        problem = _check(path, record, expected, previous)
        if problem:
            problems.append(problem)
            continue
        assert record is not None  # _check reports a record that cannot be read
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


_WRITES = {
    sqlite3.SQLITE_INSERT,
    sqlite3.SQLITE_UPDATE,
    sqlite3.SQLITE_DELETE,
    sqlite3.SQLITE_READ,
    sqlite3.SQLITE_SELECT,
    sqlite3.SQLITE_FUNCTION,
}
_TABLES = set(TABLES) | {"rantai"}


def _only_the_register(
    action: int, first: str | None, second: str | None, database: str | None, _trigger: str | None
) -> int:
    """Statements from the log may read and write the register's own tables, nothing more."""
    if action not in _WRITES:
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_FUNCTION:
        return sqlite3.SQLITE_OK if second in ("kunci_surat", "coalesce", "max") else sqlite3.SQLITE_DENY
    if database not in (None, "main") or (first and first not in _TABLES and action != sqlite3.SQLITE_SELECT):
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


def _check(path: Path, record: dict[str, Any] | None, expected: int, previous: str) -> str | None:
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


def _apply(register: SQLiteRegister, record: dict[str, Any]) -> None:
    db = register.db
    try:
        db.execute("BEGIN")
        db.set_authorizer(_only_the_register)
        for sql, params in record["perubahan"]:
            db.execute(sql, params)
        db.execute(
            "INSERT INTO rantai (urut, waktu, hash, sebelumnya) VALUES (?, ?, ?, ?)",
            (record["urut"], record["waktu"], record["hash"], record["sebelumnya"]),
        )
        db.set_authorizer(None)
        db.execute("COMMIT")
    except (sqlite3.Error, TypeError, ValueError):
        db.set_authorizer(None)
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise RegisterError(f"Catatan register nomor {record['urut']} tidak dapat diterapkan ulang.") from None


# The key that names one row of each table, so a row edited in place is told as its changed fields.
KEYS = {
    "cases": ("id",),
    "journal": ("id",),
    "agenda": ("buku", "tahun", "nomor_urut"),
    "steps": ("kasus", "key"),
    "inputs": ("id",),
    "documents": ("id",),
    "events": ("id",),
    "counters": ("buku", "tahun"),
    "kode": ("kode",),
    "rantai": ("urut",),
}
BOOK_NAMES = {"masuk": "buku agenda surat masuk", "keluar": "buku agenda surat keluar"}
RESTORE = (
    "Register diubah di luar pipeline. Periksa siapa yang mengubahnya, lalu pulihkan register dari "
    "catatannya dengan \u201cpipeline rebuild-register\u201d."
)


def differences(live: SqlCore, rebuilt: SqlCore, limit: int = 3) -> list[str]:
    """Rows in which the live register differs from its log, as Indonesian lines: per table, the
    rows by their book and number (or key), each changed field with its logged and its present value."""
    problems = []
    for table in (*TABLES, "rantai"):
        mine, logged = _rows(live, table), _rows(rebuilt, table)
        extra, missing = list((mine - logged).elements()), list((logged - mine).elements())
        if extra or missing:
            told = _told(table, [dict(r) for r in extra], [dict(r) for r in missing])
            shown = "; ".join(told[:limit]) + (f"; dan {len(told) - limit} baris lain" if len(told) > limit else "")
            problems.append(f"Register tabel {table} berbeda dari catatannya di arsip: {shown}. {RESTORE}")
    return problems


def _told(table: str, extra: list[dict[str, Any]], missing: list[dict[str, Any]]) -> list[str]:
    """Each differing row in words: edited (a row of the same key on both sides), added or removed."""
    key = KEYS.get(table, ())
    if not all(name in row for row in extra + missing for name in key):
        key = ()
    logged = {tuple(row[k] for k in key): row for row in missing} if key else {}
    told = []
    for row in sorted(extra, key=repr):
        before = logged.pop(tuple(row[k] for k in key), None) if key else None
        if before is None:
            told.append(f"{_where(table, row, key)} ada di register tetapi tidak tercatat")
            continue
        fields = [
            f"kolom {name} tercatat {_value(before[name])}, sekarang {_value(row.get(name))}"
            for name in sorted(before)
            if before[name] != row.get(name)
        ]
        told.append(f"{_where(table, row, key)}: " + ", ".join(fields))
    for row in sorted(logged.values() if key else missing, key=repr):
        told.append(f"{_where(table, row, key)} tercatat tetapi tidak ada lagi di register")
    return told


def _where(table: str, row: dict[str, Any], key: tuple[str, ...]) -> str:
    """Which row: an agenda entry by its book and nomor agenda or nomor surat, else by its key."""
    if table == "agenda" and row.get("buku") in BOOK_NAMES:
        if row["buku"] == "masuk" and row.get("nomor_agenda"):
            return f"{BOOK_NAMES['masuk']} nomor agenda {row['nomor_agenda']}"
        return f"{BOOK_NAMES[row['buku']]} nomor surat {row.get('nomor_surat')}"
    shown = key or tuple(sorted(row))[:4]
    return "baris " + ", ".join(f"{name} {_value(row.get(name))}" for name in shown)


def _value(value: object, limit: int = 80) -> str:
    """A value as staff read it in a message: text quoted (shortened), empty as kosong."""
    if value is None:
        return "kosong"
    if isinstance(value, str):
        shown = value if len(value) <= limit else value[: limit - 1] + "\u2026"
        return f"\u201c{shown}\u201d"
    return str(value)


def _rows(register: SqlCore, table: str) -> Counter[tuple[tuple[str, Any], ...]]:
    """The table's rows as a multiset, each row by its columns' names (a backend may order the
    columns otherwise)."""
    return Counter(tuple(sorted(row.items())) for row in register.table_rows(table))
