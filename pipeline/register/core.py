"""What every part of the register stands on: the plumbing a backend provides and the few
statement helpers the intents are written with.

Each concern of the register (``journal``, ``agenda``, ``cases``...) is a
class over ``SqlCore``; ``sql.SqlRegister`` composes them, and a backend
(``sqlite``, ``postgres``) opens the connection. Intents write ``?``
placeholders; a backend with another style rewrites them (``_sql``).
"""

from __future__ import annotations

import abc
import operator
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, Protocol, Self, TypeVar, cast

from pipeline.register.rows import Row, encode, maker

if TYPE_CHECKING:
    from pipeline.clock import Clock
    from pipeline.register.log import RegisterLog

R = TypeVar("R")


class Cursor(Protocol):
    """The DB-API cursor the plumbing returns."""

    @property
    def description(self) -> Any: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def fetchmany(self, size: int = ...) -> list[Any]: ...

    def close(self) -> None: ...


class SqlCore(abc.ABC):
    """A register over a DB-API connection: the plumbing a backend subclass provides, and
    statements by intent (reads, logged writes, numbered inserts)."""

    placeholder = "?"
    _errors: tuple[type[Exception], ...] = ()  # the backend's database error classes
    # Whether a COMMIT that raised may still have committed (a server whose connection dropped);
    # an embedded database that reports a failed COMMIT has rolled it back.
    commit_may_outlive_error = False
    log: RegisterLog | None = None  # the archive's RegisterLog; None for replays and tests of the intents
    clock: Clock  # when a transaction is sealed (the backend's constructor takes the caller's)
    _changes: list[tuple[str, tuple[Any, ...]]] | None = None  # the open transaction's statements, for the log

    # -- plumbing a backend provides ------------------------------------

    @abc.abstractmethod
    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        """Run one statement; return a cursor."""

    @abc.abstractmethod
    def _execute_plain(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        """Run one query; return a cursor whose rows are plain tuples (listings)."""

    @abc.abstractmethod
    def _in_transaction(self) -> bool:
        """Whether a write transaction is open."""

    @abc.abstractmethod
    def _begin(self) -> None:
        """Open a write transaction that holds the register's write lock until it ends: writers
        (on any host) one at a time, so numbers, row ids and the chain stay in order."""

    @abc.abstractmethod
    def _insert_chain(self, record: dict[str, Any], previous: str) -> None:
        """Write the chain row of ``record`` (outside the log: it is the log's own link)."""

    @abc.abstractmethod
    def _commit(self) -> None:
        """COMMIT."""

    @abc.abstractmethod
    def _rollback_db(self) -> None:
        """ROLLBACK, when a transaction is open."""

    @abc.abstractmethod
    def _reason(self, exc: Exception) -> str:
        """A database error (one of ``_errors``) in Indonesian."""

    @abc.abstractmethod
    def close(self) -> None:
        """Close the connection."""

    @property
    @abc.abstractmethod
    def version(self) -> int:
        """The schema version the register is at."""

    @abc.abstractmethod
    def reading(self) -> AbstractContextManager[Self]:
        """One consistent view for many reads, whatever commits meanwhile."""

    @abc.abstractmethod
    def check_present(self) -> None:
        """Raise RegisterError when the register went away under this process."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def table_rows(self, table: str) -> list[Row]:
        """Every row of one of the register's tables, as dicts (``verify`` compares them with
        the log replayed)."""
        return self._rows(f"SELECT * FROM {table}")

    # -- statements --------------------------------------------------------

    def _sql(self, text: str) -> str:
        return text if self.placeholder == "?" else text.replace("?", self.placeholder)

    def _rows(self, sql: str, *params: Any) -> list[Row]:
        return self._execute(self._sql(sql), params).fetchall()

    def _stream(self, cls: type[R], sql: str, *params: Any) -> Iterator[R]:
        """Records one at a time, a few hundred rows fetched at once: a listing of 100,000
        entries never holds them all. Only for reads: nothing may write while it is consumed."""
        for record, _extra in self._stream_with(cls, (), sql, *params):
            yield record

    def _stream_plain(self, sql: str, *params: Any) -> Iterator[tuple[Any, ...]]:
        """Plain rows one at a time, a few hundred fetched at once (as ``_stream``, no records)."""
        cursor = self._execute_plain(self._sql(sql), params)
        try:
            while rows := cursor.fetchmany(500):
                yield from rows
        finally:
            cursor.close()

    def _stream_with(self, cls: type[R], extra: tuple[str, ...], sql: str, *params: Any) -> Iterator[tuple[R, Any]]:
        """(record, the value of the ``extra`` column, or a tuple of them for several) one at a time, from plain rows."""
        cursor = self._execute_plain(self._sql(sql), params)
        try:
            columns = tuple(column[0] for column in cursor.description)
            make = maker(cast(Any, cls), columns)
            others = operator.itemgetter(*(columns.index(name) for name in extra)) if extra else (lambda row: ())
            while rows := cursor.fetchmany(500):
                for row in rows:
                    yield make(row), others(row)
        finally:
            cursor.close()

    def _first(self, sql: str, *params: Any) -> Row | None:
        rows = self._rows(sql + " LIMIT 1", *params)
        return rows[0] if rows else None

    def _write(self, sql: str, *params: Any) -> Cursor:
        if not self._in_transaction():
            raise RuntimeError("register writes belong inside register.transaction()")
        cursor = self._execute(self._sql(sql), params)
        if self._changes is not None:
            self._changes.append((sql, params))
        return cursor

    def _write_unlogged(self, sql: str, *params: Any) -> Cursor:
        """A write to a cache table inside the open transaction, kept out of the chain and the log
        (a replay of the log never writes a cache)."""
        if not self._in_transaction():
            raise RuntimeError("register writes belong inside register.transaction()")
        return self._execute(self._sql(sql), params)

    def _insert(
        self, table: str, values: dict[str, Any], numbered: str | None = None, returning: bool = False
    ) -> Cursor:
        """INSERT a row; ``numbered`` names an integer column given the next number in the
        table (max + 1, as SQLite numbers a rowid). Writers are serialised on every backend,
        so the numbers are gapless and a replay of the log gives every row the same one."""
        names = ", ".join(([numbered] if numbered else []) + list(values))
        marks = ", ".join(
            ([f"(SELECT coalesce(max({numbered}), 0) + 1 FROM {table})"] if numbered else []) + ["?" for _ in values]
        )
        sql = f"INSERT INTO {table} ({names}) VALUES ({marks})" + (f" RETURNING {numbered}" if returning else "")
        return self._write(sql, *(encode(v) for v in values.values()))

    def _update(self, table: str, where: dict[str, Any], values: dict[str, Any]) -> None:
        assignments = ", ".join(f"{key} = ?" for key in values)
        conditions = " AND ".join(f"{key} = ?" for key in where)
        self._write(
            f"UPDATE {table} SET {assignments} WHERE {conditions}",
            *(encode(v) for v in values.values()),
            *where.values(),
        )
