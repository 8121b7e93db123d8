"""The books the office keeps: the agenda masuk and keluar, and the SOP's four registers.

Each book is a title and typed columns; ``rows`` gives its rows as Python
values (dates as ``datetime.date``, pagu as ``int``) so the Excel writer can
keep them typed and the CSV writer can print them as staff read them
(``exports``). The SOP's "Pencatatan dan Pendataan" registers come from every
case's registration data as it now stands: the units using SPSE, their PPK,
their ULP/panitia, and what each unit brings to SPSE as a user agency (its
packages and their pagu per PPK; the registration carries no other list of
user agencies). ``yearly_books`` writes them into ``archive/<year>/buku/``
after every change (docs/architecture.md, "The books"); ``exports`` writes
them as CSV, Excel and JSON Lines.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pipeline.filing import klasifikasi
from pipeline.states import CaseStatus

if TYPE_CHECKING:
    from pipeline.register.records import AgendaEntry, Case
    from pipeline.register.sql import SqlRegister

Row = list[Any]  # one row of a book, its values typed (dates, int pagu), in column order
Tanggal = Callable[[Any], str]  # a date or ISO text as staff read it

TEXT, NUMBER, DATE, RUPIAH = "teks", "angka", "tanggal", "rupiah"


@dataclass(frozen=True)
class Column:
    name: str
    width: float
    kind: str = TEXT


@dataclass(frozen=True)
class Book:
    key: str
    sheet: str  # Excel sheet name: at most 31 characters, no / \ ? * [ ]
    title: str
    columns: tuple[Column, ...]
    per_year: bool  # an agenda book (one per year) or a register of every case


def _columns(*spec: tuple[Any, ...]) -> tuple[Column, ...]:
    return tuple(Column(*item) for item in spec)


BOOKS = {
    book.key: book
    for book in (
        Book(
            "masuk",
            "Agenda Masuk",
            "AGENDA SURAT MASUK",
            _columns(
                ("No", 6, NUMBER),
                ("Tanggal Terima", 16, DATE),
                ("Nomor Agenda", 16),
                ("Pengirim", 34),
                ("Tanggal dan Nomor Surat", 32),
                ("Isi Ringkasan", 48),
                ("Keterangan", 30),
            ),
            True,
        ),
        Book(
            "keluar",
            "Agenda Keluar",
            "AGENDA SURAT KELUAR",
            _columns(
                ("No", 6, NUMBER),
                ("Nomor Surat", 28),
                ("Klasifikasi", 30),
                ("Tanggal Surat", 16, DATE),
                ("Tanggal Kirim", 16, DATE),
                ("Kepada", 34),
                ("Isi Ringkasan", 48),
                ("Keterangan", 34),
            ),
            True,
        ),
        Book(
            "unit",
            "Unit Pengguna",
            "DAFTAR UNIT KERJA PENGGUNA SPSE",
            _columns(
                ("No", 6, NUMBER),
                ("Unit Kerja", 34),
                ("Nomor Nota Dinas", 26),
                ("Tanggal Terima", 16, DATE),
                ("Tahun Anggaran", 10, NUMBER),
                ("PPK", 7, NUMBER),
                ("Panitia", 8, NUMBER),
                ("Paket", 7, NUMBER),
                ("Jumlah Pagu", 22, RUPIAH),
                ("Status", 16),
                ("Nota Dinas Balasan", 26),
                ("Tanggal Kirim", 16, DATE),
                ("Kasus", 11),
            ),
            False,
        ),
        Book(
            "ppk",
            "PPK",
            "DAFTAR PEJABAT PEMBUAT KOMITMEN (PPK) UNIT KERJA PENGGUNA SPSE",
            _columns(
                ("No", 6, NUMBER),
                ("Unit Kerja", 30),
                ("Nama", 30),
                ("NIP", 22),
                ("Jabatan", 28),
                ("Nomor SK", 24),
                ("E-mail", 28),
                ("Telepon", 16),
                ("Tahun Anggaran", 10, NUMBER),
                ("Status", 16),
                ("Kasus", 11),
            ),
            False,
        ),
        Book(
            "panitia",
            "ULP-Panitia",
            "DAFTAR ULP/PANITIA PENGADAAN UNIT KERJA PENGGUNA SPSE",
            _columns(
                ("No", 6, NUMBER),
                ("Unit Kerja", 30),
                ("Nama", 30),
                ("NIP", 22),
                ("Peran", 12),
                ("Nomor Sertifikat", 22),
                ("E-mail", 28),
                ("Telepon", 16),
                ("Tahun Anggaran", 10, NUMBER),
                ("Status", 16),
                ("Kasus", 11),
            ),
            False,
        ),
        Book(
            "paket",
            "Paket dan Pagu",
            "DAFTAR PAKET DAN PAGU PENGGUNA SPSE",
            _columns(
                ("No", 6, NUMBER),
                ("Unit Kerja", 30),
                ("Nama Paket", 44),
                ("Pagu", 22, RUPIAH),
                ("Sumber Dana", 12),
                ("Metode", 20),
                ("PPK", 28),
                ("NIP PPK", 22),
                ("Tahun Anggaran", 10, NUMBER),
                ("Status", 16),
                ("Kasus", 11),
            ),
            False,
        ),
    )
}
CASE_STATUS: dict[str, str] = {
    CaseStatus.RUNNING: "Dalam proses",
    CaseStatus.HELD: "Data dikembalikan",
    CaseStatus.DONE: "Selesai",
}


def date_of(value: str | None) -> dt.date | None:
    """An ISO date or time from the register as a date (None stays None)."""
    return dt.date.fromisoformat(value[:10]) if value else None


def _received(memo: AgendaEntry, case: Case) -> dt.date:
    """The day a case's memo arrived (the case opens as it arrives)."""
    return dt.date.fromisoformat((memo.diterima or case.dibuka)[:10])


