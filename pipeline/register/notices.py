"""The register's intents for e-mail notices to officials (docs/architecture.md, "Officials told").

A notice is owed to an account for one wait of one case at one step
(``kasus, langkah, akun, sejak``); it is written when the wait is first
seen after a pass, claimed by the process that sends it, then marked sent,
or given its next attempt after a failure. The waits themselves are in the
book (the step records); ``pemberitahuan`` is derived from them, so it is a
cache outside the chain and the log (written with ``logged=False``), like
``pdf_coba``: a register rebuilt from its log tells the officials once more.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from pipeline.register.records import Notice
from pipeline.register.rows import record
from pipeline.register.transactions import Transactions
from pipeline.states import CaseStatus, NoticeStatus

Key = tuple[str, str, str, str]  # (kasus, langkah, akun, sejak)

_KEY = "kasus = ? AND langkah = ? AND akun = ? AND sejak = ?"


def notice_key(notice: Notice) -> Key:
    return (notice.kasus, notice.langkah, notice.akun, notice.sejak)


class NoticeIntents(Transactions):
    """Notices owed, claimed, sent, failed, no longer needed."""

    def record_notices(self, due: Iterable[Notice], waiting: set[Key]) -> None:
        """After a pass: owe a notice for each wait in ``due`` not known yet, and set aside the
        owed ones whose wait is over (not in ``waiting``). Idempotent."""
        due = list(due)
        known = self._rows(
            "SELECT kasus, langkah, akun, sejak, status FROM pemberitahuan WHERE status = ? "
            "OR kasus IN (SELECT id FROM cases WHERE status <> ?)",
            NoticeStatus.DUE,
            CaseStatus.DONE,
        )
        seen = {(r["kasus"], r["langkah"], r["akun"], r["sejak"]) for r in known}
        over = [(r["kasus"], r["langkah"], r["akun"], r["sejak"]) for r in known if r["status"] == NoticeStatus.DUE]
        due = [notice for notice in due if notice_key(notice) not in seen]
        over = [key for key in over if key not in waiting]
        if not due and not over:
            return  # nothing changed: no write transaction at every pass
        with self.transaction(logged=False):
            for notice in due:
                self._write(
                    "INSERT INTO pemberitahuan (kasus, langkah, akun, sejak, alamat, dicatat) "
                    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (kasus, langkah, akun, sejak) DO NOTHING",
                    *notice_key(notice),
                    notice.alamat,
                    notice.dicatat,
                )
            for old in self.notices(NoticeStatus.DUE):
                if notice_key(old) not in waiting:
                    self._write(
                        f"UPDATE pemberitahuan SET status = ?, klaim = '' WHERE {_KEY}",
                        NoticeStatus.MOOT,
                        *notice_key(old),
                    )

    def notices(self, status: str | None = None, akun: str | None = None) -> list[Notice]:
        """Notices (in ``status``, of ``akun``), oldest wait first."""
        sql, params = "SELECT * FROM pemberitahuan WHERE 1 = 1", list[str]()
        if status is not None:
            sql, params = sql + " AND status = ?", [*params, status]
        if akun is not None:
            sql, params = sql + " AND akun = ?", [*params, akun]
        return [record(Notice, r) for r in self._rows(sql + " ORDER BY sejak, kasus, akun", *params)]

    def current_notices(self) -> list[Notice]:
        """The notices of unfinished cases, owed or sent (what the status site's queues show)."""
        rows = self._rows(
            "SELECT p.* FROM pemberitahuan p JOIN cases c ON c.id = p.kasus "
            "WHERE c.status <> ? AND p.status <> ? ORDER BY p.sejak, p.kasus, p.akun",
            CaseStatus.DONE,
            NoticeStatus.MOOT,
        )
        return [record(Notice, r) for r in rows]

    def last_notice_sent(self, akun: str) -> str | None:
        """When the newest e-mail to ``akun`` was sent (the digest's window starts there)."""
        row = self._first(
            "SELECT max(dikirim) AS dikirim FROM pemberitahuan WHERE akun = ? AND status = ?", akun, NoticeStatus.SENT
        )
        return row["dikirim"] if row else None

    def claim_notices(self, akun: str, token: str, now: dt.datetime, until: str, mine: str) -> list[Notice]:
        """The owed notices of ``akun`` this process may send now, claimed for it until ``until``
        (one transaction, so hosts sharing the register never send the same one together).

        A notice is ready when it is not being sent (no claim, or a claim whose time ran out, or
        one of this host's earlier processes: ``mine`` is the host's prefix, and one process per
        host holds the workspace) and its back-off is over."""
        with self.transaction(logged=False):
            ready = []
            for notice in self.notices(NoticeStatus.DUE, akun):
                later = notice.berikutnya and dt.datetime.fromisoformat(notice.berikutnya) > now
                dead = notice.klaim.startswith(mine) and notice.klaim != token
                if not later or dead:
                    ready.append(notice)
            for notice in ready:
                self._write(
                    f"UPDATE pemberitahuan SET klaim = ?, berikutnya = ? WHERE {_KEY}",
                    token,
                    until,
                    *notice_key(notice),
                )
        return ready

    def notices_sent(self, keys: Iterable[Key], dikirim: str) -> None:
        """The e-mail holding these notices was accepted by the SMTP server at ``dikirim``."""
        with self.transaction(logged=False):
            for key in keys:
                self._write(
                    f"UPDATE pemberitahuan SET status = ?, dikirim = ?, klaim = '', berikutnya = '', galat = '' "
                    f"WHERE {_KEY}",
                    NoticeStatus.SENT,
                    dikirim,
                    *key,
                )

    def notices_failed(self, keys: Iterable[Key], berikutnya: str, galat: str) -> None:
        """The e-mail could not be sent: tried again from ``berikutnya``, ``galat`` says why."""
        with self.transaction(logged=False):
            for key in keys:
                self._write(
                    f"UPDATE pemberitahuan SET percobaan = percobaan + 1, berikutnya = ?, galat = ?, klaim = '' "
                    f"WHERE {_KEY}",
                    berikutnya,
                    galat,
                    *key,
                )
