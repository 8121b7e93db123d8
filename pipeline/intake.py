"""The inbox side of filing: what to look at, when a file is ready, claiming.

A file is taken only when its size and mtime have stayed the same for the
configured delay; it is then claimed by an atomic rename into the work
folder, under a claim id the journal remembers, so a restart after a crash
knows exactly how far each file got.
"""

import datetime as dt
import fnmatch
import os
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from .archive import relative, sha256_file
from .errors import ArchiveError
from .models import Inbound
from .register.records import JournalEntry
from .readers import SCAN_SUFFIXES

IGNORED = ("~$*", ".~lock.*#", "*.tmp", "*.part", "*.filepart", "*.crdownload",
           "Thumbs.db", "desktop.ini", ".DS_Store", "._*", ".*")
SEPARATOR = "__"


def ignored(name):
    """Office lock files, partial downloads and system files are never inputs."""
    lowered = name.lower()
    return any(fnmatch.fnmatchcase(lowered, pattern.lower()) for pattern in IGNORED)


def is_scan(path):
    return path.suffix.lower() in SCAN_SUFFIXES


def candidates(inbox):
    """Regular files directly in the inbox that could be inputs, oldest first."""
    try:
        entries = list(os.scandir(inbox))
    except FileNotFoundError:
        return []
    files = [Path(e.path) for e in entries if e.is_file(follow_symlinks=False) and not ignored(e.name)]
    return sorted(files, key=lambda p: (_mtime(p), p.name))


def _mtime(path):
    try:
        return path.stat().st_mtime
    except OSError:
        return 0


def _variants(suffixes):
    return [v for s in suffixes for v in (s, s.upper())]


def sidecar_scan(sidecar):
    """The scan that shares a YAML sidecar's stem, if staff dropped one."""
    for suffix in _variants(SCAN_SUFFIXES):
        candidate = sidecar.with_suffix(suffix)
        if candidate.is_file() and not ignored(candidate.name):
            return candidate
    return None


def has_sidecar(scan):
    """True when the YAML that describes a scan lies beside it."""
    return any(scan.with_suffix(s).is_file() for s in _variants((".yaml", ".yml")))


@dataclass
class Stability:
    """Tracks each file's (size, mtime) and since when it has not changed."""

    delay: float
    seen: dict = field(default_factory=dict)

    def ready(self, path, now=None):
        """True once the file's size and mtime have been steady for ``delay`` seconds."""
        now = time.monotonic() if now is None else now
        try:
            info = path.stat()
        except OSError:
            self.seen.pop(path, None)
            return False
        signature = (info.st_size, info.st_mtime_ns)
        previous = self.seen.get(path)
        if previous is None or previous[0] != signature:
            self.seen[path] = (signature, now)
            return self.delay <= 0
        return now - previous[1] >= self.delay

    def forget(self, path):
        self.seen.pop(path, None)

    def prune(self, present):
        """Drop files no longer in the inbox."""
        for path in set(self.seen) - set(present):
            del self.seen[path]

    def settling(self, now=None):
        """True while some file changed less than ``delay`` ago (worth a quick re-look)."""
        now = time.monotonic() if now is None else now
        return any(now - since < self.delay for _, since in self.seen.values())


def new_claim():
    return uuid.uuid4().hex[:16]


def claim(path, work_dir, claim_id):
    """Move ``path`` into the work folder atomically; return it as an Inbound."""
    work_dir.mkdir(parents=True, exist_ok=True)
    target = work_dir / f"{claim_id}{SEPARATOR}{path.name}"
    os.rename(path, target)
    return Inbound(path=target, name=path.name, sha256=sha256_file(target), size=target.stat().st_size)


def write_claimed(work_dir, name, data):
    """Write a file straight into the work folder as claimed (``pipeline act``)."""
    claim_id = new_claim()
    work_dir.mkdir(parents=True, exist_ok=True)
    path = work_dir / f"{claim_id}{SEPARATOR}{name}"
    temp = work_dir / f".{claim_id}.part"
    temp.write_bytes(data)
    os.replace(temp, path)
    return claim_id, Inbound(path=path, name=name, sha256=sha256_file(path), size=len(data))


def claimed(work_dir):
    """Files left in the work folder, grouped by claim id (a crash left them)."""
    groups = {}
    if not work_dir.exists():
        return groups
    for path in sorted(work_dir.iterdir()):
        claim_id, _, name = path.name.partition(SEPARATOR)
        if not name or not path.is_file():
            continue
        inbound = Inbound(path=path, name=name, sha256=sha256_file(path), size=path.stat().st_size)
        groups.setdefault(claim_id, []).append(inbound)
    return groups


def free_name(folder, name):
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


def set_aside(inbound, folder, reason_text):
    """Move a claimed file to ditolak/ or duplikat/ beside its reason file."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target = free_name(folder, inbound.name)
        reason = target.with_name(target.name + ".alasan.txt")
        reason.write_text(reason_text, encoding="utf-8")
        os.rename(inbound.path, target)
    except OSError as exc:
        raise ArchiveError(f"Berkas tidak dapat dipindahkan ke {folder}: {exc.strerror or exc}.") from None
    return target


def release(inbound, inbox):
    """Put a claimed file back in the inbox under its own name (to retry later)."""
    target = free_name(inbox, inbound.name)
    os.rename(inbound.path, target)
    return target


def untaken(config):
    """Journal entries for files lying in the inbox now: not yet taken, or ignored.

    ``journal`` shows them so staff see every file they dropped, including a
    scan waiting for its sidecar and the lock files the pipeline leaves alone.
    """
    entries = []
    try:
        paths = sorted(p for p in config.inbox.iterdir() if p.is_file())
    except OSError:
        return entries
    for path in paths:
        try:
            info = path.stat()
        except OSError:
            continue
        seen = dt.datetime.fromtimestamp(info.st_mtime, config.timezone).isoformat(timespec="seconds")
        if ignored(path.name):
            hasil, reason = "diabaikan", ("Berkas sementara atau berkas sistem (misalnya berkas kunci "
                                          "Office); tidak diproses.")
        elif is_scan(path) and not has_sidecar(path):
            hasil, reason = "menunggu", f"Pindaian menunggu berkas YAML pendamping bernama {path.stem}.yaml."
        else:
            hasil, reason = "menunggu", ("Belum diproses; jalankan \u201cpipeline run\u201d atau pastikan "
                                         "\u201cpipeline watch\u201d berjalan.")
        entries.append(JournalEntry(path.name, "", info.st_size, seen, hasil, alasan=(reason,),
                                    lokasi=relative(path, config.root)))
    return entries
