"""How the office writes dates, times, money and ticks: the filters templates use.

Also used by the books, the exports and the messages staff read, so that a
date or a sum reads the same everywhere. babel and num2words are imported
when first used: a command that prints no date does not load them
(docs/architecture.md, "Speed").
"""

import datetime as dt

from pipeline.fields import format_nip

LOCALE = "id"


def tanggal(value: dt.date | str | None, zone: dt.tzinfo | None = None) -> str:
    """25 November 2026; a time is dated in ``zone`` (the office's ``timezone``) when given."""
    if value in (None, ""):
        return ""
    if zone is not None and (isinstance(value, dt.datetime) or (isinstance(value, str) and len(value) > 10)):
        value = in_zone(value, zone)
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    from babel.dates import format_date

    return format_date(value, "d MMMM yyyy", locale=LOCALE)


def in_zone(value: dt.datetime | str, zone: dt.tzinfo) -> dt.datetime:
    """A time (ISO text or datetime) in the office's zone: one written with another offset is
    converted, never shown with that zone's clock."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value.astimezone(zone) if value.tzinfo else value.replace(tzinfo=zone)


def waktu(value: dt.datetime | str | None, zone: dt.tzinfo | None = None) -> str:
    """25 November 2026 pukul 14.05, in ``zone`` (the office's ``timezone``) when given."""
    if value in (None, ""):
        return ""
    if zone is not None:
        value = in_zone(value, zone)
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    from babel.dates import format_datetime

    return format_datetime(value, "d MMMM yyyy 'pukul' HH.mm", locale=LOCALE)


def rupiah(value: int | float | str) -> str:
    """Rp1.500.000.000,00."""
    from babel.numbers import format_currency

    return format_currency(int(value), "IDR", format="\u00a4#,##0.00", locale=LOCALE, currency_digits=False)


def terbilang(value: int | float | str) -> str:
    """satu miliar lima ratus juta rupiah."""
    from num2words import num2words

    return num2words(int(value), lang=LOCALE) + " rupiah"


def tanda(value: object, option: str) -> str:
    """A ticked or empty box, for forms: ``{{ sifat | tanda('Segera') }}``.

    ``value`` may also be a list of chosen options.
    """
    chosen = option in value if isinstance(value, (list, tuple, set)) else value == option
    return "\u2612" if chosen else "\u2610"


FILTERS = {
    "tanggal": tanggal,
    "waktu": waktu,
    "rupiah": rupiah,
    "terbilang": terbilang,
    "nip": format_nip,
    "tanda": tanda,
}
