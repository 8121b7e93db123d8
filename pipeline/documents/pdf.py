"""Word to PDF with headless LibreOffice, for everything that is printed or signed.

Each pipeline process uses a LibreOffice profile of its own
(``-env:UserInstallation``), so two processes never share one; a
conversion has a time limit and one retry, and succeeds only when the PDF
exists and is not empty. Conversion happens while a filing is prepared,
outside any register transaction (docs/architecture.md, "PDF"). Where
LibreOffice is missing the pipeline goes on with .docx alone and says so once.
"""

import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import ConversionStopped, RenderError
from pipeline.processes import kill_group

if TYPE_CHECKING:
    from pipeline.config import Config
    from pipeline.documents.warm import WarmOffice

# Bookmarks become named destinations: the signature stamp finds the template's TTE bookmark.
# The same filter and option for one process per document (EXPORT) and for the warm office (FILTER_*).
FILTER_NAME, FILTER_OPTIONS = "writer_pdf_Export", ("ExportBookmarksToPDFDestination=true",)
EXPORT = 'pdf:writer_pdf_Export:{"ExportBookmarksToPDFDestination":{"type":"boolean","value":"true"}}'
SYSTEM_PYTHON = "/usr/bin/python3"
INSTALL = (
    "LibreOffice belum terpasang, sehingga dokumen hanya dibuat sebagai .docx (tanpa PDF). Pasang "
    "dengan \u201csudo apt-get install libreoffice-writer-nogui\u201d, lalu jalankan pipeline lagi."
)


PROFILE_PREFIX = "spse-libreoffice-"
STOP_POLL_SECONDS = 0.1  # how soon a set stop event kills a conversion in flight
# What LibreOffice sees of the environment: never the pipeline's secrets (signing passphrase, gateway account).
PASSED_ENV = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "FONTCONFIG_PATH", "FONTCONFIG_FILE")


