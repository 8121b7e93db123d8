"""Events: what happened to a case, in the order it happened."""

from dataclasses import asdict

from pipeline.register.core import SqlCore
from pipeline.register.records import Event
from pipeline.register.rows import record


class EventIntents(SqlCore):
    def record_event(self, event: Event) -> Event:
        self._insert("events", asdict(event), numbered="id")
        return event

    def events(self, kasus: str) -> list[Event]:
        rows = self._rows("SELECT * FROM events WHERE kasus = ? ORDER BY id", kasus)
        return [record(Event, r) for r in rows]
