"""The inbox side of filing: what to look at, when a file is ready, claiming.

A file is taken only when its size and mtime have stayed the same for the
configured delay; it is then claimed by an atomic rename into the work
folder, under a claim id the journal remembers, so a restart after a crash
knows exactly how far each file got.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import hashlib
import os
import re
import stat
import time
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import ArchiveError, InputChanged, os_reason
from pipeline.filing.archive import relative, sha256_file
from pipeline.models import Inbound
from pipeline.readers import SCAN_SUFFIXES
from pipeline.register.keys import letter_key
from pipeline.register.records import JournalEntry
from pipeline.states import Hasil

if TYPE_CHECKING:
    from pipeline.config import Config

IGNORED = (
    "~$*",
    ".~lock.*#",
    "*.tmp",
    "*.part",
    "*.filepart",
    "*.crdownload",
    "Thumbs.db",
    "desktop.ini",
    ".DS_Store",
    "._*",
    ".*",
)
SEPARATOR = "__"


def ignored(name: str) -> bool:
    """Office lock files, partial downloads and system files are never inputs."""
    lowered = name.lower()
    return any(fnmatch.fnmatchcase(lowered, pattern.lower()) for pattern in IGNORED)


def is_scan(path: Path) -> bool:
    return path.suffix.lower() in SCAN_SUFFIXES


def candidates(inbox: Path) -> list[Path]:
    """Regular files directly in the inbox that could be inputs, oldest first."""
    try:
        entries = list(os.scandir(inbox))
    except FileNotFoundError:
        return []
    files = [Path(e.path) for e in entries if e.is_file(follow_symlinks=False) and not ignored(e.name)]
    return sorted(files, key=lambda p: (_mtime(p), p.name))


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0


def _variants(suffixes: Iterable[str]) -> list[str]:
    return [v for s in suffixes for v in (s, s.upper())]


def is_regular(path: Path) -> bool:
    """A regular file, not a symlink (links in the inbox are never read or archived)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def sidecar_scan(sidecar: Path) -> Path | None:
    """The scan that shares a YAML sidecar's stem, if staff dropped one."""
    for suffix in _variants(SCAN_SUFFIXES):
        candidate = sidecar.with_suffix(suffix)
        if is_regular(candidate) and not ignored(candidate.name):
            return candidate
    return None


def sidecar_of(scan: Path) -> Path | None:
    """The YAML that describes a scan, if it lies beside it."""
    for suffix in _variants((".yaml", ".yml")):
        candidate = scan.with_suffix(suffix)
        if is_regular(candidate) and not ignored(candidate.name):
            return candidate
    return None


def has_sidecar(scan: Path) -> bool:
    return sidecar_of(scan) is not None


# What each placeholder of an outgoing number format looks like once the number is a file name
# (``letter_key``: dots and slashes become hyphens, so a code like 000.4.5 reads 000-4-5).
_PLACEHOLDER_SHAPES = {"nomor": r"[0-9]+", "tahun": r"[0-9]{4}", "kode": r"[0-9]+(?:-[0-9]+)*"}


def named_as_outgoing(numbering: Mapping[str, str], stem: str) -> bool:
    """True when a file name has the shape of this office's outgoing numbers (``numbering.surat_keluar``,
    slashes written as hyphens): a signed copy of one of our letters, never an incoming letter."""
    parts = []
    for piece in re.split(r"(\{[^}]*\})", numbering["surat_keluar"]):
        if piece.startswith("{") and piece.endswith("}"):
            parts.append(_PLACEHOLDER_SHAPES.get(piece[1:-1].split(":")[0], r"[0-9a-z]+(?:-[0-9a-z]+)*"))
        elif letter_key(piece):
            parts.append(re.escape(letter_key(piece)))
    return re.fullmatch("-".join(parts), letter_key(stem)) is not None


def waits_for_sidecar(config: Config, scan: Path) -> bool:
    """A scan alone named like an outgoing number waits for the YAML that names its letter."""
    return is_scan(scan) and not has_sidecar(scan) and named_as_outgoing(config.numbering, scan.stem)


