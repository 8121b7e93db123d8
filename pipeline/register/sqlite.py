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
from .sql import SqlRegister

MIGRATIONS = [
    # 1: journal, cases, agenda books, steps, events
    """
    CREATE TABLE journal (
        id INTEGER PRIMARY KEY,
        berkas TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        ukuran INTEGER NOT NULL,
        diterima TEXT NOT NULL,
        hasil TEXT NOT NULL CHECK (hasil IN
            ('diterima', 'ditolak', 'duplikat', 'diabaikan', 'menunggu')),
        jenis TEXT NOT NULL DEFAULT '',
        kasus TEXT NOT NULL DEFAULT '',
        alasan TEXT NOT NULL DEFAULT '[]',
        lokasi TEXT NOT NULL DEFAULT '',
        klaim TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX journal_sha256 ON journal (sha256);
    CREATE INDEX journal_klaim ON journal (klaim);
    CREATE TABLE cases (
        id TEXT PRIMARY KEY,
        rujukan TEXT NOT NULL,
        unit TEXT NOT NULL,
        dibuka TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'berjalan'
    );
    CREATE INDEX cases_rujukan ON cases (rujukan);
    CREATE TABLE agenda (
        buku TEXT NOT NULL CHECK (buku IN ('masuk', 'keluar')),
        tahun INTEGER NOT NULL,
        nomor_urut INTEGER NOT NULL CHECK (nomor_urut > 0),
        nomor_agenda TEXT,
        nomor_surat TEXT NOT NULL,
        tanggal_surat TEXT NOT NULL,
        diterima TEXT,
        dikirim TEXT,
        dari TEXT NOT NULL DEFAULT '',
        kepada TEXT NOT NULL DEFAULT '',
        hal TEXT NOT NULL,
        sifat TEXT NOT NULL DEFAULT 'Biasa',
        lampiran TEXT NOT NULL DEFAULT '',
        tembusan TEXT NOT NULL DEFAULT '',
        kasus TEXT NOT NULL DEFAULT '',
        folder TEXT NOT NULL DEFAULT '',
        berkas TEXT NOT NULL DEFAULT '{}',
        sha256 TEXT NOT NULL DEFAULT '{}',
        batal INTEGER NOT NULL DEFAULT 0,
        keterangan TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (buku, tahun, nomor_urut)
    );
    CREATE UNIQUE INDEX agenda_nomor_agenda ON agenda (nomor_agenda)
        WHERE nomor_agenda IS NOT NULL;
    CREATE TABLE steps (
        kasus TEXT NOT NULL REFERENCES cases (id),
        no INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('menunggu', 'berjalan', 'selesai')),
        mulai TEXT,
        selesai TEXT,
        oleh TEXT NOT NULL DEFAULT '',
        dokumen TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (kasus, no)
    );
    CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        waktu TEXT NOT NULL,
        kasus TEXT NOT NULL DEFAULT '',
        oleh TEXT NOT NULL,
        aksi TEXT NOT NULL,
        rincian TEXT NOT NULL DEFAULT '{}'
    );
    """,
    # 2: kept inputs (registration data, actions), case documents, step findings
    """
    CREATE TABLE inputs (
        id INTEGER PRIMARY KEY,
        jenis TEXT NOT NULL CHECK (jenis IN ('registrasi', 'tindakan')),
        langkah TEXT NOT NULL,
        rujukan TEXT NOT NULL,
        kasus TEXT NOT NULL DEFAULT '',
        diterima TEXT NOT NULL,
        data TEXT NOT NULL DEFAULT '{}',
        folder TEXT NOT NULL DEFAULT '',
        berkas TEXT NOT NULL DEFAULT '{}',
        sha256 TEXT NOT NULL DEFAULT '{}',
        status TEXT NOT NULL DEFAULT 'menunggu'
            CHECK (status IN ('menunggu', 'diterapkan', 'digantikan')),
        diterapkan TEXT,
        klaim TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX inputs_kasus ON inputs (kasus, status);
    CREATE TABLE documents (
        id INTEGER PRIMARY KEY,
        kasus TEXT NOT NULL,
        langkah INTEGER NOT NULL,
        jenis TEXT NOT NULL,
        versi INTEGER NOT NULL,
        dibuat TEXT NOT NULL,
        folder TEXT NOT NULL,
        berkas TEXT NOT NULL DEFAULT '{}',
        sha256 TEXT NOT NULL DEFAULT '{}',
        UNIQUE (kasus, jenis, versi)
    );
    ALTER TABLE steps ADD COLUMN catatan TEXT NOT NULL DEFAULT '';
    ALTER TABLE steps ADD COLUMN temuan TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE steps ADD COLUMN masukan INTEGER
    """,
]


