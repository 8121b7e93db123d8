import datetime as dt

import pytest

from pipeline.fields import format_nip, normalise_nip, parse_amount, parse_date


@pytest.mark.parametrize(
    "text, expected",
    [
        ("7 Oktober 2026", dt.date(2026, 10, 7)),
        ("Jakarta, 18 November 2026", dt.date(2026, 11, 18)),
        ("3 Pebruari 2026", dt.date(2026, 2, 3)),
        ("1 Nopember 2026", dt.date(2026, 11, 1)),
        ("17 Agustus 2026", dt.date(2026, 8, 17)),
        ("18  NOVEMBER  2026", dt.date(2026, 11, 18)),
        ("5 Okt 2026", dt.date(2026, 10, 5)),
        ("18-11-2026", dt.date(2026, 11, 18)),
        ("18/11/2026", dt.date(2026, 11, 18)),
        ("2026-11-18", dt.date(2026, 11, 18)),
        ("Surabaya, 02-01-2027", dt.date(2027, 1, 2)),
        (dt.date(2026, 1, 2), dt.date(2026, 1, 2)),
    ],
)
def test_dates_in_every_form(text, expected):
    assert parse_date(text) == expected


def test_impossible_date_names_itself():
    with pytest.raises(ValueError, match="“31 April 2026” tidak ada di kalender"):
        parse_date("31 April 2026")


def test_unknown_month_named():
    with pytest.raises(ValueError, match="Nama bulan “Brumaire”"):
        parse_date("3 Brumaire 2026")


def test_unreadable_date_explains_forms():
    with pytest.raises(ValueError, match="Tuliskan seperti “18 November 2026”"):
        parse_date("kemarin sore")


def test_nip_spaces_and_length():
    assert normalise_nip("19750312 200003 2 001") == "197503122000032001"
    assert format_nip("197503122000032001") == "19750312 200003 2 001"
    with pytest.raises(ValueError, match="18 angka .terbaca 17"):
        normalise_nip("19750312200003200")


@pytest.mark.parametrize(
    "text", ["1500000000", "1.500.000.000", "Rp1.500.000.000,00", "Rp 1.500.000.000", "Rp. 1.500.000.000,-", 1500000000]
)
def test_amount_forms(text):
    assert parse_amount(text) == 1_500_000_000


@pytest.mark.parametrize("text", ["1,5 M", "1.5", "1.500.00", "Rp1,5 miliar", "satu juta"])
def test_ambiguous_amounts_refused(text):
    with pytest.raises(ValueError, match="tidak dapat dibaca dengan pasti"):
        parse_amount(text)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Senin 7 Desember 2026", dt.date(2026, 12, 7)),
        ("Senin, 7 Desember 2026", dt.date(2026, 12, 7)),
        ("Jum'at, 4 Desember 2026", dt.date(2026, 12, 4)),
        ("Jakarta, Jum\u2019at 4 Desember 2026", dt.date(2026, 12, 4)),
        ("KAMIS 03-12-2026", dt.date(2026, 12, 3)),
    ],
)
def test_weekday_before_the_date(text, expected):
    assert parse_date(text) == expected
