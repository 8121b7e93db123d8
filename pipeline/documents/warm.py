"""A LibreOffice kept running per pipeline process, so a PDF costs a conversion, not a start.

The office runs under the system Python that has ``uno`` (Debian's python3-uno), driven by the
unoserver package through pipeline/documents/uno_server.py, in a process group of its own reached through a
unix socket in the process's private profile folder (no other account can reach it).
It is started at the first conversion, or earlier in the background (``launch``: a command that knows
it will convert starts it before its first document is ready, and the first conversion waits only for
what is left of the start), and replaced when it crashes, when a conversion passes its time limit or
the stop event (the whole group is killed), and after ``restart_after`` documents.
"""

import http.client
import importlib.util
import os
import secrets
import signal
import socket
import subprocess
import threading
import time
import xmlrpc.client
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from pipeline.errors import ConversionStopped

Events = Iterable[threading.Event | None]  # any of them set: the conversion in flight is stopped

SERVER = Path(__file__).with_name("uno_server.py")
START_SECONDS = 60  # how long a fresh office may take before its first conversion
POLL_SECONDS = 0.1
START_POLL_SECONDS = 0.02  # how often a starting office is asked whether it answers (a cheap connect)
STOPPED = "Konversi PDF dihentikan (layanan berhenti atau berkas baru masuk); PDF dibuat kemudian."
SETUP = (
    "pasang \u201csudo apt-get install python3-uno\u201d dan paket Python unoserver (pip install unoserver) "
    "agar LibreOffice tetap berjalan dan PDF dibuat jauh lebih cepat"
)


def warm_problem(binary: str | None, python: str | None) -> str | None:
    """Why a warm office cannot be used here (Indonesian, says what to install), or None when it can."""
    if not binary or not (Path(os.path.realpath(binary)).parent / "soffice.bin").exists():
        return "LibreOffice tidak ditemukan di lokasi pemasangan yang dikenal"
    if importlib.util.find_spec("unoserver") is None:
        return "paket Python unoserver belum terpasang"
    if not python or not Path(python).is_file():
        return f"Python sistem {python or ''} tidak ada".replace("  ", " ")
    try:
        probe = subprocess.run([python, "-c", "import uno"], capture_output=True, timeout=30, env=_env(), check=False)
    except (OSError, subprocess.TimeoutExpired):
        return f"Python sistem {python} tidak dapat dijalankan"
    return None if probe.returncode == 0 else f"modul uno (python3-uno) tidak ada pada {python}"


def _env() -> dict[str, str]:
    return {
        name: os.environ[name]
        for name in ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "FONTCONFIG_PATH", "FONTCONFIG_FILE")
        if name in os.environ
    }


class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, path: str) -> None:
        super().__init__("localhost")
        self.path = path

    def connect(self) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(self.path)


