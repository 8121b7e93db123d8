"""Quiet cases: advanced again only when something changed (docs/architecture.md, "Speed").

A case's state is the counts and newest ids of everything a waiting step
can wait for; ``tenang`` remembers, per host, the state in which a case last
had nothing to do. A cache, not part of the book: written unlogged.
"""

from collections.abc import Iterable

from pipeline.register.core import SqlCore
from pipeline.states import CaseStatus, InputStatus, StepStatus

_STATE = f"""
    SELECT c.id, c.status
        || '|' || (SELECT count(*) || '.' || coalesce(max(id), 0) FROM events WHERE kasus = c.id)
        || '|' || (SELECT count(*) || '.' || coalesce(sum(CASE WHEN status = '{StepStatus.DONE}' THEN 1 ELSE 0 END), 0)
                   FROM steps WHERE kasus = c.id)
        || '|' || (SELECT count(*) || '.' || coalesce(max(id), 0) || '.'
                          || coalesce(sum(CASE WHEN status = '{InputStatus.WAITING}' THEN 1 ELSE 0 END), 0)
                   FROM inputs WHERE kasus = c.id)
        || '|' || (SELECT count(*) || '.' || coalesce(max(id), 0)
                   FROM inputs WHERE rujukan IN (c.rujukan, c.id) AND kasus = '')
        || '|' || (SELECT count(*) || '.' || coalesce(max(id), 0) FROM documents WHERE kasus = c.id)
        || '|' || (SELECT count(*) || '.' || coalesce(sum(batal), 0) || '.' || count(ditandatangani)
                   || '.' || coalesce(sum(length(berkas)), 0) FROM agenda WHERE kasus = c.id)
        AS keadaan
    FROM cases c"""


class QuietCases(SqlCore):
    def case_states(self, kasus: str | None = None) -> list[tuple[str, str]]:
        """(id, state) of every unfinished case, or of ``kasus``: counts and newest ids of
        everything a waiting step can wait for (its events, steps, inputs, documents, agenda
        entries). A state that has not changed means nothing happened to the case."""
        rows = (
            self._rows(_STATE + " WHERE c.id = ?", kasus)
            if kasus is not None
            else self._rows(_STATE + " WHERE c.status <> ? ORDER BY c.id", CaseStatus.DONE)
        )
        return [(r["id"], r["keadaan"]) for r in rows]

    def quiet_marks(self, host: str) -> dict[str, str]:
        """What each case looked like when ``host`` last found it with nothing to do: {kasus: tanda}."""
        return {r["kasus"]: r["tanda"] for r in self._rows("SELECT kasus, tanda FROM tenang WHERE host = ?", host)}

    def mark_quiet(self, host: str, marks: dict[str, str], forget: Iterable[str] = ()) -> None:
        """Remember ``host``'s ``marks`` ({kasus: tanda}) and forget the cases in ``forget``
        (closed). A cache, not part of the book: written unlogged (``logged=False``)."""
        for kasus, tanda in marks.items():
            self._write(
                "INSERT INTO tenang (host, kasus, tanda) VALUES (?, ?, ?) "
                "ON CONFLICT (host, kasus) DO UPDATE SET tanda = excluded.tanda",
                host,
                kasus,
                tanda,
            )
        for kasus in forget:
            self._write("DELETE FROM tenang WHERE host = ? AND kasus = ?", host, kasus)