def note_of(entry: AgendaEntry, tanggal: Tanggal) -> str:
    """An agenda line's Keterangan: voided, the register's note, its case."""
    note = entry.keterangan
    if entry.batal:
        note = (f"BATAL: {entry.alasan_batal} (oleh {entry.batal_oleh}, {tanggal(entry.batal_waktu)}). " + note).strip()
    return (note + f" Kasus {entry.kasus}.").strip() if entry.kasus else note


def agenda_rows(buku: str, entries: Iterable[AgendaEntry], tanggal: Tanggal) -> Iterator[Row]:
    """Rows of one agenda book in its printed column order."""
    for entry in entries:
        note = note_of(entry, tanggal)
        if buku == "masuk":
            yield [
                entry.nomor_urut,
                date_of(entry.diterima),
                entry.nomor_agenda,
                entry.dari,
                f"{tanggal(entry.tanggal_surat)}, {entry.nomor_surat}",
                entry.hal,
                " ".join(filter(None, (klasifikasi.note(entry.nomor_surat), note))),
            ]
        else:
            yield [
                entry.nomor_urut,
                entry.nomor_surat,
                klasifikasi.label(entry.nomor_surat),
                date_of(entry.tanggal_surat),
                date_of(entry.dikirim),
                entry.kepada,
                entry.hal,
                note,
            ]


@dataclass(frozen=True)
class CaseData:
    """What the SOP registers read of one case."""

    kasus: str
    unit: str
    memo: AgendaEntry  # the memo's entry in the agenda masuk
    data: dict[str, Any]  # the registration now applied ({} before there is one)
    tahun_anggaran: int | None
    status: str
    letter: AgendaEntry | None  # the case's outgoing AgendaEntry that is not void, or None


