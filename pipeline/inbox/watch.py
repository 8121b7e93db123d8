"""The service: watch the inbox and process files as they become ready.

Events are only hints that wake the loop; the loop itself lists the inbox,
so a missed event costs at most one rescan interval. The watchdog handler
never raises (an exception would kill the observer thread for good), and a
supervisor restarts an observer that died, for instance when a network
share dropped and came back.
"""

import threading
import time
from pathlib import Path

from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from pipeline.errors import os_reason
from pipeline.inbox.intake import Stability
from pipeline.inbox.run import advance_open_cases, run_once

# Reading a file (hashing, parsing) opens and closes it: those events say nothing new.
QUIET = {"opened", "closed_no_write"}


class WakeHandler(FileSystemEventHandler):
    """Turns an inbox event that may mean new content (created, modified, moved in,
    closed after writing) into a wake-up; the service's own reads and claims do not wake it.

    With ``closes`` (inotify only: it reports a writer's close), it also tells ``stability``
    which files a writer still holds open, so a writer that pauses is not taken half-way.
    """

    def __init__(self, wake, stability=None, closes=False):
        super().__init__()
        self.wake = wake
        self.stability = stability
        self.closes = closes

    def on_any_event(self, event):
        try:
            if self.closes and not event.is_directory:
                self._track(event)
            if self._wakes(event):
                self.wake.set()
        except Exception:  # noqa: BLE001 - must never raise into watchdog
            pass

    def _track(self, event):
        """A write marks the file held open; its close, a move away or a delete ends that."""
        if event.event_type == "modified":
            self.stability.opened_for_writing(Path(event.src_path))
        elif event.event_type in ("closed", "moved", "deleted"):
            self.stability.closed(Path(event.src_path))

    def _wakes(self, event):
        """False for what cannot make a file ready: a read, a file leaving the inbox (a claim),
        the folder's own change or a new subfolder (a file's own event comes with it), a file
        put back after a failure whose back-off has not ended."""
        kind = event.event_type
        if kind in QUIET or kind == "deleted" or (event.is_directory and kind in ("modified", "created")):
            return False
        path = event.dest_path if kind == "moved" else event.src_path
        if not path:
            return False  # moved out of the inbox
        return self.stability is None or not self.stability.backing_off(Path(path))


class Supervisor:
    """Keeps one observer alive on the inbox, restarting it when it dies."""

    def __init__(self, config, wake, notify, stability=None):
        self.config = config
        self.wake = wake
        self.notify = notify
        self.stability = stability
        self.observer = None
        self.inode = None

    def _inbox_inode(self):
        try:
            return self.config.inbox.stat().st_ino
        except OSError:
            return None

    def ensure(self):
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
        if settings.polling:
            observer = PollingObserver(timeout=settings.poll_interval_seconds)
        else:
            observer = Observer()
        closes = type(observer).__name__ == "InotifyObserver"  # only inotify reports a writer's close
        try:
            handler = WakeHandler(self.wake, self.stability, closes and self.stability is not None)
            observer.schedule(handler, str(self.config.inbox), recursive=False)
            observer.start()
        except OSError as exc:
            self.notify(f"Folder inbox belum dapat dipantau ({os_reason(exc)}); dicoba lagi.")
            return
        self.observer = observer
        self.inode = inode

    def _stop(self):
        try:
            self.observer.stop()
            self.observer.join(timeout=2)
        except Exception:  # noqa: BLE001 - a dead observer may fail to stop
            pass
        self.observer = None

    def close(self):
        if self.observer is not None:
            self._stop()


# How often the observer and the inbox folder itself are checked while nothing happens.
SUPERVISE_SECONDS = 5.0
# A file being written sends an event per block: while one is, passes are at least this far
# apart; a file moved in whole is taken at once.
GAP_SECONDS = 0.2


