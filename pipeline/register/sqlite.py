"""The embedded SQLite register: one file beside the archive, one host.

This is the office's official mail book and the source of truth. Every
event is one transaction (``BEGIN IMMEDIATE``); the schema is versioned with
``PRAGMA user_version`` and migrated forward on open, each migration in its
own transaction.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.clock import Clock
from pipeline.errors import RegisterError
from pipeline.register.schema import SQLITE_MIGRATIONS, sqlite_functions
from pipeline.register.sql import SqlRegister

if TYPE_CHECKING:
    from pipeline.register.log import RegisterLog

_SQLITE_REASONS = (
    ("disk is full", "disk penuh"),
    ("locked", "register sedang dipakai proses lain"),
    ("UNIQUE constraint", "data ganda: nomor atau catatan yang sama sudah ada"),
    ("not a database", "berkas register rusak atau bukan register"),
    ("disk I/O", "kesalahan baca-tulis disk"),
    ("readonly", "register hanya dapat dibaca"),
    ("unable to open", "berkas register tidak dapat dibuka"),
    ("malformed", "berkas register rusak"),
    ("CHECK constraint", "nilai di luar yang diizinkan"),
)


def sqlite_reason(exc: Exception) -> str:
    """An SQLite error in Indonesian (the English original stays in the log)."""
    text = str(exc)
    return next((reason for key, reason in _SQLITE_REASONS if key in text), "galat register")


def _row(cursor: sqlite3.Cursor, values: tuple[Any, ...]) -> dict[str, Any]:
    return dict(zip(_names(cursor.description), values))


@functools.lru_cache(maxsize=256)
def _names(description: tuple[tuple[Any, ...], ...]) -> tuple[str, ...]:
    """A query's column names, worked out once per query shape, not once per row."""
    return tuple(column[0] for column in description)


class SQLiteRegister(SqlRegister):
    """A connection to one workspace's SQLite register.

    With a ``log`` (a RegisterLog) every committed transaction is also written
    to the archive; without one (replays, tests of the intents) it is not.
    """

    def __init__(
        self,
        path: Path | str,
        step_table: Sequence[tuple[int, str, str | None]] | None = None,
        log: RegisterLog | None = None,
        upto: int | None = None,
        clock: Clock | None = None,
    ) -> None:
        """``step_table``: (number, key, handler) of the workspace's steps, to migrate release 0.1;
        ``upto``: migrate no further than this schema version (a replay of an older log);
        ``clock``: when transactions are sealed (UTC by default)."""
        self.path = path
        self.step_table = tuple(step_table or ())
        self.log = log
        self.clock = clock or Clock(dt.UTC)
        try:
            if str(path) != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(str(path), isolation_level=None, timeout=30)
            if str(path) != ":memory:":
                info = os.stat(path)
                self._opened_as = (info.st_dev, info.st_ino)
            self.db.row_factory = _row
            sqlite_functions(self.db)
            self._wal()
            self.db.execute("PRAGMA synchronous=FULL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.execute("PRAGMA cache_size=-32768")  # 32 MB of pages: a 100,000-entry book stays warm
            self.migrate(upto)
        except sqlite3.Error as exc:
            raise RegisterError(f"Register {path} tidak dapat dibuka: {sqlite_reason(exc)}.") from None

    def _wal(self, attempts: int = 100) -> None:
        """Switch to WAL. SQLite answers "locked" at once (no busy wait) while another
        connection is creating the same new file, so wait and try again."""
        for attempt in range(attempts):
            try:
                self.db.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or attempt == attempts - 1:
                    raise
                time.sleep(0.05)

    def close(self) -> None:
        self.db.close()

    _errors = (sqlite3.Error,)

    def _reason(self, exc: Exception) -> str:
        return sqlite_reason(exc)

    def migrate(self, upto: int | None = None) -> None:
        """Apply pending migrations (up to ``upto``), each in its own transaction.

        The version is read again inside the transaction: another process
        (a ``status`` beside a first ``run``) may have migrated meanwhile.
        """
        for number, migration in enumerate(SQLITE_MIGRATIONS[:upto], start=1):
            if self.version >= number:
                continue
            with self.transaction(logged=False):
                if self.version >= number:
                    continue
                for statement in migration:
                    if callable(statement):
                        statement(self.db, self.step_table)
                    else:
                        self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {number}")

    @property
    def version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()["user_version"]

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        try:
            return self.db.execute(sql, params)
        except sqlite3.Error as exc:
            raise RegisterError(f"Register tidak dapat dibaca atau ditulis: {sqlite_reason(exc)}.") from None

    def _execute_plain(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        cursor = self.db.cursor()
        cursor.row_factory = None
        try:
            return cursor.execute(sql, params)
        except sqlite3.Error as exc:
            raise RegisterError(f"Register tidak dapat dibaca atau ditulis: {sqlite_reason(exc)}.") from None

    def _in_transaction(self) -> bool:
        return self.db.in_transaction

    def _begin(self) -> None:
        """BEGIN IMMEDIATE: the write lock at once, so writers queue instead of failing later."""
        if self.db.in_transaction:
            raise RuntimeError("register transactions do not nest")
        self.db.execute("BEGIN IMMEDIATE")

    @contextmanager
    def reading(self) -> Iterator[SQLiteRegister]:
        """One consistent view for many reads (a read transaction), whatever commits meanwhile."""
        self.db.execute("BEGIN")
        try:
            yield self
        finally:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")

    def _insert_chain(self, record: dict[str, Any], previous: str) -> None:
        self.db.execute(
            "INSERT INTO rantai (urut, waktu, hash, sebelumnya) VALUES (?, ?, ?, ?)",
            (record["urut"], record["waktu"], record["hash"], previous),
        )

    def _commit(self) -> None:
        self.db.execute("COMMIT")

    def _rollback_db(self) -> None:
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")

    def _baseline(self) -> None:
        """A register that held records before it kept a log (release 0.1) starts its log with
        all of them; never when the archive already has a log (that register is an old copy)."""
        if self._log().last():
            return
        with self.transaction(logged=False):
            if self.chain_head()[0] or not any(
                self.db.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchall() for t in TABLES
            ):
                return
            staged = self._seal(snapshot(self.db))
        if staged is not None:
            self._publish(*staged)

    def check_present(self) -> None:
        """Raise RegisterError when the register file was deleted or replaced under this process."""
        if str(self.path) == ":memory:":
            return
        try:
            now = os.stat(self.path)
        except OSError:
            now = None
        if now is None or (now.st_dev, now.st_ino) != self._opened_as:
            raise RegisterError(
                f"Register {self.path} dihapus atau diganti saat pipeline berjalan; pipeline berhenti agar "
                "tidak ada catatan yang hilang. Pulihkan register (lihat \u201cpipeline rebuild-register\u201d), "
                "lalu jalankan lagi."
            )


# Tables the log carries, in an order that keeps references valid.
TABLES = ("cases", "journal", "agenda", "steps", "inputs", "documents", "events", "counters", "kode", "pdf")


def snapshot(db: sqlite3.Connection) -> list[tuple[str, tuple[Any, ...]]]:
    """Every row of every logged table, as the statements that would write it again."""
    changes = []
    for table in TABLES:
        for row in db.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall():
            names = ", ".join(row)
            marks = ", ".join("?" for _ in row)
            changes.append((f"INSERT INTO {table} ({names}) VALUES ({marks})", tuple(row.values())))
    return changes
