"""The books the office keeps: the agenda masuk and keluar, and the SOP's four registers.

Each book is a title and typed columns; ``rows`` gives its rows as Python
values (dates as ``datetime.date``, pagu as ``int``) so the Excel writer can
keep them typed and the CSV writer can print them as staff read them
(``exports``). The SOP's "Pencatatan dan Pendataan" registers come from every
case's registration data as it now stands: the units using SPSE, their PPK,
their ULP/panitia, and what each unit brings to SPSE as a user agency (its
packages and their pagu per PPK; the registration carries no other list of
user agencies). ``refresh_all`` writes the books into ``archive/<year>/buku/``
after every change: the current year's, and an earlier year's whose agenda
entries changed (docs/architecture.md, "The books").
"""

import datetime as dt
import logging
import os
import time
from dataclasses import dataclass

from pipeline import klasifikasi

TEXT, NUMBER, DATE, RUPIAH = "teks", "angka", "tanggal", "rupiah"
FOLDER = "buku"
MARKER = ".rantai"  # the chain head the books were written at, how long it took, when
EVENTS = ".peristiwa"  # the newest event id the books took into account (which later changes touch the year)
SLOW_SECONDS, SHARE = 1.0, 20
LOG = logging.getLogger("pipeline")


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
    columns: tuple
    per_year: bool  # an agenda book (one per year) or a register of every case


def _columns(*spec):
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
CASE_STATUS = {"berjalan": "Dalam proses", "tertahan": "Data dikembalikan", "selesai": "Selesai"}


def date_of(value):
    """An ISO date or time from the register as a date (None stays None)."""
    return dt.date.fromisoformat(value[:10]) if value else None


def note_of(entry, tanggal):
    """An agenda line's Keterangan: voided, the register's note, its case."""
    note = entry.keterangan
    if entry.batal:
        note = (f"BATAL: {entry.alasan_batal} (oleh {entry.batal_oleh}, {tanggal(entry.batal_waktu)}). " + note).strip()
    return (note + f" Kasus {entry.kasus}.").strip() if entry.kasus else note


def agenda_rows(buku, entries, tanggal):
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
    memo: object  # AgendaEntry of the memo
    data: dict  # the registration now applied ({} before there is one)
    tahun_anggaran: int | None
    status: str
    letter: object  # the case's outgoing AgendaEntry that is not void, or None


def case_data(register, tahun=None):
    """Every case (received in ``tahun``, when given) with its current registration and letter."""
    from pipeline.readers.registration import budget_year

    letters = {}
    for entry in register.agenda("keluar"):
        if entry.kasus and not entry.batal:
            letters[entry.kasus] = entry
    for case in register.cases():
        memo = register.incoming(case.id)
        if memo is None or (tahun and memo.tahun != tahun):
            continue
        kept = register.registration(case.id)
        data = dict(kept.data) if kept else {}
        year = data.get("tahun_anggaran") or (budget_year(memo.hal, date_of(memo.diterima)) if data else None)
        yield CaseData(
            case.id,
            data.get("unit") or case.unit or memo.dari,
            memo,
            data,
            year,
            CASE_STATUS.get(case.status, case.status),
            letters.get(case.id),
        )


def register_rows(key, cases):
    """Rows of one SOP register, numbered from 1."""
    make = {"unit": _unit_rows, "ppk": _ppk_rows, "panitia": _panitia_rows, "paket": _paket_rows}[key]
    rows = (row for case in cases for row in make(case))
    return ([number, *row] for number, row in enumerate(rows, start=1))


def _unit_rows(case):
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


def _nip(value):
    from pipeline.fields import format_nip

    return format_nip(value or "")


def _ppk_rows(case):
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


def _panitia_rows(case):
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


def _paket_rows(case):
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


def gather(register, keys, tahun=None, every_case=False):
    """{key: rows} for the books named: agenda books of ``tahun`` (all years when None), the SOP
    registers of the cases received in ``tahun``, or of every case with ``every_case``."""
    from pipeline.formats import tanggal

    cases = None
    books = {}
    for key in keys:
        if BOOKS[key].per_year:
            books[key] = list(agenda_rows(key, register.agenda(key, tahun), tanggal))
        else:
            cases = cases if cases is not None else list(case_data(register, None if every_case else tahun))
            books[key] = list(register_rows(key, cases))
    return books


