"""The embedded SQLite register: one file beside the archive, one host.

This is the office's official mail book and the source of truth. Every
event is one transaction (``BEGIN IMMEDIATE``); the schema is versioned with
``PRAGMA user_version`` and migrated forward on open, each migration in its
own transaction.
"""

import sqlite3
import time
from contextlib import contextmanager

from ..errors import RegisterError
from .schema import MIGRATIONS, sqlite_functions
from .sql import SqlRegister

_SQLITE_REASONS = (("disk is full", "disk penuh"), ("locked", "register sedang dipakai proses lain"),
                   ("UNIQUE constraint", "data ganda: nomor atau catatan yang sama sudah ada"),
                   ("not a database", "berkas register rusak atau bukan register"),
                   ("disk I/O", "kesalahan baca-tulis disk"), ("readonly", "register hanya dapat dibaca"),
                   ("unable to open", "berkas register tidak dapat dibuka"),
                   ("malformed", "berkas register rusak"), ("CHECK constraint", "nilai di luar yang diizinkan"))


def sqlite_reason(exc):
    """An SQLite error in Indonesian (the English original stays in the log)."""
    text = str(exc)
    return next((reason for key, reason in _SQLITE_REASONS if key in text), "galat register")


def _row(cursor, values):
    return {name: value for (name, *_), value in zip(cursor.description, values)}


class SQLiteRegister(SqlRegister):
    """A connection to one workspace's SQLite register."""

    def __init__(self, path, step_table=None):
        """``step_table``: (number, key, handler) of the workspace's steps, to migrate release 0.1."""
        self.path = path
        self.step_table = tuple(step_table or ())
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(str(path), isolation_level=None, timeout=30)
            self.db.row_factory = _row
            sqlite_functions(self.db)
            self._wal()
            self.db.execute("PRAGMA synchronous=FULL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.Error as exc:
            raise RegisterError(f"Register {path} tidak dapat dibuka: {sqlite_reason(exc)}.") from None

    def _wal(self, attempts=100):
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

    def close(self):
        self.db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _migrate(self):
        """Apply pending migrations, each in its own transaction.

        The version is read again inside the transaction: another process
        (a ``status`` beside a first ``run``) may have migrated meanwhile.
        """
        for number, migration in enumerate(MIGRATIONS, start=1):
            if self.version >= number:
                continue
            with self.transaction():
                if self.version >= number:
                    continue
                if callable(migration):
                    migration(self.db, self.step_table)
                else:
                    for statement in migration.split(";"):
                        if statement.strip():
                            self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {number}")

    @property
    def version(self):
        return self.db.execute("PRAGMA user_version").fetchone()["user_version"]

    def _execute(self, sql, params=()):
        try:
            return self.db.execute(sql, params)
        except sqlite3.Error as exc:
            raise RegisterError(f"Register tidak dapat dibaca atau ditulis: {sqlite_reason(exc)}.") from None

    def _in_transaction(self):
        return self.db.in_transaction

    @contextmanager
    def transaction(self):
        """One event, one transaction: BEGIN IMMEDIATE ... COMMIT, or ROLLBACK.

        SQLite failures (a full disk, a locked file) become RegisterError, so
        the caller keeps the input and retries later.
        """
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise RegisterError(f"Register tidak dapat ditulis: {sqlite_reason(exc)}.") from None
        try:
            yield self
            self._commit()
        except sqlite3.Error as exc:
            self._rollback()
            raise RegisterError(f"Register tidak dapat ditulis: {sqlite_reason(exc)}.") from None
        except BaseException:
            self._rollback()
            raise

    def _commit(self):
        self.db.execute("COMMIT")

    def _rollback(self):
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")
