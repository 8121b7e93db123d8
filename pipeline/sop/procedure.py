"""The SOP as data: the step table of config.yaml, and the one Procedure built from it.

The Procedure is the only place that knows which step comes next, which
action fits which step, who may record it, what may arrive early, where
``tolak`` sends a case and which template a step renders
(docs/architecture.md, "The procedure"; docs/steps.md). Step records are
matched to the table by key, so a case opened under an older table carries
on under a newer one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pipeline.errors import ConfigError
from pipeline.sop import handlers
from pipeline.states import Decision, ShownStatus

if TYPE_CHECKING:
    from pipeline.register import Case, StepRecord

WAITING, RUNNING, DONE, HELD, SKIPPED = ShownStatus
REJECT = Decision.REJECT
# Access roles (docs/configuration.md, access.roles), from the actors the SOP names.
_ROLE_WORDS = {"kapusdatinkomtel": "kapus", "kapus": "kapus", "kabid": "kabid", "kasubbid": "kasubbid", "staf": "staf"}


@dataclass(frozen=True)
class Step:
    """One row of the SOP step table (docs/configuration.md, ``sop.steps``)."""

    number: int
    key: str
    kind: str  # input | machine | human
    actor: str
    activity: str
    target_minutes: int
    output: str
    handler: str | None = None  # None: a human step with no code of its own
    role: tuple[str, ...] = ()
    early: bool = False
    reject_to: str | None = None
    document: str | None = None


def default_roles(actor: str) -> tuple[str, ...]:
    """``Kasubbid/Kabid`` -> (kasubbid, kabid): the roles whose accounts may record a step."""
    words = [w.strip().lower() for w in re.split(r"/|,|\bdan\b", actor) if w.strip()]
    return tuple(_ROLE_WORDS.get(w, "_".join(w.split())) for w in words)


def _problem(item: Mapping[str, Any], text: str) -> ConfigError:
    return ConfigError(f"Konfigurasi sop.steps langkah {item['number']} ({item['key']}): {text}")


def _handler_name(item: Mapping[str, Any]) -> str | None:
    """The handler a step runs: as written, or by its key; None for a plain human step."""
    name = item.get("handler")
    if item["kind"] == "input":
        if name:
            raise _problem(item, "langkah jenis input tidak menjalankan handler.")
        return None
    if name is None and item["kind"] == "human" and handlers.find(item["key"]) is None:
        return None
    name = name or item["key"]
    found = handlers.find(name)
    if found is None:
        known = ", ".join(sorted(handlers.REGISTRY))
        raise _problem(item, f"handler \u201c{name}\u201d tidak dikenal. Handler yang tersedia: {known}.")
    return found.name


def build_steps(raw: Sequence[dict], documents: Mapping[str, str]) -> tuple[Step, ...]:
    """Validate the step table and resolve its defaults; raises ConfigError naming the step."""
    numbers = [item["number"] for item in raw]
    if numbers != list(range(1, len(raw) + 1)):
        raise ConfigError("Konfigurasi sop.steps: nomor langkah harus berurutan mulai dari 1.")
    keys = [item["key"] for item in raw]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    if duplicates:
        raise ConfigError(f"Konfigurasi sop.steps: kunci langkah ganda: {', '.join(duplicates)}.")
    if REJECT in keys:
        raise ConfigError(
            f"Konfigurasi sop.steps: kunci \u201c{REJECT}\u201d dipakai untuk keputusan menolak; pilih kunci lain."
        )
    names = [_handler_name(item) for item in raw]
    data_key = next((item["key"] for item, name in zip(raw, names) if name and handlers.get(name).consumes), None)
    steps = [_step(item, name, keys[:index], data_key, documents) for index, (item, name) in enumerate(zip(raw, names))]
    _check_shape(steps)
    return tuple(steps)


def _step(
    item: Mapping[str, Any],
    name: str | None,
    earlier: Sequence[str],
    data_key: str | None,
    documents: Mapping[str, str],
) -> Step:
    """One row as a Step: what the table says, else what its handler does by default."""
    spec = handlers.get(name) if name else handlers.HUMAN
    document = item.get("document") or (spec.document if name else None)
    if document and document not in documents:
        raise _problem(item, f"dokumen \u201c{document}\u201d tidak ada di bagian documents.")
    missing = [t for t in spec.templates if t not in documents]
    if missing:
        raise _problem(item, f"dokumen \u201c{missing[0]}\u201d tidak ada di bagian documents.")
    reject_to = item.get("reject_to", data_key if spec.rejects else None)
    if reject_to and reject_to not in earlier:
        raise _problem(item, f"reject_to \u201c{reject_to}\u201d harus kunci langkah sebelumnya.")
    if reject_to and handlers.REJECT.document not in documents:
        raise _problem(item, f"dokumen \u201c{handlers.REJECT.document}\u201d tidak ada di bagian documents.")
    role = item.get("role") or default_roles(item["actor"])
    return Step(
        number=item["number"],
        key=item["key"],
        kind=item["kind"],
        actor=item["actor"],
        activity=item["activity"],
        target_minutes=item["target_minutes"],
        output=item["output"],
        handler=name,
        role=tuple([role] if isinstance(role, str) else role),
        early=bool(item.get("early", spec.early)),
        reject_to=reject_to,
        document=document,
    )


def _check_shape(steps: Sequence[Step]) -> None:
    """A case opens when its memo is filed: the table starts with input steps and the agenda step."""
    opening = [i for i, s in enumerate(steps) if s.handler and handlers.get(s.handler).opens]
    if len(opening) != 1:
        raise ConfigError(
            "Konfigurasi sop.steps harus memuat tepat satu langkah dengan handler "
            "agenda_masuk (pencatatan surat masuk)."
        )
    if any(s.kind != "input" for s in steps[: opening[0]]) or any(s.kind == "input" for s in steps[opening[0] :]):
        raise ConfigError(
            "Konfigurasi sop.steps: langkah jenis input hanya boleh ada sebelum langkah "
            "agenda_masuk, dan sebelum langkah itu hanya boleh ada langkah jenis input."
        )
    consuming = [s.key for s in steps if s.handler and handlers.get(s.handler).consumes]
    if len(consuming) > 1:
        raise ConfigError(
            "Konfigurasi sop.steps: data registrasi hanya boleh diterapkan oleh satu "
            f"langkah, bukan {', '.join(consuming)}."
        )


class Procedure:
    """The step table as the engine runs it."""

    def __init__(self, steps: Sequence[Step]) -> None:
        self.steps = tuple(steps)
        self._by_key = {step.key: step for step in self.steps}

    def step(self, key: str | None) -> Step | None:
        return self._by_key.get(key) if key else None

    def handler(self, step: Step) -> handlers.Handler:
        found = handlers.find(step.handler) if step.handler else None
        return found or handlers.HUMAN

    def _index(self, step: Step) -> int:
        return self.steps.index(step)

    def after(self, step: Step) -> Step | None:
        """The step that follows ``step`` in the table, or None at the end."""
        index = self._index(step) + 1
        return self.steps[index] if index < len(self.steps) else None

    def from_step(self, step: Step) -> list[str]:
        """Keys of ``step`` and every step after it: what a new round of data redoes."""
        return [s.key for s in self.steps[self._index(step) :]]

    def opening(self) -> tuple[Step, ...]:
        """Steps done the moment the memo is filed: the input steps and the agenda step."""
        for index, step in enumerate(self.steps):
            if step.handler and self.handler(step).opens:
                return self.steps[: index + 1]
        return ()

    def data_step(self) -> Step | None:
        """The step that applies registration data, or None when the table has none."""
        return next((s for s in self.steps if s.handler and self.handler(s).consumes), None)

    def is_after(self, step: Step, other: Step) -> bool:
        return self._index(step) > self._index(other)

    def with_handler(self, name: str) -> list[Step]:
        """Steps run by the handler ``name`` (a report may look at what they found)."""
        return [s for s in self.steps if s.handler == name]

    def sealing(self) -> Step | None:
        """The step whose completion fixes the data and the letter (the approval), or None."""
        return next((s for s in self.steps if s.handler and self.handler(s).seals), None)

    def sending(self) -> Step | None:
        """The step that records the letter was sent, or None when the table has none."""
        return next((s for s in self.steps if s.handler and self.handler(s).sends), None)

    def sealed(self, records: Mapping[str, StepRecord]) -> bool:
        """True once a step that seals the data (the approval) is done."""
        return any(self.handler(s).seals and _status(records, s) == DONE for s in self.steps)

    def current(self, records: Mapping[str, StepRecord]) -> Step | None:
        """The step the case is at: the running one, else the first undone after the last done."""
        for step in self.steps:
            if _status(records, step) == RUNNING:
                return step
        done = [i for i, s in enumerate(self.steps) if _status(records, s) == DONE]
        start = done[-1] + 1 if done else 0
        return next((s for s in self.steps[start:] if _status(records, s) != DONE), None)

    def view(self, records: Mapping[str, StepRecord], closed: bool = False) -> list[tuple[Step, str]]:
        """(step, status) for every step; a step the case passed without doing is skipped
        (all undone steps of a closed case)."""
        return self._view(records, None if closed else self.current(records))

    def _view(self, records: Mapping[str, StepRecord], current: Step | None) -> list[tuple[Step, str]]:
        limit = self._index(current) if current else len(self.steps)
        result = []
        for index, step in enumerate(self.steps):
            status = _status(records, step)
            if status == WAITING and index < limit:
                status = SKIPPED
            result.append((step, status))
        return result

    # -- actions -------------------------------------------------------------

    def action_names(self) -> list[str]:
        """Every ``langkah`` an action may name: steps that wait for one, and ``tolak``."""
        names = [s.key for s in self.steps if s.kind != "input" and self.handler(s).action]
        return names + ([REJECT] if any(s.reject_to for s in self.steps) else [])

    def action_step(self, langkah: str) -> Step | None:
        step = self.step(langkah)
        return step if step and step.kind != "input" and self.handler(step).action else None

    def due(self, langkah: str, records: Mapping[str, StepRecord]) -> bool:
        """True when the case stands at the step the action ``langkah`` records (for tolak: a step
        that may be rejected): a kept action for it is applied next."""
        current = self.current(records)
        return current is not None and (current.key == langkah or (langkah == REJECT and bool(current.reject_to)))

    def misfit(self, langkah: str, case: Case, records: Mapping[str, StepRecord]) -> str | None:
        """Why an action does not fit where the case stands, in Indonesian; None when it fits.

        One part of ``fit.fits``, which asks the rest (role, data, the handler's guard, time).
        """
        current = self.current(records)
        if case.status == DONE or current is None:
            return "kasus sudah selesai; tindakan tidak diperlukan lagi."
        if langkah == REJECT:
            if current.reject_to:
                return None
            allowed = [f"{s.number} ({s.activity})" for s in self.steps if s.reject_to]
            return f"tindakan tolak hanya dapat dilakukan pada langkah {_either(allowed)}."
        step = self.action_step(langkah)
        if step is None:
            return f"langkah \u201c{langkah}\u201d tidak menerima tindakan."
        record = records.get(step.key)
        if record is not None and record.status == DONE:
            return (
                f"langkah {step.number} ({step.activity}) sudah dicatat pada "
                f"{_date(record.selesai)} oleh {record.oleh}; tindakan yang sama tidak dicatat dua kali."
            )
        if self._index(step) < self._index(current):
            return f"kasus sudah melewati langkah {step.number} ({step.activity})."
        if self._index(step) > self._index(current) and not step.early:
            return f"kasus belum sampai langkah {step.number} ({step.activity})."
        return None

    def waiting_for(self, step: Step | None, case_status: str = RUNNING) -> str:
        """One Indonesian line: who or what the case is waiting for."""
        if step is None:
            return "Selesai"
        if case_status == HELD:
            return (
                f"Tertahan pada langkah {step.number} ({step.activity}): menunggu data registrasi "
                f"perbaikan dari {handlers.SENDER}"
            )
        spec = self.handler(step)
        if spec.action:
            return (
                f"Menunggu {step.actor} \u2014 {step.activity} (langkah {step.number}; "
                f"catat dengan tindakan \u201c{step.key}\u201d)"
            )
        if spec.waits_for:
            return f"Menunggu {spec.waits_for} (langkah {step.number})"
        return f"Menunggu langkah {step.number} \u2014 {step.activity}"

    # -- status ----------------------------------------------------------------

    def awaited_roles(self, step: Step | None, case_status: str = RUNNING) -> tuple[str, ...]:
        """The roles whose action the case waits for at ``step`` (none while it is held or the
        step runs by itself)."""
        if step is None or case_status == HELD or not self.handler(step).action:
            return ()
        return step.role

    def standing(self, case: Case, records: Mapping[str, StepRecord]) -> tuple[Step | None, list[tuple[Step, str]]]:
        """Where a case stands: its current step (None once it is done) and every step's status."""
        current = None if case.status == DONE else self.current(records)
        return current, self._view(records, current)


def _either(items: Sequence[str]) -> str:
    """ "a, b atau c"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " atau " + items[-1]


def _status(records: Mapping[str, StepRecord], step: Step) -> str:
    record = records.get(step.key)
    return record.status if record else WAITING


def _date(stamp: dt.date | str | None) -> str:
    from pipeline.formats import tanggal

    return tanggal(stamp)


def case_id(tahun: int, nomor_urut: int) -> str:
    """Case ids follow the agenda masuk: 2026-0007 is agenda number 7 of 2026."""
    return f"{tahun}-{nomor_urut:04d}"
