"""The service: watch the inbox and process files as they become ready.

Events are only hints that wake the loop; the loop itself lists the inbox,
so a missed event costs at most one rescan interval. The watchdog handler
never raises (an exception would kill the observer thread for good), and a
supervisor restarts an observer that died, for instance when a network
share dropped and came back.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from pipeline.errors import os_reason
from pipeline.inbox.intake import Stability
from pipeline.states import Hasil

if TYPE_CHECKING:
    from pipeline.config import Config
    from pipeline.inbox.passes import InboxPass
    from pipeline.models import Outcome


class Present(Protocol):
    """What the service asks of the register itself: that it is still there."""

    def check_present(self) -> None: ...


# Reading a file (hashing, parsing) opens and closes it: those events say nothing new.
QUIET = {"opened", "closed_no_write"}


class WakeHandler(FileSystemEventHandler):
    """Turns an inbox event that may mean new content (created, modified, moved in,
    closed after writing) into a wake-up; the service's own reads and claims do not wake it.

    With ``closes`` (inotify only: it reports a writer's close), it also tells ``stability``
    which files a writer still holds open, so a writer that pauses is not taken half-way.
    """

    def __init__(self, wake: threading.Event, stability: Stability | None = None, closes: bool = False) -> None:
        super().__init__()
        self.wake = wake
        self.stability = stability
        self.closes = closes

    def on_any_event(self, event: FileSystemEvent) -> None:
        try:
            if self.closes and not event.is_directory:
                self._track(event)
            if self._wakes(event):
                self.wake.set()
        except Exception:  # noqa: BLE001 - must never raise into watchdog
            pass

    def _track(self, event: FileSystemEvent) -> None:
        """A write marks the file held open; its close, a move away or a delete ends that."""
        if self.stability is None:
            return
        if event.event_type == "modified":
            self.stability.opened_for_writing(Path(os.fsdecode(event.src_path)))
        elif event.event_type in ("closed", "moved", "deleted"):
            self.stability.closed(Path(os.fsdecode(event.src_path)))

    def _wakes(self, event: FileSystemEvent) -> bool:
        """False for what cannot make a file ready: a read, a file leaving the inbox (a claim),
        the folder's own change or a new subfolder (a file's own event comes with it), a file
        put back after a failure whose back-off has not ended."""
        kind = event.event_type
        if kind in QUIET or kind == "deleted" or (event.is_directory and kind in ("modified", "created")):
            return False
        path = event.dest_path if kind == "moved" else event.src_path
        if not path:
            return False  # moved out of the inbox
        return self.stability is None or not self.stability.backing_off(Path(os.fsdecode(path)))


class Supervisor:
    """Keeps one observer alive on the inbox, restarting it when it dies."""

    def __init__(
        self,
        config: Config,
        wake: threading.Event,
        notify: Callable[[str], object],
        stability: Stability | None = None,
    ) -> None:
        self.config = config
        self.wake = wake
        self.notify = notify
        self.stability = stability
        self.observer: BaseObserver | None = None
        self.inode: int | None = None

    def _inbox_inode(self) -> int | None:
        try:
            return self.config.inbox.stat().st_ino
        except OSError:
            return None

    def ensure(self) -> None:
        """Start an observer, or restart one that died or watches a replaced folder."""
        inode = self._inbox_inode()
        if self.observer is not None and self.observer.is_alive() and inode == self.inode:
            return
        if self.observer is not None:
            self.notify("Pemantau folder inbox berhenti; dijalankan ulang.")
            self._stop()
        if inode is None:
            return
        settings = self.config.watch
        observer: BaseObserver
        if settings.polling:
            observer = PollingObserver(timeout=settings.poll_interval_seconds)
        else:
            observer = Observer()
        closes = type(observer).__name__ == "InotifyObserver"  # only inotify reports a writer's close
        try:
            handler = WakeHandler(self.wake, self.stability, closes and self.stability is not None)
            observer.schedule(handler, str(self.config.inbox), recursive=False)
            if self.config.decisions_dir.is_dir():  # the officials' folders keputusan/<account>/
                observer.schedule(handler, str(self.config.decisions_dir), recursive=True)
            observer.start()
        except OSError as exc:
            self.notify(f"Folder inbox belum dapat dipantau ({os_reason(exc)}); dicoba lagi.")
            return
        self.observer = observer
        self.inode = inode

    def _stop(self) -> None:
        try:
            if self.observer is not None:
                self.observer.stop()
                self.observer.join(timeout=2)
        except Exception:  # noqa: BLE001 - a dead observer may fail to stop
            pass
        self.observer = None

    def close(self) -> None:
        if self.observer is not None:
            self._stop()


# How often the observer and the inbox folder itself are checked while nothing happens.
SUPERVISE_SECONDS = 5.0
# A file being written sends an event per block: while one is, passes are at least this far
# apart; a file moved in whole is taken at once.
GAP_SECONDS = 0.2


@dataclass(frozen=True)
class Upkeep:
    """What the service keeps up besides the inbox pass, each never raising (a failure is
    returned, to be told): the PDFs owed, the status site, the books in the archive, the
    officials' e-mail notices."""

    owed_pdfs: Callable[[threading.Event], list[str]]  # made where due, ``interrupt``ed by new files: notes
    site: Callable[[bool], str | None]  # rewritten (``force``: also when only time passed): why not
    books: Callable[[], str | None]  # rewritten when the register changed: why not
    views: Callable[[], str | None]  # finished cases' status lines stored, some per call: why not
    notices: Callable[[], list[str]]  # officials told of the cases waiting for them: problems not told before