# A file a local writer still holds open (inotify saw it written and not yet closed) is taken
# anyway once it has not changed for this long: a writer that keeps a file open without
# writing, or a change inotify reports without a close (a truncate by name), never blocks it.
WRITER_PATIENCE = 60.0


@dataclass
class Stability:
    """Tracks each file's (size, mtime) and since when it has not changed.

    A file whose mtime is already older than the delay is ready at first
    sight (it was written before anyone looked); a file put back after a
    failure waits a growing while before it is tried again; a file a local
    writer still holds open waits for its close. Every file looked at and
    not ready yet has a moment it is worth a look again (``next_due``).
    """

    delay: float
    seen: dict[Path, tuple[tuple[int, int], float]] = field(default_factory=dict)
    deferred: dict[Path, tuple[float, int]] = field(default_factory=dict)  # path -> (not before, attempts)
    looks: dict[Path, float] = field(default_factory=dict)  # path -> when a file not ready yet is worth a look again
    writing: set[Path] = field(default_factory=set)  # files a local writer holds open (told by the watcher)

    def ready(self, path: Path, now: float | None = None) -> bool:
        """True once the file's size and mtime have been steady for ``delay`` seconds and no
        local writer holds it open; otherwise remembers when to look at it again."""
        now = time.monotonic() if now is None else now
        try:
            info = os.lstat(path)
        except OSError:
            self.forget(path)
            return False
        until = self.deferred.get(path, (0, 0))[0]
        if now < until:
            self.looks[path] = until
            return False
        signature = (info.st_size, info.st_mtime_ns)
        previous = self.seen.get(path)
        if previous is None or previous[0] != signature:
            old = previous is None and time.time() - info.st_mtime >= self.delay
            self.seen[path] = (signature, now - self.delay if old else now)
        wait = self.delay + (WRITER_PATIENCE if path in self.writing else 0)
        due = self.seen[path][1] + wait
        if now >= due:
            self.looks.pop(path, None)
            return True
        self.looks[path] = due
        return False

    def opened_for_writing(self, path: Path) -> None:
        """The watcher saw ``path`` written: it is not taken before the writer closes it."""
        self.writing.add(path)

    def closed(self, path: Path) -> None:
        """The writer closed ``path`` (or it was moved away or deleted)."""
        self.writing.discard(path)

    def backing_off(self, path: Path, now: float | None = None) -> bool:
        """True while ``path``, put back after a failure, waits for its next try."""
        now = time.monotonic() if now is None else now
        return now < self.deferred.get(path, (0, 0))[0]

    def defer(self, path: Path, longest: float, now: float | None = None) -> None:
        """Try ``path`` again later: after 1, 2, 4... seconds, at most ``longest``."""
        now = time.monotonic() if now is None else now
        attempts = self.deferred.get(path, (0, 0))[1] + 1
        self.deferred[path] = (now + min(longest, 2 ** (attempts - 1)), attempts)
        self.looks[path] = self.deferred[path][0]
        self.seen.pop(path, None)

    def forget(self, path: Path) -> None:
        self.seen.pop(path, None)
        self.looks.pop(path, None)

    def done(self, path: Path) -> None:
        """The file was taken for good: forget its back-off too."""
        self.forget(path)
        self.deferred.pop(path, None)

    def prune(self, present: Iterable[Path], folder: Path | None = None) -> None:
        """Drop files no longer present (``folder``: only files directly in it are looked at, so
        the inbox and each official's folder are pruned apart)."""
        present = set(present)
        for table in (self.seen, self.deferred, self.looks):
            for path in set(table) - present:
                if folder is None or path.parent == folder:
                    del table[path]

    def settling(self, now: float | None = None) -> bool:
        """True while some file changed less than ``delay`` ago (worth a re-look soon)."""
        now = time.monotonic() if now is None else now
        return any(now - since < self.delay for _, since in self.seen.values())

    def unsettled(self) -> bool:
        """True while a file looked at was not ready for want of settling (or of its writer's
        close), not for a back-off: a run must look at it again before it ends, however long
        the pass that saw it took."""
        return any(path not in self.deferred for path in self.looks)

    def postpone(self, seconds: float, now: float | None = None) -> None:
        """A pass failed before looking at the files: look again no sooner than ``seconds``
        from now (a failure that repeats must not become a busy loop)."""
        now = time.monotonic() if now is None else now
        for path, due in list(self.looks.items()):
            self.looks[path] = max(due, now + seconds)

    def next_due(self, now: float | None = None) -> float | None:
        """Seconds until a file looked at and not ready is worth a look again (0: now);
        None if none is waiting for anything but an event."""
        now = time.monotonic() if now is None else now
        waits = [due - now for due in list(self.looks.values())]
        return max(0.0, min(waits)) if waits else None