@dataclass(frozen=True)
class Written:
    """When the year's books were last written: the chain head they show, how long it took, when."""

    head: int
    seconds: float
    at: float  # time.time()
    event: int = 0  # the newest event id the books have taken into account (0: unknown, read all)

    def due(self, head, now):
        """Whether the books should be written again for chain head ``head``.

        Books that take under a second follow every change. Longer ones (a
        year of 100,000 entries takes about a minute) wait until twenty times
        their writing time has passed since the last write: they never take
        more than a twentieth of the pipeline's time, and lag by minutes, not
        by changes (docs/architecture.md, "The books")."""
        if head == self.head:
            return False
        return self.seconds < SLOW_SECONDS or now - self.at >= SHARE * self.seconds


def written(config, year):
    """What ``.rantai`` says of the year's books (None: never written, or unreadable)."""
    folder = config.archive / str(year) / FOLDER
    try:
        head, seconds, at = (folder / MARKER).read_text(encoding="ascii").split()
    except (OSError, ValueError):
        return None
    try:
        event = int((folder / EVENTS).read_text(encoding="ascii"))
    except (OSError, ValueError):
        event = 0  # books written before their events were kept: every event is looked at once
    return Written(int(head), float(seconds), float(at), event)


def book_years(config):
    """The years whose books are in the archive (``archive/<year>/buku/.rantai``)."""
    return sorted(
        int(p.parent.parent.name) for p in config.archive.glob(f"*/{FOLDER}/{MARKER}") if p.parent.parent.name.isdigit()
    )


def refresh_all(config, register, year, head, now):
    """Write again every year's books a change touched, as ``Written.due`` allows: this year's
    (``year``) after any change, an earlier year's when an agenda entry of that year belongs to a
    case with an event since its books were written (a 2026 letter sent or voided in January 2027).
    An earlier year nothing touched only has its marker moved on to ``head``. Returns the years written."""
    done = []
    for past in sorted({year, *book_years(config)}, reverse=True):  # this year's first
        last = written(config, past)
        if last is not None and not last.due(head, now):
            continue
        changed, event = register.years_changed(last.event if last else 0)
        if last is None or past == year or past in changed:
            refresh(config, register, past, head, event)
            done.append(past)
        else:
            _mark(config.archive / str(past) / FOLDER, head, last.seconds, last.at, event)
    return done


def refresh(config, register, year, head, event=0):
    """Write this year's books into ``archive/<year>/buku/``: one workbook, one CSV per book;
    the agenda books of the year, the SOP registers of every case; then ``.rantai`` with the
    chain head ``head`` they show, how long the writing took and when (``Written.due`` decides
    from it whether the next change writes them again).

    The books are made from the register, never read back: whatever a crash or
    a failure leaves here, the next change writes whole again (the marker is written last).
    """
    from pipeline.outputs import exports, report_views

    started = time.monotonic()
    folder = config.archive / str(year) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    books = gather(register, list(BOOKS), year, every_case=True)
    subtitle = f"{config.organisation['name']} \u2014 Tahun {year}"
    kinerja = report_views.year_sheet(config, register, year)  # the "Kinerja SOP" sheet
    written = [exports.write_xlsx(folder / f"buku-agenda-{year}.xlsx", books, subtitle, more=[kinerja])]
    for key, rows in books.items():
        written.append(exports.write_csv(folder / f"{csv_name(key)}-{year}.csv", key, rows))
    for path in written:
        os.chmod(path, 0o444)
    _mark(folder, head, time.monotonic() - started, time.time(), event)
    return written


def _mark(folder, head, seconds, at, event):
    """Write ``.peristiwa`` (the newest event id the books show), then ``.rantai`` (the chain head, how
    long the writing took, when), each through a temporary file."""
    for name, text in ((EVENTS, f"{event}\n"), (MARKER, f"{head} {seconds:.3f} {at:.0f}\n")):
        temp = folder / f".{name}.tmp"
        temp.write_text(text, encoding="ascii")
        os.replace(temp, folder / name)


def csv_name(key):
    return {
        "masuk": "agenda-surat-masuk",
        "keluar": "agenda-surat-keluar",
        "unit": "daftar-unit-pengguna",
        "ppk": "daftar-ppk",
        "panitia": "daftar-ulp-panitia",
        "paket": "daftar-paket-pagu",
    }[key]


def file_names(year):
    """The names ``refresh`` writes, so ``verify`` knows them."""
    return {f"buku-agenda-{year}.xlsx", MARKER, EVENTS, *(f"{csv_name(key)}-{year}.csv" for key in BOOKS)}
