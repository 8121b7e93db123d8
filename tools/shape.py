"""The package's shape, for docs/architecture.md and for review.

    python tools/shape.py tree        the modules, one line each (the first sentence of each docstring)
    python tools/shape.py longest [N] the N longest functions (default 10), by lines

``tests/test_docs_shape.py`` holds docs/architecture.md's module tree to the
package: every module the tree names exists, and every module is named.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "pipeline"


def modules(package: Path = PACKAGE) -> list[Path]:
    """Every module of the package, in the order the tree shows them (a package's
    ``__init__`` first, then its modules, then its subpackages)."""
    found: list[Path] = []
    init = package / "__init__.py"
    if init.exists():
        found.append(init)
    found += sorted(p for p in package.glob("*.py") if p.name != "__init__.py")
    for sub in sorted(p for p in package.iterdir() if p.is_dir() and (p / "__init__.py").exists()):
        found += modules(sub)
    return found


def summary(path: Path) -> str:
    """The first sentence of a module's docstring, on one line."""
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    paragraph = " ".join(doc.strip().split("\n\n")[0].split())
    end = paragraph.find(". ")
    return paragraph if end < 0 else paragraph[: end + 1]


def tree() -> list[str]:
    lines = []
    for path in modules():
        rel = path.relative_to(ROOT)
        package = path.name == "__init__.py"
        depth = len(rel.parts) - (2 if package else 1)  # a package's modules sit under its name
        name = f"{rel.parent.name}/" if package else path.name
        lines.append(f"{'  ' * depth}{name:<{30 - 2 * depth}} {summary(path)}")
    return lines


def longest(count: int = 10) -> list[tuple[int, str]]:
    """(lines, module:qualified name) of the ``count`` longest functions."""
    sizes: list[tuple[int, str]] = []
    for path in modules():
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        sizes += _functions(ast.parse(path.read_text(encoding="utf-8")), module, "")
    return sorted(sizes, reverse=True)[:count]


def _functions(node: ast.AST, module: str, prefix: str) -> list[tuple[int, str]]:
    found = []
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            name = f"{prefix}{child.name}"
            found.append((child.end_lineno - child.lineno + 1, f"{module}:{name}"))
            found += _functions(child, module, f"{name}.")
        elif isinstance(child, ast.ClassDef):
            found += _functions(child, module, f"{prefix}{child.name}.")
    return found


def main(argv: list[str]) -> int:
    if argv[:1] == ["tree"]:
        for line in tree():
            print(line)
    elif argv[:1] == ["longest"]:
        for lines, name in longest(int(argv[1]) if len(argv) > 1 else 10):
            print(f"{lines:5d}  {name}")
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