def serve(
    config: Config,
    register: Present,
    inbox: InboxPass,
    upkeep: Upkeep,
    report: Callable[[list[Outcome]], object],
    notify: Callable[[str], object],
    stop: threading.Event,
) -> None:
    """Run until ``stop`` is set: supervise, wait for a hint or a rescan, process.

    Between passes it sleeps until something can be ready: an event, the
    moment a settling file has been still long enough, a back-off ending,
    the next rescan; it never polls a settling file in a loop. Once ``stop``
    is set, the pass in progress ends at the next file boundary (``inbox.stop``).
    """
    wake = threading.Event()
    threading.Thread(target=_relay, args=(stop, inbox.stop, wake), daemon=True).start()
    stability = Stability(config.watch.stable_seconds)
    supervisor = Supervisor(config, wake, notify, stability)
    next_rescan = last_pass = 0.0
    inbox_missing = False
    stuck: set[str] = set()
    books_problems: set[str] = set()
    try:
        while not stop.is_set():
            register.check_present()  # a register deleted under the service stops it, loudly
            supervisor.ensure()
            inbox_missing = _inbox_state(config, inbox_missing, notify)
            now = time.monotonic()
            rescan = now >= next_rescan
            due = stability.next_due(now)
            if wake.is_set() or rescan or due == 0:
                if stability.settling(now):  # a file is being written: its events make one pass
                    stop.wait(max(0.0, last_pass + GAP_SECONDS - now))
                wake.clear()
                _pass(inbox, stability, report, notify)
                for note in upkeep.owed_pdfs(wake):  # owed PDFs, where due; new files interrupt
                    notify(note)
                # officials a case now waits for, before the site shows it; at each rescan also the
                # digests whose window ended and the sends whose back-off ended
                _tell(upkeep.notices(), notify)
                upkeep.site(False)  # the status pages follow each change (a failure is logged)
                last_pass = time.monotonic()
            if rescan:
                next_rescan = now + config.watch.rescan_seconds
                stuck = _carry_on(inbox, stuck, notify)
                books_problems = _books(upkeep, books_problems, notify)
            wake.wait(_pause(stability, next_rescan))
    finally:
        supervisor.close()


def _relay(stop: threading.Event, halt: threading.Event, wake: threading.Event) -> None:
    """Once ``stop`` is set, the pass in progress is asked to end (``halt``) and the loop woken."""
    stop.wait()
    halt.set()
    wake.set()


def _pause(stability: Stability, next_rescan: float) -> float:
    """Seconds until the next thing worth doing."""
    now = time.monotonic()
    waits = [next_rescan - now, SUPERVISE_SECONDS]
    due = stability.next_due(now)
    if due is not None:
        waits.append(due + 0.01)
    return max(0.0, min(waits))


def _inbox_state(config: Config, was_missing: bool, notify: Callable[[str], object]) -> bool:
    """Say once when the inbox (a network share) disappears and once when it is back."""
    missing = not config.inbox.is_dir()
    if missing and not was_missing:
        notify(f"Folder inbox {config.inbox} tidak dapat diakses; menunggu hingga tersedia.")
    elif was_missing and not missing:
        notify("Folder inbox tersedia kembali.")
    return missing


def _tell(notes: list[str], notify: Callable[[str], object]) -> None:
    for note in notes:
        notify(note)


def _books(upkeep: Upkeep, known: set[str], notify: Callable[[str], object]) -> set[str]:
    """The books in the archive follow the register at each rescan (not after every file: at
    100,000 entries a year they take seconds to write), finished cases' status lines are stored
    (register/shown.py), and the status site follows the clock
    (a step becomes overdue while nothing happens); a failure to write either is told once."""
    problems = {p for p in (upkeep.books(), upkeep.views(), upkeep.site(True)) if p}
    for problem in sorted(problems - known):
        notify(problem)
    return problems


def _carry_on(inbox: InboxPass, known: set[str], notify: Callable[[str], object]) -> set[str]:
    """On each rescan, retry cases a failure stopped (a template fixed since, say).

    Each problem is told once, not at every rescan.
    """
    try:
        problems = set(inbox.advance_open_cases())
    except Exception as exc:  # noqa: BLE001 - the service must outlive any one failure
        notify(f"Kasus belum dapat dilanjutkan dan akan dicoba lagi: {exc}")
        return known
    for problem in sorted(problems - known):
        notify(problem)
    return problems


def _pass(
    inbox: InboxPass, stability: Stability, report: Callable[[list[Outcome]], object], notify: Callable[[str], object]
) -> None:
    try:
        outcomes = inbox.run_once(stability)
    except Exception as exc:  # noqa: BLE001 - the service must outlive any one failure
        notify(f"Pemrosesan inbox gagal dan akan dicoba lagi: {exc}")
        stability.postpone(SUPERVISE_SECONDS)
        return
    fresh = [o for o in outcomes if o.hasil != Hasil.WAITING or o.jenis != "pindaian"]
    if fresh:
        report(fresh)