def new_claim() -> str:
    return uuid.uuid4().hex[:16]


def safe_name(name: str, limit: int = 180) -> str:
    """A name the register and any file system can hold: undecodable bytes shown as
    U+FFFD, and a long name shortened (with a hash of it, so two stay apart)."""
    clean = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    clean = "".join(ch if ch.isprintable() else "\ufffd" for ch in clean)
    if len(clean.encode("utf-8")) <= limit:
        return clean
    stem, suffix = os.path.splitext(clean)
    digest = hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()[:8]
    room = limit - len(suffix.encode("utf-8")) - 10
    short = stem.encode("utf-8")[:room].decode("utf-8", "ignore")
    return f"{short}~{digest}{suffix}"


def _inbound(path: Path, name: str) -> Inbound:
    info = os.lstat(path)
    return Inbound(path=path, name=name, sha256=sha256_file(path), size=info.st_size, mtime_ns=info.st_mtime_ns)


def claim(path: Path, work_dir: Path, claim_id: str) -> Inbound:
    """Move ``path`` into the work folder atomically; return it as an Inbound."""
    work_dir.mkdir(parents=True, exist_ok=True)
    name = safe_name(path.name)
    target = work_dir / f"{claim_id}{SEPARATOR}{name}"
    os.rename(path, target)
    if not is_regular(target):  # replaced by a link between listing and claiming
        os.rename(target, path)
        raise OSError(f"{path.name} bukan berkas biasa")
    return _inbound(target, name)


def check_unchanged(inbounds: Iterable[Inbound]) -> None:
    """Raise InputChanged when a claimed file is no longer as it was claimed."""
    for inbound in inbounds:
        try:
            info = os.lstat(inbound.path)
        except OSError:
            raise InputChanged(f"Berkas {inbound.name} hilang dari folder kerja.") from None
        if (info.st_size, info.st_mtime_ns) != (inbound.size, inbound.mtime_ns):
            raise InputChanged(
                f"Berkas {inbound.name} masih berubah setelah diambil (penyalinannya belum selesai). "
                "Berkas dikembalikan ke inbox dan diproses setelah selesai disalin."
            )


def write_claimed(work_dir: Path, name: str, data: bytes, claim_id: str | None = None) -> tuple[str, Inbound]:
    """Write a file straight into the work folder as claimed (``pipeline act``); with ``claim_id``,
    into that claim's group (the scan of a decision made on paper, beside its YAML)."""
    claim_id = claim_id or new_claim()
    work_dir.mkdir(parents=True, exist_ok=True)
    path = work_dir / f"{claim_id}{SEPARATOR}{name}"
    temp = work_dir / f".{claim_id}.part"
    temp.write_bytes(data)
    os.replace(temp, path)
    return claim_id, _inbound(path, name)


def claimed(work_dir: Path) -> dict[str, list[Inbound]]:
    """Files left in the work folder, grouped by claim id (a crash left them).

    Anything else found there (a stray file, a link, a file that cannot be
    read) is left alone and never stops the pass.
    """
    groups: dict[str, list[Inbound]] = {}
    try:
        entries = sorted(os.scandir(work_dir), key=lambda e: e.name)
    except OSError:
        return groups
    for entry in entries:
        claim_id, _, name = entry.name.partition(SEPARATOR)
        if not name or len(claim_id) != 16 or not entry.is_file(follow_symlinks=False):
            continue
        try:
            inbound = _inbound(Path(entry.path), name)
        except OSError:
            continue
        groups.setdefault(claim_id, []).append(inbound)
    return groups


