"""The SOP performance report (``pipeline laporan``): what a month or a year of cases did.

Computed from the register's records only (read, never written), in one
streamed pass over the cases (``cases_in_full``) plus the applied ``tolak``
decisions (``decisions``), so a register of 100,000 cases is read without
holding it:

- requests received (cases opened in the period), finished (closed in it),
  open at its end, and returned (``tolak`` decisions applied in it) with
  their reasons;
- per SOP step finished in the period: the median and 90th percentile of its
  time, in calendar minutes and in minutes within office hours
  (``workhours``), against its target, and the share within target (office
  minutes, as the targets are minutes of work);
- per official (the actor of the steps that wait for a decision): how long
  decisions waited, from the step becoming current to its action;
- per unit: received, finished, open, returned and the median lead time.

Step times are those of the step records: a case returned by ``tolak`` counts
the round that finished the step (docs/cli.md, "pipeline laporan").
"""

from __future__ import annotations

import datetime as dt
import math
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from pipeline.states import CaseStatus, Decision, StepStatus

if TYPE_CHECKING:
    from pipeline.register.records import Case, KeptInput, StepRecord
    from pipeline.register.sql import SqlRegister
    from pipeline.sop.procedure import Procedure, Step
    from pipeline.workhours import OfficeHours

MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


@dataclass(frozen=True)
class Period:
    """A calendar month or year in the office's zone: [start, end) as dates."""

    key: str  # 2026-11 | 2026
    label: str  # November 2026 | Tahun 2026
    start: dt.date
    end: dt.date  # the first day after the period

    def holds(self, moment: dt.datetime) -> bool:
        return self.start <= moment.date() < self.end

    def ended_by(self, moment: dt.datetime) -> bool:
        """Whether ``moment`` lies before the period's end."""
        return moment.date() < self.end


