"""SOP cases brought to a given step through the inbox, and the register read back whole."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from click.testing import Result

from pipeline.register import open_register

from .builders import action, registration_yaml, tab_memo

if TYPE_CHECKING:
    from pipeline.config import Config


def to_authentication(config: Config, cli: Callable[..., Result], data: dict[str, Any] | None = None) -> Result:
    """A memo, both dispositions and the registration data, taken by one ``pipeline run``."""
    tab_memo(config.inbox / "nota.docx")
    action(
        config.inbox / "kapus.yaml", "disposisi_kapus", kepada="Kepala Bidang Telematika", catatan="Proses lebih lanjut"
    )
    action(
        config.inbox / "kabid.yaml",
        "disposisi_kabid",
        kepada="Kepala Subbidang Aplikasi",
        catatan="Koordinasikan dengan ULP",
    )
    registration_yaml(config.inbox / "registrasi.yaml", data)
    result = cli("run")
    assert result.exit_code == 0, result.output
    return result


def snapshot(config: Config) -> dict[str, Any]:
    """Everything the register holds, as plain data to compare."""
    with open_register(config) as register:
        cases = list(register.cases())
        return {
            "agenda": [asdict(e) for e in register.agenda()],
            "cases": [asdict(c) for c in cases],
            "steps": {c.id: {k: asdict(v) for k, v in register.steps(c.id).items()} for c in cases},
            "journal": [asdict(e) for e in register.journal()],
            "inputs": [asdict(i) for i in register.inputs()],
            "documents": [asdict(d) for d in register.documents()],
            "chain": register.chain(),
        }
