"""Rows to records and values to columns: the one place that knows how a record is stored.

A record's dict and tuple fields are stored as JSON text, a bool as 0/1;
the rest as they are (docs/architecture.md, "The register").
"""

import functools
import itertools
import json
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import MISSING, fields
from typing import Any, TypeVar, cast

import orjson

R = TypeVar("R")
Row = dict[str, Any]  # a register row by column name


def encode(value: object) -> object:
    """A value as a column stores it: bools as 0/1, dicts, lists and tuples as JSON text, text
    that UTF-8 cannot hold kept visible."""
    if isinstance(value, bool):
        return int(value)  # stored as 0/1 on every backend
    if isinstance(value, (dict, list, tuple)):
        value = json.dumps(list(value) if isinstance(value, tuple) else value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: kept visible, never a failed write
            value = value.encode("utf-8", "backslashreplace").decode("utf-8")
    return value


@functools.cache
def _shape(cls: Any) -> tuple[tuple[str, ...], dict[str, Any], dict[str, tuple[Any, Any]]]:
    """A record class's field names, those stored as JSON (dicts and tuples) with their types,
    and the defaults of the others."""
    names = tuple(f.name for f in fields(cls))
    structured = {f.name: f.type for f in fields(cls) if f.type in (dict, tuple)}
    defaults = {
        f.name: (f.default, f.default_factory)
        for f in fields(cls)
        if f.default is not MISSING or f.default_factory is not MISSING
    }
    return names, structured, defaults


def record(cls: type[R], row: Mapping[str, Any]) -> R:
    """A record from a register row (a mapping of column names)."""
    names = _shape(cast(Any, cls))[0]
    return _made(cls, {name: row[name] for name in names if name in row})


@functools.lru_cache(maxsize=256)
def maker(cls: Any, columns: tuple[str, ...]) -> Callable[[Sequence[Any]], Any]:
    """A function from a plain row of ``columns`` to a ``cls`` record: the columns that are
    fields picked by position in one C call, worked out once per query shape."""
    names = tuple(name for name in _shape(cls)[0] if name in columns)
    pick = operator.itemgetter(*(columns.index(name) for name in names))
    if len(names) == 1:
        return lambda row: _made(cls, {names[0]: pick(row)})
    return lambda row: _made(cls, dict(zip(names, pick(row))))


def _made(cls: Any, values: dict[str, Any]) -> Any:
    """The record from its column values, JSON columns decoded.

    The frozen dataclass's ``__init__`` sets each field through ``object.__setattr__``
    (9 microseconds for an AgendaEntry, most of a 100,000-entry listing), so a whole row
    fills the instance's fields at once; a row that lacks a field without a default goes
    through ``__init__`` and fails there as it should.
    """
    names, structured, defaults = _shape(cls)
    for name, kind in structured.items():
        value = values.get(name)
        if isinstance(value, str):
            value = orjson.loads(value)
            values[name] = tuple(value) if kind is tuple else value
    if "batal" in values:
        values["batal"] = bool(values["batal"])
    if len(values) < len(names):
        for name, (default, factory) in defaults.items():
            if name not in values:
                values[name] = default if factory is MISSING else factory()
        if len(values) < len(names):
            return cls(**values)
    made = object.__new__(cls)
    made.__dict__.update(values)
    return made


def grouped(records: Iterable[R], key: str) -> Iterator[tuple[Any, list[R]]]:
    """(value, [records]) for runs of records sharing ``key`` (records ordered by it)."""
    for value, group in itertools.groupby(records, key=lambda item: getattr(item, key)):
        yield value, list(group)
