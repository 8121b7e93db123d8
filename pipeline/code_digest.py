"""A digest of code as loaded: the bytecode, names and constants of every function and method of
some modules. Caches keyed on it are carried on again after an upgrade that changes what they
hold (the quiet cases, the stored views of finished cases; docs/architecture.md, "Speed")."""

from __future__ import annotations

import hashlib
import importlib
import pkgutil
from collections.abc import Iterable, Iterator
from types import CodeType, FunctionType, ModuleType


def code_digest(modules: Iterable[ModuleType]) -> bytes:
    """The digest of every function and method of ``modules``, by module and name."""
    digest = hashlib.sha256()
    for module in modules:
        for name, code in _functions(module):
            digest.update(f"{module.__name__}:{name}".encode())
            _digest_code(code, digest)
    return digest.digest()


def package_modules(package: ModuleType) -> list[ModuleType]:
    """The package and every module under it, imported (handlers load lazily otherwise)."""
    names = [info.name for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}.")]
    return [package, *(importlib.import_module(name) for name in sorted(names))]


def _functions(module: ModuleType) -> Iterator[tuple[str, CodeType]]:
    """(name, code) of the module's functions and of its classes' methods, by name."""
    for name, value in sorted(vars(module).items()):
        if isinstance(value, type) and value.__module__ == module.__name__:
            for attribute, member in sorted(vars(value).items()):
                function = getattr(member, "__func__", member)  # a classmethod or staticmethod
                if isinstance(function, FunctionType):
                    yield f"{name}.{attribute}", function.__code__
        elif isinstance(value, FunctionType):
            yield name, value.__code__


def _digest_code(code: CodeType, digest: hashlib._Hash) -> None:
    """The bytecode, names and constants of ``code`` (nested functions included); independent
    of the process (no addresses, sets in sorted order)."""
    digest.update(code.co_code)
    digest.update(repr(code.co_names).encode("utf-8"))
    for const in code.co_consts:
        if isinstance(const, CodeType):
            _digest_code(const, digest)
        else:
            digest.update(_shown(const).encode("utf-8"))


def _shown(const: object) -> str:
    """A constant as text, the same in every process (a set's order follows string hashes)."""
    if isinstance(const, frozenset):
        return "{" + ",".join(sorted(map(_shown, const))) + "}"
    if isinstance(const, tuple):
        return "(" + ",".join(map(_shown, const)) + ")"
    return repr(const)