def case_data(register: SqlRegister, tahun: int | None = None) -> Iterator[CaseData]:
    """Every case (received in ``tahun``, when given) with its current registration and letter."""
    from pipeline.readers.registration import budget_year

    letters: dict[str, AgendaEntry] = {}
    for entry in register.agenda("keluar"):
        if entry.kasus and not entry.batal:
            letters[entry.kasus] = entry
    for case in register.cases():
        memo = register.incoming(case.id)
        if memo is None or (tahun and memo.tahun != tahun):
            continue
        kept = register.registration(case.id)
        data = dict(kept.data) if kept else {}
        year = data.get("tahun_anggaran") or (budget_year(memo.hal, _received(memo, case)) if data else None)
        yield CaseData(
            case.id,
            data.get("unit") or case.unit or memo.dari,
            memo,
            data,
            year,
            CASE_STATUS.get(case.status, case.status),
            letters.get(case.id),
        )


def register_rows(key: str, cases: Iterable[CaseData]) -> Iterator[Row]:
    """Rows of one SOP register, numbered from 1."""
    make = {"unit": _unit_rows, "ppk": _ppk_rows, "panitia": _panitia_rows, "paket": _paket_rows}[key]
    rows = (row for case in cases for row in make(case))
    return ([number, *row] for number, row in enumerate(rows, start=1))


def _unit_rows(case: CaseData) -> Iterator[Row]:
    data, letter = case.data, case.letter
    pagu = sum(p["pagu"] for p in data.get("paket", []) if isinstance(p.get("pagu"), int)) if data else None
    yield [
        case.unit,
        case.memo.nomor_surat,
        date_of(case.memo.diterima),
        case.tahun_anggaran,
        len(data.get("ppk", [])) if data else None,
        len(data.get("panitia", [])) if data else None,
        len(data.get("paket", [])) if data else None,
        pagu,
        case.status if data else "Menunggu data",
        letter.nomor_surat if letter else "",
        date_of(letter.dikirim) if letter else None,
        case.kasus,
    ]


def _nip(value: str | None) -> str:
    from pipeline.fields import format_nip

    return format_nip(value or "")


def _ppk_rows(case: CaseData) -> Iterator[Row]:
    for person in case.data.get("ppk", []):
        yield [
            case.unit,
            person.get("nama"),
            _nip(person.get("nip")),
            person.get("jabatan"),
            person.get("no_sk"),
            person.get("email"),
            person.get("telepon"),
            case.tahun_anggaran,
            case.status,
            case.kasus,
        ]


def _panitia_rows(case: CaseData) -> Iterator[Row]:
    for person in case.data.get("panitia", []):
        yield [
            case.unit,
            person.get("nama"),
            _nip(person.get("nip")),
            (person.get("peran") or "").title(),
            person.get("no_sertifikat"),
            person.get("email"),
            person.get("telepon"),
            case.tahun_anggaran,
            case.status,
            case.kasus,
        ]


def _paket_rows(case: CaseData) -> Iterator[Row]:
    ppk = {p.get("nip"): p.get("nama") for p in case.data.get("ppk", [])}
    for paket in case.data.get("paket", []):
        pagu = paket.get("pagu") if isinstance(paket.get("pagu"), int) else None
        yield [
            case.unit,
            paket.get("nama"),
            pagu,
            paket.get("sumber_dana"),
            paket.get("metode"),
            ppk.get(paket.get("ppk_nip"), ""),
            _nip(paket.get("ppk_nip")),
            case.tahun_anggaran,
            case.status,
            case.kasus,
        ]


def gather(
    register: SqlRegister, keys: Iterable[str], tahun: int | None = None, every_case: bool = False
) -> dict[str, list[Row]]:
    """{key: rows} for the books named: agenda books of ``tahun`` (all years when None), the SOP
    registers of the cases received in ``tahun``, or of every case with ``every_case``."""
    from pipeline.formats import tanggal

    cases = None
    books: dict[str, list[Row]] = {}
    for key in keys:
        if BOOKS[key].per_year:
            books[key] = list(agenda_rows(key, register.agenda(key, tahun), tanggal))
        else:
            cases = cases if cases is not None else list(case_data(register, None if every_case else tahun))
            books[key] = list(register_rows(key, cases))
    return books
