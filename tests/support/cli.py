"""The CLI invoked in the test process as a user would (click's runner), and its JSON lines."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from click.testing import CliRunner, Result

from pipeline.cli import main

if TYPE_CHECKING:
    from pipeline.config import Config


def invoke(config: Config, *args: str, input: str | None = None) -> Result:
    """``pipeline --config <config.yaml> ARGS``; exceptions propagate."""
    return CliRunner().invoke(main, ["--config", str(config.path), *args], input=input, catch_exceptions=False)


def invoker(config: Config) -> Callable[..., Result]:
    """``invoke`` bound to one workspace: ``cli("run")``."""
    runner = CliRunner()
    return lambda *args: runner.invoke(main, ["--config", str(config.path), *args], catch_exceptions=False)


def jsonl(result: Result) -> list[Any]:
    """The JSON lines a ``--json`` command printed."""
    return [json.loads(line) for line in result.output.splitlines() if line.strip()]


def journal_by_file(config: Config) -> dict[str, Any]:
    """``pipeline journal --json``, each row under the name of its inbox file."""
    return {row["berkas"]: row for row in jsonl(invoke(config, "journal", "--json"))}
