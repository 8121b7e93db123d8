"""Parsing of the field values staff and senders write: dates, amounts, NIPs.

Each parser returns a clean Python value or raises ``ValueError`` whose text
is an Indonesian sentence fit for a reason file.
"""

import datetime as dt
import re

from babel.dates import get_month_names

# Month names from the CLDR Indonesian locale, plus the old spellings still
# typed in many offices and the common three-letter abbreviations.
_OLD_SPELLINGS = {"pebruari": 2, "nopember": 11, "agustus": 8}


def _month_table() -> dict[str, int]:
    table: dict[str, int] = {}
    for number, name in get_month_names("wide", locale="id").items():
        table[name.lower()] = number
        table[name.lower()[:3]] = number
    for number, name in get_month_names("abbreviated", locale="id").items():
        table[name.lower().rstrip(".")] = number
    table.update(_OLD_SPELLINGS)
    table["peb"] = 2
    table["nop"] = 11
    return table


MONTHS = _month_table()

_LONG = re.compile(r"(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})")
_NUMERIC = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
# A weekday before the date (``Senin 7 Desember 2026``, ``Hari/Tanggal : Jum'at, 4 Desember 2026``).
_WEEKDAY = re.compile(r"^(?:senin|selasa|rabu|kamis|jum['\u2019]?at|sabtu|minggu|ahad)\b,?\s*", re.IGNORECASE)


def parse_date(value: object) -> dt.date:
    """Read an Indonesian date: long form, dd-mm-yyyy, dd/mm/yyyy or ISO.

    A place name or a weekday before the date (``Jakarta, 18 November 2026``,
    ``Rabu 18 November 2026``) is allowed.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = " ".join(str(value).split())
    if "," in text:
        text = text.rsplit(",", 1)[1].strip()
    text = _WEEKDAY.sub("", text)
    for pattern, order in ((_ISO, "ymd"), (_NUMERIC, "dmy"), (_LONG, "dmy")):
        match = pattern.fullmatch(text)
        if match:
            return _build_date(match, order, value)
    raise ValueError(
        f"Tanggal \u201c{value}\u201d tidak dapat dibaca. Tuliskan seperti "
        "\u201c18 November 2026\u201d, \u201c18-11-2026\u201d atau \u201c2026-11-18\u201d."
    )


def _build_date(match: re.Match[str], order: str, original: object) -> dt.date:
    parts = dict(zip(order, match.groups()))
    month = parts["m"]
    if not month.isdigit():
        if month.lower() not in MONTHS:
            raise ValueError(f"Nama bulan \u201c{month}\u201d pada tanggal \u201c{original}\u201d tidak dikenal.")
        month = MONTHS[month.lower()]
    try:
        return dt.date(int(parts["y"]), int(month), int(parts["d"]))
    except ValueError:
        raise ValueError(f"Tanggal \u201c{original}\u201d tidak ada di kalender. Periksa hari dan bulannya.") from None


_NIP_CHARS = re.compile(r"[\s.\-]")


def normalise_nip(value: object) -> str:
    """Return the NIP as 18 digits; spaces, dots and dashes are allowed in input."""
    digits = _NIP_CHARS.sub("", str(value))
    if not digits.isdigit() or len(digits) != 18:
        raise ValueError(f"NIP \u201c{value}\u201d harus terdiri atas 18 angka (terbaca {len(digits)} karakter).")
    return digits


def format_nip(nip: object) -> str:
    """Print an 18-digit NIP in its usual grouping: 19750312 200003 2 001."""
    text = str(nip)
    if len(text) != 18 or not text.isdigit():
        return text
    return f"{text[:8]} {text[8:14]} {text[14]} {text[15:]}"


_RUPIAH_DOTTED = re.compile(r"\d{1,3}(\.\d{3})+")
# Rp1.000.000.000.000.000 (one quadrillion): no package comes near; beyond it is a typing error.
MAX_AMOUNT = 10**15


def _bounded(amount: int) -> int:
    if amount > MAX_AMOUNT:
        raise ValueError(
            f"Jumlah {amount:,} rupiah terlalu besar untuk sebuah pagu (paling besar "
            "Rp1.000.000.000.000.000). Periksa jumlah angkanya.".replace(",", ".")
        )
    return amount


def parse_amount(value: object) -> int:
    """Read a Rupiah amount written as 1500000000, 1.500.000.000 or Rp1.500.000.000,00.

    Anything that could be read two ways (``1,5 M``, ``1.500``-style fractions)
    is refused rather than guessed.
    """
    if isinstance(value, bool):
        raise ValueError(f"Nilai \u201c{value}\u201d bukan jumlah rupiah.")
    if isinstance(value, int):
        return _bounded(value)
    text = re.sub(r"\s", "", str(value))
    text = re.sub(r"^(rp\.?)", "", text, flags=re.IGNORECASE)
    text = re.sub(r",(00?|-)$", "", text)
    if (text.isdigit() or _RUPIAH_DOTTED.fullmatch(text)) and len(text.replace(".", "")) > 16:
        raise ValueError(
            f"Jumlah \u201c{str(value)[:40]}\u201d terlalu besar untuk sebuah pagu (paling besar "
            "Rp1.000.000.000.000.000). Periksa jumlah angkanya."
        )
    if text.isdigit():
        return _bounded(int(text))
    if _RUPIAH_DOTTED.fullmatch(text):
        return _bounded(int(text.replace(".", "")))
    raise ValueError(
        f"Jumlah \u201c{value}\u201d tidak dapat dibaca dengan pasti. Tuliskan dalam "
        "rupiah penuh, misalnya 1500000000 atau Rp1.500.000.000,00."
    )
