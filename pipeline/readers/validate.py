"""Structure checks with Cerberus, and the rules that span records.

One schema per input kind. Cerberus's messages are given in Indonesian
(``IndonesianErrors``) and its nested errors flattened by ``explain`` into
sentences that name the field, so a reason file tells staff exactly what to
fix.
"""

import re
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from cerberus import Validator, errors

from pipeline.errors import IncompleteLetter
from pipeline.fields import parse_date

REQUIRED = "wajib diisi tetapi tidak ada"
_TYPES = {
    "string": "teks",
    "integer": "bilangan bulat",
    "number": "angka",
    "boolean": "true atau false",
    "list": "daftar",
    "dict": "pasangan kunci: nilai",
    "date": "tanggal",
    "datetime": "tanggal dan jam",
}


class IndonesianErrors(errors.BasicErrorHandler):
    """Cerberus's messages, in the Indonesian staff read."""

    messages = {  # noqa: RUF012 - cerberus reads the class attribute
        **errors.BasicErrorHandler.messages,
        1: "dokumen tidak ada",
        2: REQUIRED,
        3: "tidak dikenal (periksa ejaannya atau hapus)",
        4: "kolom \u201c{0}\u201d wajib ada",
        5: "bergantung pada nilai {constraint}",
        6: "tidak boleh ada bersama \u201c{field}\u201d",
        33: "harus berupa pasangan kunci: nilai",
        34: "tidak boleh kosong",
        35: "tidak boleh kosong",
        36: "jenis nilainya salah (harus {constraint})",
        37: "harus berupa pasangan kunci: nilai",
        38: "harus berisi {0} butir, bukan {1}",
        39: "paling sedikit {constraint} karakter atau butir",
        40: "paling banyak {constraint} karakter atau butir",
        65: "tidak sesuai bentuk yang diminta",
        66: "paling kecil {constraint}",
        67: "paling besar {constraint}",
        68: "nilainya tidak termasuk pilihan yang diperbolehkan",
        69: "nilainya tidak termasuk pilihan yang diperbolehkan",
        70: "nilainya tidak termasuk pilihan yang diperbolehkan",
        71: "nilainya tidak termasuk pilihan yang diperbolehkan",
        72: "tidak memuat {0}",
        97: "nilainya tidak dapat dibaca",
        98: "tidak dapat diganti namanya",
        99: "tidak boleh diubah",
        100: "nilai bawaannya tidak dapat diisi",
        129: "isinya tidak sah",
        130: "ada butir yang tidak sah",
        131: "ada kunci yang tidak sah",
        132: "ada nilai yang tidak sah",
        133: "ada butir yang tidak sah",
        145: "memenuhi lebih dari satu bentuk",
        146: "tidak memenuhi tepat satu bentuk",
        147: "tidak memenuhi bentuk mana pun",
        148: "ada bentuk yang tidak dipenuhi",
    }

    def _format_message(self, field: str, error: Any) -> str:
        constraint = error.constraint
        if error.code == 36:
            kinds: list[str] = list(constraint) if isinstance(constraint, (list, tuple)) else [constraint]
            constraint = " atau ".join(_TYPES.get(k, k) for k in kinds)
        return self.messages[error.code].format(*error.info, constraint=constraint, field=field, value=error.value)


@dataclass(frozen=True)
class Finding:
    """One problem found in a record: where, what, and how serious."""

    record: str
    field: str
    message: str
    level: str = "error"