def hand_in_folder(config: Config, account: str) -> Path:
    """Where a command hands a decision to the running service: the account's own folder
    ``keputusan/<account>/`` where it has one (the only place a decision counts from), else the inbox."""
    own = config.decision_folder(account)
    return own if own.is_dir() and not config.decisions_from_inbox else config.inbox


def drop_in(inbox: Path, name: str, data: bytes) -> str:
    """Put a file in the inbox whole (written under a hidden name, then renamed); its SHA-256."""
    temp = inbox / f".{name}.part"
    temp.write_bytes(data)
    os.replace(temp, inbox / name)
    return hashlib.sha256(data).hexdigest()


def clean_partials(work_dir: Path) -> None:
    """Half-written action files ``pipeline act`` left when it was killed."""
    for path in work_dir.glob(".*.part") if work_dir.is_dir() else ():
        path.unlink(missing_ok=True)


def free_name(folder: Path, name: str) -> Path:
    """``name`` in ``folder``, or ``name (2)``, ``name (3)``... when a file has it.

    A reason file alone does not take the name: it is what a crash between
    writing the reason and moving the file leaves, and is overwritten.
    """
    candidate = folder / name
    stem, suffix = Path(name).stem, Path(name).suffix
    counter = 2
    while candidate.exists():
        candidate = folder / f"{stem} ({counter}){suffix}"
        counter += 1
    return candidate


def set_aside(inbound: Inbound, folder: Path, reason_text: str) -> Path:
    """Move a claimed file to ditolak/ or duplikat/ beside its reason file."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target = free_name(folder, inbound.name)
        reason = target.with_name(target.name + ".alasan.txt")
        reason.write_text(reason_text, encoding="utf-8")
        os.rename(inbound.path, target)
    except OSError as exc:
        raise ArchiveError(f"Berkas tidak dapat dipindahkan ke {folder}: {os_reason(exc)}.") from None
    return target


def release(inbound: Inbound, inbox: Path) -> Path:
    """Put a claimed file back in the inbox under its own name (to retry later)."""
    target = free_name(inbox, inbound.name)
    os.rename(inbound.path, target)
    return target


def untaken(config: Config) -> list[JournalEntry]:
    """Journal entries for files lying in the inbox now: not yet taken, or ignored.

    ``journal`` shows them so staff see every file they dropped, including a
    scan waiting for its sidecar and the lock files the pipeline leaves alone.
    """
    entries: list[JournalEntry] = []
    try:
        paths = sorted(p for p in config.inbox.iterdir() if p.is_symlink() or p.is_file())
    except OSError:
        return entries
    for path in paths:
        try:
            info = os.lstat(path)
        except OSError:
            continue
        seen = dt.datetime.fromtimestamp(info.st_mtime, config.timezone).isoformat(timespec="seconds")
        hasil, alasan = _untaken_state(config, path)
        entries.append(
            JournalEntry(
                safe_name(path.name), "", info.st_size, seen, hasil, alasan=alasan, lokasi=relative(path, config.root)
            )
        )
    return entries


def _untaken_state(config: Config, path: Path) -> tuple[Hasil, tuple[str, ...]]:
    """(hasil, alasan) of a file lying in the inbox."""
    if path.is_symlink():
        return Hasil.IGNORED, (
            "Tautan (symlink) tidak pernah dibaca atau diarsipkan. Letakkan berkas aslinya di inbox.",
        )
    if ignored(path.name):
        return Hasil.IGNORED, ("Berkas sementara atau berkas sistem (misalnya berkas kunci Office); tidak diproses.",)
    if waits_for_sidecar(config, path):
        return Hasil.WAITING, (f"Pindaian menunggu berkas YAML pendamping bernama {path.stem}.yaml.",)
    return Hasil.WAITING, (
        "Belum diproses; jalankan \u201cpipeline run\u201d atau pastikan \u201cpipeline watch\u201d berjalan.",
    )