class Converter:
    """LibreOffice as this process uses it."""

    def __init__(
        self,
        enabled: bool = True,
        timeout: float = 120.0,
        binary: str | None = None,
        stop: threading.Event | None = None,
        warm: bool = False,
        restart_after: int = 200,
        python: str = SYSTEM_PYTHON,
    ) -> None:
        self.enabled = enabled
        self.warm, self.restart_after, self.python = warm, restart_after, python
        self.office: WarmOffice | None = (
            None  # the warm LibreOffice (pipeline/documents/warm.py) once the first conversion starts it
        )
        self.cold_reason: str | None = None  # why conversions start one LibreOffice per document, once known
        self.timeout = timeout
        self.binary = binary or shutil.which("soffice") or shutil.which("libreoffice")
        self.profile: Path | None = None
        self.stop = stop  # a threading.Event: when set, a conversion in flight is killed at once
        self.interrupt: threading.Event | None = (
            None  # another Event (new work arrived): the same, while owed PDFs are made
        )
        self.resting_until = 0.0  # after a failure, filings owe their PDFs without trying until then

    @property
    def available(self) -> bool:
        return bool(self.enabled and self.binary)

    def missing(self) -> str | None:
        """The one-time notice when PDFs are wanted but LibreOffice is not there; None otherwise."""
        return INSTALL if self.enabled and not self.binary else None

    @property
    def resting(self) -> bool:
        """True while a recent failure says LibreOffice is not converting (hung, crashed)."""
        return time.monotonic() < self.resting_until

    @property
    def stopping(self) -> bool:
        """True once the stop event is set: no conversion is started any more."""
        return self.stop is not None and self.stop.is_set()

    def rest(self, seconds: float) -> None:
        """After a failure: filings owe their PDFs without trying for ``seconds``."""
        self.resting_until = time.monotonic() + seconds

    def convert(
        self, sources: Sequence[str | os.PathLike[str]], folder: Path, timeout: float | None = None
    ) -> list[Path]:
        """Convert ``sources`` (.docx) to PDFs in ``folder``; return their paths (none when unavailable).
        ``timeout`` (seconds) replaces the configured limit for this conversion."""
        if not self.available or not sources:
            return []
        targets = [folder / (Path(source).stem + ".pdf") for source in sources]
        for _attempt in (1, 2):
            for target in targets:
                target.unlink(missing_ok=True)
            problem = self._run(sources, folder, timeout or self.timeout)
            if problem is None and all(t.is_file() and t.stat().st_size > 0 for t in targets):
                return targets
            self.close()  # the retry starts from a fresh profile
        raise RenderError(
            f"Dokumen tidak dapat diubah menjadi PDF oleh LibreOffice ({problem or 'hasil kosong'}); akan dicoba lagi."
        )

    def mode(self) -> tuple[bool, str | None]:
        """(warm, reason): whether conversions go through a warm LibreOffice, and if not, why not."""
        if self.warm and self.office is None and self.cold_reason is None:
            from pipeline.documents.warm import WarmOffice, warm_problem

            self.cold_reason = warm_problem(self.binary, self.python)
            if self.cold_reason is None and self.binary:  # no problem: the binary is there
                self.office = WarmOffice(self.binary, self.python, self.restart_after, FILTER_NAME, FILTER_OPTIONS)
        if not self.warm:
            return False, "pdf.warm: false"
        return self.office is not None, self.cold_reason

    def warm_up(self) -> None:
        """Start the warm LibreOffice now, in the background, when conversions will follow (files in
        the inbox, PDFs owed): its start overlaps the reading and rendering of the first documents
        instead of delaying the first conversion. Nothing when PDFs are off, LibreOffice rests after
        a failure or the process stops, conversions are cold, or an office already runs."""
        if not self.available or self.resting or self.stopping or not self.mode()[0]:
            return
        if self.office is not None and self.office.failed_start is None:
            self.office.launch(self._profile())

    def _run(self, sources: Sequence[str | os.PathLike[str]], folder: Path, timeout: float) -> str | None:
        """Convert through the warm LibreOffice where there is one, else one LibreOffice for them all."""
        warm, office = self.mode()[0], self.office
        if warm and office is not None:
            deadline = time.monotonic() + timeout
            for source in sources:
                left = max(deadline - time.monotonic(), 0.001)
                problem = office.convert(
                    source, folder / (Path(source).stem + ".pdf"), left, self._profile(), (self.stop, self.interrupt)
                )
                if office.failed_start:
                    self.office, self.cold_reason = None, "LibreOffice tidak dapat dinyalakan sebagai layanan UNO"
                    return self._run_process(sources, folder, timeout)
                if problem is not None:
                    return problem
            return None
        return self._run_process(sources, folder, timeout)

    def _run_process(self, sources: Sequence[str | os.PathLike[str]], folder: Path, timeout: float) -> str | None:
        """Run LibreOffice in a process group of its own, so a time limit stops all of it (soffice
        starts oosplash, which starts soffice.bin: killing only the first would leave a converter
        writing into the staging folder after its digests were taken)."""
        assert self.binary is not None  # conversions run only when available
        profile = self._profile()
        command = [
            self.binary,
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--nodefault",
            f"-env:UserInstallation={profile.as_uri()}",
            "--convert-to",
            EXPORT,
            "--outdir",
            str(folder),
            *map(str, sources),
        ]
        env = {name: os.environ[name] for name in PASSED_ENV if name in os.environ}
        try:
            process = subprocess.Popen(
                command,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env={**env, "HOME": str(profile)},
                start_new_session=True,
            )
        except OSError:
            return "LibreOffice tidak dapat dijalankan"
        try:
            code = self._wait(process, timeout)
        except subprocess.TimeoutExpired:
            kill_group(process)
            return f"melebihi {timeout:.0f} detik"
        except BaseException:
            kill_group(process)
            raise
        return None if code == 0 else "LibreOffice gagal"

    def _wait(self, process: "subprocess.Popen[bytes]", timeout: float) -> int:
        """The exit code, waiting at most ``timeout``; raises ConversionStopped as soon as the
        stop event is set (the caller kills the process group)."""
        deadline = time.monotonic() + timeout
        while True:
            if any(event is not None and event.is_set() for event in (self.stop, self.interrupt)):
                raise ConversionStopped(
                    "Konversi PDF dihentikan (layanan berhenti atau berkas baru masuk); PDF dibuat kemudian."
                )
            left = deadline - time.monotonic()
            if left <= 0:
                raise subprocess.TimeoutExpired(process.args, timeout)
            try:
                return process.wait(timeout=min(left, STOP_POLL_SECONDS))
            except subprocess.TimeoutExpired:
                continue

    def _profile(self) -> Path:
        """This process's LibreOffice profile: a private folder made fresh (never a name another user
        could have prepared), after clearing those that processes killed earlier left behind."""
        if self.profile is None:
            _clear_stale_profiles()
            self.profile = Path(tempfile.mkdtemp(prefix=f"{PROFILE_PREFIX}{os.getpid()}-"))
        return self.profile

    def close(self) -> None:
        """Stop the warm LibreOffice, if any, and remove this process's profile."""
        if self.office is not None:
            self.office.close()
        if self.profile is not None:
            shutil.rmtree(self.profile, ignore_errors=True)
            self.profile = None


def converter_for(config: "Config", stop: threading.Event | None = None) -> Converter:
    """The converter ``config`` asks for (``pdf.*``); ``stop`` kills a conversion in flight."""
    return Converter(
        config.pdf_enabled,
        config.pdf_timeout,
        stop=stop,
        warm=config.pdf_warm,
        restart_after=config.pdf_restart_after,
        python=config.pdf_uno_python,
    )


def files_waiting(inbox: Path) -> bool:
    """True when a file lies in ``inbox`` (a hidden one aside): a pass will likely convert, so a
    command warms its converter before it has even opened the register (``Converter.warm_up``)."""
    try:
        with os.scandir(inbox) as entries:
            return any(entry.is_file(follow_symlinks=False) and not entry.name.startswith(".") for entry in entries)
    except OSError:
        return False


def _clear_stale_profiles() -> None:
    """Profiles of this account's pipeline processes that no longer run (a SIGKILL leaves them)."""
    for path in Path(tempfile.gettempdir()).glob(f"{PROFILE_PREFIX}*"):
        try:
            pid = int(path.name[len(PROFILE_PREFIX) :].split("-", 1)[0])
            if path.stat().st_uid != os.getuid() or _alive(pid):
                continue
        except (ValueError, OSError):
            continue
        shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