def _flatten(errors: Mapping[Any, Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    for key, value in errors.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        for item in value:
            if isinstance(item, dict):
                yield from _flatten(item, path)
            else:
                yield path, item


def too_long(where: str, length: int, limit: int, key: str) -> str:
    """The reason a free-text field past its limit is refused (documents print it whole)."""
    shown, most = (f"{n:,}".replace(",", ".") for n in (length, limit))
    return f"{where} terlalu panjang: {shown} karakter, paling banyak {most} (limits.{key} di config.yaml)."


def explain(validator: Validator) -> list[tuple[str, str]]:
    """Return the validator's errors as ``(dotted.path, Indonesian message)`` pairs."""
    return list(_flatten(validator.errors))


SIFAT = ("Sangat Segera", "Segera", "Penting", "Rahasia", "Biasa")

_TEXT = {"type": "string", "empty": False}
_OPTIONAL_TEXT = {"type": "string", "nullable": True}

MEMO_SCHEMA = {
    "jenis": {"type": "string", "allowed": ["nota_dinas"]},
    "nomor": {**_TEXT, "required": True, "maxlength": 200},
    "tanggal": {"required": True, "empty": False, "nullable": False},
    "dari": {**_TEXT, "required": True, "maxlength": 500},
    "hal": {**_TEXT, "required": True, "maxlength": 2000},
    "kepada": {**_OPTIONAL_TEXT, "maxlength": 500},
    "sifat": {**_OPTIONAL_TEXT},
    "lampiran": {**_OPTIONAL_TEXT, "maxlength": 500},
    "tembusan": {**_OPTIONAL_TEXT, "maxlength": 2000},
    "unit": {**_OPTIONAL_TEXT, "maxlength": 500},
}

_LABELS = {
    "nomor": "Nomor",
    "tanggal": "Tanggal",
    "dari": "Dari",
    "hal": "Hal",
    "kepada": "Kepada",
    "sifat": "Sifat",
    "lampiran": "Lampiran",
    "tembusan": "Tembusan",
    "unit": "Unit",
}


def _stringify(fields: Mapping[str, Any]) -> dict[str, Any]:
    """YAML may give numbers or dates; header fields are all text except tanggal."""
    clean: dict[str, Any] = {}
    for key, value in fields.items():
        if key != "tanggal" and value is not None and not isinstance(value, str):
            value = str(value)
        if isinstance(value, str):
            value = " ".join(value.split())
        clean[key] = value
    return clean


def normalise_sifat(value: str | None) -> str:
    """Map the sender's spelling of Sifat onto one of the four official values."""
    if not value:
        return "Biasa"
    wanted = " ".join(value.split()).lower()
    for option in SIFAT:
        if option.lower() == wanted:
            return option
    raise ValueError(f"Sifat \u201c{value}\u201d tidak dikenal; pilihannya: " + ", ".join(SIFAT) + ".")


def _memo_reason(path: str, message: str, source: str) -> str:
    label = _LABELS.get(path, path)
    if message == REQUIRED:
        return f"\u201c{label}\u201d tidak ditemukan pada kepala {source}."
    return f"Kolom \u201c{label}\u201d pada {source} {message}."


def validate_memo(fields: Mapping[str, Any], source: str = "Nota Dinas") -> dict[str, Any]:
    """Check a memo's header fields; return them cleaned, or raise IncompleteLetter naming each
    field that is missing or unreadable (an incoming letter then waits for a draft, never refused)."""
    validator = _validator(MEMO_SCHEMA)
    fields = _stringify(fields)
    problems: dict[str, str] = {}
    if not validator.validate(fields):
        reasons = [(path, _memo_reason(path, message, source)) for path, message in explain(validator)]
        for path, reason in reasons:
            problems.setdefault(path, reason)
        raise IncompleteLetter([reason for _, reason in reasons], fields, problems=problems)
    memo = dict(validator.document)
    try:
        memo["tanggal"] = parse_date(memo["tanggal"])
    except ValueError as exc:
        problems["tanggal"] = f"Kolom \u201cTanggal\u201d pada {source}: {exc}"
    try:
        memo["sifat"] = normalise_sifat(memo.get("sifat"))
    except ValueError as exc:
        problems["sifat"] = f"Kolom \u201cSifat\u201d pada {source}: {exc}"
    if problems:
        raise IncompleteLetter(list(problems.values()), fields, problems=problems)
    return memo


_VALIDATORS = threading.local()


def _validator(schema: Mapping[str, Any], allow_unknown: bool = False) -> Validator:
    """A Cerberus validator for ``schema``, made once per schema and thread.

    Making one validates the schema itself, which costs more than checking a
    record; a validator is reused (``validate`` starts afresh each time) while
    its schema object lives. The cache holds the schema, so its id is never reused.
    """
    cache = getattr(_VALIDATORS, "cache", None)
    if cache is None or len(cache) > 64:
        cache = _VALIDATORS.cache = {}
    key = (id(schema), allow_unknown)
    held = cache.get(key)
    if held is None or held[0] is not schema:
        held = cache[key] = (schema, Validator(schema, allow_unknown=allow_unknown, error_handler=IndonesianErrors))
    return held[1]


def check(
    schema: Mapping[str, Any], document: Mapping[str, Any], allow_unknown: bool = False
) -> tuple[dict[str, Any] | None, list[tuple[str, str]]]:
    """Validate ``document`` against ``schema``; return (clean document, errors)."""
    validator = _validator(schema, allow_unknown)
    ok = validator.validate(document)
    return (validator.document if ok else None), explain(validator)


_ULP_PREFIX = re.compile(r"^(ketua|kepala|sekretaris)?\s*(unit layanan pengadaan|ulp|pokja ulp)\s+", re.IGNORECASE)


def memo_unit(memo_fields: Mapping[str, Any]) -> str:
    """The requesting unit: given by staff, or read from ``dari`` past the ULP title."""
    if memo_fields.get("unit"):
        return memo_fields["unit"]
    dari = memo_fields.get("dari") or ""
    return _ULP_PREFIX.sub("", dari).strip() or dari
