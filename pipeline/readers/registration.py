"""Turn registration fields (from YAML or CSV) into one clean document.

Only what makes the file unreadable as registration data is refused here
(no rujukan, sections that are not lists, amounts that cannot be read with
certainty); everything else is kept and judged by ``rules.verify``.
"""

import datetime as dt
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pipeline.errors import InputRefused
from pipeline.fields import normalise_nip, parse_amount
from pipeline.sop.rules import SECTION_NAMES, normalise_phone

if TYPE_CHECKING:
    from pipeline.config import Limits

SECTIONS = ("ppk", "panitia", "paket")


def _clean(value: object) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def _record(section: str, index: int, raw: object, problems: list[str]) -> dict[str, Any] | None:
    if not isinstance(raw, dict):
        problems.append(f"{SECTION_NAMES[section]} ke-{index} bukan daftar isian (kunci: nilai).")
        return None
    record = {str(k): (v if k == "_baris" else _clean(v)) for k, v in raw.items()}
    if section == "paket" and "nama_paket" in record and not record.get("nama"):
        record["nama"] = record.pop("nama_paket")
    for key in ("nip", "ppk_nip"):
        if record.get(key):
            try:
                record[key] = normalise_nip(record[key])
            except ValueError:
                pass  # kept as written; rules.verify reports it
    if record.get("telepon"):
        record["telepon"] = normalise_phone(record["telepon"]) or record["telepon"]
    if section == "paket" and record.get("pagu") is not None:
        where = f"baris {raw['_baris']}" if "_baris" in raw else f"paket ke-{index}"
        try:
            record["pagu"] = parse_amount(raw["pagu"])
        except ValueError as exc:
            problems.append(f"Pagu pada {where}: {exc}")
    return record


SHOWN = 20  # long fields named in a refusal; the rest counted


def refuse_oversized(registration: Mapping[str, Any], limits: "Limits") -> None:
    """More rows than ``limits.max_registration_rows``, or a text field past ``limits.max_text_chars``,
    is refused, naming where: the documents print it all, and must stay printable and convertible."""
    rows = sum(len(registration[section]) for section in SECTIONS)
    if rows > limits.max_registration_rows:
        count, limit = (f"{n:,}".replace(",", ".") for n in (rows, limits.max_registration_rows))
        raise InputRefused(
            f"Data registrasi berisi {count} baris (PPK, panitia dan paket), melebihi batas {limit} "
            "baris (limits.max_registration_rows di config.yaml): dokumennya tidak dapat dicetak dan "
            "diubah menjadi PDF dalam waktu wajar. Ajukan paket-paket itu dengan beberapa Nota Dinas, "
            f"masing-masing dengan data registrasi paling banyak {limit} baris.",
            kind="registrasi",
        )
    _refuse_long_text(registration, limits)


def _refuse_long_text(registration: Mapping[str, Any], limits: "Limits") -> None:
    """Every text field past ``limits.max_text_chars``, named (at most SHOWN of them)."""
    from pipeline.readers.validate import too_long

    limit = limits.max_text_chars
    problems: list[str] = []
    if len(registration.get("unit") or "") > limit:
        problems.append(too_long("Kolom \u201cunit\u201d", len(registration["unit"]), limit, "max_text_chars"))
    for section in SECTIONS:
        for index, record in enumerate(registration[section], start=1):
            where = f"baris {record['_baris']}" if "_baris" in record else f"{SECTION_NAMES[section]} ke-{index}"
            problems += [
                too_long(f"Kolom \u201c{key}\u201d pada {where}", len(value), limit, "max_text_chars")
                for key, value in record.items()
                if isinstance(value, str) and len(value) > limit
            ]
    if problems:
        more = [f"Dan {len(problems) - SHOWN} isian lain yang terlalu panjang."] if len(problems) > SHOWN else []
        advice = "Ringkas isian itu, lalu letakkan kembali berkas registrasinya di inbox."
        raise InputRefused([*problems[:SHOWN], *more, advice], kind="registrasi")


def budget_year(memo_hal: str | None, now: dt.date) -> int:
    """The budget year a memo asks about (``Tahun Anggaran 2027`` in its Hal), else next year."""
    found = re.search(r"(?:Tahun Anggaran|TA\.?)\s*(\d{4})", memo_hal or "", re.IGNORECASE)
    return int(found.group(1)) if found else now.year + 1


def _tahun(fields: Mapping[str, Any]) -> int | None:
    value = fields.get("tahun_anggaran")
    if value is None:
        return None
    if not str(value).strip().isdigit() or len(str(value).strip()) != 4:
        raise InputRefused(f"Tahun anggaran \u201c{value}\u201d harus empat angka, misalnya 2027.", kind="registrasi")
    return int(value)


def normalise(fields: Mapping[str, Any]) -> dict[str, Any]:
    """A registration dict: rujukan, unit, tahun_anggaran, ppk, panitia, paket."""
    problems: list[str] = []
    if not _clean(fields.get("rujukan")):
        problems.append("Kolom \u201crujukan\u201d (nomor Nota Dinas atau nomor kasus) belum diisi.")
    registration: dict[str, Any] = {"rujukan": _clean(fields.get("rujukan")), "unit": _clean(fields.get("unit"))}
    for section in SECTIONS:
        raw = fields.get(section) or []
        if not isinstance(raw, list):
            problems.append(f"Bagian \u201c{section}\u201d harus berupa daftar (setiap butir diawali \u201c- \u201d).")
            raw = []
        records = [_record(section, i, item, problems) for i, item in enumerate(raw, start=1)]
        registration[section] = [r for r in records if r is not None]
    if not any(registration[s] for s in SECTIONS) and not problems:
        problems.append("Berkas registrasi tidak berisi data PPK, panitia maupun paket.")
    if problems:
        raise InputRefused(problems, kind="registrasi")
    registration["tahun_anggaran"] = _tahun(fields)
    return registration


def totals(registration: Mapping[str, Any]) -> dict[str, int]:
    """The counts and pagu total shown in ``status`` and the documents."""
    pagu = sum(p["pagu"] for p in registration["paket"] if isinstance(p.get("pagu"), int))
    return {
        "ppk": len(registration["ppk"]),
        "panitia": len(registration["panitia"]),
        "paket": len(registration["paket"]),
        "pagu_total": pagu,
    }
