"""The archival classification codes of Lampiran A of Permendagri 83/2022 (the Kementerian's list),
shipped as data (pipeline/data/klasifikasi_kemendagri.csv, made by tools/make_klasifikasi.py)."""

import csv
import difflib
import functools
import io
import re
from dataclasses import dataclass
from importlib import resources

DATA = "klasifikasi_kemendagri.csv"
REGULATION = "Lampiran A Permendagri 83/2022"


@dataclass(frozen=True)
class Kode:
    """One code of the list: the code, its title, its level (1 for 000) and its parent code."""

    kode: str
    judul: str
    tingkat: int
    induk: str


@functools.lru_cache(maxsize=1)
def codes() -> dict[str, Kode]:
    """Every code of Lampiran A by code, in the regulation's order (read once: the file never changes)."""
    text = (resources.files("pipeline") / "data" / DATA).read_text(encoding="utf-8")
    return {
        row["kode"]: Kode(row["kode"], row["judul"], int(row["tingkat"]), row["induk"])
        for row in csv.DictReader(io.StringIO(text))
    }


def title(code: str) -> str:
    """The title of ``code`` in Lampiran A, or "" when the list does not have it."""
    found = codes().get(code)
    return found.judul if found else ""


CODE = re.compile(r"^\d{3}(?:\.\d+)*$")


def of_number(nomor: str | None) -> dict[str, str]:
    """{"kode", "judul"} of a letter number's leading code (``000.4.5/606/ADPIM/2026``); the code is
    kept whole; the title is empty where the code is not in Lampiran A (e.g. a revoked ``027``)."""
    head = (nomor or "").split("/", 1)[0].strip()
    if not CODE.match(head):
        return {"kode": "", "judul": ""}
    return {"kode": head, "judul": title(head)}


def label(nomor: str | None) -> str:
    """``000.4.5 Pengolahan Sistem Informasi Pengadaan`` for a number opening with a code of Lampiran A;
    "" otherwise (the books show only what the list names)."""
    code = of_number(nomor)
    return f"{code['kode']} {code['judul']}" if code["judul"] else ""


def note(nomor: str | None) -> str:
    """The agenda masuk's Keterangan line naming an incoming number's classification, or ""."""
    code = of_number(nomor)
    return f"Klasifikasi {code['kode']}: {code['judul']}." if code["judul"] else ""


def opens_with_code(pattern: str) -> bool:
    """Whether a number format puts a classification code first (``{kode}/...`` or ``027/...``)."""
    head = pattern.split("/", 1)[0].strip()
    return head == "{kode}" or bool(CODE.match(head))


def of_outgoing(nomor: str | None, pattern: str) -> dict[str, str]:
    """{"kode", "judul"} of an outgoing letter numbered by ``pattern``: empty where the format has no code."""
    return of_number(nomor) if opens_with_code(pattern) else {"kode": "", "judul": ""}


def nearest(value: str) -> Kode | None:
    """The code of the list closest to an unknown ``value``: by title when it reads as words, by the
    code's digits otherwise; None when nothing is close."""
    table = codes()
    if any(ch.isalpha() for ch in value):
        titles = {k.judul.lower(): k.kode for k in table.values()}
        containing = sorted((t for t in titles if value.lower() in t), key=len)
        if containing:
            return table[titles[containing[0]]]
        match = difflib.get_close_matches(value.lower(), titles, n=1, cutoff=0.4)
        return table[titles[match[0]]] if match else None
    match = difflib.get_close_matches(value, table, n=1, cutoff=0.5)
    return table[match[0]] if match else None


def unknown_reason(key: str, value: object) -> str:
    """The Indonesian reason a configured code is refused, naming the nearest code of the list."""
    reason = f"Konfigurasi {key} \u201c{value}\u201d bukan kode klasifikasi dalam {REGULATION}."
    near = nearest(str(value))
    if near:
        reason += f" Yang terdekat: {near.kode} \u201c{near.judul}\u201d."
    return reason + " Perbaiki kodenya di config.yaml."
