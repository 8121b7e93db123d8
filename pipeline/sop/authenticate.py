"""Authentication of registration data (SOP step 7).

Where config names an employee master (exported from the personnel system:
nip, nama, unit) and a budget allocation per unit (DIPA: unit,
tahun_anggaran, pagu), every person is checked against the master and the
sum of pagu against the unit's allocation. Names are compared without
academic titles and case. Without reference data the step waits for the
Kasubbid's ``otentikasi`` action.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from pipeline.errors import PipelineError, os_reason
from pipeline.fields import normalise_nip, parse_amount
from pipeline.formats import rupiah
from pipeline.readers.csv_table import read_table
from pipeline.sop.rules import ERROR, PASS, Check, label

if TYPE_CHECKING:
    from pipeline.config import Config

_PREFIX_TITLE = re.compile(r"^(prof|dr|drs|dra|ir|h|hj|hc)\.?$", re.IGNORECASE)


def bare_name(name: str | None) -> str:
    """A name without academic or religious titles, lower case: for comparison only."""
    main = str(name or "").split(",")[0]
    words = [w for w in main.replace(".", ". ").split() if not _PREFIX_TITLE.match(w)]
    return " ".join(w.strip(".") for w in words).lower()


def configured(config: Config) -> bool:
    return config.employees is not None or config.budget is not None


def load_reference(config: Config) -> tuple[dict[str, dict[str, str]] | None, list[dict[str, str]] | None]:
    """Read the configured reference files (employees by NIP, budget rows); a missing file is a user
    error naming it."""
    employees: dict[str, dict[str, str]] | None = None
    budget: list[dict[str, str]] | None = None
    try:
        if config.employees:
            employees = {}
            for row in read_table(config.employees, config.limits):
                try:
                    employees[normalise_nip(row.get("nip", ""))] = row
                except ValueError:
                    continue
        if config.budget:
            budget = read_table(config.budget, config.limits)
    except OSError as exc:
        raise PipelineError(
            f"Data acuan otentikasi tidak dapat dibaca ({os_reason(exc)}). "
            "Periksa reference.employees dan reference.budget di config.yaml."
        ) from None
    return employees, budget


def _person(
    section: str, index: int, record: dict[str, Any], employees: dict[str, dict[str, str]], source: str
) -> Check:
    name = label(section, index, record)
    nip = record.get("nip")
    found = employees.get(nip) if nip is not None else None
    if found is None:
        return Check(
            section,
            name,
            "terdaftar di data induk pegawai",
            ERROR,
            f"NIP tidak ditemukan di data induk pegawai ({source})",
        )
    if bare_name(found.get("nama")) != bare_name(record.get("nama")):
        return Check(
            section,
            name,
            "nama sesuai data induk pegawai",
            ERROR,
            f"nama di data induk pegawai adalah \u201c{found.get('nama')}\u201d",
        )
    return Check(
        section,
        name,
        "nama dan NIP sesuai data induk pegawai",
        PASS,
        f"{found.get('nama')}, {found.get('unit') or '-'}",
    )


def _allocation(unit: str, tahun: object, total: int, budget: list[dict[str, str]], source: str) -> Check:
    name = "Pagu seluruh paket"
    for row in budget:
        same_unit = bare_name(row.get("unit")) == bare_name(unit)
        same_year = not row.get("tahun_anggaran") or str(row.get("tahun_anggaran")) == str(tahun)
        if same_unit and same_year:
            try:
                allocated = parse_amount(row.get("pagu", ""))
            except ValueError:
                continue
            if total > allocated:
                return Check(
                    "paket",
                    name,
                    "pagu terhadap alokasi DIPA",
                    ERROR,
                    f"jumlah pagu {rupiah(total)} melebihi alokasi {rupiah(allocated)} ({source})",
                )
            return Check(
                "paket",
                name,
                "pagu terhadap alokasi DIPA",
                PASS,
                f"{rupiah(total)} dari alokasi {rupiah(allocated)} ({source})",
            )
    return Check(
        "paket",
        name,
        "pagu terhadap alokasi DIPA",
        ERROR,
        f"alokasi anggaran unit \u201c{unit}\u201d tahun {tahun or '-'} tidak ditemukan ({source})",
    )


def authenticate(config: Config, registration: dict, unit: str, total: int) -> list[Check]:
    """Checks of every person and of the pagu total against the reference data."""
    employees, budget = load_reference(config)
    checks = []
    if employees is not None and config.employees is not None:
        source = config.employees.name
        for section in ("ppk", "panitia"):
            for index, record in enumerate(registration[section], start=1):
                checks.append(_person(section, index, record, employees, source))
    if budget is not None and config.budget is not None:
        checks.append(_allocation(unit, registration.get("tahun_anggaran"), total, budget, config.budget.name))
    return checks


def basis(config: Config) -> str:
    """What step 7 was checked against, for the Daftar Otentifikasi."""
    parts = []
    if config.employees:
        parts.append(f"data induk pegawai ({config.employees.name})")
    if config.budget:
        parts.append(f"alokasi anggaran DIPA ({config.budget.name})")
    return " dan ".join(parts)


def manual(registration: dict, total: int, who: str) -> list[Check]:
    """Checks recorded by the Kasubbid's own authentication, one per person and the pagu total."""
    note = f"diotentikasi oleh {who}"
    checks = [
        Check(section, label(section, index, record), "identitas dan jabatan", PASS, note)
        for section in ("ppk", "panitia")
        for index, record in enumerate(registration[section], start=1)
    ]
    checks.append(Check("paket", "Pagu seluruh paket", "pagu terhadap alokasi DIPA", PASS, f"{rupiah(total)}, {note}"))
    return checks
