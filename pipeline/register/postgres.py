"""The register on PostgreSQL, for several intake hosts numbering in one book
(docs/architecture.md, "Several hosts, one book").

The intents are the SQLite backend's (``sql.py``); what differs is the
plumbing. Every write transaction first takes one transaction-scoped advisory
lock, so writers on all hosts take turns exactly as SQLite's ``BEGIN
IMMEDIATE`` makes them: the counter row of a (book, year), the next row ids
(max + 1) and the chain head are read and written by one writer at a time, so
numbers stay gapless and unique and the archive's log stays one chain.

The schema is the SQLite schema at the same version (``SCHEMA_VERSION``), both
rendered from the one list of migrations in ``schema.py``, so a log record
written on either backend replays on the other.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from pipeline.clock import Clock
from pipeline.errors import ConfigError, RegisterError
from pipeline.register.ddl import POSTGRES_FIRST
from pipeline.register.schema import POSTGRES_MIGRATIONS, SCHEMA_VERSION
from pipeline.register.sql import SqlRegister
from pipeline.register.url import redacted

if TYPE_CHECKING:
    import psycopg

    from pipeline.register.log import RegisterLog

WRITE_LOCK = 0x53505345  # "SPSE": the advisory lock every write transaction holds

# The version bookkeeping PRAGMA user_version does on SQLite, made with the first migration.
SKEMA = "CREATE TABLE skema (versi INTEGER NOT NULL)"
# (schema version reached, statements): the schema of POSTGRES_FIRST at once, then each later one.
MIGRATIONS = [
    (number, [SKEMA, *statements] if number == POSTGRES_FIRST else statements)
    for number, statements in POSTGRES_MIGRATIONS
]


def connect(url: str) -> psycopg.Connection[Any]:
    """A connection to ``url``; the password comes from PGPASSWORD or ~/.pgpass (libpq), never
    from config.yaml."""
    try:
        import psycopg
    except ImportError:
        raise ConfigError(
            "register.url menunjuk PostgreSQL, tetapi pustaka psycopg belum terpasang. "
            "Pasang ulang paket pipeline (pip install .) lalu coba lagi."
        ) from None
    try:
        connection = psycopg.connect(
            url,
            autocommit=True,
            connect_timeout=15,
            application_name="spse-pipeline",
            keepalives=1,
            keepalives_idle=30,
            keepalives_interval=10,
            keepalives_count=3,
        )
        # A host that loses power or its network while it holds the write lock must not stop the
        # others for hours: its session goes when idle in a transaction, and a writer waits for the
        # lock a minute at most (then the input is retried on the next pass).
        connection.execute("SET idle_in_transaction_session_timeout = '5min'")
        connection.execute("SET lock_timeout = '60s'")
        return connection
    except psycopg.Error as exc:
        raise RegisterError(
            f"Register PostgreSQL {redacted(url)} tidak dapat dihubungi: {_reason(exc)}. "
            "Periksa server, nama basis data dan akunnya (kata sandi di PGPASSWORD atau "
            "~/.pgpass)."
        ) from None


def _reason(exc: Exception) -> str:
    """A PostgreSQL error in Indonesian (the English original stays in the log)."""
    state = getattr(exc, "sqlstate", None) or ""
    text = str(exc)
    if state == "23505":
        return "data ganda: nomor atau catatan yang sama sudah ada"
    if state.startswith("23"):
        return "nilai di luar yang diizinkan"
    if state in ("53100",):
        return "disk server basis data penuh"
    if state.startswith("08") or "connection" in text.lower():
        return "hubungan ke server basis data terputus"
    if state in ("28P01", "28000"):
        return "akun atau kata sandi basis data ditolak"
    if state == "3D000":
        return "basis data tidak ada"
    return "galat basis data"


class PostgresRegister(SqlRegister):
    """A connection to the shared register on PostgreSQL."""

    placeholder = "%s"
    commit_may_outlive_error = True

    def __init__(self, url: str, log: RegisterLog | None = None, clock: Clock | None = None) -> None:
        """``clock``: when transactions are sealed (UTC by default)."""
        import psycopg
        from psycopg.rows import dict_row

        self.url = url
        self.log = log
        self.clock = clock or Clock(dt.UTC)
        self._errors = (psycopg.Error,)
        self.db: Any = connect(url)  # rows as dicts (dict_row) but for listings
        self.db.row_factory = dict_row
        self._open = False
        self._cursors = 0
        self._version: int | None = None
        try:
            self.migrate()
        except psycopg.Error as exc:
            self.db.close()
            raise RegisterError(f"Register PostgreSQL tidak dapat disiapkan: {_reason(exc)}.") from None

    def close(self) -> None:
        self.db.close()

    def _reason(self, exc: Exception) -> str:
        return _reason(exc)

    def _sql(self, text: str) -> str:
        """``?`` placeholders as psycopg's ``%s`` (a literal ``%`` doubled first)."""
        return text.replace("%", "%%").replace("?", "%s")

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        params = tuple(int(v) if isinstance(v, bool) else v for v in params)  # 0/1, as SQLite keeps them
        try:
            return self.db.execute(sql, params)
        except self._errors as exc:
            raise RegisterError(f"Register tidak dapat dibaca atau ditulis: {_reason(exc)}.") from None

    def _execute_plain(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """A server-side cursor (WITH HOLD, as the connection autocommits): a listing of
        100,000 rows comes a few hundred at a time, and several may be read at once."""
        self._cursors += 1
        cursor = self.db.cursor(name=f"daftar_{self._cursors}", withhold=True, row_factory=_tuple_row())
        try:
            return cursor.execute(sql, params)
        except self._errors as exc:
            raise RegisterError(f"Register tidak dapat dibaca atau ditulis: {_reason(exc)}.") from None

    def _in_transaction(self) -> bool:
        return self._open

    def _begin(self) -> None:
        if self._open:
            raise RuntimeError("register transactions do not nest")
        self.db.execute("BEGIN")
        self._open = True
        try:
            self.db.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
        except BaseException:
            self._rollback_db()  # a lock wait cut short must not leave the session's transaction aborted
            raise

    def _insert_chain(self, record: dict[str, Any], previous: str) -> None:
        self.db.execute(
            "INSERT INTO rantai (urut, waktu, hash, sebelumnya) VALUES (%s, %s, %s, %s)",
            (record["urut"], record["waktu"], record["hash"], previous),
        )

    def _commit(self) -> None:
        self.db.execute("COMMIT")
        self._open = False

    def _rollback_db(self) -> None:
        if self._open:
            self._open = False
            try:
                self.db.execute("ROLLBACK")
            except self._errors:
                pass  # the connection is gone: the server rolled it back itself

    @contextmanager
    def reading(self) -> Iterator[PostgresRegister]:
        """One consistent view for many reads, whatever other hosts commit meanwhile."""
        self.db.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            yield self
        finally:
            self.db.execute("ROLLBACK")

    def claim_host(self, host: str) -> None:
        """Hold ``host``'s name for this session: two hosts configured with one name would take
        each other's staged filings for their own (``archive/.staging/<host>``)."""
        if not self._try_lock(f"host:{host}"):
            raise RegisterError(
                f"Nama host \u201c{host}\u201d sedang dipakai proses pipeline lain pada register ini "
                "(host lain dengan nama sama, atau layanan di host ini masih berjalan). Beri setiap "
                "host nama sendiri di register.host pada config.yaml."
            )

    @contextmanager
    def standing_in(self, host: str) -> Iterator[bool]:
        """``host``'s name lock, tried: free means no pipeline of that host is running."""
        with self._holding(f"host:{host}") as free:
            yield free

    @contextmanager
    def advancing(self, kasus: str) -> Iterator[bool]:
        """A session advisory lock per case, tried, not waited for: two hosts never run the same
        case's steps at once (both would render and file the step's documents)."""
        with self._holding(f"kasus:{kasus}") as mine:
            yield mine

    def _try_lock(self, name: str) -> bool:
        """Take the session advisory lock of ``name`` if it is free; True when taken."""
        return self._execute("SELECT pg_try_advisory_lock(%s) AS ok", (_key(name),)).fetchone()["ok"]

    @contextmanager
    def _holding(self, name: str) -> Iterator[bool]:
        """The lock of ``name`` for the block when it is free (yields whether it was)."""
        taken = self._try_lock(name)
        try:
            yield taken
        finally:
            if taken:
                try:
                    self.db.execute("SELECT pg_advisory_unlock(%s)", (_key(name),))
                except self._errors:
                    pass  # the connection is gone, and the session's locks with it

    # -- schema --------------------------------------------------------------

    @property
    def version(self) -> int:
        """The schema version, read once the migrations are done (every sealed transaction
        records it; reading it each time cost two round trips per transaction)."""
        return self._version if self._version is not None else self._stored_version()

    def _stored_version(self) -> int:
        # pg_class read with the statement's snapshot: to_regclass() answers from the session's
        # catalog cache, which an advisory lock does not refresh, so a host that waited for another
        # host's migration would not see the table it just made.
        exists = self.db.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n "
            "ON n.oid = c.relnamespace WHERE c.relname = 'skema' "
            "AND n.nspname = current_schema()) AS ada"
        ).fetchone()["ada"]
        if not exists:
            return 0
        row = self.db.execute("SELECT versi FROM skema").fetchone()
        return row["versi"] if row else 0

    def migrate(self) -> None:
        """Bring the schema to ``SCHEMA_VERSION``; hosts starting at once take turns (the write lock).
        A schema newer than this release (another host upgraded first) is refused: this release
        would write rows the newer one does not expect."""
        stored = self._stored_version()
        if stored > SCHEMA_VERSION:
            raise RegisterError(
                f"Register PostgreSQL berskema versi {stored}, lebih baru daripada pipeline di "
                f"host ini (versi {SCHEMA_VERSION}). Perbarui pipeline di host ini lebih dulu."
            )
        for number, statements in MIGRATIONS:
            if self._stored_version() >= number:
                continue
            with self.transaction(logged=False):
                if self._stored_version() >= number:
                    continue
                for statement in statements:
                    self.db.execute(statement)
                self.db.execute("DELETE FROM skema")
                self.db.execute("INSERT INTO skema (versi) VALUES (%s)", (number,))
        self._version = self._stored_version()

    def check_present(self) -> None:
        """The service asks this each pass: a connection the server dropped (a restart, a
        failover) stops the service loudly, and systemd starts it again on a new one."""
        if self.db.closed or self.db.broken:
            raise RegisterError(
                f"Hubungan ke register PostgreSQL {redacted(self.url)} terputus; layanan berhenti "
                "dan dijalankan ulang oleh systemd. Periksa server basis data bila berulang."
            )


def _key(text: str) -> int:
    """A 64-bit advisory lock key for a name."""
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big", signed=True)


def _tuple_row() -> Any:
    from psycopg.rows import tuple_row

    return tuple_row
