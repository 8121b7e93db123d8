from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import Result

sys.path.insert(0, str(Path(__file__).parent))  # tests/support is imported as ``support``

from support.cli import invoker
from support.workspace import make_workspace

if TYPE_CHECKING:
    from support.pg_server import PostgresServer

    from pipeline.config import Config

collect_ignore = ["support"]  # helpers, not tests


@pytest.fixture
def config(tmp_path: Path) -> Config:
    """The Config of a fresh workspace (support.workspace.make_workspace) under tmp_path/ws."""
    return make_workspace(tmp_path / "ws")


@pytest.fixture
def cli(config: Config) -> Callable[..., Result]:
    """Invoke the CLI on the workspace as a user would; returns the click Result."""
    return invoker(config)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A PostgreSQL server for the session (tests/support/pg_server.py); skipped, with the reason, where
    Debian's postgresql package is missing, except in CI, which installs it (.ci/run)."""
    import os
    import shutil
    import tempfile

    from support.pg_server import PostgresServer, binaries

    if binaries() is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL harus terpasang di CI (.ci/run memasang paket postgresql).")
        pytest.skip("PostgreSQL tidak terpasang (apt-get install postgresql)")
    folder = tempfile.mkdtemp(prefix="spse-pg-")  # in /tmp: the server's account must reach it
    os.chmod(folder, 0o755)
    server = PostgresServer(folder).start()
    yield server
    server.stop()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def ocr_tools() -> None:
    """Tesseract with its Indonesian model and poppler, to read scans; skipped, with the reason, where
    they are missing, except in CI, which installs them (.ci/run)."""
    import os

    from pipeline.readers.ocr import ocr_problem

    problem = ocr_problem("ind")
    if problem:
        if os.environ.get("CI"):
            pytest.fail(
                "Tesseract harus terpasang di CI (.ci/run memasang tesseract-ocr dan tesseract-ocr-ind): " + problem
            )
        pytest.skip(f"Tesseract tidak terpasang (apt-get install tesseract-ocr tesseract-ocr-ind): {problem}")