def _keyed_steps_and_counters(db, step_keys):
    """3: step records matched by key, not position; a counter row per (book, year).

    Release 0.1 stored a step by its position in the table; the position is
    read with the step table the workspace has now, which is the table that
    release read it with.
    """
    db.execute("CREATE TEMP TABLE step_keys (no INTEGER PRIMARY KEY, key TEXT NOT NULL)")
    db.executemany("INSERT INTO step_keys VALUES (?, ?)", sorted(step_keys.items()))
    for statement in _MIGRATION_3.split(";"):
        if statement.strip():
            db.execute(statement)
    db.execute("DROP TABLE temp.step_keys")


_MIGRATION_3 = """
    CREATE TABLE counters (
        buku TEXT NOT NULL CHECK (buku IN ('masuk', 'keluar')),
        tahun INTEGER NOT NULL,
        terakhir INTEGER NOT NULL CHECK (terakhir > 0),
        PRIMARY KEY (buku, tahun)
    );
    INSERT INTO counters (buku, tahun, terakhir)
        SELECT buku, tahun, MAX(nomor_urut) FROM agenda GROUP BY buku, tahun;
    CREATE TABLE steps_by_key (
        kasus TEXT NOT NULL REFERENCES cases (id),
        key TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('menunggu', 'berjalan', 'selesai')),
        mulai TEXT,
        selesai TEXT,
        oleh TEXT NOT NULL DEFAULT '',
        dokumen TEXT NOT NULL DEFAULT '[]',
        catatan TEXT NOT NULL DEFAULT '',
        temuan TEXT NOT NULL DEFAULT '[]',
        masukan INTEGER,
        PRIMARY KEY (kasus, key)
    );
    INSERT INTO steps_by_key
        SELECT s.kasus, COALESCE(k.key, 'langkah_' || s.no), s.status, s.mulai, s.selesai, s.oleh,
               s.dokumen, s.catatan, s.temuan, s.masukan
        FROM steps s LEFT JOIN temp.step_keys k ON k.no = s.no;
    DROP TABLE steps;
    ALTER TABLE steps_by_key RENAME TO steps;
    CREATE INDEX cases_status ON cases (status);
    CREATE INDEX agenda_kasus ON agenda (kasus, buku);
    CREATE INDEX agenda_memo ON agenda (nomor_surat, dari)
"""
MIGRATIONS.append(_keyed_steps_and_counters)


def _row(cursor, values):
    return {name: value for (name, *_), value in zip(cursor.description, values)}


class SQLiteRegister(SqlRegister):
    """A connection to one workspace's SQLite register."""

    def __init__(self, path, step_keys=None):
        self.path = path
        self.step_keys = dict(step_keys or {})
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(str(path), isolation_level=None, timeout=30)
            self.db.row_factory = _row
            self._wal()
            self.db.execute("PRAGMA synchronous=FULL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.Error as exc:
            raise RegisterError(f"Register {path} tidak dapat dibuka: {exc}.") from None

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
                    migration(self.db, self.step_keys)
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
            raise RegisterError(f"Register tidak dapat dibaca atau ditulis: {exc}.") from None

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
            raise RegisterError(f"Register tidak dapat ditulis (disk penuh atau berkas terkunci?): {exc}.") from None
        try:
            yield self
            self._commit()
        except sqlite3.Error as exc:
            self._rollback()
            raise RegisterError(f"Register tidak dapat ditulis (disk penuh atau berkas terkunci?): {exc}.") from None
        except BaseException:
            self._rollback()
            raise

    def _commit(self):
        self.db.execute("COMMIT")

    def _rollback(self):
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")