def serve(ws, report, notify, stop=None):
    """Run until ``stop`` (default: the workspace's own stop event) is set: supervise, wait
    for a hint or a rescan, process.

    Between passes it sleeps until something can be ready: an event, the
    moment a settling file has been still long enough, a back-off ending,
    the next rescan; it never polls a settling file in a loop. Once ``stop``
    is set, the pass in progress ends at the next file boundary (``ws.stop``).
    """
    config = ws.config
    stop = stop or ws.stop
    wake = threading.Event()
    threading.Thread(target=lambda: (stop.wait(), ws.stop.set(), wake.set()), daemon=True).start()
    stability = Stability(config.watch.stable_seconds)
    supervisor = Supervisor(config, wake, notify, stability)
    next_rescan = last_pass = 0.0
    inbox_missing = False
    stuck = set()
    books_problems = set()
    try:
        while not stop.is_set():
            ws.register.check_present()  # a register deleted under the service stops it, loudly
            supervisor.ensure()
            inbox_missing = _inbox_state(config, inbox_missing, notify)
            now = time.monotonic()
            rescan = now >= next_rescan
            due = stability.next_due(now)
            if wake.is_set() or rescan or due == 0:
                if stability.settling(now):  # a file is being written: its events make one pass
                    stop.wait(max(0.0, last_pass + GAP_SECONDS - now))
                wake.clear()
                _pass(ws, stability, report, notify)
                for note in ws.make_owed_pdfs(interrupt=wake)[1]:  # owed PDFs, where due; new files interrupt
                    notify(note)
                ws.refresh_site()  # the status pages follow each change (a failure is logged)
                last_pass = time.monotonic()
            if rescan:
                next_rescan = now + config.watch.rescan_seconds
                stuck = _carry_on(ws, stuck, notify)
                books_problems = _books(ws, books_problems, notify)
            wake.wait(_pause(stability, next_rescan))
    finally:
        supervisor.close()


def _pause(stability, next_rescan):
    """Seconds until the next thing worth doing."""
    now = time.monotonic()
    waits = [next_rescan - now, SUPERVISE_SECONDS]
    due = stability.next_due(now)
    if due is not None:
        waits.append(due + 0.01)
    return max(0.0, min(waits))


def _inbox_state(config, was_missing, notify):
    """Say once when the inbox (a network share) disappears and once when it is back."""
    missing = not config.inbox.is_dir()
    if missing and not was_missing:
        notify(f"Folder inbox {config.inbox} tidak dapat diakses; menunggu hingga tersedia.")
    elif was_missing and not missing:
        notify("Folder inbox tersedia kembali.")
    return missing


def _books(ws, known, notify):
    """The books in the archive follow the register at each rescan (not after every file: at
    100,000 entries a year they take seconds to write), and the status site follows the clock
    (a step becomes overdue while nothing happens); a failure to write either is told once."""
    problems = {p for p in (ws.refresh_books(), ws.refresh_site(force=True)) if p}
    for problem in sorted(problems - known):
        notify(problem)
    return problems


def _carry_on(ws, known, notify):
    """On each rescan, retry cases a failure stopped (a template fixed since, say).

    Each problem is told once, not at every rescan.
    """
    try:
        problems = set(advance_open_cases(ws))
    except Exception as exc:  # noqa: BLE001 - the service must outlive any one failure
        notify(f"Kasus belum dapat dilanjutkan dan akan dicoba lagi: {exc}")
        return known
    for problem in sorted(problems - known):
        notify(problem)
    return problems


def _pass(ws, stability, report, notify):
    try:
        outcomes = run_once(ws, stability)
    except Exception as exc:  # noqa: BLE001 - the service must outlive any one failure
        notify(f"Pemrosesan inbox gagal dan akan dicoba lagi: {exc}")
        stability.postpone(SUPERVISE_SECONDS)
        return
    fresh = [o for o in outcomes if o.hasil != "menunggu" or o.jenis != "pindaian"]
    if fresh:
        report(fresh)
