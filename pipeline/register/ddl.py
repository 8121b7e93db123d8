"""The words the register's schema is written in once, and their SQL in each dialect.

A migration (``schema.MIGRATIONS``) is a tuple of steps: tables and indexes
made or dropped, columns added, tables rebuilt, and data steps. Each
backend renders the steps in its own SQL: SQLite as written
(``sqlite_statements``), PostgreSQL with 64-bit integers
(``postgres_statements``). A PostgreSQL register starts at the schema the
migrations reach at ``POSTGRES_FIRST`` (``postgres_base``, the steps folded
into the tables they leave), since PostgreSQL support began then; only SQLite
registers from before it run the ``Legacy`` data steps.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from sqlite3 import Connection
from typing import Literal

Kind = Literal["TEXT", "INTEGER"]
Dialect = Literal["sqlite", "postgres"]
# How each dialect spells a neutral column type: row ids, numbers and counters stay 64-bit on
# PostgreSQL, as SQLite's INTEGER is.
TYPES: dict[Dialect, dict[Kind, str]] = {
    "sqlite": {"TEXT": "TEXT", "INTEGER": "INTEGER"},
    "postgres": {"TEXT": "TEXT", "INTEGER": "BIGINT"},
}
POSTGRES_FIRST = 8  # the schema version a PostgreSQL register is created at


@dataclass(frozen=True)
class Column:
    """One column: its type, whether it may be NULL, its default (an SQL literal), its CHECK."""

    name: str
    kind: Kind = "TEXT"
    null: bool = False
    default: str | None = None
    check: str | None = None
    primary_key: bool = False
    references: str | None = None  # "table (column)"

    def sql(self, dialect: Dialect) -> str:
        parts = [self.name, TYPES[dialect][self.kind]]
        if self.primary_key:
            parts.append("PRIMARY KEY")
        elif not self.null:
            parts.append("NOT NULL")
        if self.default is not None:
            parts.append(f"DEFAULT {self.default}")
        if self.check is not None:
            parts.append(f"CHECK ({self.check})")
        if self.references is not None:
            parts.append(f"REFERENCES {self.references}")
        return " ".join(parts)


def text(
    name: str, default: str | None = None, check: str | None = None, null: bool = False, references: str | None = None
) -> Column:
    return Column(name, "TEXT", null, default, check, references=references)


def integer(name: str, default: str | None = None, check: str | None = None, null: bool = False) -> Column:
    return Column(name, "INTEGER", null, default, check)


def key(name: str, kind: Kind = "TEXT") -> Column:
    """A single-column primary key (an INTEGER one is SQLite's rowid)."""
    return Column(name, kind, primary_key=True)


def literal(value: str | StrEnum) -> str:
    """A text value as an SQL literal (a default, a CHECK)."""
    return "'" + str(value).replace("'", "''") + "'"


def one_of(column: str, *values: str | StrEnum) -> str:
    """A CHECK that ``column`` holds one of ``values`` (the values a migration allowed then: a
    state added to an enum later needs a migration of its own)."""
    return f"{column} IN ({', '.join(literal(value) for value in values)})"


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    constraints: tuple[str, ...] = ()  # "PRIMARY KEY (a, b)", "UNIQUE (a, b)"

    def sql(self, dialect: Dialect, name: str | None = None) -> str:
        lines = [column.sql(dialect) for column in self.columns] + list(self.constraints)
        return f"CREATE TABLE {name or self.name} (\n    " + ",\n    ".join(lines) + "\n)"


@dataclass(frozen=True)
class Index:
    name: str
    table: str
    columns: str  # "a, b"
    unique: bool = False
    where: str | None = None  # a partial index's condition (the same on both dialects)

    def sql(self) -> str:
        unique = "UNIQUE " if self.unique else ""
        where = f" WHERE {self.where}" if self.where else ""
        return f"CREATE {unique}INDEX {self.name} ON {self.table} ({self.columns}){where}"


@dataclass(frozen=True)
class AddColumn:
    table: str
    column: Column


@dataclass(frozen=True)
class DropTable:
    name: str


@dataclass(frozen=True)
class DropIndex:
    name: str


@dataclass(frozen=True)
class Rebuild:
    """A table made again in a new shape (SQLite cannot alter a column): made as ``temporary``,
    filled from the old one by ``source`` (a SELECT), the old one dropped (its indexes with it)
    and the new one renamed."""

    table: Table
    temporary: str
    source: str
    columns: tuple[str, ...] = ()  # the columns ``source`` fills; all of them when empty


# A data step of SQLite registers from before POSTGRES_FIRST: an SQL statement, or a function
# of the connection and the workspace's step table (release 0.1's steps by position).
LegacyAction = str | Callable[[Connection, Sequence[tuple[int, str, str | None]]], None]


@dataclass(frozen=True)
class Legacy:
    action: LegacyAction


Step = Table | Index | AddColumn | DropTable | DropIndex | Rebuild | Legacy
Migration = tuple[Step, ...]


def sqlite_statements(migration: Migration) -> list[LegacyAction]:
    """The migration as SQLite runs it: statements, and functions of the connection."""
    statements: list[LegacyAction] = []
    for step in migration:
        if isinstance(step, Legacy):
            statements.append(step.action)
        elif isinstance(step, Rebuild):
            names = f" ({', '.join(step.columns)})" if step.columns else ""
            statements += [
                step.table.sql("sqlite", step.temporary),
                f"INSERT INTO {step.temporary}{names}\n    {step.source}",
                f"DROP TABLE {step.table.name}",
                f"ALTER TABLE {step.temporary} RENAME TO {step.table.name}",
            ]
        else:
            statements.append(_common(step, "sqlite"))
    return statements


def postgres_statements(migration: Migration, number: int) -> list[str]:
    """A migration after ``POSTGRES_FIRST`` as PostgreSQL runs it."""
    if any(isinstance(step, (Legacy, Rebuild)) for step in migration):
        raise ValueError(f"migration {number}: a data step or a rebuild has no PostgreSQL form; write it neutrally")
    return [_common(step, "postgres") for step in migration]


def _common(step: Step, dialect: Dialect) -> str:
    if isinstance(step, Table):
        return step.sql(dialect)
    if isinstance(step, Index):
        return step.sql()
    if isinstance(step, AddColumn):
        return f"ALTER TABLE {step.table} ADD COLUMN {step.column.sql(dialect)}"
    if isinstance(step, DropTable):
        return f"DROP TABLE {step.name}"
    if isinstance(step, DropIndex):
        return f"DROP INDEX {step.name}"
    raise TypeError(f"no {dialect} form for {step!r}")


def folded(migrations: Iterable[Migration]) -> tuple[dict[str, Table], dict[str, Index]]:
    """The tables and indexes the migrations leave, in the order they were first made."""
    tables: dict[str, Table] = {}
    indexes: dict[str, Index] = {}
    for migration in migrations:
        for step in migration:
            if isinstance(step, Table):
                tables[step.name] = step
            elif isinstance(step, Index):
                indexes[step.name] = step
            elif isinstance(step, AddColumn):
                table = tables[step.table]
                tables[step.table] = replace(table, columns=(*table.columns, step.column))
            elif isinstance(step, DropIndex):
                del indexes[step.name]
            elif isinstance(step, (DropTable, Rebuild)):
                name = step.name if isinstance(step, DropTable) else step.table.name
                indexes = {key: index for key, index in indexes.items() if index.table != name}
                if isinstance(step, Rebuild):
                    tables[name] = step.table
                else:
                    del tables[name]
    return tables, indexes


def postgres_base(migrations: Sequence[Migration]) -> list[str]:
    """The statements that make, on PostgreSQL, the schema of the first ``POSTGRES_FIRST``
    migrations."""
    tables, indexes = folded(migrations[:POSTGRES_FIRST])
    return [table.sql("postgres") for table in tables.values()] + [index.sql() for index in indexes.values()]