class _UnixTransport(xmlrpc.client.Transport):
    """XML-RPC over the server's unix socket."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path

    def make_connection(self, host: Any) -> http.client.HTTPConnection:
        return _UnixConnection(self.path)


class WarmOffice:
    """One supervised LibreOffice answering conversions over UNO; restarted as needed."""

    def __init__(
        self, binary: str, python: str, restart_after: int, filter_name: str, filter_options: Sequence[str]
    ) -> None:
        self.binary, self.python, self.restart_after = binary, python, restart_after
        self.filter = [filter_name, *filter_options]
        self.process: subprocess.Popen[bytes] | None = None
        self.socket: Path | None = None
        self.answering = False  # the office now running has answered (``process`` alone: still starting)
        self.launched = 0.0  # when it was started (time.monotonic): its start is given START_SECONDS from then
        self.converted = 0
        self.starts = 0  # offices started by this process (bench/ reports the restarts)
        self.failed_start: str | None = (
            None  # why the office would not start at all: the caller goes back to one per document
        )

    def convert(
        self, source: str | os.PathLike[str], target: Path, timeout: float, profile: Path, events: Events
    ) -> str | None:
        """Convert one .docx to ``target``; None when done, else why not (the office is then gone).
        Raises ConversionStopped as soon as one of ``events`` is set (the office is killed)."""
        if (
            self.process is not None
            and self.answering
            and (self.process.poll() is not None or self.converted >= self.restart_after)
        ):
            self.close()
        if self.process is None:
            problem = self.launch(profile)
            if problem:
                return problem
        if not self.answering:
            problem = self._started(events)
            if problem:
                return problem
        outcome: dict[str, object] = {}
        call = threading.Thread(target=self._call, args=(str(source), str(target), outcome), daemon=True)
        call.start()
        problem = self._wait(call, lambda: "done" in outcome, timeout, events)
        if problem is None and outcome["done"] is not True:
            problem = "LibreOffice gagal"
        if problem is not None:
            self.close()
        else:
            self.converted += 1
        return problem

    def _call(self, source: str, target: str, outcome: dict[str, object]) -> None:
        try:
            with self._proxy() as proxy:
                outcome["done"] = proxy.convert(source, target)
        except (OSError, http.client.HTTPException, xmlrpc.client.Error) as exc:  # crashed office, refused document
            outcome["done"] = exc

    def _wait(
        self, call: threading.Thread | None, finished: Callable[[], bool], timeout: float, events: Events
    ) -> str | None:
        """None once ``finished()``; the reason when the time limit passes; ConversionStopped on an event."""
        deadline = time.monotonic() + timeout
        while not finished():
            if any(event is not None and event.is_set() for event in events):
                self.close()
                raise ConversionStopped(STOPPED)
            if time.monotonic() > deadline:
                return f"melebihi {timeout:.0f} detik"
            if self.process is not None and self.process.poll() is not None:
                return "LibreOffice berhenti"
            if call is not None:
                call.join(POLL_SECONDS)
            else:
                time.sleep(START_POLL_SECONDS)
        return None

    def launch(self, profile: Path) -> str | None:
        """Start a fresh office in a process group of its own without waiting for it to answer (the
        next conversion waits for what is left of its start); None, or why it could not be run."""
        if self.process is not None:
            return None
        modules = profile / "modules"
        modules.mkdir(exist_ok=True)
        link = modules / "unoserver"
        if not link.exists():
            spec = importlib.util.find_spec("unoserver")
            assert spec is not None and spec.origin is not None  # warm_problem found it
            link.symlink_to(Path(spec.origin).parent)
        self.socket = profile / "konversi.sock"
        self.socket.unlink(missing_ok=True)
        command = [
            self.python,
            str(SERVER),
            self.binary,
            (profile / "warm").as_uri(),
            f"spse-{secrets.token_hex(8)}",
            str(self.socket),
            *self.filter,
        ]
        try:
            self.process = subprocess.Popen(
                command,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env={**_env(), "HOME": str(profile), "PYTHONPATH": str(modules)},
                start_new_session=True,
            )
        except OSError:
            return "LibreOffice tidak dapat dijalankan"
        self.starts += 1
        self.converted, self.launched = 0, time.monotonic()
        return None

    def _started(self, events: Events) -> str | None:
        """Wait for the office launched to answer; None once it does, else why not (it is then gone)."""
        left = max(self.launched + START_SECONDS - time.monotonic(), POLL_SECONDS)
        problem = self._wait(None, self._answers, left, events)
        if problem is not None:
            self.close()
            if self.starts == 1:
                self.failed_start = problem
            return f"LibreOffice tidak dapat dinyalakan ({problem})"
        self.answering = True
        return None

    def _answers(self) -> bool:
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
                probe.settimeout(1)
                probe.connect(str(self.socket))
                return True
        except OSError:
            return False

    def _proxy(self) -> xmlrpc.client.ServerProxy:
        return xmlrpc.client.ServerProxy(
            "http://localhost/", transport=_UnixTransport(str(self.socket)), allow_none=True
        )

    def office_pid(self) -> int:
        """The pid of the LibreOffice now serving (tests check that one office serves many documents)."""
        with self._proxy() as proxy:
            return int(proxy.office_pid())  # type: ignore[arg-type]  # the server answers an int

    def close(self) -> None:
        """Kill the whole group (server and LibreOffice); the next conversion starts a new one."""
        if self.process is None:
            return
        group = self.process.pid
        try:
            os.killpg(group, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.process.wait()
        self.process, self.answering = None, False
        deadline = time.monotonic() + START_SECONDS
        while _group_runs(group) and time.monotonic() < deadline:  # LibreOffice is the server's child, not ours
            time.sleep(POLL_SECONDS / 10)


def _group_runs(group: int) -> bool:
    """True while a process of ``group`` still runs (an unreaped zombie does not)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            return True
    return False
