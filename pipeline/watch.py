"""The service: watch the inbox and process files as they become ready.

Events are only hints that wake the loop; the loop itself lists the inbox,
so a missed event costs at most one rescan interval. The watchdog handler
never raises (an exception would kill the observer thread for good), and a
supervisor restarts an observer that died, for instance when a network
share dropped and came back.
"""

import threading
import time

from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from .intake import Stability
from .run import advance_open_cases, run_once


class WakeHandler(FileSystemEventHandler):
    """Turns any inbox event (created, modified, moved in) into a wake-up."""

    def __init__(self, wake):
        super().__init__()
        self.wake = wake

    def on_any_event(self, event):
        try:
            self.wake.set()
        except Exception:  # noqa: BLE001 - must never raise into watchdog
            pass


class Supervisor:
    """Keeps one observer alive on the inbox, restarting it when it dies."""

    def __init__(self, config, wake, notify):
        self.config = config
        self.wake = wake
        self.notify = notify
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
        try:
            observer.schedule(WakeHandler(self.wake), str(self.config.inbox), recursive=False)
            observer.start()
        except OSError as exc:
            self.notify(f"Folder inbox belum dapat dipantau ({exc.strerror or exc}); dicoba lagi.")
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


def serve(ws, report, notify, stop=None):
    """Run until ``stop`` is set: supervise, wait for a hint or a rescan, process."""
    config = ws.config
    stop = stop or threading.Event()
    wake = threading.Event()
    stability = Stability(config.watch.stable_seconds)
    supervisor = Supervisor(config, wake, notify)
    next_rescan = 0.0
    inbox_missing = False
    stuck = set()
    try:
        while not stop.is_set():
            supervisor.ensure()
            inbox_missing = _inbox_state(config, inbox_missing, notify)
            now = time.monotonic()
            rescan = now >= next_rescan
            if wake.is_set() or rescan or stability.settling():
                wake.clear()
                _pass(ws, stability, report, notify)
            if rescan:
                next_rescan = now + config.watch.rescan_seconds
                stuck = _carry_on(ws, stuck, notify)
            wake.wait(_pause(config, stability))
    finally:
        supervisor.close()


def _inbox_state(config, was_missing, notify):
    """Say once when the inbox (a network share) disappears and once when it is back."""
    missing = not config.inbox.is_dir()
    if missing and not was_missing:
        notify(f"Folder inbox {config.inbox} tidak dapat diakses; menunggu hingga tersedia.")
    elif was_missing and not missing:
        notify("Folder inbox tersedia kembali.")
    return missing


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


def _pause(config, stability):
    """Sleep until the next thing worth doing: a pending file's settle time, or a poll."""
    if stability.settling():
        return max(0.05, min(config.watch.stable_seconds / 2, 1.0))
    return min(config.watch.poll_interval_seconds, config.watch.rescan_seconds, 5.0)


def _pass(ws, stability, report, notify):
    try:
        outcomes = run_once(ws, stability)
    except Exception as exc:  # noqa: BLE001 - the service must outlive any one failure
        notify(f"Pemrosesan inbox gagal dan akan dicoba lagi: {exc}")
        return
    fresh = [o for o in outcomes if o.hasil != "menunggu" or o.jenis != "pindaian"]
    if fresh:
        report(fresh)
