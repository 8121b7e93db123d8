"""Verification of registration data (SOP step 6, docs/verification.md).

Structure is checked with one Cerberus schema per section; the rules that
look inside a value (NIP, e-mail, phone, pagu) or span records (panitia
composition, PPK not in panitia, duplicate NIPs, paket -> PPK) are plain
functions. Every check on every record yields a ``Check``, passed or not,
so the Daftar Verifikasi can show all of them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from pipeline.fields import format_nip, normalise_nip
from pipeline.readers.validate import check as cerberus_check
from pipeline.states import Verdict

if TYPE_CHECKING:
    from pipeline.config import Rules

PASS, ERROR, WARNING = Verdict
ROLES = ("ketua", "sekretaris", "anggota")
SECTION_NAMES = {"ppk": "PPK", "panitia": "Panitia", "paket": "Paket"}

_TEXT = {"type": "string", "empty": False, "required": True}
_OPTIONAL = {"type": "string", "nullable": True, "required": False}
SCHEMAS = {
    "ppk": {"nama": _TEXT, "nip": _TEXT, "jabatan": _TEXT, "email": _TEXT, "telepon": _OPTIONAL, "no_sk": _TEXT},
    "panitia": {
        "nama": _TEXT,
        "nip": _TEXT,
        "peran": _TEXT,
        "no_sertifikat": _OPTIONAL,
        "email": _TEXT,
        "telepon": _OPTIONAL,
    },
    "paket": {
        "nama": _TEXT,
        "pagu": {"type": "integer", "required": True},
        "sumber_dana": _TEXT,
        "metode": _TEXT,
        "ppk_nip": _TEXT,
    },
}
FIELD_NAMES = {
    "nama": "nama",
    "nip": "NIP",
    "jabatan": "jabatan",
    "email": "e-mail",
    "telepon": "telepon",
    "no_sk": "nomor SK",
    "peran": "peran",
    "no_sertifikat": "nomor sertifikat",
    "pagu": "pagu",
    "sumber_dana": "sumber dana",
    "metode": "metode",
    "ppk_nip": "NIP PPK",
}


@dataclass(frozen=True)
class Check:
    """One check on one record (or on a whole section) and its result."""

    section: str
    record: str  # how staff recognise it: "PPK 1 (NIP 19710605 199803 1 004, Dr. Hendra ...)"
    name: str  # what was checked, in Indonesian
    result: Verdict  # sesuai | error | peringatan
    message: str = ""

    @property
    def finding(self) -> str:
        return f"{self.record}: {self.message}"


def label(section: str, index: int, record: dict) -> str:
    name = record.get("nama") or "-"
    if section == "paket":
        return f"Paket {index} ({name})"
    nip = record.get("nip") or "-"
    shown = format_nip(nip) if isinstance(nip, str) and len(nip) == 18 else nip
    return f"{SECTION_NAMES[section]} {index} (NIP {shown}, {name})"


def nip_problems(nip: str) -> list[tuple[Verdict, str]]:
    """Problems of an 18-digit NIP: (level, message) pairs; empty when sound."""
    try:
        nip = normalise_nip(nip)
    except ValueError as exc:
        return [(ERROR, str(exc))]
    problems = []
    try:
        born = dt.date(int(nip[:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        problems.append((ERROR, f"tanggal lahir pada NIP ({nip[:8]}) tidak ada di kalender"))
        born = None
    year, month = int(nip[8:12]), int(nip[12:14])
    if not 1 <= month <= 12:
        problems.append((ERROR, f"bulan TMT CPNS pada NIP ({nip[8:14]}) harus 01 sampai 12"))
    elif born and (year, month) < (born.year + 18, born.month):
        problems.append((WARNING, f"TMT CPNS pada NIP ({nip[8:14]}) sebelum usia 18 tahun"))
    if nip[14] not in "12":
        problems.append((ERROR, f"digit jenis kelamin pada NIP ({nip[14]}) harus 1 atau 2"))
    if nip[15:] == "000":
        problems.append((ERROR, "nomor urut pada NIP tidak boleh 000"))
    return problems


def email_problem(value: str) -> str | None:
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return f"alamat e-mail \u201c{value}\u201d tidak sah"
    return None


def normalise_phone(value: object) -> str | None:
    """Phone in +62 form, or None when it cannot be read as an Indonesian number."""
    try:
        number = phonenumbers.parse(str(value), "ID")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _record_checks(section: str, index: int, record: dict[str, Any], rules: Rules) -> list[Check]:
    name = label(section, index, record)
    checks = []

    def add(what: str, problems: list[tuple[Verdict, str]]) -> None:
        if not problems:
            checks.append(Check(section, name, what, PASS))
        for level, message in problems:
            checks.append(Check(section, name, what, level, message))

    _, errors = cerberus_check(
        SCHEMAS[section], {k: v for k, v in record.items() if not k.startswith("_")}, allow_unknown=True
    )
    add("kelengkapan isian", [(ERROR, f"{FIELD_NAMES.get(path, path)} {text}") for path, text in errors])
    if "nip" in SCHEMAS[section] and record.get("nip"):
        add("NIP", nip_problems(record["nip"]))
    if record.get("email"):
        problem = email_problem(record["email"])
        add("e-mail", [(ERROR, problem)] if problem else [])
    if record.get("telepon"):
        ok = normalise_phone(record["telepon"])
        add(
            "telepon",
            []
            if ok
            else [(WARNING, f"nomor telepon \u201c{record['telepon']}\u201d tidak dapat diubah ke bentuk +62")],
        )
    if section == "panitia":
        checks.extend(_member_checks(name, record, rules))
    if section == "paket" and isinstance(record.get("pagu"), int):
        checks.extend(_paket_checks(name, record, rules))
    return checks


def _member_checks(name: str, record: dict[str, Any], rules: Rules) -> list[Check]:
    role = (record.get("peran") or "").lower()
    checks = [
        Check("panitia", name, "peran", PASS)
        if role in ROLES
        else Check(
            "panitia",
            name,
            "peran",
            ERROR,
            f"peran \u201c{record.get('peran')}\u201d harus ketua, sekretaris atau anggota",
        )
    ]
    if rules.require_certificate:
        has = bool(record.get("no_sertifikat"))
        checks.append(
            Check(
                "panitia",
                name,
                "sertifikat keahlian pengadaan",
                PASS if has else ERROR,
                "" if has else "nomor sertifikat keahlian pengadaan belum diisi",
            )
        )
    return checks


def _paket_checks(name: str, record: dict[str, Any], rules: Rules) -> list[Check]:
    pagu = record["pagu"]
    checks = [
        Check("paket", name, "pagu", PASS)
        if pagu > 0
        else Check("paket", name, "pagu", ERROR, "pagu harus lebih dari nol rupiah")
    ]
    method = " ".join(str(record.get("metode") or "").lower().split())
    limits = rules.method_thresholds.get(method)
    if limits is None:
        checks.append(
            Check(
                "paket",
                name,
                "metode terhadap pagu",
                WARNING,
                f"metode \u201c{record.get('metode')}\u201d tidak dikenal dalam konfigurasi",
            )
        )
    elif "max" in limits and pagu > limits["max"]:
        checks.append(
            Check(
                "paket",
                name,
                "metode terhadap pagu",
                WARNING,
                f"pagu melebihi batas {method} ({limits['max']:,} rupiah)".replace(",", "."),
            )
        )
    elif "min" in limits and pagu < limits["min"]:
        checks.append(
            Check(
                "paket",
                name,
                "metode terhadap pagu",
                WARNING,
                f"pagu di bawah batas {method} ({limits['min']:,} rupiah)".replace(",", "."),
            )
        )
    else:
        checks.append(Check("paket", name, "metode terhadap pagu", PASS))
    return checks


def _nip(record: dict[str, Any]) -> str | None:
    try:
        return normalise_nip(record.get("nip") or record.get("ppk_nip") or "")
    except ValueError:
        return None


def _composition(panitia: list[dict[str, Any]], rules: Rules) -> list[Check]:
    """Panitia as a whole: size, odd count, exactly the configured number of ketua."""
    name = "Panitia (seluruh anggota)"
    count = len(panitia)
    ketua = sum(1 for r in panitia if (r.get("peran") or "").lower() == "ketua")
    checks = []
    if count < rules.panitia_min_members:
        checks.append(
            Check(
                "panitia",
                name,
                "jumlah anggota",
                ERROR,
                f"jumlah anggota {count} orang, paling sedikit {rules.panitia_min_members} orang",
            )
        )
    elif rules.panitia_odd and count % 2 == 0:
        checks.append(
            Check("panitia", name, "jumlah anggota", ERROR, f"jumlah anggota {count} orang; jumlahnya harus ganjil")
        )
    else:
        checks.append(Check("panitia", name, "jumlah anggota", PASS))
    if ketua != rules.panitia_ketua:
        checks.append(
            Check("panitia", name, "ketua panitia", ERROR, f"terdapat {ketua} ketua; harus tepat {rules.panitia_ketua}")
        )
    else:
        checks.append(Check("panitia", name, "ketua panitia", PASS))
    return checks


def _duplicates(section: str, records: list[dict[str, Any]]) -> list[Check]:
    seen: dict = {}
    checks = []
    for index, record in enumerate(records, start=1):
        nip = _nip(record)
        if nip and nip in seen:
            checks.append(
                Check(
                    section,
                    label(section, index, record),
                    "NIP ganda",
                    ERROR,
                    f"NIP sama dengan {SECTION_NAMES[section]} {seen[nip]}",
                )
            )
        elif nip:
            seen[nip] = index
    return checks


def _cross(registration: dict[str, Any]) -> list[Check]:
    checks = []
    ppk_nips = {_nip(r) for r in registration["ppk"]} - {None}
    for index, record in enumerate(registration["panitia"], start=1):
        if _nip(record) in ppk_nips:
            checks.append(
                Check(
                    "panitia",
                    label("panitia", index, record),
                    "rangkap PPK dan panitia",
                    ERROR,
                    "orang yang sama terdaftar sebagai PPK dan anggota panitia",
                )
            )
    for index, record in enumerate(registration["paket"], start=1):
        nip = _nip({"nip": record.get("ppk_nip")})
        ok = nip in ppk_nips
        checks.append(
            Check(
                "paket",
                label("paket", index, record),
                "PPK paket",
                PASS if ok else ERROR,
                "" if ok else f"NIP PPK \u201c{record.get('ppk_nip')}\u201d tidak terdaftar sebagai PPK pada data ini",
            )
        )
    return checks


def verify(registration: dict, rules: Rules) -> list[Check]:
    """Every check on every record of a registration, in the order staff read them."""
    checks = []
    for section in ("ppk", "panitia", "paket"):
        for index, record in enumerate(registration[section], start=1):
            checks.extend(_record_checks(section, index, record, rules))
        checks.extend(_duplicates(section, registration[section]) if section != "paket" else [])
    checks.extend(_composition(registration["panitia"], rules))
    checks.extend(_cross(registration))
    if not registration["ppk"]:
        checks.append(Check("ppk", "PPK (seluruhnya)", "jumlah PPK", ERROR, "belum ada PPK yang didaftarkan"))
    if not registration["paket"]:
        checks.append(Check("paket", "Paket (seluruhnya)", "jumlah paket", ERROR, "belum ada paket yang didaftarkan"))
    return checks


def findings(checks: list[Check], level: str | None = None) -> list[str]:
    """The checks that did not pass (optionally of one level), as Indonesian lines."""
    return [c.finding for c in checks if c.result != PASS and (level is None or c.result == level)]
