"""The SQLite register: journal, agenda books, cases, steps and events.

This is the office's official mail book and the source of truth. Every
event is one transaction; numbers are allocated inside the transaction that
writes their row, so they are gapless and never given twice. The schema is
versioned with ``PRAGMA user_version`` and migrated forward on open. All SQL
lives here, so another backend can replace this module.
"""

import json
import sqlite3
import time
from contextlib import contextmanager

from .errors import RegisterError

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

_JSON_COLUMNS = ("alasan", "berkas", "sha256", "dokumen", "rincian", "data", "temuan")


def _row(cursor, values):
    row = {}
    for (name, *_), value in zip(cursor.description, values):
        if name in _JSON_COLUMNS and isinstance(value, str) and value[:1] in "[{":
            value = json.loads(value)
        row[name] = value
    return row


class Register:
    """A connection to one workspace's register."""

    def __init__(self, path):
        self.path = path
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
        for number, script in enumerate(MIGRATIONS, start=1):
            if self.version >= number:
                continue
            with self.transaction():
                if self.version >= number:
                    continue
                for statement in script.split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {number}")

    @property
    def version(self):
        return self.db.execute("PRAGMA user_version").fetchone()["user_version"]

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
            self.db.execute("COMMIT")
        except sqlite3.Error as exc:
            self._rollback()
            raise RegisterError(f"Register tidak dapat ditulis (disk penuh atau berkas terkunci?): {exc}.") from None
        except BaseException:
            self._rollback()
            raise

    def _rollback(self):
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")

    # -- writes (call inside transaction()) -------------------------------

    def next_number(self, buku, tahun):
        """The next gapless number of a book and year; call inside the row's transaction."""
        row = self.db.execute(
            "SELECT COALESCE(MAX(nomor_urut), 0) + 1 AS n FROM agenda WHERE buku = ? AND tahun = ?",
            (buku, tahun),
        ).fetchone()
        return row["n"]

    def insert(self, table, **values):
        """Insert one row; dict and list values are stored as JSON."""
        for key, value in values.items():
            if isinstance(value, (dict, list)):
                values[key] = json.dumps(value, ensure_ascii=False, sort_keys=True)
        names = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        cursor = self.db.execute(
            f"INSERT INTO {table} ({names}) VALUES ({marks})", tuple(values.values())
        )
        return cursor.lastrowid

    def journal_add(self, claim, inbound, stamp, hasil, jenis="", kasus="", alasan=(), lokasi=""):
        """Record what became of one claimed file; return the row as written."""
        row = dict(berkas=inbound.name, sha256=inbound.sha256, ukuran=inbound.size, diterima=stamp,
                   hasil=hasil, jenis=jenis, kasus=kasus, alasan=list(alasan), lokasi=lokasi, klaim=claim)
        self.insert("journal", **row)
        return row

    def update(self, table, where, **values):
        """UPDATE ``table`` SET values WHERE every ``where`` column equals its value."""
        for key, value in values.items():
            if isinstance(value, (dict, list)):
                values[key] = json.dumps(value, ensure_ascii=False, sort_keys=True)
        assignments = ", ".join(f"{key} = ?" for key in values)
        conditions = " AND ".join(f"{key} = ?" for key in where)
        self.db.execute(f"UPDATE {table} SET {assignments} WHERE {conditions}",
                        (*values.values(), *where.values()))

    def update_step(self, kasus, no, **values):
        self.update("steps", {"kasus": kasus, "no": no}, **values)

    # -- reads -------------------------------------------------------------

    def query(self, sql, *params):
        return self.db.execute(sql, params).fetchall()

    def accepted(self, sha256):
        """The journal row that accepted a file with this content, if any."""
        rows = self.query(
            "SELECT * FROM journal WHERE sha256 = ? AND hasil = 'diterima' ORDER BY id LIMIT 1",
            sha256,
        )
        return rows[0] if rows else None

    def claimed(self, claim):
        """Journal rows already written for a claim (a crash may have come after them)."""
        return self.query("SELECT * FROM journal WHERE klaim = ? ORDER BY id", claim)

    def memo_known(self, nomor_surat, dari):
        rows = self.query(
            "SELECT * FROM agenda WHERE buku = 'masuk' AND nomor_surat = ? AND dari = ?",
            nomor_surat,
            dari,
        )
        return rows[0] if rows else None

    def journal(self):
        return self.query("SELECT * FROM journal ORDER BY id")

    def agenda(self, buku=None, tahun=None):
        sql = "SELECT * FROM agenda WHERE 1 = 1"
        params = []
        if buku:
            sql += " AND buku = ?"
            params.append(buku)
        if tahun:
            sql += " AND tahun = ?"
            params.append(tahun)
        return self.query(sql + " ORDER BY buku DESC, tahun, nomor_urut", *params)

    def cases(self, ident=None):
        if ident:
            return self.query(
                "SELECT * FROM cases WHERE id = ? OR rujukan = ? ORDER BY id", ident, ident
            )
        return self.query("SELECT * FROM cases ORDER BY id")

    def steps(self, kasus):
        return self.query("SELECT * FROM steps WHERE kasus = ? ORDER BY no", kasus)

    def folders(self):
        """Archive folders the register knows, relative to the workspace."""
        rows = self.query("SELECT folder FROM agenda UNION SELECT folder FROM inputs "
                          "UNION SELECT folder FROM documents")
        return {row["folder"] for row in rows}

    def inputs(self, kasus=None, status=None, rujukan=None):
        sql, params = "SELECT * FROM inputs WHERE 1 = 1", []
        for column, value in (("kasus", kasus), ("status", status), ("rujukan", rujukan)):
            if value is not None:
                sql += f" AND {column} = ?"
                params.append(value)
        return self.query(sql + " ORDER BY id", *params)

    def documents(self, kasus=None):
        if kasus is None:
            return self.query("SELECT * FROM documents ORDER BY id")
        return self.query("SELECT * FROM documents WHERE kasus = ? ORDER BY id", kasus)

    def next_version(self, kasus, jenis):
        row = self.db.execute("SELECT COALESCE(MAX(versi), 0) + 1 AS v FROM documents "
                              "WHERE kasus = ? AND jenis = ?", (kasus, jenis)).fetchone()
        return row["v"]

    def memo(self, kasus):
        rows = self.query("SELECT * FROM agenda WHERE buku = 'masuk' AND kasus = ?", kasus)
        return rows[0] if rows else None
