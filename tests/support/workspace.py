"""Workspaces for the tests: ``pipeline init`` plus settings merged into its config.yaml."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from pipeline import config as config_module
from pipeline import workspace

if TYPE_CHECKING:
    from pipeline.config import Config

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples"

# What every test workspace changes in the default config: files are taken at once, and PDFs
# (LibreOffice, a second or two per document) are made only where a test asks for them.
# A test workspace is single-user, like the demo: decisions (action files) are also taken from the
# shared inbox (access.keputusan_dari_inbox); tests of the default say so themselves.
TEST_DEFAULTS: dict[str, Any] = {
    "watch": {"stable_seconds": 0},
    "pdf": {"enabled": False},
    "access": {"keputusan_dari_inbox": True},
}


def merged(base: Any, overrides: Any) -> Any:
    """``overrides`` deep-merged over ``base``: mappings merge key by key, lists and scalars replace."""
    if not isinstance(base, Mapping) or not isinstance(overrides, Mapping):
        return overrides
    result = dict(base)
    for key, value in overrides.items():
        result[key] = merged(base[key], value) if key in base else value
    return result


class _Dumper(yaml.SafeDumper):
    """Writes as the shipped config.yaml is written: list items indented under their key, empty
    values left empty."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)


_Dumper.add_representer(type(None), lambda dumper, _: dumper.represent_scalar("tag:yaml.org,2002:null", ""))


def dump(data: Mapping[str, Any]) -> str:
    """``data`` as config.yaml text."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)


def merge_config(config_path: Path, overrides: Mapping[str, Any]) -> None:
    """Merge ``overrides`` (nested dicts, as in config.yaml) into the config.yaml at ``config_path``,
    without loading it (a test may mean it to be refused). Every key must already be in the file,
    so a misspelt override fails here rather than being ignored."""
    data = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    _check_known(data, overrides, "")
    config_path.write_text(dump(merged(data, overrides)), encoding="utf-8")


def configure(config_path: Path, overrides: Mapping[str, Any]) -> Config:
    """``merge_config``, then the config loaded again."""
    merge_config(config_path, overrides)
    return config_module.load(config_path)


def make_workspace(root: Path, overrides: Mapping[str, Any] | None = None, *, pdf: bool = False) -> Config:
    """A fresh workspace under ``root`` with no stability delay, plus ``overrides`` (nested dicts
    merged into the default config.yaml, e.g. ``{"limits": {"max_csv_rows": 3}}``).

    PDFs (LibreOffice, a second or two per document) only where a test asks for them.
    """
    workspace.init(root)
    settings = merged(TEST_DEFAULTS, {"pdf": {"enabled": True}}) if pdf else TEST_DEFAULTS
    return configure(root / "config.yaml", merged(settings, overrides or {}))


def _check_known(data: Any, overrides: Mapping[str, Any], where: str) -> None:
    for key, value in overrides.items():
        assert isinstance(data, Mapping) and key in data, f"config.yaml has no {where}{key}"
        if isinstance(value, Mapping) and isinstance(data[key], Mapping):
            _check_known(data[key], value, f"{where}{key}.")


def rejected_reason(config: Config, name: str) -> str:
    """Why the inbox file ``name`` was refused: the text put beside it in inbox/ditolak/."""
    return (config.rejected_dir / f"{name}.alasan.txt").read_text(encoding="utf-8")
