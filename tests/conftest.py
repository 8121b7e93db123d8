import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))

from pipeline import config as config_module
from pipeline import workspace
from pipeline.cli import main

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"


def make_workspace(root, pdf=False, **overrides):
    """A fresh workspace under ``root`` with no stability delay, plus overrides.

    PDFs (LibreOffice, a second or two per document) only where a test asks for them.
    """
    workspace.init(root)
    config_path = root / "config.yaml"
    text = config_path.read_text(encoding="utf-8")
    text = text.replace("stable_seconds: 2 ", "stable_seconds: 0 ")
    if not pdf:
        text = text.replace("  enabled: true          # buat juga PDF", "  enabled: false         # buat juga PDF")
    for old, new in overrides.items():
        assert old in text, old
        text = text.replace(old, new)
    config_path.write_text(text, encoding="utf-8")
    return config_module.load(config_path)


@pytest.fixture
def ws(tmp_path):
    return make_workspace(tmp_path / "ws")


@pytest.fixture
def cli(ws):
    """Invoke the CLI on the workspace as a user would; returns the click Result."""
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(main, ["--config", str(ws.path), *args], catch_exceptions=False)

    return invoke


@pytest.fixture(scope="session")
def postgres():
    """A PostgreSQL server for the session (tests/pg_server.py); skipped, with the reason, where
    Debian's postgresql package is missing, except in CI, which installs it (.ci/run)."""
    import os
    import shutil
    import tempfile

    from pg_server import PostgresServer, binaries

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
def ocr_tools():
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
