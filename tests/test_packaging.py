"""``pipeline init`` must work from an installed wheel, not only from this checkout."""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_ships_defaults_and_init_works_from_it(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path / "dist"),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    [wheel] = (tmp_path / "dist").glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "pipeline/defaults/config.yaml" in names
    assert "pipeline/defaults/templates/lembar_disposisi.docx" in names
    assert "pipeline/outputs/pages/index.html" in names
    assert "pipeline/data/klasifikasi_kemendagri.csv" in names

    target = tmp_path / "installed"
    zipfile.ZipFile(wheel).extractall(target)
    env = {**os.environ, "PYTHONPATH": str(target)}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import pipeline, sys; print(pipeline.__file__); "
            "from pipeline.cli import main; sys.argv=['pipeline','init','ws']; main()",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(str(target))
    assert (tmp_path / "ws" / "templates" / "lembar_disposisi.docx").is_file()
    assert (tmp_path / "ws" / "config.yaml").read_text(encoding="utf-8").startswith("# Konfigurasi")
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from pipeline.cli import main; "
            "sys.argv=['pipeline','--config','ws/config.yaml','run']; main()",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "Daftar kasus" in (tmp_path / "ws" / "outbox" / "status" / "index.html").read_text(encoding="utf-8")


def test_the_version_is_one_and_its_changes_are_written_down():
    """pyproject, the package and the CHANGELOG's newest entry name the same version."""
    import tomllib

    from pipeline import __version__

    root = Path(__file__).resolve().parents[1]
    declared = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    newest = next(
        line for line in (root / "CHANGELOG.md").read_text(encoding="utf-8").splitlines() if line.startswith("## ")
    )
    assert declared == __version__
    assert newest.split()[1] == __version__
