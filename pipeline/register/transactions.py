"""Transactions sealed into the chain and staged in the archive's log (docs/architecture.md,
"The register's log"), and what the process holding the workspace lock does on opening."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from pipeline.errors import CommitUncertain, RegisterError, os_reason
from pipeline.register.core import SqlCore
from pipeline.register.log import GENESIS, make_record

if TYPE_CHECKING:
    from pipeline.register.log import RegisterLog


class Transactions(SqlCore):
    """One event, one transaction; the chain of committed ones."""

    @contextmanager
    def transaction(self, logged: bool = True) -> Iterator[Self]:
        """One event, one transaction: BEGIN ... COMMIT, or ROLLBACK.

        What it wrote is sealed into the chain and staged in the archive's log
        before COMMIT, and put in place after; ``logged=False`` for migrations
        and caches. Database failures (a full disk, a lock) become
        RegisterError, so the caller keeps the input and retries later.
        """
        try:
            self._begin()
        except self._errors as exc:
            raise RegisterError(f"Register tidak dapat ditulis: {self._reason(exc)}.") from None
        self._changes = [] if logged and self.log is not None else None
        staged = None
        try:
            yield self
            staged = self._seal(self._changes)
        except self._errors as exc:
            self._rollback(staged)
            raise RegisterError(f"Register tidak dapat ditulis: {self._reason(exc)}.") from None
        except BaseException:
            self._rollback(staged)
            raise
        finally:
            self._changes = None
        try:
            self._commit()
        except self._errors as exc:
            if not self.commit_may_outlive_error:
                self._rollback(staged)
                raise RegisterError(f"Register tidak dapat ditulis: {self._reason(exc)}.") from None
            self._rollback_db()  # the staged record stays: the next open keeps it only if it committed
            raise CommitUncertain(f"Register tidak dapat ditulis: {self._reason(exc)}.") from None
        except BaseException:
            self._rollback_db()
            raise
        if staged is not None:
            self._publish(*staged)

    def _seal(
        self, changes: list[tuple[str, tuple[Any, ...]]] | None, waktu: str | None = None
    ) -> tuple[Path, int] | None:
        """Chain the transaction's statements and stage them in the log; None when nothing changed."""
        if not changes:
            return None
        urut, previous = self.chain_head()
        record = make_record(
            urut + 1,
            waktu or self.clock.now().astimezone(dt.UTC).isoformat(timespec="seconds"),
            self.version,
            previous,
            changes,
        )
        self._insert_chain(record, previous)
        try:
            return self._log().stage(record), record["urut"]
        except OSError as exc:
            raise RegisterError(f"Catatan register tidak dapat ditulis ke arsip: {os_reason(exc)}.") from None

    def _log(self) -> RegisterLog:
        """The archive's log (changes are gathered for it only when there is one)."""
        if self.log is None:
            raise RuntimeError("this register keeps no log")
        return self.log

    def _publish(self, temp: Path, urut: int) -> None:
        try:
            self._log().publish(temp, urut)
        except OSError:
            pass  # committed: the next open puts it in place (take_charge)

    def _rollback(self, staged: tuple[Path, int] | None = None) -> None:
        self._rollback_db()
        if staged is not None:
            staged[0].unlink(missing_ok=True)

    def take_charge(self) -> None:
        """What only the process holding the workspace lock may do on opening: put in place the
        log records a crash left staged (committed ones; the rest are dropped), and start the
        log of a register that held records before it kept one."""
        self.publish_staged(self._log())
        self._baseline()

    def publish_staged(self, log: RegisterLog, discard: bool = True) -> None:
        """Put in place the committed log records staged in ``log``'s staging folder; drop the
        others unless ``discard`` is False (another host's, which only it may drop)."""
        for temp, urut, digest in log.staged():
            row = self._first("SELECT hash FROM rantai WHERE urut = ?", urut) if urut is not None else None
            if row is not None and row["hash"] == digest:
                try:
                    log.publish(temp, urut)
                except OSError:
                    pass  # committed: put in place at the next open
            elif discard:
                temp.unlink(missing_ok=True)

    def _baseline(self) -> None:
        """A register from before the log (release 0.1, SQLite only) starts it; nothing elsewhere."""

    @contextmanager
    def standing_in(self, host: str) -> Iterator[bool]:
        """Act for ``host`` while it is not running (its committed filings published by another
        host); yields False when it is running, or where there is only one host."""
        yield False

    @contextmanager
    def advancing(self, kasus: str) -> Iterator[bool]:
        """Hold the right to carry ``kasus`` on; yields False when another host holds it (it is
        carrying the case on now; this host leaves it). One host: always True."""
        yield True

    # -- the chain ---------------------------------------------------------

    def chain_head(self) -> tuple[int, str]:
        """(urut, hash) of the newest committed transaction; (0, GENESIS) before the first."""
        row = self._first("SELECT urut, hash FROM rantai ORDER BY urut DESC")
        return (row["urut"], row["hash"]) if row else (0, GENESIS)

    def chain_newest_time(self) -> str | None:
        """When the newest committed transaction was sealed (ISO, UTC); None before the first."""
        row = self._first("SELECT waktu FROM rantai ORDER BY urut DESC")
        return row["waktu"] if row else None

    def chain(self) -> list[tuple[int, str, str]]:
        """Every transaction's (urut, hash, sebelumnya), in order."""
        return [(r["urut"], r["hash"], r["sebelumnya"]) for r in self._rows("SELECT * FROM rantai ORDER BY urut")]
