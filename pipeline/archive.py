"""Filing: archive folders built under a temporary name, then renamed into place.

A folder appears in the archive whole or not at all. Archived files are made
read-only, and their SHA-256 is kept in the register so ``verify`` can
detect any later change.
"""

import hashlib
import json
import os
import shutil
import stat
import uuid
from pathlib import Path

from slugify import slugify

from .errors import ArchiveError

TEMP_PREFIX = ".tmp-"
READ_ONLY = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH


def slug(text, max_length=48):
    """A folder-safe name from data: ascii words joined by dashes, bounded, never empty."""
    return slugify(str(text or ""), max_length=max_length, word_boundary=True) or "tanpa-judul"


def sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fsync_dir(path):
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_file(path):
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def build_folder(parent, name, copies, writers, metadata):
    """Create ``parent/name`` atomically; return its path and the files' SHA-256.

    ``copies`` maps archive file names to source paths copied byte for byte;
    ``writers`` maps names to callables that write the file at a given path;
    ``metadata`` is written as metadata.json with the digests added.
    """
    final = parent / name
    temp = parent / f"{TEMP_PREFIX}{uuid.uuid4().hex}"
    try:
        temp.mkdir(parents=True)
        for target, source in copies.items():
            shutil.copyfile(source, temp / target)
        for target, write in writers.items():
            write(temp / target)
        digests = {target: sha256_file(temp / target) for target in [*copies, *writers]}
        meta = dict(metadata, sha256=digests)
        (temp / "metadata.json").write_text(
            json.dumps(meta, ensure_ascii=False, indent=2, default=str), encoding="utf-8"
        )
        digests["metadata.json"] = sha256_file(temp / "metadata.json")
        for item in temp.iterdir():
            _fsync_file(item)
            item.chmod(READ_ONLY)
        _fsync_dir(temp)
        if final.exists():
            raise ArchiveError(f"Folder arsip {final} sudah ada; arsip tidak ditimpa.")
        os.rename(temp, final)
        _fsync_dir(parent)
    except OSError as exc:
        remove_tree(temp)
        raise ArchiveError(f"Arsip tidak dapat ditulis di {parent}: {exc.strerror or exc}.") from None
    except BaseException:
        remove_tree(temp)
        raise
    return final, digests


def copy_atomic(source, destination):
    """Copy to ``destination`` through a temporary file, so a reader never sees half."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    temp = destination.with_name(f"{TEMP_PREFIX}{uuid.uuid4().hex}-{destination.name}")
    try:
        shutil.copyfile(source, temp)
        os.replace(temp, destination)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise ArchiveError(
            f"Berkas tidak dapat disalin ke {destination.parent}: {exc.strerror or exc}."
        ) from None


def remove_tree(path):
    """Remove a folder the pipeline built itself, read-only files included."""
    if not path.exists():
        return
    for item in path.rglob("*"):
        if item.is_file():
            item.chmod(stat.S_IWUSR | stat.S_IRUSR)
    path.chmod(stat.S_IRWXU)
    shutil.rmtree(path)


def read_metadata(folder):
    try:
        return json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def temp_folders(root):
    """Temporary folders left by an interrupted build, anywhere under ``root``."""
    if not root.exists():
        return []
    return [path for path in root.rglob(f"{TEMP_PREFIX}*") if path.is_dir()]


def temp_files(root):
    """Half-written outbox copies left by an interrupted copy."""
    if not root.exists():
        return []
    return [path for path in root.rglob(f"{TEMP_PREFIX}*") if path.is_file()]


def relative(path, root):
    """A path as the register stores it: relative to the workspace when inside it."""
    path = Path(path)
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()


def verify(root, rows):
    """Compare every archived file with the SHA-256 the register holds for it.

    Returns Indonesian lines, one per missing or changed file; empty when all match.
    """
    problems = []
    for row in rows:
        label = row.get("nomor_agenda") or row.get("nomor_surat") or row.get("folder")
        for name, rel in sorted(row["berkas"].items()):
            path = Path(root) / rel
            if not path.is_file():
                problems.append(f"{label}: berkas {rel} tidak ditemukan di arsip.")
            elif sha256_file(path) != row["sha256"].get(name):
                problems.append(f"{label}: berkas {rel} telah berubah sejak diarsipkan.")
    return problems