def month(year: int, number: int) -> Period:
    """The period of one month."""
    start = dt.date(year, number, 1)
    end = dt.date(year + number // 12, number % 12 + 1, 1)
    return Period(f"{year}-{number:02d}", f"{MONTHS[number - 1]} {year}", start, end)


def year(number: int) -> Period:
    """The period of one year."""
    return Period(str(number), f"Tahun {number}", dt.date(number, 1, 1), dt.date(number + 1, 1, 1))


def parse_period(bulan: str | None, tahun: int | None, today: dt.date) -> Period:
    """``--bulan YYYY-MM`` or ``--tahun N``, else the month of ``today``; ValueError when malformed."""
    if bulan:
        parts = bulan.split("-")
        if len(parts) != 2 or not all(p.isdigit() for p in parts) or not 1 <= int(parts[1]) <= 12:
            raise ValueError(bulan)
        return month(int(parts[0]), int(parts[1]))
    if tahun:
        return year(tahun)
    return month(today.year, today.month)


@dataclass(frozen=True)
class Spread:
    """How a set of durations (minutes) spreads: how many, their median and 90th percentile."""

    jumlah: int = 0
    median: float | None = None
    p90: float | None = None


def percentile(ordered: list[float], share: float) -> float | None:
    """The ``share`` quantile of sorted values, interpolated between the two nearest
    (the "inclusive" method: the median of 1, 2, 3, 4 is 2.5, its p90 3.7)."""
    if not ordered:
        return None
    position = (len(ordered) - 1) * share
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return round(ordered[low] + (ordered[high] - ordered[low]) * (position - low), 1)


def spread(values: Iterable[float]) -> Spread:
    ordered = sorted(values)
    return Spread(len(ordered), percentile(ordered, 0.5), percentile(ordered, 0.9))


@dataclass(frozen=True)
class StepFigures:
    """One SOP step over the period's finished steps."""

    no: int
    key: str
    nama: str
    pelaksana: str
    target_menit: int
    kalender: Spread
    jam_kerja: Spread
    sesuai_target: int  # within target (office minutes)

    @property
    def persen_sesuai(self) -> float | None:
        return round(100 * self.sesuai_target / self.jam_kerja.jumlah, 1) if self.jam_kerja.jumlah else None


@dataclass(frozen=True)
class RoleFigures:
    """How long decisions waited for one official (the steps whose actor they are)."""

    peran: str
    langkah: tuple[int, ...]
    kalender: Spread
    jam_kerja: Spread


@dataclass(frozen=True)
class UnitFigures:
    """One unit's (the ULP/unit kerja of the case) requests."""

    unit: str
    diterima: int
    selesai: int
    terbuka: int
    dikembalikan: int
    lama_kalender: float | None  # median minutes from received to finished, of those finished
    lama_jam_kerja: float | None


@dataclass(frozen=True)
class Return:
    """One ``tolak`` decision: a request returned to its unit or to an earlier step."""

    kasus: str
    unit: str
    waktu: str
    oleh: str
    alasan: str


@dataclass(frozen=True)
class Report:
    """The performance report of one period."""

    periode: Period
    dibuat: str
    diterima: int
    selesai: int
    terbuka: int
    dikembalikan: int
    alasan: tuple[tuple[str, int], ...]  # (reason, how many), most frequent first
    pengembalian: tuple[Return, ...]
    lama_kalender: Spread  # received -> finished, of the cases finished in the period
    lama_jam_kerja: Spread
    langkah: tuple[StepFigures, ...]
    peran: tuple[RoleFigures, ...]
    unit: tuple[UnitFigures, ...]
    jam_kerja_mingguan: float = 37.5
    catatan: tuple[str, ...] = field(default=())

    def as_json(self) -> dict[str, Any]:
        """The report as ``pipeline laporan --json`` prints it (docs/cli.md)."""
        steps = [{**asdict(s), "persen_sesuai": s.persen_sesuai} for s in self.langkah]
        return {
            "periode": self.periode.key,
            "label": self.periode.label,
            "dari": self.periode.start.isoformat(),
            "sampai": (self.periode.end - dt.timedelta(days=1)).isoformat(),
            "dibuat": self.dibuat,
            "diterima": self.diterima,
            "selesai": self.selesai,
            "terbuka": self.terbuka,
            "dikembalikan": self.dikembalikan,
            "alasan": [{"alasan": text, "jumlah": count} for text, count in self.alasan],
            "pengembalian": [asdict(r) for r in self.pengembalian],
            "lama_kalender": asdict(self.lama_kalender),
            "lama_jam_kerja": asdict(self.lama_jam_kerja),
            "langkah": steps,
            "peran": [{**asdict(r), "langkah": list(r.langkah)} for r in self.peran],
            "unit": [asdict(u) for u in self.unit],
            "jam_kerja_mingguan": self.jam_kerja_mingguan,
        }


class _Durations:
    """Calendar and office minutes of a group of intervals, kept as compact arrays."""

    def __init__(self) -> None:
        self.calendar: array = array("d")
        self.office: array = array("d")
        self.within = 0

    def add(self, calendar: float, office: float, target: int | None = None) -> None:
        self.calendar.append(calendar)
        self.office.append(office)
        if target is not None and office <= target:
            self.within += 1


@dataclass
class _Unit:
    diterima: int = 0
    selesai: int = 0
    terbuka: int = 0
    dikembalikan: int = 0
    lead: _Durations = field(default_factory=_Durations)


_NEVER = dt.datetime.min.replace(tzinfo=dt.UTC)


def _moment(stamp: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(stamp) if stamp else None


def _minutes(start: dt.datetime, end: dt.datetime) -> float:
    return round(max((end - start).total_seconds(), 0) / 60, 1)


class _Tally:
    """The running counts of one pass over the cases."""

    def __init__(self, procedure: Procedure, hours: OfficeHours, period: Period) -> None:
        self.procedure, self.hours, self.period = procedure, hours, period
        self.steps = [s for s in procedure.steps if s.kind != "input"]
        self.deciding = {s.key for s in self.steps if procedure.handler(s).action}
        self.by_step = {s.key: _Durations() for s in self.steps}
        self.by_role: dict[str, _Durations] = {}
        self.role_steps: dict[str, list[int]] = {}
        for step in self.steps:
            if step.key in self.deciding:
                self.by_role.setdefault(step.actor, _Durations())
                self.role_steps.setdefault(step.actor, []).append(step.number)
        self.units: dict[str, _Unit] = {}
        self.lead = _Durations()
        self.received = self.finished = self.open = 0

    def add(self, case: Case, records: dict[str, StepRecord]) -> None:
        opened = _moment(case.dibuka)
        if opened is None or not self.period.ended_by(opened):
            return  # opened after the period: not part of it
        closed = self._closed_at(case, records)
        unit = self.units.setdefault(case.unit or "(tanpa unit)", _Unit())
        if self.period.holds(opened):
            self.received += 1
            unit.diterima += 1
        if closed is not None and self.period.holds(closed):
            self.finished += 1
            unit.selesai += 1
            calendar, office = _minutes(opened, closed), self.hours.minutes(opened, closed)
            self.lead.add(calendar, office)
            unit.lead.add(calendar, office)
        elif closed is None or not self.period.ended_by(closed):
            self.open += 1
            unit.terbuka += 1
        for step in self.steps:
            self._step(step, records.get(step.key))

    def _closed_at(self, case: Case, records: dict[str, StepRecord]) -> dt.datetime | None:
        if case.status != CaseStatus.DONE:
            return None
        ends = [r.selesai for r in records.values() if r.selesai]
        return _moment(max(ends)) if ends else _moment(case.dibuka)

    def _step(self, step: Step, record: StepRecord | None) -> None:
        if record is None or record.status != StepStatus.DONE or not record.mulai or not record.selesai:
            return
        start, end = _moment(record.mulai), _moment(record.selesai)
        if start is None or end is None or not self.period.holds(end):
            return
        calendar, office = _minutes(start, end), self.hours.minutes(start, end)
        self.by_step[step.key].add(calendar, office, step.target_minutes)
        if step.key in self.deciding:
            self.by_role[step.actor].add(calendar, office)


def compute(
    cases: Iterable[tuple[Case, dict[str, StepRecord], Any]],
    returns: Iterable[KeptInput],
    procedure: Procedure,
    hours: OfficeHours,
    period: Period,
    now: dt.datetime | None,
) -> Report:
    """The report of ``period`` from (case, step records, ...) tuples (``register.cases_in_full()``)
    and the applied ``tolak`` decisions (``register.decisions("tolak")``)."""
    returned = [r for r in map(_return, returns) if r is not None and period.holds(_moment(r.waktu) or _NEVER)]
    by_case: dict[str, list[int]] = {}
    for index, item in enumerate(returned):
        by_case.setdefault(item.kasus, []).append(index)
    tally = _Tally(procedure, hours, period)
    for case, records, *_rest in cases:
        tally.add(case, records)
        for index in by_case.get(case.id, ()):
            returned[index] = Return(**{**asdict(returned[index]), "unit": case.unit})
            tally.units.setdefault(case.unit or "(tanpa unit)", _Unit()).dikembalikan += 1
    return _report(tally, returned, now)


def _return(item: KeptInput) -> Return | None:
    if not item.diterapkan:
        return None
    data = item.data or {}
    reason = " ".join(str(data.get("catatan") or "Data perlu diperbaiki.").split())
    return Return(item.kasus, "", item.diterapkan, str(data.get("oleh") or data.get("akun") or ""), reason)


def _report(tally: _Tally, returned: list[Return], now: dt.datetime | None) -> Report:
    steps = tuple(
        StepFigures(
            s.number,
            s.key,
            s.activity,
            s.actor,
            s.target_minutes,
            spread(tally.by_step[s.key].calendar),
            spread(tally.by_step[s.key].office),
            tally.by_step[s.key].within,
        )
        for s in tally.steps
    )
    roles = tuple(
        RoleFigures(name, tuple(tally.role_steps[name]), spread(d.calendar), spread(d.office))
        for name, d in tally.by_role.items()
    )
    units = tuple(
        UnitFigures(
            name,
            u.diterima,
            u.selesai,
            u.terbuka,
            u.dikembalikan,
            spread(u.lead.calendar).median,
            spread(u.lead.office).median,
        )
        for name, u in sorted(tally.units.items())
        if u.diterima or u.selesai or u.terbuka or u.dikembalikan
    )
    reasons = Counter(r.alasan for r in returned)
    return Report(
        periode=tally.period,
        dibuat=now.isoformat(timespec="seconds") if now else "",
        diterima=tally.received,
        selesai=tally.finished,
        terbuka=tally.open,
        dikembalikan=len(returned),
        alasan=tuple(sorted(reasons.items(), key=lambda item: (-item[1], item[0]))),
        pengembalian=tuple(sorted(returned, key=lambda r: r.waktu)),
        lama_kalender=spread(tally.lead.calendar),
        lama_jam_kerja=spread(tally.lead.office),
        langkah=steps,
        peran=roles,
        unit=units,
        jam_kerja_mingguan=tally.hours.weekly_minutes() / 60,
    )


def report_of(
    register: SqlRegister, procedure: Procedure, hours: OfficeHours, period: Period, now: dt.datetime | None
) -> Report:
    """The report of ``period`` read from ``register`` (its read API only)."""
    return compute(register.cases_in_full(), register.decisions(Decision.REJECT), procedure, hours, period, now)
