"""The test suite's own shape: every test asserts something that can fail, and helpers live in
tests/support/, never in a test module another test module imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from support.workspace import make_workspace

TESTS = Path(__file__).resolve().parent
SUPPORT = TESTS / "support"

# A call to one of these states an expectation by itself (the block or the call fails the test).
EXPECTING = {"raises", "warns", "fail", "deprecated_call"}
# Helpers with these prefixes count as an assertion when they assert themselves.
HELPER_PREFIXES = ("assert_", "expect_", "check_")


def _test_modules() -> list[Path]:
    """Every test module, in tests/ or a folder under it (tests/support/ holds none)."""
    return sorted(path for path in TESTS.rglob("test_*.py") if SUPPORT not in path.parents)


def _modules() -> dict[Path, ast.Module]:
    paths = _test_modules() + sorted(SUPPORT.rglob("*.py"))
    return {path: ast.parse(path.read_text(encoding="utf-8"), str(path)) for path in paths}


def _own_nodes(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.AST]:
    """The nodes of ``function``'s body, without those of functions or lambdas defined in it
    (their assertions run only if something calls them)."""
    nested = ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef
    found: list[ast.AST] = []
    pending: list[ast.AST] = [node for node in function.body if not isinstance(node, nested)]
    while pending:
        node = pending.pop()
        found.append(node)
        pending.extend(child for child in ast.iter_child_nodes(node) if not isinstance(child, nested))
    return found


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _expects(node: ast.AST) -> bool:
    """An assert statement that can fail (not ``assert True``), or ``pytest.raises``/``warns``/``fail``/
    ``deprecated_call``."""
    if isinstance(node, ast.Assert):
        return not (isinstance(node.test, ast.Constant) and node.test.value)
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "pytest"
        and node.func.attr in EXPECTING
    )


def _asserting_helpers(modules: dict[Path, ast.Module]) -> set[str]:
    """Names of the assert_*/expect_*/check_* helpers, defined in the tests, that themselves
    assert (directly or through another such helper)."""
    helpers = {
        node.name: node
        for module in modules.values()
        for node in ast.walk(module)
        if isinstance(node, ast.FunctionDef) and node.name.startswith(HELPER_PREFIXES)
    }
    asserting: set[str] = set()
    changed = True
    while changed:
        changed = False
        for name, helper in helpers.items():
            if name not in asserting and _asserts(helper, asserting):
                asserting.add(name)
                changed = True
    return asserting


def _asserts(function: ast.FunctionDef | ast.AsyncFunctionDef, helpers: set[str]) -> bool:
    for node in _own_nodes(function):
        if _expects(node):
            return True
        if isinstance(node, ast.Call) and _called_name(node) in helpers:
            return True
    return False


def _tests(module: ast.Module) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    found = []
    for node in module.body:
        bodies = node.body if isinstance(node, ast.ClassDef) and node.name.startswith("Test") else [node]
        for item in bodies:
            if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and item.name.startswith("test_"):
                found.append(item)
    return found


def test_every_test_asserts_something_that_can_fail():
    modules = _modules()
    helpers = _asserting_helpers(modules)
    silent = [
        f"{path.name}::{test.name}"
        for path, module in modules.items()
        if SUPPORT not in path.parents
        for test in _tests(module)
        if not _asserts(test, helpers)
    ]
    assert silent == [], "tests without an assertion (assert, pytest.raises or an asserting helper): " + ", ".join(
        silent
    )


def test_the_scan_tells_a_silent_test_from_an_asserting_one():
    module = ast.parse(
        "def check_shape(x):\n    assert x\n"
        "def check_nothing(x):\n    return x\n"
        "def test_silent():\n    run()\n"
        "def test_nested_only():\n    def inner():\n        assert True\n"
        "def test_plain():\n    assert run() == 1\n"
        "def test_constant():\n    run()\n    assert True\n"
        "def test_raises():\n    with pytest.raises(ValueError):\n        run()\n"
        "def test_helper():\n    check_shape(run())\n"
        "def test_helper_that_does_not_assert():\n    check_nothing(run())\n"
    )
    helpers = _asserting_helpers({Path("test_x.py"): module})
    assert helpers == {"check_shape"}
    assert {test.name: _asserts(test, helpers) for test in _tests(module)} == {
        "test_silent": False,
        "test_nested_only": False,
        "test_plain": True,
        "test_constant": False,
        "test_raises": True,
        "test_helper": True,
        "test_helper_that_does_not_assert": False,
    }


def test_no_test_module_imports_another_test_module_or_conftest():
    """Shared helpers live in tests/support/; conftest holds fixtures and is not imported."""
    offending = []
    for path in _test_modules() + sorted(SUPPORT.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            offending += [
                f"{path.name}: {name}" for name in names if name.split(".")[0].startswith("test_") or name == "conftest"
            ]
    assert offending == []


def test_support_holds_no_test():
    """Nothing in tests/support/ is collected: no module named test_* and no test function."""
    assert [path.name for path in SUPPORT.rglob("test_*.py")] == []
    assert [
        f"{path.name}::{test.name}"
        for path, module in _modules().items()
        if SUPPORT in path.parents
        for test in _tests(module)
    ] == []


def test_make_workspace_merges_settings_into_the_default_config(tmp_path):
    """Settings are merged as data into the default config.yaml: what is named changes, the rest
    stays the shipped default, whatever the default file's comments and spacing."""
    config = make_workspace(tmp_path / "ws", {"limits": {"max_csv_rows": 3}, "signing": {"scan_sends": True}})
    assert config.limits.max_csv_rows == 3 and config.signing.scan_sends
    assert config.limits.max_yaml_records == 20000 and config.watch.rescan_seconds == 60  # the defaults
    assert config.watch.stable_seconds == 0 and not config.pdf_enabled  # every test workspace's own
    assert make_workspace(tmp_path / "pdf", pdf=True).pdf_enabled
    with pytest.raises(AssertionError, match=r"config.yaml has no limits.max_csv_row"):
        make_workspace(tmp_path / "salah", {"limits": {"max_csv_row": 3}})
