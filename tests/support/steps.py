"""The step table edited as staff edit config.yaml: steps inserted or removed, renumbered."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import yaml

from pipeline import config as config_module

if TYPE_CHECKING:
    from pipeline.config import Config

Steps = list[dict[str, Any]]

PARAF = {
    "key": "paraf_kasubbid",
    "kind": "human",
    "actor": "Kasubbid",
    "activity": "Memaraf draft laporan",
    "target_minutes": 5,
    "output": "Draft laporan berparaf",
}


def edit_steps(config: Config, edit: Callable[[Steps], Steps], documents: dict[str, str] | None = None) -> Config:
    """Rewrite the workspace's step table (and documents) as staff would in config.yaml."""
    data = yaml.safe_load(config.path.read_text(encoding="utf-8"))
    steps = edit(data["sop"]["steps"])
    for number, step in enumerate(steps, start=1):
        step["number"] = number
    data["sop"]["steps"] = steps
    data["documents"].update(documents or {})
    config.path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return config_module.load(config.path)


def with_paraf(**extra: Any) -> Callable[[Steps], Steps]:
    """An edit inserting a Kasubbid paraf step (PARAF plus ``extra``) before ``periksa``."""

    def edit(steps: Steps) -> Steps:
        at = next(i for i, s in enumerate(steps) if s["key"] == "periksa")
        return [*steps[:at], {"number": 0, **PARAF, **extra}, *steps[at:]]

    return edit
