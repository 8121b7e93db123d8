"""Office hours: how many minutes between two instants fall within the office's working time.

The SOP's targets are minutes of work, so the performance report
(``pipeline laporan``) shows each step's calendar time and, separately, its
time within office hours: the working periods of each weekday
(``laporan.jam_kerja``), less Indonesia's national holidays and, where the
office follows them, the cuti bersama days, both from the ``holidays``
library, and any extra days off the office lists (``laporan.libur_tambahan``)
(docs/configuration.md, "laporan").
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from pipeline.errors import ConfigError

DAYS = ("senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu")  # date.weekday() order
_RANGE = re.compile(r"^\s*(\d{1,2})[.:](\d{2})\s*-\s*(\d{1,2})[.:](\d{2})\s*$")


# Keppres 68/1995 as Kemendagri keeps it (the shipped laporan.jam_kerja, docs/configuration.md).
STANDARD = {
    "jam_kerja": {
        **{day: ["07:30-12:00", "13:00-16:00"] for day in DAYS[:4]},
        "jumat": ["07:30-11:30", "13:00-16:30"],
    },
    "cuti_bersama": True,
}


@dataclass(frozen=True)
class OfficeHours:
    """The working periods of each weekday (minutes after midnight) and the days off."""

    periods: tuple[tuple[tuple[int, int], ...], ...]  # seven weekdays, Monday first
    zone: dt.tzinfo
    cuti_bersama: bool = True
    extra_days_off: frozenset[dt.date] = frozenset()

    def is_day_off(self, day: dt.date) -> bool:
        """A national holiday, a cuti bersama day (when followed) or a day the office lists."""
        return day in self.extra_days_off or day in _holidays(day.year, self.cuti_bersama)

    def day_off_name(self, day: dt.date) -> str | None:
        """The holiday's Indonesian name, or None on a working day."""
        if day in self.extra_days_off:
            return "Libur tambahan kantor"
        return _holidays(day.year, self.cuti_bersama).get(day)

    def minutes(self, start: dt.datetime, end: dt.datetime) -> float:
        """Minutes from ``start`` to ``end`` that fall within office hours (0 when end <= start).

        Worked out on the office's wall clock in whole-minute arithmetic (a million step
        intervals take seconds): the first and last day clipped, the days between whole."""
        start, end = start.astimezone(self.zone), end.astimezone(self.zone)
        if end <= start:
            return 0.0
        first, last = start.date(), end.date()
        if first == last:
            return round(self._within(first, _minute(start), _minute(end)), 1)
        total = self._within(first, _minute(start), 24 * 60) + self._within(last, 0.0, _minute(end))
        day = first + dt.timedelta(days=1)
        while day < last:
            total += 0 if self.is_day_off(day) else self._daily[day.weekday()]
            day += dt.timedelta(days=1)
        return round(total, 1)

    def _within(self, day: dt.date, begin: float, finish: float) -> float:
        """Office minutes of ``day`` between two minutes after midnight."""
        periods = self.periods[day.weekday()]
        if not periods or self.is_day_off(day):
            return 0.0
        return sum(max(0.0, min(finish, closes) - max(begin, opens)) for opens, closes in periods)

    @functools.cached_property
    def _daily(self) -> tuple[int, ...]:
        return tuple(sum(closes - opens for opens, closes in day) for day in self.periods)

    def weekly_minutes(self) -> int:
        """Working minutes of a week without holidays (37.5 hours under the default)."""
        return sum(last - first for day in self.periods for first, last in day)


def _minute(moment: dt.datetime) -> float:
    """Minutes after midnight on the wall clock."""
    return moment.hour * 60 + moment.minute + (moment.second + moment.microsecond / 1e6) / 60


@functools.cache
def _holidays(year: int, cuti_bersama: bool) -> dict[dt.date, str]:
    """Indonesia's national holidays of ``year`` in Indonesian (the ``holidays`` library), with the
    cuti bersama days (its ``government`` category) when the office follows them."""
    import holidays

    categories = ("public", "government") if cuti_bersama else ("public",)
    return dict(holidays.country_holidays("ID", years=year, language="id", categories=categories).items())


def office_hours(raw: dict, zone: ZoneInfo | dt.tzinfo) -> OfficeHours:
    """``laporan`` of config.yaml as OfficeHours; raises ConfigError naming the key at fault."""
    periods = tuple(_periods(name, (raw.get("jam_kerja") or {}).get(name) or ()) for name in DAYS)
    if not any(periods):
        raise ConfigError("Konfigurasi laporan.jam_kerja harus memuat jam kerja paling sedikit satu hari.")
    extra = []
    for value in raw.get("libur_tambahan") or ():
        try:
            extra.append(value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)))
        except ValueError:
            raise ConfigError(
                f"Konfigurasi laporan.libur_tambahan: \u201c{value}\u201d bukan tanggal (tulis TTTT-BB-HH)."
            ) from None
    return OfficeHours(periods, zone, bool(raw.get("cuti_bersama", True)), frozenset(extra))


def _periods(day: str, ranges: Iterable[object]) -> tuple[tuple[int, int], ...]:
    """``["07:30-12:00", "13:00-16:00"]`` as minutes after midnight, in order, not overlapping."""
    result: list[tuple[int, int]] = []
    for text in ranges:
        match = _RANGE.match(str(text))
        first, last = (int(match[1]) * 60 + int(match[2]), int(match[3]) * 60 + int(match[4])) if match else (0, -1)
        if not match or not 0 <= first < last <= 24 * 60 or (result and first < result[-1][1]):
            raise ConfigError(
                f"Konfigurasi laporan.jam_kerja.{day}: \u201c{text}\u201d tidak sah; tulis rentang jam "
                "seperti \u201c07:30-12:00\u201d, berurutan dan tidak bertumpang tindih."
            )
        result.append((first, last))
    return tuple(result)
